"""Figures of lesson 06: the conv layer's computational graph, how dout scatters into dx, a kernel being learned."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch, Rectangle

from cnncourse.plots import show_matrix

_BOX_HALF_WIDTH, _BOX_HALF_HEIGHT = 0.85, 0.4


def draw_conv_graph() -> plt.Figure:
    """Draw the computational graph of conv -> ReLU -> loss, values forward and gradients back.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plt.subplots(figsize=(12, 4.6))
    nodes = {"x": (0.0, 2.0, "x\n(N, C, H, W)", "#dbe9f6"),
             "conv": (2.8, 2.0, "cross-correlate $\\star$\nstride S, pad P", "white"),
             "add": (5.6, 2.0, "+ b", "white"), "relu": (8.2, 2.0, "ReLU", "white"),
             "loss": (10.6, 2.0, "loss L", "#f3d6d6"),
             "w": (2.8, 0.0, "w\n(K, C, HH, WW)", "#fde2c8"), "b": (5.6, 0.0, "b\n(K,)", "#fde2c8")}
    for x0, y0, text, colour in nodes.values():
        ax.add_patch(FancyBboxPatch((x0 - _BOX_HALF_WIDTH, y0 - _BOX_HALF_HEIGHT), 2 * _BOX_HALF_WIDTH,
                                    2 * _BOX_HALF_HEIGHT, boxstyle="round,pad=0.04", facecolor=colour, edgecolor="black"))
        ax.text(x0, y0, text, ha="center", va="center", fontsize=10)
    for a, b, forward, backward in (("x", "conv", "x", "dx"), ("conv", "add", r"x $\star$ w", "dout"),
                                    ("add", "relu", "out", "dout"), ("relu", "loss", "a", "dL/da")):
        _horizontal_edge(ax, nodes[a][:2], nodes[b][:2], forward, backward)
    for a, b, forward, backward in (("w", "conv", "w", "dw"), ("b", "add", "b", "db = Σ dout")):
        _vertical_edge(ax, nodes[a][:2], nodes[b][:2], forward, backward)
    ax.set_xlim(-1.0, 11.6)
    ax.set_ylim(-0.6, 2.8)
    ax.axis("off")
    ax.set_title("conv → ReLU → loss (black: values going forward, red: gradients going back)")
    return fig


def _horizontal_edge(ax: plt.Axes, start: tuple[float, float], end: tuple[float, float],
                     forward: str, backward: str) -> None:
    """A forward arrow above and a backward (red) arrow below, between two boxes on one row."""
    left, right, y = start[0] + _BOX_HALF_WIDTH + 0.05, end[0] - _BOX_HALF_WIDTH - 0.05, start[1]
    ax.annotate("", xy=(right, y + 0.12), xytext=(left, y + 0.12), arrowprops=dict(arrowstyle="->", lw=1.8))
    ax.text((left + right) / 2, y + 0.3, forward, ha="center", fontsize=10)
    ax.annotate("", xy=(left, y - 0.12), xytext=(right, y - 0.12), arrowprops=dict(arrowstyle="->", lw=1.8, color="tab:red"))
    ax.text((left + right) / 2, y - 0.42, backward, ha="center", fontsize=10, color="tab:red")


def _vertical_edge(ax: plt.Axes, start: tuple[float, float], end: tuple[float, float],
                   forward: str, backward: str) -> None:
    """An upward forward arrow and a downward (red) backward arrow, from a parameter to its operation."""
    x, bottom, top = start[0], start[1] + _BOX_HALF_HEIGHT + 0.05, end[1] - _BOX_HALF_HEIGHT - 0.05
    ax.annotate("", xy=(x - 0.15, top), xytext=(x - 0.15, bottom), arrowprops=dict(arrowstyle="->", lw=1.8))
    ax.text(x - 0.25, (bottom + top) / 2, forward, ha="right", va="center", fontsize=10)
    ax.annotate("", xy=(x + 0.15, bottom), xytext=(x + 0.15, top), arrowprops=dict(arrowstyle="->", lw=1.8, color="tab:red"))
    ax.text(x + 0.25, (bottom + top) / 2, backward, ha="left", va="center", fontsize=10, color="tab:red")


def show_scatter(dout: np.ndarray, w: np.ndarray, dx: np.ndarray) -> plt.Figure:
    """Show how each value of ``dout`` stamps ``dout[i, j] * w`` into window (i, j) of ``dx`` (stride 1, no padding).

    Parameters
    ----------
    dout : (H_out, W_out) array
        Upstream gradient of one single-channel output.
    w : (HH, WW) array
        The kernel.
    dx : (H_out + HH - 1, W_out + WW - 1) array
        The sum of the stamps, drawn last.

    Returns
    -------
    matplotlib.figure.Figure
    """
    dout, w, dx = np.asarray(dout), np.asarray(w), np.asarray(dx)
    (h_out, w_out), (hh, ww) = dout.shape, w.shape
    panels = h_out * w_out + 1
    fig, axes = plt.subplots(1, panels, figsize=(2.6 * panels, 3.1))
    for ax, (i, j) in zip(axes, np.ndindex(h_out, w_out)):
        stamp = np.full(dx.shape, np.nan)
        stamp[i:i + hh, j:j + ww] = dout[i, j] * w
        ax.imshow(np.isnan(stamp), cmap="Greys", vmin=0, vmax=4)
        for (row, col), value in np.ndenumerate(stamp):
            if not np.isnan(value):
                ax.text(col, row, f"{value:g}", ha="center", va="center", fontsize=11)
        ax.set_xticks(np.arange(dx.shape[1] + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(dx.shape[0] + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="0.7", linewidth=1)
        ax.tick_params(which="both", length=0)
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), ww, hh, fill=False, edgecolor="red", linewidth=2.5))
        ax.set_title(f"dout[{i},{j}] = {dout[i, j]:g}\nadds {dout[i, j]:g}·w here", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(1.08, 0.5, "+" if (i, j) != (h_out - 1, w_out - 1) else "=", transform=ax.transAxes,
                fontsize=18, ha="center", va="center")
    show_matrix(dx, "dx: the stamps added up", ax=axes[-1])
    fig.tight_layout()
    return fig


def show_learning(losses: Sequence[float], snapshots: dict[int, np.ndarray], target: np.ndarray) -> plt.Figure:
    """Plot a training loss (log scale) and the kernel at a few steps next to the kernel it should become.

    Parameters
    ----------
    losses : sequence of float
        The loss before each step.
    snapshots : dict of int to (HH, WW) array
        ``{step: kernel at that step}``, drawn left to right.
    target : (HH, WW) array
        The kernel that generated the data.

    Returns
    -------
    matplotlib.figure.Figure
    """
    panels = len(snapshots) + 2
    fig, axes = plt.subplots(1, panels, figsize=(2.7 * panels, 3.0))
    axes[0].semilogy(losses)
    axes[0].set_xlabel("step")
    axes[0].set_title("loss", fontsize=10)
    for ax, (step, kernel) in zip(axes[1:], snapshots.items()):
        show_matrix(kernel, f"kernel after {step} steps", ax=ax, fmt="{:.2f}")
    show_matrix(target, "the lecture's kernel", ax=axes[-1], fmt="{:g}")
    fig.tight_layout()
    return fig
