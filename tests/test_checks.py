"""The checks the test cells use: each failure message says what went wrong."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.checks import call_unmodified, expect_array, expect_equal, expect_gradient, expect_raises
from cnncourse.validation import require_int


def fails_with(words, func, *args, **kwargs):
    with pytest.raises(AssertionError) as info:
        func(*args, **kwargs)
    for word in words:
        assert word in str(info.value), str(info.value)


def test_expect_array_passes_quietly_and_explains_shape_and_value_errors():
    expect_array(np.array([1.0, 2.0]), [1, 2], "f()")
    fails_with(["f() returned shape (3,), expected (2,)", "Likely mistake: off by one"],
               expect_array, np.zeros(3), [1, 2], "f()", shape_hints={(3,): "off by one"})
    fails_with(["1 of 2 values differ", "index (1,)", "got 5.0, expected 2"], expect_array, np.array([1.0, 5.0]), [1, 2], "f()")
    fails_with(["Likely mistake: flipped"], expect_array, np.array([2.0, 1.0]), [1, 2], "f()", mistakes={"flipped": [2, 1]})


def test_a_precision_failure_shows_the_largest_differences_and_the_tolerance():
    expected = np.arange(9.0).reshape(3, 3) + 0.5
    actual = expected + 3e-5  # prints like expected at 4 decimals
    with pytest.raises(AssertionError) as info:
        expect_array(actual, expected, "f()")
    message = str(info.value)
    assert "9 of 9 values differ by more than the tolerance" in message
    assert "(allowed: |got - expected| <= 1e-06 + 1e-06 * |expected|)" in message
    assert "largest absolute difference is 3e-05" in message and "largest relative 6e-05" in message
    shown_expected, shown_actual = message.split("expected:\n")[1].split("\ngot:\n")
    assert shown_expected != shown_actual  # enough digits to see the difference


def test_a_result_that_two_mistakes_give_names_both():
    both = {"the kernel was flipped": [2.0, 1.0], "the input was reversed": [2.0, 1.0], "other": [0.0, 0.0]}
    fails_with(["Likely mistake: (one of 2 that give this result) the kernel was flipped",
                "Likely mistake: (one of 2 that give this result) the input was reversed"],
               expect_array, np.array([2.0, 1.0]), [1, 2], "f()", mistakes=both)
    fails_with(["Likely mistake: (one of 2 that give this result) floor", "(one of 2 that give this result) int()"],
               expect_equal, 2, 3, "g()", hints=[(2, "floor"), (2, "int()"), (4, "ceil")])
    with pytest.raises(AssertionError) as info:
        expect_equal(2, 3, "g()", hints=[(2, "floor"), (4, "ceil")])
    assert str(info.value).endswith("\nLikely mistake: floor")


def test_expect_array_rejects_non_arrays_subclasses_and_integer_results():
    fails_with(["returned NoneType", "forget to return"], expect_array, None, [1], "f()")
    fails_with(["returned list"], expect_array, [1.0], [1], "f()")

    class Liar(np.ndarray):
        def __eq__(self, other):
            return True

    fails_with(["returned Liar"], expect_array, np.zeros(2).view(Liar), [1, 2], "f()")
    fails_with(["dtype int64", "floating-point"], expect_array, np.array([1, 2]), [1, 2], "f()", require_float=True)


def test_expect_raises_wants_the_right_exception_with_a_message():
    def bad(x):
        if x < 0:
            raise ValueError("x must be >= 0")
        return np.zeros(x)

    expect_raises(ValueError, bad, -1, call="bad(-1)", reason="x is negative")
    fails_with(["returned an array of shape (2,) instead of raising ValueError", "x is too big"],
               expect_raises, ValueError, bad, 2, call="bad(2)", reason="x is too big")
    fails_with(["raised TypeError"], expect_raises, ValueError, bad, "a", call="bad('a')", reason="x is text")

    def silent(x):
        raise ValueError()

    fails_with(["without a message"], expect_raises, ValueError, silent, 1, call="silent(1)", reason="always")

    def unfinished(x):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        expect_raises(ValueError, unfinished, 1, call="unfinished(1)", reason="-")


def test_call_unmodified_catches_writes_into_the_input():
    x = np.ones(3)
    assert call_unmodified(lambda a: a * 2, x).tolist() == [2, 2, 2]

    def in_place(a):
        a += 1
        return a

    fails_with(["changed its argument a in place", "x.copy()"], call_unmodified, in_place, x)

    def in_place_second(*arrays):
        arrays[1][0] = 0

    fails_with(["changed its argument number 2 (counting from 1) in place"], call_unmodified, in_place_second, np.ones(2), x)  # no names to give


def test_expect_equal_compares_plain_values_and_gives_hints():
    expect_equal(np.int64(3), 3, "g()")
    expect_equal((np.int64(3), 4), (3, 4), "g()")
    fails_with(["returned 2.5, expected 3"], expect_equal, 2.5, 3, "g()")
    fails_with(["Likely mistake: floor"], expect_equal, 2, 3, "g()", hints={2: "floor"})
    fails_with(["expected 3"], expect_equal, 3.0, 3, "g()")  # a float is not the int asked for


@pytest.mark.parametrize("value", [0, -1, 1.0, True, "2", None])
def test_require_int_rejects_what_is_not_an_integer_at_least_minimum(value):
    with pytest.raises(ValueError, match="stride must be an integer >= 1"):
        require_int(value, "stride", 1)


def test_require_int_accepts_numpy_integers():
    assert require_int(np.int32(2), "pad", 0) == 2 and type(require_int(np.int32(2), "pad", 0)) is int


def test_expect_gradient_accepts_the_true_gradient_and_names_the_mistake_otherwise():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    dout = np.array([[1.0, 2.0], [-1.0, 0.5]])
    expect_gradient(2 * x * dout, lambda v: v ** 2, x, dout, "d(x**2)", tolerance=1e-8)
    with pytest.raises(AssertionError, match=r"relative error .* expected < 1e-08\.\nLikely mistake: the 2 is missing"):
        expect_gradient(x * dout, lambda v: v ** 2, x, dout, "d(x**2)", tolerance=1e-8, hint="the 2 is missing")
    with pytest.raises(AssertionError, match=r"has shape \(2,\), expected \(2, 2\)"):
        expect_gradient(np.ones(2), lambda v: v ** 2, x, dout, "d(x**2)", tolerance=1e-8)


def test_a_number_where_an_array_belongs_gets_the_hint_of_shape_nothing():
    hints = {(): "summed over every axis: sum over the examples only (axis 0)"}
    fails_with(["returned float64, expected a numpy.ndarray of shape (2,)", "sum over the examples only"],
               expect_array, np.float64(3.0), [1.0, 2.0], "db", shape_hints=hints)
    fails_with(["returned float, expected a numpy.ndarray of shape (2,)", "sum over the examples only"],
               expect_array, 3.0, [1.0, 2.0], "db", shape_hints=hints)
