"""Figures for the lessons: image grids and small annotated matrices."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle


def show_images(
    images: Sequence[np.ndarray],
    titles: Sequence[str],
    cols: int = 4,
    size: float = 3.0,
    signed: Sequence[bool] | None = None,
) -> plt.Figure:
    """Show images in a grid.

    Parameters
    ----------
    images : sequence of (H, W) or (H, W, 3) arrays
        Grey images (each scaled to its own range) or RGB images with values in [0, 1].
    titles : sequence of str
        One title per image.
    cols : int
        Images per row.
    size : float
        Inches per image.
    signed : sequence of bool, optional
        For each image, whether to show it with a diverging colour map centred on 0
        (filter responses that can be negative) instead of grey levels. The colour scale
        saturates at the 99.5th percentile of the absolute values, so that a few strong
        responses do not wash out the rest.

    Returns
    -------
    matplotlib.figure.Figure
    """
    rows = -(-len(images) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(size * cols, size * rows), squeeze=False)
    signed = signed or [False] * len(images)
    for ax, image, title, is_signed in zip(axes.flat, images, titles, signed):
        if image.ndim == 3:
            ax.imshow(np.clip(image, 0, 1))
        elif is_signed:
            limit = float(np.percentile(np.abs(image), 99.5)) or 1.0
            ax.imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit)
        else:
            ax.imshow(image, cmap="gray")
        ax.set_title(title, fontsize=10)
    for ax in axes.flat:
        ax.axis("off")
    fig.tight_layout()
    return fig


def show_matrix(
    matrix: np.ndarray,
    title: str = "",
    ax: plt.Axes | None = None,
    highlight: tuple[int, int, int, int] | None = None,
    fmt: str = "{:g}",
    cmap: str = "Blues",
    value_range: tuple[float, float] | None = None,
) -> plt.Axes:
    """Draw a small matrix as a grid of numbers.

    Parameters
    ----------
    matrix : (H, W) array
        The values.
    title : str
        Axes title.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    highlight : (row, col, height, width), optional
        A window to outline in red.
    fmt : str
        Format of each number.
    cmap : str
        Colour map of the cells (``"gray"`` for grey levels: dark cells for small values).
    value_range : (low, high), optional
        The values mapped to the ends of the colour map; the matrix's own range by default
        (``(0, 255)`` for grey levels).

    Returns
    -------
    matplotlib.axes.Axes
    """
    matrix = np.asarray(matrix)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.55 * matrix.shape[1] + 0.6, 0.55 * matrix.shape[0] + 0.6))
    low, high = value_range if value_range is not None else (None, None)
    ax.imshow(matrix, cmap=cmap, alpha=0.5, vmin=low, vmax=high)
    for (row, col), value in np.ndenumerate(matrix):
        ax.text(col, row, fmt.format(value), ha="center", va="center", fontsize=9)
    if highlight is not None:
        row, col, height, width = highlight
        ax.add_patch(Rectangle((col - 0.5, row - 0.5), width, height, fill=False, edgecolor="red", linewidth=2.5))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)
    return ax
