"""Sample data the lessons use, loaded from installed packages or ``data/``."""
from __future__ import annotations

import numpy as np


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
