"""Figures of lesson 06: how dout scatters into dx, and a kernel being learned."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from cnncourse.plots import show_matrix


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

    Raises
    ------
    ValueError
        If ``dout`` or ``w`` is not 2-D, or ``dx`` does not have the input's shape.
    """
    dout, w, dx = np.asarray(dout), np.asarray(w), np.asarray(dx)
    if dout.ndim != 2 or w.ndim != 2:
        raise ValueError(f"dout and w must be 2-D, got shapes {dout.shape} and {w.shape}")
    (h_out, w_out), (hh, ww) = dout.shape, w.shape
    if dx.shape != (h_out + hh - 1, w_out + ww - 1):
        raise ValueError(f"dx must have the input's shape {(h_out + hh - 1, w_out + ww - 1)}, got {dx.shape}")
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

    Raises
    ------
    ValueError
        If there is no loss or no snapshot.
    """
    if not len(losses) or not snapshots:
        raise ValueError(f"show_learning needs losses and snapshots, got {len(losses)} losses and {len(snapshots)} snapshots")
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
