"""scikit-learn's 8x8 handwritten digits for lesson 07, and the files of the networks trained on them.

The digits (1797 images, 10 classes) ship with scikit-learn, so nothing is downloaded. Images
are returned channels-first, ``(N, 1, 8, 8)``, as float32 in [0, 1]: the raw grey levels 0..16
divided by :data:`PIXEL_SCALE`. The split into training, validation and test sets is a fixed
permutation drawn from :data:`SPLIT_SEED`, the same on every machine.

Two files hold a trained network:

- the student's own, :data:`STUDENT_WEIGHTS` (``my_digits_cnn.npz``), which lesson 07 writes
  next to its notebook (the kernel's working directory: the repository's ``lessons/07_train_cnn/``,
  an nbgrader release or fetch folder, a JupyterHub home);
- the course's, ``data/digits_cnn.npz`` (:func:`weights_path`, found through
  :data:`cnncourse.data.DATA_DIR`), which no lesson writes (``data/README.md`` says how a
  maintainer regenerates it).

Lesson 09 loads the student's network when lesson 07 has saved one and the course's otherwise
(:func:`locate_weights`, :func:`load_weights`), and says which (:func:`which_weights`).
"""
from __future__ import annotations

import os
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
#: The file in which lesson 07 saves the student's network, next to its notebook.
STUDENT_WEIGHTS = "my_digits_cnn.npz"
#: The folder of lesson 07, a sibling of the other lessons' folders wherever they are installed.
TRAINING_LESSON = "07_train_cnn"


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
    """Return the path of the course's trained network, ``data/digits_cnn.npz``."""
    return DATA_DIR / "digits_cnn.npz"


def student_weights_path(folder: str | Path | None = None) -> Path:
    """Return where lesson 07 saves the student's network: :data:`STUDENT_WEIGHTS` in ``folder``.

    Parameters
    ----------
    folder : str or Path, optional
        The notebook's folder; the current working directory by default, which is the
        notebook's folder in a Jupyter kernel.

    Returns
    -------
    Path
    """
    return Path(folder if folder is not None else Path.cwd()) / STUDENT_WEIGHTS


def locate_weights(folder: str | Path | None = None) -> Path:
    """Return the network a lesson should load: the student's if lesson 07 saved one, else the course's.

    The student's file is looked for next to the notebook, then in lesson 07's folder beside the
    notebook's folder (``../07_train_cnn/my_digits_cnn.npz``: lesson 09 seen from its own folder).

    Parameters
    ----------
    folder : str or Path, optional
        The notebook's folder; the current working directory by default.

    Returns
    -------
    Path
        The first of those files that exists, else :func:`weights_path`.
    """
    here = Path(folder if folder is not None else Path.cwd())
    for candidate in (student_weights_path(here), student_weights_path(here.parent / TRAINING_LESSON)):
        if candidate.is_file():
            return candidate
    return weights_path()


def which_weights(folder: str | Path | None = None) -> str:
    """Say in a sentence which network :func:`load_weights` loads by default, and from where.

    Parameters
    ----------
    folder : str or Path, optional
        The notebook's folder; the current working directory by default.

    Returns
    -------
    str
        "your network from lesson 07 (<path>)" or "the course's network (<path>): ...".
    """
    path = locate_weights(folder)
    if path == weights_path():
        return (f"the course's network ({path}): lesson 07 saves yours as {STUDENT_WEIGHTS} "
                "next to its notebook when you run it")
    return f"your network from lesson 07 ({path})"


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
        Where to write; :func:`student_weights_path` (next to the notebook) by default.

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
    path = Path(path) if path is not None else student_weights_path()
    partial = path.with_name(path.name + ".partial")  # an interrupted save leaves the old file intact
    with open(partial, "wb") as file:  # a file object: np.savez would append ".npz" to a name without it
        np.savez(file, **arrays)
    os.replace(partial, path)
    return path


def load_weights(path: str | Path | None = None) -> tuple[dict[str, np.ndarray], dict, dict[str, np.ndarray]]:
    """Load a network saved by :func:`save_weights`.

    Parameters
    ----------
    path : str or Path, optional
        The file; by default :func:`locate_weights`: the student's network if lesson 07 saved
        one next to the notebook or in its own folder, else the course's.

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
    path = Path(path) if path is not None else locate_weights()
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run lesson 07 to train and save a network "
                                "(data/README.md says how the course's network is regenerated)")
    with np.load(path) as data:
        params = {k: data[k] for k in PARAM_KEYS}
        architecture = {k: int(data[k]) for k in ARCH_KEYS if k != "input_dim"}
        architecture["input_dim"] = tuple(int(v) for v in data["input_dim"])
        architecture["pixel_scale"] = float(data["pixel_scale"])
        history = {k.removeprefix("history_"): data[k] for k in data.files if k.startswith("history_")}
    return params, architecture, history
