"""The relative error by which a gradient check compares an analytic gradient with a numerical one."""
from __future__ import annotations

import numpy as np


def rel_error(a: object, b: object) -> float:
    """Return cs231n's relative error: the largest elementwise ``|a - b| / max(1e-8, |a| + |b|)``.

    Scale-free: a gradient of size 1000 off by 0.001 scores like one of size 1 off by 1e-6.
    Around 1e-8 or below means the two agree up to rounding.

    Parameters
    ----------
    a, b : array_like
        Two arrays of the same shape (an analytic and a numerical gradient), or numbers.

    Returns
    -------
    float
        0.0 for empty arrays.

    Raises
    ------
    ValueError
        If the shapes differ.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"the two gradients have different shapes, {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))
