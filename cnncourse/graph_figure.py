"""Computational-graph figures: boxes for values and operations, black arrows forward, red arrows back."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

#: Half the width and half the height of a node's box, in data units.
HALF_WIDTH, HALF_HEIGHT = 0.85, 0.4
#: Colour of the backward arrows and their labels.
BACKWARD_COLOUR = "tab:red"


def draw_computational_graph(
    nodes: Mapping[str, tuple[float, float, str, str]],
    edges: Sequence[tuple[str, str, str, str | None]],
    title: str = "",
    figsize: tuple[float, float] = (12.0, 4.6),
) -> plt.Figure:
    """Draw a computational graph whose edges run left to right or bottom to top.

    Each edge is drawn as a pair of arrows: the value flowing forward (black, above or left)
    and its gradient flowing back (red, below or right).

    Parameters
    ----------
    nodes : mapping of str to (x, y, text, colour)
        Each node's centre, the text in its box and the box's face colour.
    edges : sequence of (source, target, forward_label, backward_label)
        ``source`` and ``target`` name nodes on the same row (the source on the left) or in the
        same column (the source below). ``backward_label`` None draws no backward arrow (a value
        that gets no gradient, such as the labels).
    title : str
    figsize : (float, float)
        Inches.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If an edge names an unknown node, or its nodes are neither on one row with the source
        on the left nor in one column with the source below.
    """
    directions = [_direction(nodes, source, target) for source, target, *_ in edges]
    fig, ax = plt.subplots(figsize=figsize)
    for x, y, text, colour in nodes.values():
        ax.add_patch(FancyBboxPatch((x - HALF_WIDTH, y - HALF_HEIGHT), 2 * HALF_WIDTH, 2 * HALF_HEIGHT,
                                    boxstyle="round,pad=0.04", facecolor=colour, edgecolor="black"))
        ax.text(x, y, text, ha="center", va="center", fontsize=10)
    for direction, (source, target, forward_label, backward_label) in zip(directions, edges):
        (xs, ys), (xt, yt) = nodes[source][:2], nodes[target][:2]
        if direction == "horizontal":
            _horizontal(ax, xs, xt, ys, forward_label, backward_label)
        else:
            _vertical(ax, xs, ys, yt, forward_label, backward_label)
    xs = [x for x, *_ in nodes.values()]
    ys = [y for _, y, *_ in nodes.values()]
    ax.set_xlim(min(xs) - HALF_WIDTH - 0.3, max(xs) + HALF_WIDTH + 0.3)
    ax.set_ylim(min(ys) - HALF_HEIGHT - 0.3, max(ys) + HALF_HEIGHT + 0.5)
    ax.axis("off")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def _direction(nodes: Mapping[str, tuple[float, float, str, str]], source: str, target: str) -> str:
    """``"horizontal"`` or ``"vertical"`` for an edge that can be drawn, else ValueError."""
    unknown = sorted({source, target} - set(nodes))
    if unknown:
        raise ValueError(f"edge {source!r} -> {target!r} names unknown nodes {unknown}")
    (xs, ys), (xt, yt) = nodes[source][:2], nodes[target][:2]
    if ys == yt and xs < xt:
        return "horizontal"
    if xs == xt and ys < yt:
        return "vertical"
    raise ValueError(f"edge {source!r} -> {target!r} must run left to right on one row or upwards in one column")


def _horizontal(ax: plt.Axes, x_source: float, x_target: float, y: float, forward: str, backward: str | None) -> None:
    """Arrows between two nodes of one row: forward above the centre line, backward below."""
    left, right = x_source + HALF_WIDTH + 0.05, x_target - HALF_WIDTH - 0.05
    middle = (left + right) / 2
    ax.annotate("", xy=(right, y + 0.12), xytext=(left, y + 0.12), arrowprops=dict(arrowstyle="->", lw=1.8))
    ax.text(middle, y + 0.3, forward, ha="center", fontsize=10)
    if backward is not None:
        ax.annotate("", xy=(left, y - 0.12), xytext=(right, y - 0.12),
                    arrowprops=dict(arrowstyle="->", lw=1.8, color=BACKWARD_COLOUR))
        ax.text(middle, y - 0.42, backward, ha="center", fontsize=10, color=BACKWARD_COLOUR)


def _vertical(ax: plt.Axes, x: float, y_source: float, y_target: float, forward: str, backward: str | None) -> None:
    """Arrows between two nodes of one column: forward left of the centre line, backward right."""
    bottom, top = y_source + HALF_HEIGHT + 0.05, y_target - HALF_HEIGHT - 0.05
    middle = (bottom + top) / 2
    ax.annotate("", xy=(x - 0.15, top), xytext=(x - 0.15, bottom), arrowprops=dict(arrowstyle="->", lw=1.8))
    ax.text(x - 0.25, middle, forward, ha="right", va="center", fontsize=10)
    if backward is not None:
        ax.annotate("", xy=(x + 0.15, bottom), xytext=(x + 0.15, top),
                    arrowprops=dict(arrowstyle="->", lw=1.8, color=BACKWARD_COLOUR))
        ax.text(x + 0.25, middle, backward, ha="left", va="center", fontsize=10, color=BACKWARD_COLOUR)
