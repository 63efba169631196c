"""scikit-learn's 8x8 handwritten digits for lesson 07, and the file of the network trained on them.

The digits (1797 images, 10 classes) ship with scikit-learn, so nothing is downloaded. Images
are returned channels-first, ``(N, 1, 8, 8)``, as float32 in [0, 1]: the raw grey levels 0..16
divided by :data:`PIXEL_SCALE`. The split into training, validation and test sets is a fixed
permutation drawn from :data:`SPLIT_SEED`, the same on every machine.

The trained weights live in ``data/digits_cnn.npz`` (:func:`weights_path`), found through
:data:`cnncourse.data.DATA_DIR`, so the path works from the repository, an nbgrader release
folder and a JupyterHub home alike. Lesson 08 reads it with :func:`load_weights`.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from cnncourse.data import DATA_DIR

#: The raw pixel values are integers 0..16; they are divided by this.
PIXEL_SCALE = 16.0
#: Seed of the fixed permutation that splits the digits.
SPLIT_SEED = 0
#: Images in the validation and in the test set; the remaining 1257 are for training.
VAL_SIZE = 270
TEST_SIZE = 270
#: The keys of the weight arrays in the saved file.
PARAM_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
#: The architecture hyper-parameters saved next to the weights (integers).
ARCH_KEYS = ("input_dim", "num_filters", "filter_size", "hidden_dim", "num_classes")


def load_digits_split() -> dict[str, np.ndarray]:
    """Return the digits as NCHW float32 images, split into training, validation and test sets.

    Returns
    -------
    dict of str to numpy.ndarray
        ``X_train (1257, 1, 8, 8)``, ``y_train (1257,)``, ``X_val (270, 1, 8, 8)``, ``y_val``,
        ``X_test (270, 1, 8, 8)``, ``y_test``. Images are float32 in [0, 1] (grey level / 16),
        labels int64 in 0..9.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.images / PIXEL_SCALE).astype(np.float32)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(labels))
    test, val, train = np.split(order, [TEST_SIZE, TEST_SIZE + VAL_SIZE])
    return {
        "X_train": images[train], "y_train": labels[train],
        "X_val": images[val], "y_val": labels[val],
        "X_test": images[test], "y_test": labels[test],
    }


def weights_path() -> Path:
    """Return the path of the trained network's weights, ``data/digits_cnn.npz``."""
    return DATA_DIR / "digits_cnn.npz"


def save_weights(
    params: Mapping[str, np.ndarray],
    architecture: Mapping[str, int | tuple[int, int, int]],
    history: Mapping[str, np.ndarray] | None = None,
    path: str | Path | None = None,
) -> Path:
    """Save a trained network: its weights, its architecture and (optionally) its training curves.

    Parameters
    ----------
    params : mapping
        ``W1 b1 W2 b2 W3 b3``, stored under these names.
    architecture : mapping
        ``input_dim`` (a ``(C, H, W)`` tuple), ``num_filters``, ``filter_size``, ``hidden_dim``,
        ``num_classes``; ``pixel_scale`` is added (what the raw pixels were divided by).
    history : mapping, optional
        Training curves (e.g. ``loss``, ``train_acc``, ``val_acc``), stored as ``history_<name>``.
    path : str or Path, optional
        Where to write; :func:`weights_path` by default.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ValueError
        If a weight or an architecture key is missing.
    """
    missing = [k for k in PARAM_KEYS if k not in params] + [k for k in ARCH_KEYS if k not in architecture]
    if missing:
        raise ValueError(f"cannot save the network: missing {', '.join(missing)}")
    arrays = {k: np.asarray(params[k]) for k in PARAM_KEYS}
    arrays.update({k: np.asarray(architecture[k], dtype=np.int64) for k in ARCH_KEYS})
    arrays["pixel_scale"] = np.asarray(PIXEL_SCALE)
    arrays.update({f"history_{k}": np.asarray(v) for k, v in (history or {}).items()})
    path = Path(path) if path is not None else weights_path()
    with open(path, "wb") as file:  # a file object: np.savez would append ".npz" to a name without it
        np.savez(file, **arrays)
    return path


def load_weights(path: str | Path | None = None) -> tuple[dict[str, np.ndarray], dict, dict[str, np.ndarray]]:
    """Load a network saved by :func:`save_weights`.

    Parameters
    ----------
    path : str or Path, optional
        The file; :func:`weights_path` by default.

    Returns
    -------
    params : dict
        ``W1 b1 W2 b2 W3 b3`` as arrays.
    architecture : dict
        ``input_dim`` as a tuple of ints, ``num_filters``, ``filter_size``, ``hidden_dim``,
        ``num_classes`` as ints, and ``pixel_scale`` as a float.
    history : dict
        The training curves saved with it (empty if none).

    Raises
    ------
    FileNotFoundError
        If the file does not exist; the message says how to create it.
    """
    path = Path(path) if path is not None else weights_path()
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run lesson 07 with RETRAIN = True to train and save the network")
    with np.load(path) as data:
        params = {k: data[k] for k in PARAM_KEYS}
        architecture = {k: int(data[k]) for k in ARCH_KEYS if k != "input_dim"}
        architecture["input_dim"] = tuple(int(v) for v in data["input_dim"])
        architecture["pixel_scale"] = float(data["pixel_scale"])
        history = {k.removeprefix("history_"): data[k] for k in data.files if k.startswith("history_")}
    return params, architecture, history
