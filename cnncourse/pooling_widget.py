"""A stepper that moves a pooling window over a small feature map (lesson 04).

The widget does no pooling itself: it calls the student's functions and shows, window by
window, which input values each output value came from.
"""
from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import ipywidgets as widgets
import numpy as np

from .widgets import format_number, html_table

_WINDOW = "background:#ffd27f;"
_PICKED = "background:#ff9f43;font-weight:bold;"
_DONE = "background:#cfe8ff;"
_CURRENT = "background:#ff9f43;font-weight:bold;"
_LATER = "color:transparent;"


def pooling_stepper(
    feature_map: np.ndarray,
    pool_fns: Mapping[str, Callable[..., np.ndarray]],
    size: int = 2,
    stride: int | None = None,
) -> widgets.VBox:
    """Move a pooling window over ``feature_map`` one output value at a time.

    Each step outlines the window on the input, marks the input cells equal to the output
    value (the maximum, for max pooling), and fills the output up to the current position.
    Settings the pooling function rejects show its error message instead.

    Parameters
    ----------
    feature_map : (H, W) array
        A small map, up to about 10x10.
    pool_fns : mapping of str to callable
        The pooling functions to choose from, e.g. ``{"max": max_pool2d, "mean": avg_pool2d}``;
        each is called as ``fn(feature_map, size, stride)``.
    size : int
        Initial window size.
    stride : int, optional
        Initial stride; ``size`` by default.

    Returns
    -------
    ipywidgets.VBox
        The pooling choice, size and stride sliders, a Play button, a step slider and the view.
    """
    feature_map = np.asarray(feature_map)
    largest = max(1, min(feature_map.shape))
    choice = widgets.ToggleButtons(options=list(pool_fns), description="pooling")
    size_slider = widgets.IntSlider(value=size, min=1, max=largest, description="size")
    stride_slider = widgets.IntSlider(value=stride or size, min=1, max=largest, description="stride")
    step = widgets.IntSlider(value=0, min=0, max=0, description="step")
    play = widgets.Play(value=0, min=0, max=0, interval=900, description="play")
    widgets.jslink((play, "value"), (step, "value"))
    view = widgets.HTML()
    state: dict = {}

    def recompute(_change: object = None) -> None:
        fn = pool_fns[choice.value]
        call = f"{getattr(fn, '__name__', choice.value)}(x, size={size_slider.value}, stride={stride_slider.value})"
        try:
            result = fn(feature_map, size_slider.value, stride_slider.value)
            if not isinstance(result, np.ndarray) or result.ndim != 2 or result.size == 0:
                raise TypeError(f"expected a non-empty 2-D numpy array, got {type(result).__name__}")
        except Exception as error:  # noqa: BLE001  (the student's error is shown, never raised)
            state.update(result=None, call=call, error=f"{type(error).__name__}: {error}")
        else:
            state.update(result=result, call=call, error="")
        steps = 1 if state["result"] is None else state["result"].size
        step.value = play.value = 0
        step.max = play.max = steps - 1
        render()

    def render(_change: object = None) -> None:
        result, call = state["result"], html.escape(state["call"])
        if result is None:
            view.value = (html_table(feature_map, lambda r, c: "", "input")
                          + f"<p style='font-family:monospace'>{call} raised {html.escape(state['error'])}</p>")
            return
        size_, stride_ = size_slider.value, stride_slider.value
        row, col = divmod(min(step.value, result.size - 1), result.shape[1])
        top, left = row * stride_, col * stride_
        value = result[row, col]

        def in_window(r: int, c: int) -> bool:
            return top <= r < top + size_ and left <= c < left + size_

        def input_style(r: int, c: int) -> str:
            if not in_window(r, c):
                return ""
            return _PICKED if np.isclose(feature_map[r, c], value) else _WINDOW

        def output_style(r: int, c: int) -> str:
            index, current = r * result.shape[1] + c, row * result.shape[1] + col
            return _CURRENT if index == current else _DONE if index < current else _LATER

        window = feature_map[top:top + size_, left:left + size_]
        view.value = (
            "<div style='display:flex;gap:2em;align-items:flex-start;flex-wrap:wrap'>"
            + html_table(feature_map, input_style, "input")
            + html_table(result, output_style, f"output {result.shape[0]}×{result.shape[1]}")
            + "</div>"
            + f"<p style='font-family:monospace'>window rows {top}..{top + size_ - 1}, columns {left}..{left + size_ - 1}:"
            + f" {', '.join(format_number(v) for v in window.ravel())}<br>{call}[{row}, {col}] = <b>{format_number(value)}</b></p>"
            + "<p>Input cells equal to the output value are bold orange.</p>"
        )

    for control in (choice, size_slider, stride_slider):
        control.observe(recompute, names="value")
    step.observe(render, names="value")
    recompute()
    return widgets.VBox([choice, widgets.HBox([size_slider, stride_slider]), widgets.HBox([play, step]), view])
