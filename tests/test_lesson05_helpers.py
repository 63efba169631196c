"""Lesson 05's given code: argument checks, the relative error, the computational-graph figure."""
from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnncourse.arguments.layers import (
    check_affine_backward,
    check_affine_forward,
    check_numerical_gradient,
    check_relu_backward,
    check_relu_forward,
    check_softmax_loss,
)
from cnncourse.gradient_check import rel_error
from cnncourse.graph_figure import BACKWARD_COLOUR, draw_computational_graph

X, W, B = np.ones((2, 2, 3), dtype=np.float32), np.ones((6, 4), dtype=np.float32), np.zeros(4, dtype=np.float32)


def test_checks_return_the_arguments_as_arrays_without_copying():
    x, w, b = check_affine_forward(X, W, B)
    assert x is X and w is W and b is B
    dout = np.ones((2, 4))
    got = check_affine_backward(dout, (X, W, B))
    assert got[0] is dout and got[1] is X
    assert check_relu_forward(X) is X
    assert check_relu_backward(X, X)[1] is X
    scores, labels = check_softmax_loss([[1, 2], [3, 4]], [0, 1])
    assert scores.dtype.kind == "i" and labels.tolist() == [0, 1]
    f, x, out, h = check_numerical_gradient(np.sin, X, X, np.float32(1e-3))
    assert f is np.sin and x is X and out is X and type(h) is float


@pytest.mark.parametrize("call, words", [
    (lambda: check_affine_forward(np.ones(6), W, B), "at least 2 axes"),
    (lambda: check_affine_forward(X, np.ones(6), B), "2-D"),
    (lambda: check_affine_forward(X, W, 0.0), "one value per output"),
    (lambda: check_affine_forward(X, np.ones((5, 4)), B), "6 values"),
    (lambda: check_affine_forward(np.array(["a", "b"]).reshape(1, 2), np.ones((2, 1)), np.ones(1)), "real numbers"),
    (lambda: check_affine_backward(np.ones((2, 4)), (X, W)), "tuple (x, w, b)"),
    (lambda: check_affine_backward(np.ones((2, 3)), (X, W, B)), "output's shape"),
    (lambda: check_affine_backward(None, (X, W, B)), "None"),
    (lambda: check_relu_forward(np.array([1j])), "real numbers"),
    (lambda: check_relu_forward(np.array([True])), "real numbers"),
    (lambda: check_relu_backward(np.ones(3), np.ones((2, 3))), "shape"),
    (lambda: check_softmax_loss(np.ones(3), [0]), "2-D"),
    (lambda: check_softmax_loss(np.ones((0, 3)), []), "non-empty"),
    (lambda: check_softmax_loss(np.ones((2, 3)), [0]), "one label per row"),
    (lambda: check_softmax_loss(np.ones((2, 3)), [0.0, 1.0]), "integers"),
    (lambda: check_softmax_loss(np.ones((2, 3)), [0, 3]), "0..2"),
    (lambda: check_softmax_loss(np.ones((2, 3)), [-1, 0]), "0..2"),
    (lambda: check_numerical_gradient("f", X, X, 1e-5), "function"),
    (lambda: check_numerical_gradient(np.sin, X, X, 0.0), "h must be"),
    (lambda: check_numerical_gradient(np.sin, X, X, True), "h must be"),
    (lambda: check_numerical_gradient(np.sin, X, X, float("nan")), "h must be"),
    (lambda: check_numerical_gradient(np.sin, X, X, 10 ** 400), "h must be"),
    (lambda: check_numerical_gradient(np.sin, X, np.ones(3), 1e-5), "f(x) has shape"),
])
def test_checks_refuse_bad_input_with_a_reason(call, words):
    with pytest.raises(ValueError) as caught:
        call()
    assert words in str(caught.value)


def test_relu_backward_accepts_any_cached_array_of_the_shape():
    mask = np.array([True, False])
    assert check_relu_backward(np.ones(2), mask)[1] is mask


def test_rel_error():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1000.0], [1000.001]) == pytest.approx(0.001 / 2000.001)
    assert rel_error([0.0], [1e-12]) == pytest.approx(1e-4)  # the floor of 1e-8 in the denominator
    assert rel_error(np.zeros(0), np.zeros(0)) == 0.0
    with pytest.raises(ValueError, match="different shapes"):
        rel_error(np.ones(2), np.ones(3))


def test_graph_draws_one_black_and_one_red_arrow_per_edge_with_a_gradient():
    nodes = {"x": (0.0, 1.0, "x", "white"), "f": (2.0, 1.0, "f", "white"), "w": (2.0, -1.0, "w", "white"),
             "y": (4.0, 1.0, "y", "white")}
    edges = [("x", "f", "x", "dx"), ("w", "f", "w", "dw"), ("f", "y", "y", None)]
    fig = draw_computational_graph(nodes, edges, "title")
    arrows = [text.arrow_patch for text in fig.axes[0].texts if getattr(text, "arrow_patch", None) is not None]
    red = [arrow for arrow in arrows if matplotlib.colors.same_color(arrow.get_edgecolor(), BACKWARD_COLOUR)]
    assert (len(arrows), len(red)) == (5, 2)
    assert len(fig.axes[0].patches) == len(nodes)
    plt.close(fig)


@pytest.mark.parametrize("edges", [[("x", "nowhere", "x", "dx")], [("f", "x", "x", "dx")], [("x", "w", "x", None)]])
def test_graph_refuses_edges_it_cannot_draw(edges):
    nodes = {"x": (0.0, 1.0, "x", "white"), "f": (2.0, 1.0, "f", "white"), "w": (2.0, -1.0, "w", "white")}
    figures_before = plt.get_fignums()
    with pytest.raises(ValueError, match="edge"):
        draw_computational_graph(nodes, edges)
    assert plt.get_fignums() == figures_before, "a refused graph left a figure behind"
