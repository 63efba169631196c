"""The given argument checks of lessons 02-04 (cnncourse.arguments.sizes and .pooling) and the
receptive-field figure of lesson 02."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnncourse.arguments.pooling import check_pool2d
from cnncourse.arguments.sizes import (
    check_conv_output_shape,
    check_conv_output_size,
    check_conv_params,
    check_dense_params,
    check_locally_connected_params,
    check_same_padding,
    check_windows_fit,
)
from cnncourse.receptive_field import draw_receptive_field


def test_good_arguments_come_back_as_plain_values():
    assert check_conv_output_size(np.int64(7), 3, np.int32(2), 0, np.False_) == (7, 3, 2, 0, False)
    assert all(type(v) is int for v in check_conv_output_size(np.int64(7), 3, 2, 0, True)[:4])
    assert check_same_padding(np.int16(5)) == 5
    shape, k, f, s, p = check_conv_output_shape(np.array([3, 32, 32]), 10, 5, 1, 2)
    assert (shape, k, f, s, p) == ((3, 32, 32), 10, 5, 1, 2) and type(shape) is tuple
    assert all(type(v) is int for v in shape)
    assert check_dense_params(4, 3, np.True_) == (4, 3, True)
    assert check_conv_params(5, 3, 10, False) == (5, 3, 10, False)
    assert check_locally_connected_params([3, 227, 227], 11, 96, 4, 0, True) == ((3, 227, 227), 11, 96, 4, 0, True)


def test_a_shape_that_does_not_fit_is_left_to_lesson_02():
    """conv_output_size's strict rule is the student's: the given check lets (10 - 3)/2 through."""
    assert check_conv_output_size(10, 3, 2, 0, True) == (10, 3, 2, 0, True)
    assert check_conv_output_shape((3, 7, 10), 2, 3, 2, 0)[0] == (3, 7, 10)


@pytest.mark.parametrize("call, words", [
    (lambda: check_conv_output_size(7.0, 3, 1, 0, True), "W must be an integer >= 1"),
    (lambda: check_conv_output_size(True, 1, 1, 0, True), "W must be an integer"),
    (lambda: check_conv_output_size(7, 3, 0, 0, True), "S must be an integer >= 1"),
    (lambda: check_conv_output_size(7, 3, 1, -1, True), "P must be an integer >= 0"),
    (lambda: check_conv_output_size(3, 5, 1, 0, False), "larger than the input (3)"),
    (lambda: check_conv_output_size(4, 7, 2, 1, False), "larger than the padded input (4 + 2*1 = 6)"),
    (lambda: check_conv_output_size(7, 3, 1, 0, "yes"), "strict must be True or False"),
    (lambda: check_same_padding(0), "F must be an integer >= 1"),
    (lambda: check_same_padding(3.0), "F must be an integer"),
    (lambda: check_conv_output_shape((32, 32), 10, 5, 1, 0), "three numbers (C, H, W)"),
    (lambda: check_conv_output_shape(32, 10, 5, 1, 0), "three numbers (C, H, W)"),
    (lambda: check_conv_output_shape((0, 32, 32), 10, 5, 1, 0), "C must be an integer >= 1"),
    (lambda: check_conv_output_shape((3, 32, 32), 2.5, 5, 1, 0), "num_filters must be an integer"),
    (lambda: check_conv_output_shape((3, 32, 4), 2, 5, 1, 0), "larger than the width (4)"),
    (lambda: check_dense_params(0, 10, True), "n_in must be an integer >= 1"),
    (lambda: check_dense_params(10, 10, "no"), "bias must be True or False"),
    (lambda: check_conv_params(5, 3, 10.0, True), "K must be an integer"),
    (lambda: check_conv_params(5, 3, 10, 1), "bias must be True or False"),
    (lambda: check_locally_connected_params((3, 10, 10), 3, 4, 2, 0, True), "do not fit the height"),
    (lambda: check_locally_connected_params((3, 7, 10), 3, 4, 2, 0, True), "do not fit the width"),
    (lambda: check_locally_connected_params((3, 4, 4), 5, 4, 1, 0, True), "larger than the height (4)"),
    (lambda: check_locally_connected_params((3.0, 8, 8), 3, 2, 1, 0, True), "C must be an integer"),
])
def test_bad_arguments_are_refused_with_a_message_that_names_them(call, words):
    with pytest.raises(ValueError) as error:
        call()
    assert words in str(error.value)


def test_windows_fit():
    check_windows_fit(227, 11, 4, 0, "height")
    check_windows_fit(32, 5, 1, 2, "width")
    with pytest.raises(ValueError, match=r"\(224 - 11\)/4 \+ 1 = 54.25"):
        check_windows_fit(224, 11, 4, 0, "height")
    with pytest.raises(ValueError, match=r"\(6 - 3 \+ 2\*1\)/2 \+ 1 = 3.5"):
        check_windows_fit(6, 3, 2, 1, "width")


def test_pooling_check_resolves_the_default_stride_and_keeps_the_array():
    x = np.arange(16, dtype=np.uint8).reshape(4, 4)
    checked, size, stride = check_pool2d(x, 2, None)
    assert checked is x and (size, stride) == (2, 2)
    assert check_pool2d(np.zeros((9, 9)), 3, 2)[1:] == (3, 2)
    assert check_pool2d([[1, 2], [3, 4]], 1, 1)[0].shape == (2, 2)


@pytest.mark.parametrize("args, words", [
    ((np.ones((3, 4, 4)), 2, None), "non-empty 2-D array"),
    ((np.ones((0, 4)), 1, None), "non-empty 2-D array"),
    ((np.ones((4, 4)), 0, None), "size must be an integer >= 1"),
    ((np.ones((4, 4)), 2, 0), "stride must be an integer >= 1"),
    ((np.ones((4, 4)), 2, True), "stride must be an integer"),
    ((np.ones((4, 8)), 5, 1), "larger than the height (4)"),
    ((np.ones((5, 5)), 2, None), "do not fit the height"),
    ((np.ones((4, 7)), 2, None), "do not fit the width"),
])
def test_pooling_check_refuses_bad_input(args, words):
    with pytest.raises(ValueError) as error:
        check_pool2d(*args)
    assert words in str(error.value)


@pytest.mark.parametrize("layers, field", [([(3, 1), (3, 1)], 5), ([(5, 1)], 5), ([(3, 2), (3, 2), (3, 1)], 15),
                                           ([(11, 4), (3, 2)], 19)])
def test_receptive_field_figure_marks_the_field(layers, field):
    ax = draw_receptive_field(layers)
    assert f"{field} input cells" in ax.get_title()
    input_row = [p for p in ax.patches if getattr(p, "get_y", lambda: None)() == 0.0]
    marked = [p for p in input_row if p.get_facecolor()[:3] == matplotlib.colors.to_rgb("#2e8b57")]
    assert len(marked) == field
    plt.close(ax.figure)


def test_receptive_field_figure_refuses_bad_layers():
    with pytest.raises(ValueError, match="non-empty list"):
        draw_receptive_field([])
    with pytest.raises(ValueError, match="F >= 1 and S >= 1"):
        draw_receptive_field([(3, 0)])
