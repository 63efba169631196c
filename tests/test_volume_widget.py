"""Lesson 01's multi-channel stepper: each step shows the right partial sums; bad shapes are refused."""
from __future__ import annotations

import numpy as np
import pytest

from cnncourse.volume_widget import volume_stepper


def test_each_step_shows_every_channel_sum_and_the_output_value():
    volume = np.arange(2 * 5 * 5).reshape(2, 5, 5) % 4
    kernel = np.array([[[1, 0, -1], [0, 2, 0], [-1, 0, 1]], [[0, 1, 0], [1, -3, 1], [0, 1, 0]]])
    stepper = volume_stepper(volume, kernel, bias=0.5, stride=2, pad=1)
    slider, view = stepper.children[0].children[1], stepper.children[1]
    padded = np.pad(volume, ((0, 0), (1, 1), (1, 1)))
    assert slider.max == 3 * 3 - 1
    for step in range(slider.max + 1):
        slider.value = step
        row, col = divmod(step, 3)
        sums = (padded[:, 2 * row:2 * row + 3, 2 * col:2 * col + 3] * kernel).sum(axis=(1, 2))
        expected = f"output[{row}, {col}] = {sums[0]:g} + {sums[1]:g} + 0.5 (bias) = <b>{sums.sum() + 0.5:g}</b>"
        assert expected in view.value


@pytest.mark.parametrize("volume, kernel, stride, reason", [
    (np.ones((5, 5)), np.ones((2, 3, 3)), 1, "must be 3-D"),
    (np.ones((3, 5, 5)), np.ones((2, 3, 3)), 1, "does not match input depth"),
    (np.ones((2, 6, 6)), np.ones((2, 3, 3)), 2, "not a whole number"),
])
def test_shapes_that_do_not_fit_are_refused(volume, kernel, stride, reason):
    with pytest.raises(ValueError, match=reason):
        volume_stepper(volume, kernel, stride=stride)
