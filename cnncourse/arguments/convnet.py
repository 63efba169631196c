"""Argument checks of lesson 07: ``im2col`` and the three-layer convolutional network.

The fast convolutional layers of lesson 07 take the arguments of lesson 06's layers and use its
checks (:mod:`cnncourse.arguments.conv_layers`): ``conv_forward_fast`` calls
``check_conv_forward``, ``conv_backward_fast`` calls ``check_conv_backward`` on a cache that
starts with ``(x, w, b, conv_param)``. This module adds what only lesson 07 has.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from cnncourse.arguments.conv_layers import check_batch, output_size
from cnncourse.validation import require_int


def check_im2col(x: object, HH: object, WW: object, stride: object, pad: object
                 ) -> tuple[np.ndarray, int, int, int, int]:
    """Check the arguments of ``im2col(x, HH, WW, stride, pad)``.

    Parameters
    ----------
    x : (N, C, H, W) array_like
        A batch of real numbers.
    HH, WW : int
        Height and width of the window (the filter), >= 1.
    stride : int
        >= 1.
    pad : int
        >= 0.

    Returns
    -------
    x : numpy.ndarray
        ``np.asarray(x)``: no copy, dtype unchanged.
    HH, WW, stride, pad : int

    Raises
    ------
    ValueError
        If ``x`` is not a non-empty 4-D array of real numbers, an integer argument is invalid,
        the window is larger than the padded input, or the output size is not a whole number.
    """
    x = check_batch(x, "x", "(N, C, H, W)")
    HH, WW = require_int(HH, "HH", 1), require_int(WW, "WW", 1)
    stride, pad = require_int(stride, "stride", 1), require_int(pad, "pad", 0)
    output_size(x.shape[2:], (HH, WW), stride, pad)
    return x, HH, WW, stride, pad


def check_three_layer_convnet(
    input_dim: object, num_filters: object, filter_size: object, hidden_dim: object, num_classes: object,
    weight_scale: object, reg: object, dtype: object,
) -> tuple[tuple[int, int, int], int, int, int, int, float, float, np.dtype]:
    """Check the arguments of ``ThreeLayerConvNet(input_dim, num_filters, ..., reg, dtype)``.

    Parameters
    ----------
    input_dim : sequence of 3 int
        ``(C, H, W)`` of one input, each >= 1; H and W even (2x2 pooling with stride 2).
    num_filters, hidden_dim : int
        >= 1.
    filter_size : int
        Odd and >= 1, so that the padding ``(filter_size - 1) / 2`` is a whole number.
    num_classes : int
        >= 2.
    weight_scale : float
        A finite real number > 0.
    reg : float
        A finite real number >= 0.
    dtype : numpy dtype or type
        A floating-point type (``np.float32``, ``np.float64``, ...).

    Returns
    -------
    input_dim : (int, int, int)
    num_filters, filter_size, hidden_dim, num_classes : int
    weight_scale, reg : float
    dtype : numpy.dtype

    Raises
    ------
    ValueError
        Naming the first argument that is wrong and why.
    """
    if isinstance(input_dim, (str, bytes)) or np.ndim(input_dim) != 1 or len(input_dim) != 3:
        raise ValueError(f"input_dim must be (C, H, W), three integers, got {input_dim!r}")
    C, H, W = (require_int(value, name, 1) for value, name in zip(input_dim, ("C", "H", "W")))
    if H % 2 or W % 2:
        raise ValueError(f"2x2 pooling with stride 2 needs an even height and width, got input_dim {(C, H, W)}")
    num_filters = require_int(num_filters, "num_filters", 1)
    filter_size = require_int(filter_size, "filter_size", 1)
    if filter_size % 2 == 0:
        raise ValueError(f"filter_size must be odd, so that pad = (filter_size - 1) / 2 is a whole number "
                         f"and keeps H and W, got {filter_size}")
    hidden_dim = require_int(hidden_dim, "hidden_dim", 1)
    num_classes = require_int(num_classes, "num_classes", 2)
    weight_scale = _require_real(weight_scale, "weight_scale", minimum=0.0, inclusive=False)
    reg = _require_real(reg, "reg", minimum=0.0, inclusive=True)
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise ValueError(f"dtype must be a floating-point type such as np.float32, got {dtype!r}") from None
    if not np.issubdtype(dtype, np.floating):
        raise ValueError(f"dtype must be a floating-point type such as np.float32, got {dtype}")
    return (C, H, W), num_filters, filter_size, hidden_dim, num_classes, weight_scale, reg, dtype


def check_convnet_input(X: object, input_dim: tuple[int, int, int]) -> np.ndarray:
    """Check the batch given to ``ThreeLayerConvNet.loss``.

    Parameters
    ----------
    X : (N, C, H, W) array_like
        A batch of real numbers.
    input_dim : (int, int, int)
        The ``(C, H, W)`` the network was built for.

    Returns
    -------
    numpy.ndarray
        ``np.asarray(X)``: no copy, dtype unchanged.

    Raises
    ------
    ValueError
        If ``X`` is not a non-empty 4-D array of real numbers, or its images are not of shape
        ``input_dim``.
    """
    X = check_batch(X, "X", "(N, C, H, W)")
    if X.shape[1:] != tuple(input_dim):
        raise ValueError(f"X holds images of shape {X.shape[1:]}, but the network was built for "
                         f"input_dim {tuple(input_dim)}")
    return X


def _require_real(value: object, name: str, minimum: float, inclusive: bool) -> float:
    """Return ``value`` as a float if it is a finite real number above ``minimum`` (or equal, if inclusive)."""
    if (isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value)
            or value < minimum or (value == minimum and not inclusive)):
        bound = ">=" if inclusive else ">"
        raise ValueError(f"{name} must be a finite real number {bound} {minimum:g}, got {value!r}")
    return float(value)
