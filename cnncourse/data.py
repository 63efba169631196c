"""Sample data the lessons use, loaded from installed packages or ``data/``.

:data:`DATA_DIR` is the course's data folder, for every module that reads or writes a file of
``data/`` (the grader included). It never depends on the working directory, so a lesson finds its
files from the repository, an nbgrader release folder and a JupyterHub home alike.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np


def _default_data_dir() -> Path:
    """``data/`` of the repository: ``$CNN_COURSE_ROOT/data``, else next to this package."""
    root = os.environ.get("CNN_COURSE_ROOT")
    return Path(root) / "data" if root else Path(__file__).resolve().parent.parent / "data"


#: The data folder. ``CNN_COURSE_DATA`` overrides it (the grader gives each notebook a scratch
#: copy); ``CNN_COURSE_ROOT`` (a copy of the course installed elsewhere) moves it to that root.
DATA_DIR = Path(os.environ.get("CNN_COURSE_DATA") or _default_data_dir())


def sample_photo(gray: bool = True, step: int = 1) -> np.ndarray:
    """Return matplotlib's sample photograph of Grace Hopper as floats in [0, 1].

    Parameters
    ----------
    gray : bool
        Return a 2-D grey-level image (ITU-R BT.601 luma) instead of ``(H, W, 3)`` RGB.
    step : int
        Keep every ``step``-th row and column (a cheap downscale for slow code).

    Returns
    -------
    numpy.ndarray
        ``(600 // step, 512 // step)`` grey, or ``(600 // step, 512 // step, 3)`` RGB, float64.
    """
    import matplotlib.cbook
    import matplotlib.pyplot as plt

    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as file:
        rgb = plt.imread(file, format="jpg").astype(np.float64) / 255.0
    rgb = rgb[::step, ::step]
    if not gray:
        return rgb
    return rgb @ np.array([0.299, 0.587, 0.114])
