"""Argument checks of lesson 05's functions: fully connected layer, ReLU, softmax loss, numerical gradient."""
from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np


def check_affine_forward(x: object, w: object, b: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check the arguments of ``affine_forward(x, w, b)``.

    Parameters
    ----------
    x : (N, d_1, ..., d_k) array_like
        A batch of N examples of R = d_1 * ... * d_k values each.
    w : (R, M) array_like
    b : (M,) array_like

    Returns
    -------
    x, w, b : numpy.ndarray
        ``np.asarray`` of each: never copied, dtypes unchanged.

    Raises
    ------
    ValueError
        If an argument does not hold real numbers, ``x`` has fewer than 2 axes, ``w`` is not
        2-D, ``b`` is not of shape ``(M,)``, or an example of ``x`` does not have ``w.shape[0]``
        values.
    """
    x, w, b = (_real_array(value, name) for value, name in ((x, "x"), (w, "w"), (b, "b")))
    if x.ndim < 2:
        raise ValueError(f"x must be a batch (N, ...) with at least 2 axes, got shape {x.shape}")
    if w.ndim != 2:
        raise ValueError(f"w must be 2-D (R, M), got shape {w.shape}")
    if b.shape != (w.shape[1],):
        raise ValueError(f"b must have one value per output, shape ({w.shape[1]},), got shape {b.shape}")
    inputs = int(np.prod(x.shape[1:]))
    if inputs != w.shape[0]:
        raise ValueError(
            f"each example of x has {inputs} values (x is {x.shape}) but w has {w.shape[0]} rows (w is {w.shape})")
    return x, w, b


def check_affine_backward(dout: object, cache: object) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Check the arguments of ``affine_backward(dout, cache)``.

    Parameters
    ----------
    dout : (N, M) array_like
        The upstream gradient.
    cache : tuple
        ``(x, w, b)``, as ``affine_forward`` returns it.

    Returns
    -------
    dout, x, w, b : numpy.ndarray
        As arrays, never copied, dtypes unchanged.

    Raises
    ------
    ValueError
        If ``cache`` is not a tuple ``(x, w, b)`` that ``affine_forward`` accepts, or ``dout``
        does not hold real numbers of the output's shape ``(N, M)``.
    """
    if not isinstance(cache, (tuple, list)) or len(cache) != 3:
        raise ValueError(f"cache must be the tuple (x, w, b) that affine_forward returns, got {_describe(cache)}")
    x, w, b = check_affine_forward(*cache)
    dout = _real_array(dout, "dout")
    if dout.shape != (x.shape[0], w.shape[1]):
        raise ValueError(f"dout has shape {dout.shape}, expected the output's shape {(x.shape[0], w.shape[1])}")
    return dout, x, w, b


def check_relu_forward(x: object) -> np.ndarray:
    """Check the argument of ``relu_forward(x)``.

    Parameters
    ----------
    x : array_like of real numbers, any shape

    Returns
    -------
    numpy.ndarray
        ``np.asarray(x)``.

    Raises
    ------
    ValueError
        If ``x`` does not hold real numbers (ReLU compares each value with 0).
    """
    return _real_array(x, "x")


def check_relu_backward(dout: object, cache: object) -> tuple[np.ndarray, np.ndarray]:
    """Check the arguments of ``relu_backward(dout, cache)``.

    Parameters
    ----------
    dout : array_like
        The upstream gradient, of the shape of the forward input.
    cache : array_like
        What ``relu_forward`` cached: an array of the forward input's shape (the input itself,
        or any array of its shape, such as a boolean mask).

    Returns
    -------
    dout, cache : numpy.ndarray
        As arrays, never copied, dtypes unchanged.

    Raises
    ------
    ValueError
        If ``dout`` does not hold real numbers, or its shape differs from the cached array's.
    """
    dout, cache = _real_array(dout, "dout"), np.asarray(cache)
    if dout.shape != cache.shape:
        raise ValueError(f"dout has shape {dout.shape} but the ReLU's input had shape {cache.shape}")
    return dout, cache


def check_softmax_loss(scores: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Check the arguments of ``softmax_loss(scores, y)``.

    Parameters
    ----------
    scores : (N, M) array_like
        Class scores of N >= 1 examples for M >= 1 classes.
    y : (N,) array_like of int
        Labels, ``0 <= y[i] < M``.

    Returns
    -------
    scores, y : numpy.ndarray
        As arrays, never copied, dtypes unchanged.

    Raises
    ------
    ValueError
        If ``scores`` is not a non-empty 2-D array of real numbers, or ``y`` does not hold one
        integer label in ``0 .. M-1`` per row.
    """
    scores = _real_array(scores, "scores")
    if scores.ndim != 2 or scores.size == 0:
        raise ValueError(f"scores must be a non-empty 2-D array (N, M), got shape {scores.shape}")
    y = np.asarray(y)
    classes = scores.shape[1]
    if y.shape != (scores.shape[0],):
        raise ValueError(f"y must hold one label per row of scores, shape ({scores.shape[0]},), got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be integers, got dtype {y.dtype}")
    if y.min() < 0 or y.max() >= classes:
        raise ValueError(f"labels must lie in 0..{classes - 1} ({classes} classes), got {y.min()}..{y.max()}")
    return scores, y


def check_numerical_gradient(
    f: object, x: object, dout: object, h: object
) -> tuple[Callable[[np.ndarray], Any], np.ndarray, np.ndarray, float]:
    """Check the arguments of ``numerical_gradient(f, x, dout, h)``.

    Evaluates ``f(x)`` once, to compare its shape with ``dout``'s.

    Parameters
    ----------
    f : callable
    x, dout : array_like of real numbers
    h : real number > 0

    Returns
    -------
    f : callable
        Unchanged.
    x, dout : numpy.ndarray
        As arrays, never copied, dtypes unchanged.
    h : float

    Raises
    ------
    ValueError
        If ``f`` is not callable, ``x`` or ``dout`` does not hold real numbers, ``h`` is not a
        finite real number > 0, or ``f(x)`` does not have the shape of ``dout``.
    """
    if not callable(f):
        raise ValueError(f"f must be a function, got {_describe(f)}")
    if isinstance(h, bool) or not isinstance(h, numbers.Real) or not 0 < _as_float(h) < math.inf:
        raise ValueError(f"h must be a finite real number > 0, got {h!r}")
    x, dout = _real_array(x, "x"), _real_array(dout, "dout")
    out_shape = np.shape(f(x))
    if out_shape != dout.shape:
        raise ValueError(f"f(x) has shape {out_shape} but dout has shape {dout.shape}: they must be equal")
    return f, x, dout, float(h)


def _as_float(value: numbers.Real) -> float:
    """``float(value)``, or nan for a number too large for a float."""
    try:
        return float(value)
    except OverflowError:
        return math.nan


def _real_array(value: object, name: str) -> np.ndarray:
    """``np.asarray(value)``, or ValueError if it does not hold real numbers (booleans and complex refused)."""
    if value is None:
        raise ValueError(f"{name} is None: did the function that computed it forget to return it?")
    array = np.asarray(value)
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise ValueError(f"{name} must hold real numbers, got an array of dtype {array.dtype}")
    return array


def _describe(value: object) -> str:
    """A short description of an argument for a message: its type, and its length if it has one."""
    try:
        return f"a {type(value).__name__} of length {len(value)}"  # type: ignore[arg-type]
    except TypeError:
        return f"a {type(value).__name__}"
