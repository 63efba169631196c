"""The given argument checks of the convolution and pooling layers (cnncourse.arguments.conv_layers)."""
from __future__ import annotations

import numpy as np
import pytest

from cnncourse.arguments.conv_layers import (check_conv_backward, check_conv_forward, check_conv_param,
                                             check_pool_backward, check_pool_forward, output_size)

X, W, B = np.ones((2, 3, 5, 5)), np.ones((4, 3, 3, 3)), np.zeros(4)
CONV = {"stride": 2, "pad": 1}
POOL = {"pool_height": 2, "pool_width": 3, "stride": 1}


def test_good_arguments_come_back_ready_to_use_without_a_copy():
    x, w, b, stride, pad = check_conv_forward(X, W, B, {"stride": np.int64(2), "pad": 1})
    assert x is X and w is W and b is B
    assert (stride, pad) == (2, 1) and type(stride) is int
    x32 = X.astype(np.float32)
    assert check_conv_forward(x32, W, B, CONV)[0] is x32
    x, w, b, _, _ = check_conv_forward(X.tolist(), W.tolist(), B.tolist(), CONV)
    assert isinstance(x, np.ndarray) and x.shape == X.shape and b.shape == (4,)
    x, ph, pw, stride = check_pool_forward(X, POOL)
    assert x is X and (ph, pw, stride) == (2, 3, 1)


def test_output_size_of_a_window_that_fits():
    assert output_size((5, 7), (3, 3), 2, 1) == (3, 4)
    assert output_size((6, 6), (2, 3), 1, 0) == (5, 4)
    assert type(output_size((6, 6), (2, 3), 1, 0)[0]) is int


def test_backward_checks_read_the_forward_arguments_from_the_cache():
    dout = np.ones((2, 4, 3, 3))
    got, x, w, stride, pad = check_conv_backward(dout, (X, W, B, CONV))
    assert got is dout and x is X and w is W and (stride, pad) == (2, 1)
    # a list is a sequence too, and a faster layer may keep more after the four arguments
    assert check_conv_backward(dout.tolist(), [X, W, B, CONV, "im2col columns"])[3:] == (2, 1)
    got, x, ph, pw, stride = check_pool_backward(np.ones((2, 3, 4, 3)), (X, POOL))
    assert x is X and (ph, pw, stride) == (2, 3, 1)


@pytest.mark.parametrize("call, words", [
    (lambda: check_conv_forward(np.ones((3, 5, 5)), W, B, CONV), "x must be 4-D"),
    (lambda: check_conv_forward(X, np.ones((4, 3, 3)), B, CONV), "w must be 4-D"),
    (lambda: check_conv_forward(np.ones((0, 3, 5, 5)), W, B, CONV), "must not be empty"),
    (lambda: check_conv_forward(X.astype(bool), W, B, CONV), "real numbers"),
    (lambda: check_conv_forward(X, W, np.zeros(3), CONV), "one bias per filter"),
    (lambda: check_conv_forward(X, W, ["a"] * 4, CONV), "b must hold real numbers"),
    (lambda: check_conv_forward(X, np.ones((4, 2, 3, 3)), B, CONV), "depth 2 but the input has 3 channels"),
    (lambda: check_conv_forward(X, W, B, [2, 1]), "conv_param must be a dict"),
    (lambda: check_conv_forward(X, W, B, {"stride": 2}), "missing the key 'pad'"),
    (lambda: check_conv_forward(X, W, B, {"pad": 1}), "missing the key 'stride'"),
    (lambda: check_conv_forward(X, W, B, {"stride": 0, "pad": 1}), "stride must be an integer >= 1"),
    (lambda: check_conv_forward(X, W, B, {"stride": 1.0, "pad": 1}), "stride must be an integer >= 1"),
    (lambda: check_conv_forward(X, W, B, {"stride": 1, "pad": -1}), "pad must be an integer >= 0"),
    (lambda: check_conv_forward(X, np.ones((4, 3, 8, 3)), B, CONV), "larger than the padded height (5 + 2*1 = 7)"),
    (lambda: check_conv_forward(X, W, B, {"stride": 3, "pad": 0}), "do not fit the height: (5 - 3)/3 + 1 = 1.66667 is not a whole number"),
    (lambda: check_conv_forward(np.ones((1, 3, 5, 6)), W, B, CONV), "do not fit the width: (6 - 3 + 2*1)/2 + 1 = 3.5"),
    (lambda: check_conv_backward(np.ones((2, 4, 2, 2)), (X, W, B, CONV)), "expected the forward output's shape (2, 4, 3, 3)"),
    (lambda: check_conv_backward(np.ones((2, 4, 3, 3)), (X, W)), "got a tuple of length 2"),
    (lambda: check_conv_backward(np.ones((2, 4, 3, 3)), None), "cache must start with (x, w, b, conv_param)"),
    (lambda: check_conv_backward(np.full((2, 4, 3, 3), "a"), (X, W, B, CONV)), "dout must hold real numbers"),
    (lambda: check_conv_param({"stride": True, "pad": 0}), "stride must be an integer >= 1, got True"),
    (lambda: check_pool_forward(np.ones((1, 1, 5, 5)), {"pool_height": 2, "pool_width": 2, "stride": 2}),
     "do not fit the height: (5 - 2)/2 + 1 = 2.5"),
    (lambda: check_pool_forward(np.ones((1, 1, 2, 2)), {"pool_height": 3, "pool_width": 1, "stride": 1}),
     "the window (F=3) is larger than the height (2)"),
    (lambda: check_pool_forward(X, {"pool_height": 2, "stride": 2}), "missing the key 'pool_width'"),
    (lambda: check_pool_forward(X, {"pool_height": 2, "pool_width": 0, "stride": 1}), "pool_width must be an integer >= 1"),
    (lambda: check_pool_backward(np.ones((2, 3, 4, 4)), (X, POOL)), "expected the forward output's shape (2, 3, 4, 3)"),
    (lambda: check_pool_backward(np.ones((2, 3, 4, 3)), "x, pool_param"), "cache must start with (x, pool_param)"),
])
def test_bad_input_is_refused_with_a_message_that_says_what_is_wrong(call, words):
    with pytest.raises(ValueError) as refusal:
        call()
    assert words in str(refusal.value)
