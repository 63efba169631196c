"""Argument checks of the convolution and pooling layers (lesson 06; reusable by lesson 07).

The layers work on batches ``x`` of shape ``(N, C, H, W)`` with filters ``w`` of shape
``(K, C, HH, WW)`` (cs231n writes ``(F, C, HH, WW)``: its F is the number of filters, our K).
``conv_param`` is ``{"stride": S, "pad": P}``, ``pool_param`` is
``{"pool_height": h, "pool_width": w, "stride": S}``.

The building blocks (:func:`check_batch`, :func:`check_conv_param`, :func:`check_pool_param`,
:func:`output_size`, :func:`check_upstream_gradient`) serve other layers with the same
arguments, e.g. an im2col convolution.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from cnncourse.arguments.sizes import check_windows_fit
from cnncourse.validation import require_int


def check_batch(x: object, name: str = "x", layout: str = "(N, C, H, W)") -> np.ndarray:
    """Return ``np.asarray(x)`` if it is a non-empty 4-D array of real numbers.

    Parameters
    ----------
    x : array_like
        The array to check.
    name : str
        Its name, for the message.
    layout : str
        What its four axes are, for the message.

    Returns
    -------
    numpy.ndarray
        ``np.asarray(x)``: no copy, dtype unchanged.

    Raises
    ------
    ValueError
        If ``x`` is not 4-D, is empty, or does not hold real numbers.
    """
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"{name} must be 4-D {layout}, got shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {x.shape}")
    _require_real(x, name)
    return x


def check_conv_param(conv_param: object) -> tuple[int, int]:
    """Return ``(stride, pad)`` from ``conv_param = {"stride": S, "pad": P}``.

    Parameters
    ----------
    conv_param : mapping
        ``"stride"``, an integer >= 1, and ``"pad"``, an integer >= 0.

    Returns
    -------
    (int, int)
        ``(stride, pad)``.

    Raises
    ------
    ValueError
        If ``conv_param`` is not a mapping, lacks a key, or holds an invalid value.
    """
    stride, pad = _read_keys(conv_param, "conv_param", ("stride", "pad"))
    return require_int(stride, "stride", 1), require_int(pad, "pad", 0)


def check_pool_param(pool_param: object) -> tuple[int, int, int]:
    """Return ``(pool_height, pool_width, stride)`` from ``pool_param``.

    Parameters
    ----------
    pool_param : mapping
        ``"pool_height"``, ``"pool_width"`` and ``"stride"``, integers >= 1.

    Returns
    -------
    (int, int, int)

    Raises
    ------
    ValueError
        If ``pool_param`` is not a mapping, lacks a key, or holds an invalid value.
    """
    values = _read_keys(pool_param, "pool_param", ("pool_height", "pool_width", "stride"))
    return tuple(require_int(v, k, 1) for v, k in zip(values, ("pool_height", "pool_width", "stride")))


def output_size(size: tuple[int, int], window: tuple[int, int], stride: int, pad: int) -> tuple[int, int]:
    """Return ``(H_out, W_out)`` of a window slid over a padded input, if it fits.

    Parameters
    ----------
    size : (int, int)
        ``(H, W)`` of the input, before padding.
    window : (int, int)
        Height and width of the window (filter or pooling window).
    stride, pad : int
        As checked by :func:`check_conv_param` or :func:`check_pool_param`.

    Returns
    -------
    (int, int)
        ``((H - HH + 2*pad) // stride + 1, (W - WW + 2*pad) // stride + 1)``.

    Raises
    ------
    ValueError
        If the window is larger than the padded input, or the output size along an axis is not
        a whole number (the course's one check of that, :func:`cnncourse.arguments.sizes.check_windows_fit`).
    """
    for axis, length, extent in zip(("height", "width"), size, window):
        check_windows_fit(length, extent, stride, pad, axis)
    return (size[0] - window[0] + 2 * pad) // stride + 1, (size[1] - window[1] + 2 * pad) // stride + 1


def check_upstream_gradient(dout: object, shape: tuple[int, ...]) -> np.ndarray:
    """Return ``np.asarray(dout)`` if it has the shape of the forward output and holds real numbers.

    Raises
    ------
    ValueError
        ``"dout has shape (1, 2, 3, 3), expected the forward output's shape (1, 2, 2, 3)"``.
    """
    dout = np.asarray(dout)
    if dout.shape != tuple(shape):
        raise ValueError(f"dout has shape {dout.shape}, expected the forward output's shape {tuple(shape)}")
    _require_real(dout, "dout")
    return dout


def check_conv_forward(x: object, w: object, b: object, conv_param: object
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Check the arguments of ``conv_forward(x, w, b, conv_param)``.

    Parameters
    ----------
    x : (N, C, H, W) array_like
    w : (K, C, HH, WW) array_like
        K filters, each as deep as the input.
    b : (K,) array_like
        One bias per filter.
    conv_param : mapping
        ``{"stride": S, "pad": P}``.

    Returns
    -------
    x, w, b : numpy.ndarray
        As arrays, never copied, dtypes unchanged.
    stride, pad : int

    Raises
    ------
    ValueError
        If ``x`` or ``w`` is not a non-empty 4-D array of real numbers, ``b`` is not of shape
        ``(K,)``, the depths differ, ``conv_param`` is invalid, the filters are larger than the
        padded input, or the output size is not a whole number.
    """
    x = check_batch(x, "x", "(N, C, H, W)")
    w = check_batch(w, "w", "(K, C, HH, WW)")
    b = np.asarray(b)
    if b.shape != (w.shape[0],):
        raise ValueError(f"b must have shape ({w.shape[0]},), one bias per filter, got shape {b.shape}")
    _require_real(b, "b")
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"the filters have depth {w.shape[1]} but the input has {x.shape[1]} channels")
    stride, pad = check_conv_param(conv_param)
    output_size(x.shape[2:], w.shape[2:], stride, pad)
    return x, w, b, stride, pad


def check_conv_backward(dout: object, cache: object) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Check the arguments of ``conv_backward(dout, cache)``.

    Parameters
    ----------
    dout : (N, K, H_out, W_out) array_like
        Upstream gradient.
    cache : sequence
        Starts with ``(x, w, b, conv_param)``, the forward pass's arguments (a faster layer may
        keep more after them).

    Returns
    -------
    dout, x, w : numpy.ndarray
    stride, pad : int

    Raises
    ------
    ValueError
        If the cache does not start with valid forward arguments, or ``dout`` does not have
        the shape of the forward output.
    """
    x, w, b, conv_param = _cached_arguments(cache, "(x, w, b, conv_param)", 4)
    x, w, b, stride, pad = check_conv_forward(x, w, b, conv_param)
    H_out, W_out = output_size(x.shape[2:], w.shape[2:], stride, pad)
    dout = check_upstream_gradient(dout, (x.shape[0], w.shape[0], H_out, W_out))
    return dout, x, w, stride, pad


def check_pool_forward(x: object, pool_param: object) -> tuple[np.ndarray, int, int, int]:
    """Check the arguments of ``max_pool_forward`` and ``avg_pool_forward``.

    Parameters
    ----------
    x : (N, C, H, W) array_like
    pool_param : mapping
        ``{"pool_height": h, "pool_width": w, "stride": S}``.

    Returns
    -------
    x : numpy.ndarray
        ``np.asarray(x)``.
    pool_height, pool_width, stride : int

    Raises
    ------
    ValueError
        If ``x`` is not a non-empty 4-D array of real numbers, ``pool_param`` is invalid, the
        window is larger than the input, or the output size is not a whole number.
    """
    x = check_batch(x, "x", "(N, C, H, W)")
    pool_height, pool_width, stride = check_pool_param(pool_param)
    output_size(x.shape[2:], (pool_height, pool_width), stride, 0)
    return x, pool_height, pool_width, stride


def check_pool_backward(dout: object, cache: object) -> tuple[np.ndarray, np.ndarray, int, int, int]:
    """Check the arguments of ``max_pool_backward`` and ``avg_pool_backward``.

    Parameters
    ----------
    dout : (N, C, H_out, W_out) array_like
        Upstream gradient.
    cache : sequence
        Starts with ``(x, pool_param)``, the forward pass's arguments.

    Returns
    -------
    dout, x : numpy.ndarray
    pool_height, pool_width, stride : int

    Raises
    ------
    ValueError
        If the cache does not start with valid forward arguments, or ``dout`` does not have
        the shape of the forward output.
    """
    x, pool_param = _cached_arguments(cache, "(x, pool_param)", 2)
    x, pool_height, pool_width, stride = check_pool_forward(x, pool_param)
    H_out, W_out = output_size(x.shape[2:], (pool_height, pool_width), stride, 0)
    dout = check_upstream_gradient(dout, x.shape[:2] + (H_out, W_out))
    return dout, x, pool_height, pool_width, stride


def _read_keys(param: object, name: str, keys: tuple[str, ...]) -> list[object]:
    """Return ``param[key]`` for each key, or raise ValueError naming what is missing."""
    if not isinstance(param, Mapping):
        raise ValueError(f"{name} must be a dict with the keys {', '.join(map(repr, keys))}, got {param!r}")
    missing = [key for key in keys if key not in param]
    if missing:
        raise ValueError(f"{name} is missing the key {missing[0]!r}, got {dict(param)!r}")
    return [param[key] for key in keys]


def _cached_arguments(cache: object, layout: str, count: int) -> tuple[object, ...]:
    """Return the first ``count`` items of a forward pass's cache, or raise ValueError."""
    if not isinstance(cache, Sequence) or isinstance(cache, str) or len(cache) < count:
        got = f"{type(cache).__name__} of length {len(cache)}" if isinstance(cache, Sequence) else type(cache).__name__
        raise ValueError(f"cache must start with {layout}, as the forward pass returns it, got a {got}")
    return tuple(cache[:count])


def _require_real(array: np.ndarray, name: str) -> None:
    """Raise ValueError unless ``array`` holds real numbers (integers or floats, not bool)."""
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise ValueError(f"{name} must hold real numbers, got dtype {array.dtype}")
