"""Lesson 06's figures: how dout scatters into dx, and a kernel being learned."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnncourse.conv_figures import show_learning, show_scatter

DOUT, W = np.array([[1, 2], [-1, 1]]), np.array([[1, 2], [3, 4]])
DX = np.array([[1, 4, 4], [2, 9, 10], [-3, -1, 4]])


def test_scatter_draws_one_stamp_per_dout_value_and_their_sum():
    fig = show_scatter(DOUT, W, DX)
    axes = fig.axes
    assert len(axes) == 5
    stamp_of_dout_01 = sorted(t.get_text() for t in axes[1].texts if t.get_text() not in "+=")
    assert stamp_of_dout_01 == sorted(str(v) for v in (2 * W).ravel())
    assert sorted(t.get_text() for t in axes[4].texts) == sorted(str(v) for v in DX.ravel())
    plt.close(fig)


@pytest.mark.parametrize("dout, w, dx, words", [
    (DOUT.ravel(), W, DX, "must be 2-D"),
    (DOUT, W, DX[:2], "input's shape (3, 3)"),
])
def test_scatter_refuses_shapes_that_do_not_fit(dout, w, dx, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        show_scatter(dout, w, dx)


def test_learning_draws_the_loss_each_snapshot_and_the_target():
    kernel = np.zeros((3, 3))
    fig = show_learning([1.0, 0.1, 0.01], {0: kernel, 2: kernel + 1}, kernel)
    assert len(fig.axes) == 4
    assert fig.axes[0].get_yscale() == "log"
    assert [ax.get_title() for ax in fig.axes[1:3]] == ["kernel after 0 steps", "kernel after 2 steps"]
    plt.close(fig)
    with pytest.raises(ValueError, match="needs losses and snapshots"):
        show_learning([1.0], {}, kernel)
