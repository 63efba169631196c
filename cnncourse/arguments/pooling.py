"""Argument checks of lesson 04's functions: max and mean pooling of a 2-D feature map."""
from __future__ import annotations

import numpy as np

from cnncourse.arguments.sizes import check_windows_fit
from cnncourse.validation import require_int


def check_pool2d(x: object, size: object, stride: object) -> tuple[np.ndarray, int, int]:
    """Check the arguments of ``max_pool2d(x, size=2, stride=None)`` and ``avg_pool2d``.

    Parameters
    ----------
    x : (H, W) array_like
        The feature map.
    size : int
        Height and width of the window, >= 1.
    stride : int or None
        Step of the window, >= 1; None means ``size`` (windows that do not overlap).

    Returns
    -------
    x : numpy.ndarray
        ``np.asarray(x)``: never copied, dtype unchanged.
    size, stride : int
        ``stride`` is ``size`` when it was None.

    Raises
    ------
    ValueError
        If ``x`` is not a non-empty 2-D array, ``size`` or ``stride`` is not an integer >= 1,
        the window is larger than the map, or ``(H - size) / stride + 1`` (or the same for the
        columns) is not a whole number.
    """
    x = np.asarray(x)
    if x.ndim != 2 or x.size == 0:
        raise ValueError(f"x must be a non-empty 2-D array (H, W), got shape {x.shape}")
    size = require_int(size, "size", 1)
    stride = size if stride is None else require_int(stride, "stride", 1)
    for what, length in zip(("height", "width"), x.shape):
        check_windows_fit(length, size, stride, 0, what)
    return x, size, stride
