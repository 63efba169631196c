"""The given argument checks of lesson 07 (cnncourse.arguments.convnet)."""
from __future__ import annotations

import numpy as np
import pytest

from cnncourse.arguments.convnet import check_convnet_input, check_im2col, check_three_layer_convnet


def test_good_arguments_come_back_ready_to_use():
    x = np.arange(32, dtype=np.float32).reshape(1, 2, 4, 4)
    checked, HH, WW, stride, pad = check_im2col(x, np.int64(3), 3, np.int32(1), 1)
    assert checked is x and (HH, WW, stride, pad) == (3, 3, 1, 1)
    assert all(type(v) is int for v in (HH, WW, stride, pad))
    assert check_im2col([[[[1, 2], [3, 4]]]], 2, 2, 1, 0)[0].dtype.kind == "i"  # integers are not converted

    values = check_three_layer_convnet([1, 8, 8], np.int64(32), 3, 128, 10, np.float32(0.05), 0, "float64")
    (C, H, W), num_filters, filter_size, hidden_dim, num_classes, weight_scale, reg, dtype = values
    assert ((C, H, W), num_filters, filter_size, hidden_dim, num_classes) == ((1, 8, 8), 32, 3, 128, 10)
    assert type(weight_scale) is float and weight_scale == pytest.approx(0.05) and reg == 0.0 and type(reg) is float
    assert dtype == np.dtype(np.float64)
    assert check_three_layer_convnet(np.array([3, 10, 6]), 8, 5, 20, 3, 1e-2, 0.0, np.float32)[0] == (3, 10, 6)

    X = np.zeros((5, 1, 8, 8))
    assert check_convnet_input(X, (1, 8, 8)) is X


@pytest.mark.parametrize("call, words", [
    (lambda: check_im2col(np.ones((3, 5, 5)), 3, 3, 1, 1), "x must be 4-D"),
    (lambda: check_im2col(np.ones((1, 1, 5, 5)), 2, 2, 2, 0), "not a whole number"),
    (lambda: check_im2col(np.ones((1, 1, 2, 2)), 5, 5, 1, 1), "larger than"),
    (lambda: check_im2col(np.ones((1, 1, 4, 4)), 3, 3, 0, 1), "stride must be an integer >= 1"),
    (lambda: check_im2col(np.ones((1, 1, 4, 4)), 2, 2, 1, -1), "pad must be an integer >= 0"),
    (lambda: check_im2col(np.ones((1, 1, 4, 4)), 2.0, 2, 1, 0), "HH must be an integer"),
    (lambda: check_im2col(np.ones((1, 1, 4, 4), dtype=complex), 2, 2, 1, 0), "real numbers"),
    (lambda: check_three_layer_convnet((8, 8), 4, 3, 10, 10, 1e-2, 0.0, np.float32), "input_dim must be (C, H, W)"),
    (lambda: check_three_layer_convnet("188", 4, 3, 10, 10, 1e-2, 0.0, np.float32), "input_dim must be (C, H, W)"),
    (lambda: check_three_layer_convnet((1, 7, 8), 4, 3, 10, 10, 1e-2, 0.0, np.float32), "even height and width"),
    (lambda: check_three_layer_convnet((1, 8, 8), 0, 3, 10, 10, 1e-2, 0.0, np.float32), "num_filters must be an integer >= 1"),
    (lambda: check_three_layer_convnet((1, 8, 8), 4, 4, 10, 10, 1e-2, 0.0, np.float32), "filter_size must be odd"),
    (lambda: check_three_layer_convnet((1, 8, 8), 4, 3, 0, 10, 1e-2, 0.0, np.float32), "hidden_dim must be an integer >= 1"),
    (lambda: check_three_layer_convnet((1, 8, 8), 4, 3, 10, 1, 1e-2, 0.0, np.float32), "num_classes must be an integer >= 2"),
    (lambda: check_three_layer_convnet((1, 8, 8), 4, 3, 10, 10, 0.0, 0.0, np.float32), "weight_scale must be a finite real number > 0"),
    (lambda: check_three_layer_convnet((1, 8, 8), 4, 3, 10, 10, float("nan"), 0.0, np.float32), "weight_scale must be"),
    (lambda: check_three_layer_convnet((1, 8, 8), 4, 3, 10, 10, 1e-2, -1.0, np.float32), "reg must be a finite real number >= 0"),
    (lambda: check_three_layer_convnet((1, 8, 8), 4, 3, 10, 10, 1e-2, True, np.float32), "reg must be"),
    (lambda: check_three_layer_convnet((1, 8, 8), 4, 3, 10, 10, 1e-2, 0.0, np.int32), "floating-point type"),
    (lambda: check_three_layer_convnet((1, 8, 8), 4, 3, 10, 10, 1e-2, 0.0, "no such type"), "floating-point type"),
    (lambda: check_convnet_input(np.ones((2, 1, 6, 6)), (1, 8, 8)), "built for input_dim (1, 8, 8)"),
    (lambda: check_convnet_input(np.ones((1, 8, 8)), (1, 8, 8)), "X must be 4-D"),
])
def test_bad_arguments_are_refused_with_a_reason(call, words):
    with pytest.raises(ValueError) as caught:
        call()
    assert words in str(caught.value), str(caught.value)
