"""Checks for the lessons' test cells.

Every check raises ``AssertionError`` with a message that says what was called, what was
expected, what came back and, when the result matches a known mistake, the likely mistake.
A passing check prints nothing: nbgrader scores a test cell that writes to stderr as failed.

No reference solution lives here: the expected values come from the test cells themselves.
"""
from __future__ import annotations

import contextlib
import copy
import importlib
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from .text import LIKELY_MISTAKE

#: Arrays up to this many values are printed in full in a failure message.
MAX_PRINTED_SIZE = 64

#: How :func:`submission_module` finds a module; the isolated grader swaps it for the sandbox's.
_import_in_submission: Callable[[str], Any] = importlib.import_module


def submission_module(name: str) -> ModuleType:
    """Return the module ``name`` as the student's code sees it.

    In a notebook this is the module itself. The isolated grader runs the student's code in a
    separate process: there it returns a proxy of that process's module, so that a test can
    replace one of its functions (``submission_module("cv2.dnn").getAvailableTargets = fake``)
    and the student's code sees the replacement.
    """
    return _import_in_submission(name)


@contextlib.contextmanager
def importing_from(importer: Callable[[str], Any]) -> Iterator[None]:
    """Make :func:`submission_module` use ``importer`` inside a ``with`` block (for the grader)."""
    global _import_in_submission
    saved, _import_in_submission = _import_in_submission, importer
    try:
        yield
    finally:
        _import_in_submission = saved


def call_unmodified(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``func(*args, **kwargs)`` and fail if it changed any of its array arguments.

    Parameters
    ----------
    func : callable
        The student's function.
    *args, **kwargs
        Its arguments. NumPy arrays among them are compared before and after the call.

    Returns
    -------
    object
        Whatever ``func`` returned.
    """
    names = _parameter_names(func)
    arrays = {f"argument {names[i]}" if i < len(names) else f"argument number {i + 1} (counting from 1)": a
              for i, a in enumerate(args) if isinstance(a, np.ndarray)}
    arrays.update({f"argument {k}": a for k, a in kwargs.items() if isinstance(a, np.ndarray)})
    before = {name: copy.deepcopy(a) for name, a in arrays.items()}
    result = func(*args, **kwargs)
    for name, original in before.items():
        if not np.array_equal(original, arrays[name], equal_nan=True):
            raise AssertionError(
                f"{func.__name__} changed its {name} in place: the caller's array must stay as it was. Build a new "
                "array instead of writing into the input (np.maximum, np.where, np.pad and arithmetic such as x * 2 "
                "return one), or write into a copy (x.copy())."
            )
    return result


def _parameter_names(func: Callable[..., Any]) -> list[str]:
    """The names of ``func``'s positional parameters, or none when its signature cannot be read."""
    try:
        return [p.name for p in inspect.signature(func).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except Exception:  # noqa: BLE001  (a student's function seen through the grader's bridge may refuse, in any way)
        return []


def expect_array(
    actual: Any,
    expected: Any,
    call: str,
    *,
    mistakes: Mapping[str, Any] | None = None,
    shape_hints: Mapping[tuple[int, ...], str] | None = None,
    require_float: bool = False,
    rtol: float = 1e-6,
    atol: float = 1e-6,
) -> None:
    """Fail unless ``actual`` is a NumPy array equal to ``expected`` within tolerance.

    Parameters
    ----------
    actual : object
        What the student's function returned.
    expected : array_like
        The right answer.
    call : str
        The call as the student would read it, e.g. ``"correlate2d(image, kernel, pad=1)"``.
    mistakes : mapping of str to array_like, optional
        ``{hint: wrong_result}``: when ``actual`` equals a wrong result, the hint is shown. When
        several mistakes give that result, each of their hints is shown, none as *the* mistake.
    shape_hints : mapping of tuple to str, optional
        ``{wrong_shape: hint}``: shown when ``actual`` has that shape and no mistake matched.
    require_float : bool
        Fail when the result is not of a floating-point dtype.
    rtol, atol : float
        Tolerances of ``np.allclose``.
    """
    if type(actual) is not np.ndarray:
        scalar_hint = (shape_hints or {}).get(()) if isinstance(actual, (np.generic, int, float)) else None
        raise AssertionError(
            f"{call} returned {type(actual).__name__}, expected a numpy.ndarray "
            f"of shape {np.shape(expected)}. Did you forget to return the result?"
            if actual is None
            else f"{call} returned {type(actual).__name__}, expected a numpy.ndarray of shape "
            f"{np.shape(expected)}." + (_hint_lines([scalar_hint]) if scalar_hint else "")
        )
    expected = np.asarray(expected)
    if require_float and not np.issubdtype(actual.dtype, np.floating):
        raise AssertionError(
            f"{call} returned an array of dtype {actual.dtype}, expected a floating-point array. "
            "Create the output with a floating-point dtype, e.g. np.zeros(shape, dtype=np.result_type(x, np.float32)) "
            "(float32 input stays float32, integers become float64), so that fractional values are not truncated."
        )
    hints = _matching_hints(actual, mistakes, shape_hints)
    if actual.shape != expected.shape:
        message = f"{call} returned shape {actual.shape}, expected {expected.shape}."
    elif not np.allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=False):
        message = _differences(actual, expected, call, rtol, atol)
    else:
        return
    message += _hint_lines(hints)
    if expected.size <= MAX_PRINTED_SIZE and actual.size <= MAX_PRINTED_SIZE:
        expected_text, actual_text = _format_apart(expected, actual)
        message += f"\nexpected:\n{expected_text}\ngot:\n{actual_text}"
    raise AssertionError(message)


def _differences(actual: np.ndarray, expected: np.ndarray, call: str, rtol: float, atol: float) -> str:
    """Say how many values differ, by how much at most (absolute and relative), and where first."""
    bad = ~np.isclose(actual, expected, rtol=rtol, atol=atol)
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    message = f"{call}: {int(bad.sum())} of {bad.size} values differ"
    with np.errstate(all="ignore"):
        gap = np.abs(actual.astype(np.float64) - expected.astype(np.float64))[bad]
        relative = gap / np.abs(expected.astype(np.float64))[bad]
    if np.isfinite(gap).any():
        largest = float(np.max(gap[np.isfinite(gap)]))
        finite = relative[np.isfinite(relative)]
        relative_text = f"{float(np.max(finite)):.3g}" if finite.size else "unbounded (expected 0)"
        message += (f" by more than the tolerance: the largest absolute difference is {largest:.3g}, the largest "
                    f"relative {relative_text} (allowed: |got - expected| <= {atol:g} + {rtol:g} * |expected|)")
    return message + (f"; first at index {first}: got {actual[first].item()!r}, "
                      f"expected {expected[first].item()!r}.")


def _hint_lines(hints: list[str]) -> str:
    """The "Likely mistake" lines of a failure message: one hint, or each of several that fit."""
    if len(hints) == 1:
        return f"\n{LIKELY_MISTAKE}{hints[0]}"
    return "".join(f"\n{LIKELY_MISTAKE}(one of {len(hints)} that give this result) {hint}" for hint in hints)


def expect_gradient(
    analytic: Any,
    f: Callable[[np.ndarray], Any],
    x: Any,
    dout: Any,
    call: str,
    *,
    tolerance: float,
    hint: str = "",
) -> None:
    """Fail unless ``analytic`` is the gradient of ``sum(f(x) * dout)`` with respect to ``x``.

    The reference is the centred difference ``(f(x + h) - f(x - h)) / 2h`` of every entry of
    ``x`` in float64 (h = 1e-5), compared by cs231n's relative error, the largest
    ``|a - n| / max(1e-8, |a| + |n|)``.

    Parameters
    ----------
    analytic : array_like
        The gradient the student's backward pass computed.
    f : callable
        The forward pass as a function of ``x`` alone (it may change what it closes over).
    x, dout : array_like
        Where the gradient is taken, and the upstream gradient (``np.array(1.0)`` for a loss).
    call : str
        What is checked, e.g. ``"grads['W1'] with reg=0.7"``.
    tolerance : float
        The largest relative error accepted.
    hint : str
        The likely mistake when the check fails.
    """
    x = np.array(x, dtype=np.float64)
    numeric = np.empty_like(x)
    flat_x, flat_numeric = x.reshape(-1), numeric.reshape(-1)  # views of x and numeric
    step = 1e-5
    for i in range(flat_x.size):
        saved = flat_x[i]
        flat_x[i] = saved + step
        plus = np.array(f(x), dtype=np.float64)
        flat_x[i] = saved - step
        minus = np.array(f(x), dtype=np.float64)
        flat_x[i] = saved
        flat_numeric[i] = np.sum((plus - minus) * dout) / (2 * step)
    analytic = np.asarray(analytic, dtype=np.float64)
    if analytic.shape != numeric.shape:
        raise AssertionError(f"gradient check of {call}: the gradient has shape {analytic.shape}, expected {numeric.shape}.")
    error = float(np.max(np.abs(analytic - numeric) / np.maximum(1e-8, np.abs(analytic) + np.abs(numeric)), initial=0.0))
    if not error < tolerance:
        message = f"gradient check of {call}: relative error {error:.1e}, expected < {tolerance:.0e}."
        raise AssertionError(message + (_hint_lines([hint]) if hint else ""))


def expect_raises(
    exception: type[BaseException],
    func: Callable[..., Any],
    *args: Any,
    call: str,
    reason: str,
    **kwargs: Any,
) -> None:
    """Fail unless ``func(*args, **kwargs)`` raises ``exception`` with a message.

    Parameters
    ----------
    exception : type
        The exception expected, normally ``ValueError``.
    func : callable
        The student's function.
    *args, **kwargs
        The bad input.
    call : str
        The call as the student would read it.
    reason : str
        Why the input is bad, e.g. ``"the stride must be at least 1"``.
    """
    try:
        result = func(*args, **kwargs)
    except NotImplementedError:
        raise
    except exception as error:
        if not str(error).strip():
            raise AssertionError(
                f"{call} raised {exception.__name__} without a message. Say what is wrong, "
                f"e.g. raise {exception.__name__}(\"...\") explaining that {reason}."
            ) from None
        return
    except Exception as error:  # noqa: BLE001  (any other exception is the finding)
        raise AssertionError(
            f"{call} raised {type(error).__name__}: {error}. Expected {exception.__name__} "
            f"because {reason}: check the arguments first and raise {exception.__name__} "
            "with a clear message."
        ) from None
    shape = getattr(result, "shape", None)
    returned = f"an array of shape {shape}" if shape is not None else repr(result)
    raise AssertionError(
        f"{call} returned {returned} instead of raising {exception.__name__}, but {reason}."
    )


def expect_equal(actual: Any, expected: Any, call: str, *,
                 hints: Mapping[Any, str] | Sequence[tuple[Any, str]] | None = None) -> None:
    """Fail unless ``actual == expected`` for plain Python values (ints, tuples, strings).

    Parameters
    ----------
    actual, expected : object
        What came back and what was expected. Both are compared as plain Python values.
    call : str
        The call as the student would read it.
    hints : mapping or sequence of pairs, optional
        ``{wrong_value: hint}``: the hint is shown when ``actual`` equals that wrong value. When
        several mistakes give the same value, pass ``[(wrong_value, hint), ...]`` pairs: each
        hint that fits is shown, none as *the* mistake.
    """
    plain = _plain(actual)
    if type(plain) is type(expected) and plain == expected:
        return
    pairs = hints.items() if isinstance(hints, Mapping) else hints or ()
    fitting = [hint for wrong, hint in pairs if type(plain) is type(wrong) and plain == wrong]
    raise AssertionError(f"{call} returned {actual!r}, expected {expected!r}." + (_hint_lines(fitting) if fitting else ""))


def _plain(value: Any) -> Any:
    """Turn NumPy scalars and tuples of them into plain Python values."""
    if isinstance(value, np.generic):
        return value.item()
    if type(value) is tuple:
        return tuple(_plain(v) for v in value)
    return value


def _matching_hints(
    actual: np.ndarray,
    mistakes: Mapping[str, Any] | None,
    shape_hints: Mapping[tuple[int, ...], str] | None,
) -> list[str]:
    """The hints of the known mistakes that ``actual`` reproduces, else of its shape (maybe none)."""
    found = [hint for hint, wrong in (mistakes or {}).items()
             if np.shape(wrong) == actual.shape and np.allclose(actual, np.asarray(wrong), rtol=1e-6, atol=1e-6)]
    shape_hint = (shape_hints or {}).get(actual.shape)
    return found or ([shape_hint] if shape_hint else [])


def _format_apart(expected: np.ndarray, actual: np.ndarray) -> tuple[str, str]:
    """Format two small arrays for a failure message, with enough digits that they print differently."""
    for precision in range(4, 18):
        texts = _format(expected, precision), _format(actual, precision)
        if texts[0] != texts[1]:
            break
    return texts


def _format(array: np.ndarray, precision: int) -> str:
    """Format a small array compactly for a failure message."""
    return np.array2string(np.asarray(array), precision=precision, suppress_small=precision <= 4, max_line_width=100)
