"""How far down one unit of a stack of convolutions reaches: a figure of receptive fields (lesson 02).

Along one axis, a layer with filter size F and stride S (no padding) connects unit i to the units
``i*S ... i*S + F - 1`` of the layer below. Following those connections from one unit at the top
down to the input marks the input cells it depends on: its receptive field (感受野).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.patches import Polygon, Rectangle

_CELL = "#cfe8ff"
_FIELD = "#2e8b57"
_UNIT = "#d62728"


def draw_receptive_field(
    layers: Sequence[tuple[int, int]], title: str = "", ax: plt.Axes | None = None, margin: int = 2
) -> plt.Axes:
    """Draw the input and each layer as a row of cells, and the field of one unit at the top.

    Each unit is drawn above the centre of the input cells its window covers, so a stride shows
    as wider spacing in the rows above it. The top unit is red; the units it depends on are
    green, joined by the cone of their windows.

    Parameters
    ----------
    layers : sequence of (F, S)
        Filter size and stride of each layer, from the input up (no padding).
    title : str
        Axes title; by default the size of the receptive field.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    margin : int
        Input cells drawn on each side of the field.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``layers`` is empty or a filter size or stride is not >= 1.
    """
    if not layers or any(size < 1 or stride < 1 for size, stride in layers):
        raise ValueError(f"layers must be a non-empty list of (F, S) with F >= 1 and S >= 1, got {list(layers)!r}")
    spans = _spans_of_top_unit(layers)
    field = spans[0][1] - spans[0][0] + 1
    width = field + 2 * margin
    origins, spacings = [float(margin)], [1]  # where unit 0 of each row is drawn, and the distance between units
    for size, stride in layers:
        origins.append(origins[-1] + (size - 1) * spacings[-1] / 2)
        spacings.append(spacings[-1] * stride)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.36 * width + 2.4, 0.75 * (len(layers) + 1) + 0.6))
    for row, ((first, last), origin, spacing) in enumerate(zip(spans, origins, spacings)):
        y = 1.5 * row
        for unit in range(math.ceil(-origin / spacing), math.floor((width - 1 - origin) / spacing) + 1):
            inside = first <= unit <= last
            colour = (_UNIT if row == len(layers) else _FIELD) if inside else _CELL
            ax.add_patch(Rectangle((origin + unit * spacing, y), 0.9, 0.9, facecolor=colour, edgecolor="#777",
                                   linewidth=0.6, alpha=0.9 if inside else 0.6))
        if row:
            below = origins[row - 1] + spans[row - 1][0] * spacings[row - 1], origins[row - 1] + spans[row - 1][1] * spacings[row - 1] + 0.9
            here = origin + first * spacing, origin + last * spacing + 0.9
            ax.add_patch(Polygon([(below[0], y - 0.6), (below[1], y - 0.6), (here[1], y), (here[0], y)],
                                 closed=True, facecolor=_FIELD, alpha=0.15, edgecolor="none"))
            size, stride = layers[row - 1]
            label = f"layer {row}: F={size}, S={stride}"
        else:
            label = "input"
        ax.text(-0.6, y + 0.45, label, ha="right", va="center", fontsize=9)
    ax.set_xlim(-0.6 - 0.2 * width, width + 0.2)
    ax.set_ylim(-0.3, 1.5 * len(layers) + 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or f"receptive field of the red unit: {field} input cells", fontsize=10)
    return ax


def _spans_of_top_unit(layers: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The first and last unit of every row (input first) that unit 0 of the top row depends on."""
    first = last = 0
    spans = [(first, last)]
    for size, stride in reversed(layers):
        first, last = first * stride, last * stride + size - 1
        spans.append((first, last))
    return spans[::-1]
