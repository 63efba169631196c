"""A stepper that slides one multi-channel filter over a small volume (lesson 01, volumes).

One filter of shape ``(C, HH, WW)`` covers all ``C`` channels of a ``(C, H, W)`` volume at once:
each channel is multiplied with its own slice of the filter, and the ``C`` partial sums plus one
bias make a single output value. The widget shows that sum channel by channel, one output
position at a time.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .arguments.convolution import check_correlate3d
from .widgets import format_number, html_table

_WINDOW = "background:#ffd27f;"
_PADDING = "color:#999;background:#f1f1f1;"
_DONE = "background:#cfe8ff;"
_CURRENT = "background:#ff9f43;font-weight:bold;"
_LATER = "color:transparent;"
_ROW = "display:flex;gap:1.5em;align-items:center;flex-wrap:wrap;margin-bottom:0.6em"


def volume_stepper(
    volume: np.ndarray, kernel: np.ndarray, bias: float = 0.0, stride: int = 1, pad: int = 0
) -> widgets.VBox:
    """Slide one ``(C, HH, WW)`` filter over a ``(C, H, W)`` volume, one output value at a time.

    Each step shows, for every channel, the zero-padded channel with the window outlined, the
    filter's slice for that channel and their partial sum; then the sum of the partial sums plus
    the bias, which is the output value; and the output map filled up to the current position.
    The arithmetic is cross-correlation, what CNN libraries call convolution.

    Parameters
    ----------
    volume : (C, H, W) array_like
        The input, small enough to read (a few channels of up to about 7x7).
    kernel : (C, HH, WW) array_like
        One filter, as deep as the volume.
    bias : float
        Added once to every output value.
    stride, pad : int
        Step of the window (>= 1) and zero padding on each side (>= 0).

    Returns
    -------
    ipywidgets.VBox
        A Play button, a step slider and the rendered step.

    Raises
    ------
    ValueError
        As ``correlate3d`` of lesson 01: not 3-D, depths that differ, a bias that is not a single
        number, a stride < 1, a padding < 0, or windows that do not fit the padded input.
    """
    volume, kernel, bias, stride, pad = check_correlate3d(volume, kernel, bias, stride, pad)
    volume, kernel = volume.astype(float), kernel.astype(float)
    padded = np.pad(volume, ((0, 0), (pad, pad), (pad, pad)))
    channels, kh, kw = kernel.shape
    out_h, out_w = (padded.shape[1] - kh) // stride + 1, (padded.shape[2] - kw) // stride + 1
    steps = out_h * out_w

    def partial_sums(step: int) -> np.ndarray:
        row, col = divmod(step, out_w)
        window = padded[:, row * stride : row * stride + kh, col * stride : col * stride + kw]
        return (window * kernel).sum(axis=(1, 2))

    outputs = np.array([partial_sums(s).sum() + bias for s in range(steps)]).reshape(out_h, out_w)

    slider = widgets.IntSlider(value=0, min=0, max=steps - 1, description="step", continuous_update=True)
    play = widgets.Play(value=0, min=0, max=steps - 1, interval=900, description="play")
    widgets.jslink((play, "value"), (slider, "value"))
    view = widgets.HTML()

    def render(step: int) -> None:
        row, col = divmod(step, out_w)
        top, left = row * stride, col * stride
        sums = partial_sums(step)

        def input_style(r: int, c: int) -> str:
            inside = pad <= r < pad + volume.shape[1] and pad <= c < pad + volume.shape[2]
            in_window = top <= r < top + kh and left <= c < left + kw
            return ("" if inside else _PADDING) + (_WINDOW if in_window else "")

        def output_style(r: int, c: int) -> str:
            index = r * out_w + c
            return _CURRENT if index == step else _DONE if index < step else _LATER

        rows = "".join(
            f"<div style='{_ROW}'>"
            + html_table(padded[c], input_style, f"channel {c}" + (f", padded by {pad}" if pad else ""))
            + "<span style='font-size:2em'>⋆</span>"
            + html_table(kernel[c], lambda r, q: _WINDOW, f"filter slice {c}")
            + f"<span style='font-family:monospace'>= {format_number(sums[c])}</span>"
            + "</div>"
            for c in range(channels)
        )
        total = " + ".join(format_number(s) for s in sums) + f" + {format_number(bias)} (bias)"
        view.value = (
            "<div style='display:flex;gap:2em;align-items:flex-start;flex-wrap:wrap'>"
            + f"<div>{rows}</div>"
            + html_table(outputs, output_style, f"one {out_h}×{out_w} map")
            + "</div>"
            + f"<p style='font-family:monospace'>output[{row}, {col}] = {html.escape(total)}"
            + f" = <b>{format_number(outputs[row, col])}</b></p>"
            + f"<p>The same window (top-left at row {top}, column {left}) is taken from all {channels} channels;"
            + f" each channel has its own {kh}×{kw} slice of the filter, and the {channels} partial sums"
            + " and the bias add up to one output value.</p>"
        )

    slider.observe(lambda change: render(change["new"]), names="value")
    render(0)
    return widgets.VBox([widgets.HBox([play, slider]), view])

