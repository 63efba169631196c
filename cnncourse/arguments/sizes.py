"""Argument checks of lessons 02 and 03: the output size and the parameter count of a layer.

Both lessons describe a layer by the same numbers: the input volume ``(C, H, W)``, the filter
size F, the number of filters K, the stride S and the padding P. Each ``check_<function>``
refuses malformed values with a ``ValueError`` that names what is wrong and returns them ready
to use: integers as ``int``, flags as ``bool``, a shape as a tuple of ``int``.

Whether the windows fit a whole number of times is part of what lesson 02 teaches
(``conv_output_size``'s ``strict``, ``same_padding``'s odd filter): those checks are the
student's. Lesson 03 is about counting, so :func:`check_locally_connected_params` refuses a size
that is not a whole number itself. :func:`check_windows_fit` is shared with lesson 04's pooling.
"""
from __future__ import annotations

import numpy as np

from cnncourse.validation import require_int


def check_conv_output_size(W: object, F: object, S: object, P: object, strict: object) -> tuple[int, int, int, int, bool]:
    """Check the arguments of ``conv_output_size(W, F, S=1, P=0, *, strict=True)``.

    Parameters
    ----------
    W, F, S, P : int
        Input size (>= 1), filter size (>= 1), stride (>= 1), padding (>= 0).
    strict : bool

    Returns
    -------
    W, F, S, P : int
    strict : bool

    Raises
    ------
    ValueError
        If a size is not an integer in range (``7.0`` and ``True`` are not integers here), the
        filter is larger than the padded input, or ``strict`` is not True or False.
    """
    W, F = require_int(W, "W", 1), require_int(F, "F", 1)
    S, P = require_int(S, "S", 1), require_int(P, "P", 0)
    _require_window_inside(W, F, P, "input")
    return W, F, S, P, _require_bool(strict, "strict")


def check_same_padding(F: object) -> int:
    """Check the argument of ``same_padding(F)``: an integer filter size >= 1.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``F`` is not an integer >= 1.
    """
    return require_int(F, "F", 1)


def check_conv_output_shape(
    input_shape: object, num_filters: object, F: object, S: object, P: object
) -> tuple[tuple[int, int, int], int, int, int, int]:
    """Check the arguments of ``conv_output_shape(input_shape, num_filters, F, S=1, P=0)``.

    Parameters
    ----------
    input_shape : sequence of three int
        ``(C, H, W)``, each >= 1 (a tuple, a list or a 1-D array).
    num_filters : int
        K, >= 1.
    F, S, P : int
        Filter size (>= 1), stride (>= 1), padding (>= 0).

    Returns
    -------
    input_shape : tuple of three int
    num_filters, F, S, P : int

    Raises
    ------
    ValueError
        If ``input_shape`` is not three integers >= 1, an argument is not an integer in range,
        or the filter is larger than the padded height or width.
    """
    shape = _require_shape(input_shape)
    num_filters = require_int(num_filters, "num_filters", 1)
    F, S, P = require_int(F, "F", 1), require_int(S, "S", 1), require_int(P, "P", 0)
    for what, size in zip(("height", "width"), shape[1:]):
        _require_window_inside(size, F, P, what)
    return shape, num_filters, F, S, P


def check_dense_params(n_in: object, n_out: object, bias: object) -> tuple[int, int, bool]:
    """Check the arguments of ``dense_params(n_in, n_out, bias=True)``.

    Returns
    -------
    n_in, n_out : int
    bias : bool

    Raises
    ------
    ValueError
        If ``n_in`` or ``n_out`` is not an integer >= 1, or ``bias`` is not True or False.
    """
    return require_int(n_in, "n_in", 1), require_int(n_out, "n_out", 1), _require_bool(bias, "bias")


def check_conv_params(F: object, C_in: object, K: object, bias: object) -> tuple[int, int, int, bool]:
    """Check the arguments of ``conv_params(F, C_in, K, bias=True)``.

    Returns
    -------
    F, C_in, K : int
    bias : bool

    Raises
    ------
    ValueError
        If ``F``, ``C_in`` or ``K`` is not an integer >= 1, or ``bias`` is not True or False.
    """
    F, C_in, K = require_int(F, "F", 1), require_int(C_in, "C_in", 1), require_int(K, "K", 1)
    return F, C_in, K, _require_bool(bias, "bias")


def check_locally_connected_params(
    input_shape: object, F: object, K: object, S: object, P: object, bias: object
) -> tuple[tuple[int, int, int], int, int, int, int, bool]:
    """Check the arguments of ``locally_connected_params(input_shape, F, K, S=1, P=0, bias=True)``.

    Returns
    -------
    input_shape : tuple of three int
    F, K, S, P : int
    bias : bool

    Raises
    ------
    ValueError
        If ``input_shape`` is not three integers >= 1, ``F``, ``K`` or ``S`` is not an integer
        >= 1, ``P`` not an integer >= 0, ``bias`` not True or False, or the filter does not fit
        the padded height or width a whole number of times.
    """
    shape = _require_shape(input_shape)
    F, K = require_int(F, "F", 1), require_int(K, "K", 1)
    S, P = require_int(S, "S", 1), require_int(P, "P", 0)
    bias = _require_bool(bias, "bias")
    for what, size in zip(("height", "width"), shape[1:]):
        check_windows_fit(size, F, S, P, what)
    return shape, F, K, S, P, bias


def check_windows_fit(size: int, window: int, stride: int, pad: int, what: str) -> None:
    """Raise ValueError unless a window fits a (padded) axis a whole number of times.

    Parameters
    ----------
    size : int
        Length of the axis before padding.
    window, stride, pad : int
        Window (filter) size, stride and padding, already checked to be integers in range.
    what : str
        The axis, for the message ("height", "width").

    Raises
    ------
    ValueError
        If the window is larger than the padded axis, or ``(size - window + 2*pad) / stride``
        is not a whole number.
    """
    _require_window_inside(size, window, pad, what)
    span = size - window + 2 * pad
    if span % stride:
        numerator = f"({size} - {window} + 2*{pad})" if pad else f"({size} - {window})"
        raise ValueError(
            f"the windows do not fit the {what}: {numerator}/{stride} + 1 = {span / stride + 1:g} "
            "is not a whole number of positions")


def _require_window_inside(size: int, window: int, pad: int, what: str) -> None:
    """Raise ValueError if the window is larger than the axis plus its padding on both sides."""
    if window > size + 2 * pad:
        padded = f"the padded {what} ({size} + 2*{pad} = {size + 2 * pad})" if pad else f"the {what} ({size})"
        raise ValueError(f"the window (F={window}) is larger than {padded}: no window fits")


def _require_shape(input_shape: object) -> tuple[int, int, int]:
    """Return ``(C, H, W)`` as three ints >= 1, or raise ValueError."""
    try:
        channels, height, width = input_shape  # type: ignore[misc]
    except (TypeError, ValueError):
        raise ValueError(f"input_shape must be three numbers (C, H, W), got {input_shape!r}") from None
    return require_int(channels, "C", 1), require_int(height, "H", 1), require_int(width, "W", 1)


def _require_bool(value: object, name: str) -> bool:
    """Return ``value`` as a bool, or raise ValueError unless it is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)
