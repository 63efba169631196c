"""Interactive widgets for the lessons (ipywidgets)."""
from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
import numpy as np

_CELL = "border:1px solid #bbb;width:2.6em;height:1.9em;text-align:center;font-family:monospace;"
_WINDOW = "background:#ffd27f;"
_PADDING = "color:#999;background:#f1f1f1;"
_DONE = "background:#cfe8ff;"
_CURRENT = "background:#ff9f43;font-weight:bold;"


def sliding_window_stepper(image: np.ndarray, kernel: np.ndarray, stride: int = 1, pad: int = 0) -> widgets.VBox:
    """A stepper that slides ``kernel`` over ``image`` one output position at a time.

    Each step highlights the window on the zero-padded input, writes out the nine (or more)
    products and their running sum, and fills the output map up to the current position.
    The arithmetic is cross-correlation, what CNN libraries call convolution.

    Parameters
    ----------
    image : (H, W) array
        The input, small enough to read (up to about 10x10).
    kernel : (HH, WW) array
        The kernel.
    stride, pad : int
        Step of the window and zero padding on each side.

    Returns
    -------
    ipywidgets.VBox
        A Play button, a step slider and the rendered step.
    """
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    padded = np.pad(image, pad)
    kh, kw = kernel.shape
    out_h = (padded.shape[0] - kh) // stride + 1
    out_w = (padded.shape[1] - kw) // stride + 1
    steps = out_h * out_w

    def window_sum(step: int) -> tuple[int, int, np.ndarray]:
        row, col = divmod(step, out_w)
        products = padded[row * stride : row * stride + kh, col * stride : col * stride + kw] * kernel
        return row, col, products

    outputs = np.array([window_sum(s)[2].sum() for s in range(steps)]).reshape(out_h, out_w)

    slider = widgets.IntSlider(value=0, min=0, max=steps - 1, description="step", continuous_update=True)
    play = widgets.Play(value=0, min=0, max=steps - 1, interval=700, description="play")
    widgets.jslink((play, "value"), (slider, "value"))
    view = widgets.HTML()

    def render(step: int) -> None:
        row, col, products = window_sum(step)
        top, left = row * stride, col * stride

        def input_style(r: int, c: int) -> str:
            style = _PADDING if not (pad <= r < pad + image.shape[0] and pad <= c < pad + image.shape[1]) else ""
            if top <= r < top + kh and left <= c < left + kw:
                style += _WINDOW
            return style

        def output_style(r: int, c: int) -> str:
            index = r * out_w + c
            return _CURRENT if index == step else _DONE if index < step else "color:transparent;"

        terms = " + ".join(
            f"({format_number(k)}×{format_number(x)})"
            for k, x in zip(kernel.ravel(), padded[top : top + kh, left : left + kw].ravel())
        )
        view.value = (
            "<div style='display:flex;gap:2em;align-items:flex-start;flex-wrap:wrap'>"
            + html_table(padded, input_style, f"input, padded by {pad}" if pad else "input")
            + html_table(kernel, lambda r, c: _WINDOW, "kernel")
            + html_table(outputs, output_style, f"output {out_h}×{out_w}")
            + "</div>"
            + f"<p style='font-family:monospace'>output[{row}, {col}] = {html.escape(terms)}"
            + f" = <b>{format_number(products.sum())}</b></p>"
            + f"<p>window top-left at row {top}, column {left} of the padded input;"
            + f" the window moves {stride} column(s) right, then {stride} row(s) down.</p>"
        )

    slider.observe(lambda change: render(change["new"]), names="value")
    render(0)
    return widgets.VBox([widgets.HBox([play, slider]), view])


def html_table(matrix: np.ndarray, style: Callable[[int, int], str], caption: str) -> str:
    """Render a matrix as an HTML table, each cell styled by ``style(row, col)`` (CSS text)."""
    rows = "".join(
        "<tr>"
        + "".join(f"<td style='{_CELL}{style(r, c)}'>{format_number(v)}</td>" for c, v in enumerate(line))
        + "</tr>"
        for r, line in enumerate(matrix)
    )
    return (
        f"<table style='border-collapse:collapse'><caption style='caption-side:top'>{caption}</caption>"
        f"{rows}</table>"
    )


def format_number(value: float) -> str:
    """Format a number compactly: 3, -0.5, 1e+06."""
    return f"{value:g}"
