"""Where a convolution's windows land: a figure and an interactive explorer (lesson 02).

The figure enumerates the window positions along one axis, so it shows the count that the
output-size formula predicts without using the formula. The explorer puts the figure under
sliders for W, F, S, P (and the dilation D) and, when given the student's
``conv_output_size``, prints what it returns for the same settings.
"""
from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

_INPUT = "#cfe8ff"
_PADDING = "#e6e6e6"
_FITS = "#2e8b57"
_OVERHANG = "#d62728"
_UNSEEN = "#f4b6b6"


def window_layout(W: int, F: int, S: int = 1, P: int = 0, dilation: int = 1) -> dict:
    """Enumerate the windows of a convolution along one axis.

    Parameters
    ----------
    W, F, S, P : int
        Input size, filter size, stride and padding (>= 1, >= 1, >= 1, >= 0).
    dilation : int
        Spacing of the filter taps (1: an ordinary filter).

    Returns
    -------
    dict
        ``extent`` (F + (F - 1)(dilation - 1), the span of one window), ``padded`` (W + 2P),
        ``starts`` (first cell of every window that fits), ``overhang`` (first cell of the
        next window, which would hang over the edge, or None) and ``unseen`` (cells at the
        end that no window covers).
    """
    extent = F + (F - 1) * (dilation - 1)
    padded = W + 2 * P
    starts = list(range(0, padded - extent + 1, S))
    if not starts:
        return {"extent": extent, "padded": padded, "starts": [], "overhang": 0, "unseen": padded}
    end = starts[-1] + extent
    overhang = starts[-1] + S if end < padded else None
    return {"extent": extent, "padded": padded, "starts": starts, "overhang": overhang, "unseen": padded - end}


def draw_window_positions(
    W: int, F: int, S: int = 1, P: int = 0, dilation: int = 1, ax: plt.Axes | None = None
) -> plt.Axes:
    """Draw one row of the padded input and, under it, every window position along that row.

    Windows that fit are green; a window that would hang over the edge is dashed red, and
    input cells that no window covers are shaded red. With ``dilation > 1`` only the filled
    cells of a window are taps of the filter.

    Parameters
    ----------
    W, F, S, P : int
        Input size, filter size, stride and padding.
    dilation : int
        Spacing of the filter taps.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
    """
    layout = window_layout(W, F, S, P, dilation)
    extent, padded, starts = layout["extent"], layout["padded"], layout["starts"]
    rows = len(starts) + (layout["overhang"] is not None)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.32 * max(padded, extent) + 1), 0.9 + 0.3 * (rows + 1)))
    for cell in range(padded):
        is_pad = cell < P or cell >= P + W
        unseen = bool(starts) and cell >= padded - layout["unseen"]
        colour = _UNSEEN if unseen else _PADDING if is_pad else _INPUT
        ax.add_patch(Rectangle((cell, 0), 1, 1, facecolor=colour, edgecolor="#888", linewidth=0.8))
        if padded <= 40:
            ax.text(cell + 0.5, 0.5, "0" if is_pad else str(cell - P), ha="center", va="center", fontsize=7,
                    color="#777" if is_pad else "black")
    for row, start in enumerate(starts, start=1):
        _draw_window(ax, start, row, F, dilation, _FITS, "-")
    if layout["overhang"] is not None:
        _draw_window(ax, layout["overhang"], rows, F, dilation, _OVERHANG, "--")
    ax.set_xlim(-0.5, max(padded, (layout["overhang"] or 0) + extent) + 0.5)
    ax.set_ylim(-0.6 * rows - 0.3, 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(_formula(W, F, S, P, dilation, layout), fontsize=10)
    return ax


def output_size_explorer(
    size_fn: Callable[..., int] | None = None, W: int = 7, F: int = 3, S: int = 1, P: int = 0
) -> widgets.VBox:
    """Sliders for W, F, S, P and the dilation D, the window positions they give, and a verdict.

    Invalid settings (a filter larger than the padded input, a size that is not a whole
    number) are drawn and explained, never raised.

    Parameters
    ----------
    size_fn : callable, optional
        The student's ``conv_output_size(W, F, S, P, *, strict=True)``; when given, what it
        returns (or raises) for the current settings is shown next to the picture.
    W, F, S, P : int
        The initial settings.

    Returns
    -------
    ipywidgets.VBox
    """
    style = {"description_width": "initial"}
    sliders = {
        "W": widgets.IntSlider(value=W, min=1, max=32, description="input W", style=style),
        "F": widgets.IntSlider(value=F, min=1, max=11, description="filter F", style=style),
        "S": widgets.IntSlider(value=S, min=1, max=6, description="stride S", style=style),
        "P": widgets.IntSlider(value=P, min=0, max=5, description="padding P", style=style),
        "D": widgets.IntSlider(value=1, min=1, max=4, description="dilation D", style=style),
    }
    picture = widgets.Output()
    verdict = widgets.HTML()

    def update(_change: object = None) -> None:
        w, f, s, p, d = (slider.value for slider in sliders.values())
        layout = window_layout(w, f, s, p, d)
        with picture:
            picture.clear_output(wait=True)
            ax = draw_window_positions(w, f, s, p, d)
            plt.show()
            plt.close(ax.figure)
        verdict.value = _verdict(w, f, s, p, d, layout) + _student_says(size_fn, w, layout["extent"], s, p)

    for slider in sliders.values():
        slider.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox(list(sliders.values())[:3]), widgets.HBox(list(sliders.values())[3:]),
                         verdict, picture])


def _draw_window(ax: plt.Axes, start: int, row: int, F: int, dilation: int, colour: str, line: str) -> None:
    """Draw one window at ``start``, ``row`` levels under the input, its taps filled."""
    y = -0.6 * row
    extent = F + (F - 1) * (dilation - 1)
    ax.add_patch(Rectangle((start, y), extent, 0.45, fill=False, edgecolor=colour, linestyle=line, linewidth=1.5))
    for tap in range(F):
        ax.add_patch(Rectangle((start + tap * dilation + 0.1, y + 0.08), 0.8, 0.29, facecolor=colour, alpha=0.6,
                               edgecolor="none"))


def _formula(W: int, F: int, S: int, P: int, dilation: int, layout: dict) -> str:
    """The output-size formula with the numbers filled in, and its value."""
    extent = layout["extent"]
    size = f"F={F}" if dilation == 1 else f"F={F}, D={dilation} (F_D={extent})"
    value = (W - extent + 2 * P) / S + 1
    return f"W={W}, {size}, S={S}, P={P}:  ({W} - {extent} + 2·{P}) / {S} + 1 = {value:g}"


def _verdict(W: int, F: int, S: int, P: int, dilation: int, layout: dict) -> str:
    """Explain in HTML what the settings give."""
    extent, padded, count = layout["extent"], layout["padded"], len(layout["starts"])
    lines = []
    if dilation > 1:
        lines.append(f"Dilation {dilation} spreads the {F} taps over F_D = F + (F - 1)(D - 1) = {extent} cells.")
    if not count:
        lines.append(f"<b style='color:{_OVERHANG}'>No window fits</b>: the filter spans {extent} cells but the "
                     f"padded input has only W + 2P = {padded}. Every library refuses this layer.")
    elif layout["overhang"] is None:
        lines.append(f"<b style='color:{_FITS}'>Fits</b>: {count} window positions per axis, "
                     f"so a {W}×{W} input gives a <b>{count}×{count}</b> output.")
    else:
        unseen = layout["unseen"]
        lines.append(
            f"<b style='color:{_OVERHANG}'>Does not fit</b>: ({padded} - {extent}) = {padded - extent} is not a "
            f"multiple of the stride {S}, so the next window (dashed) would hang over the edge. "
            f"cs231n's rule: choose other hyper-parameters. PyTorch and OpenCV floor: {count}×{count} output, "
            f"and the last {unseen} cell{'s' if unseen > 1 else ''} of every row and column (shaded red) "
            f"{'are' if unseen > 1 else 'is'} never seen.")
    return "".join(f"<p>{line}</p>" for line in lines)


def _student_says(size_fn: Callable[..., int] | None, W: int, extent: int, S: int, P: int) -> str:
    """Call the student's function with the current settings and report the outcome in HTML."""
    if size_fn is None:
        return ""
    name = html.escape(getattr(size_fn, "__name__", "size_fn"))
    lines = []
    for strict in (True, False):
        call = f"{name}({W}, {extent}, {S}, {P}, strict={strict})"
        try:
            lines.append(f"{call} returned <b>{size_fn(W, extent, S, P, strict=strict)!r}</b>")
        except Exception as error:  # noqa: BLE001  (whatever the student's code raises is shown, never raised)
            lines.append(f"{call} raised {type(error).__name__}: {html.escape(str(error))}")
    return "<p style='font-family:monospace'>" + "<br>".join(lines) + "</p>"
