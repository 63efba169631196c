"""Figures and a widget for lesson 08: where a network's memory and parameters are.

The functions draw what the student's own ``layer_stats`` and ``network_summary`` return;
nothing here counts parameters or bytes itself.
"""
from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .tables import format_bytes, table_column

#: Memory of two common GPUs, for the lines in the figures.
GPU_MEMORY = {"16 GiB GPU": 16 * 2**30, "80 GiB GPU": 80 * 2**30}

#: Bytes per value of the usual number formats.
PRECISIONS = {"float32 (4 bytes)": 4, "float16 / bfloat16 (2 bytes)": 2, "float64 (8 bytes)": 8}

Summary = Callable[..., Mapping[str, Any]]


def plot_layer_budget(rows: Sequence[Mapping[str, Any]], title: str) -> plt.Figure:
    """Two bar charts side by side: activations and parameters of each layer, in millions.

    Layers that add neither (ReLU, dropout, softmax) are left out.

    Parameters
    ----------
    rows : sequence of mappings
        The rows of ``layer_stats`` (keys ``name``, ``activations``, ``params``).
    title : str
        The network's name, for the figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    activations = table_column(rows, "activations").astype(float)
    params = table_column(rows, "params").astype(float)
    keep = (activations > 0) | (params > 0)
    names = [str(n) for n, k in zip(table_column(rows, "name"), keep) if k]
    activations, params = activations[keep] / 1e6, params[keep] / 1e6
    positions = np.arange(len(names))
    fig, axes = plt.subplots(1, 2, figsize=(11, 0.28 * len(names) + 1.6), sharey=True)
    for ax, values, label, colour in ((axes[0], activations, "activations (millions of values per image)", "tab:blue"),
                                      (axes[1], params, "parameters (millions)", "tab:orange")):
        ax.barh(positions, values, color=colour)
        total = values.sum()
        for y, v in zip(positions, values):
            if v > 0:
                percent = f"{100 * v / total:.0f}%" if v / total >= 0.005 else "<1%"
                ax.text(v, y, f" {_short(v * 1e6)} ({percent})", va="center", fontsize=8)
        ax.set_xlabel(label)
        ax.set_xlim(0, values.max() * 1.35)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(positions, names, fontsize=8)
    axes[0].invert_yaxis()
    fig.suptitle(f"{title}: memory lives early, parameters late", fontsize=11)
    fig.tight_layout()
    return fig


def plot_training_memory(
    summary: Summary,
    max_batch: Callable[..., int],
    networks: Mapping[str, tuple[list, tuple[int, int, int]]],
    batch_sizes: Sequence[int],
    bytes_per_value: int = 4,
    gpus: Mapping[str, int] = GPU_MEMORY,
) -> plt.Figure:
    """Training memory against batch size (log-log), a line per GPU, a dot at the largest batch that fits.

    Parameters
    ----------
    summary : callable
        The student's ``network_summary(arch, input_shape, batch_size, bytes_per_value)``.
    max_batch : callable
        The student's ``max_batch_size(arch, input_shape, memory_bytes, bytes_per_value)``.
    networks : mapping of str to (arch, input_shape)
        The networks to draw, by name.
    batch_sizes : sequence of int
        The batch sizes of the curves, increasing.
    bytes_per_value : int
        4 for float32, 2 for float16.
    gpus : mapping of str to int
        GPU name -> memory in bytes.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for (label, memory), style in zip(gpus.items(), ("--", ":", "-.")):
        ax.axhline(memory / 2**30, color="k", linestyle=style, linewidth=1)
        ax.text(batch_sizes[0], memory / 2**30 * 1.05, f" {label}", va="bottom", fontsize=9)
    for (name, (arch, shape)), colour in zip(networks.items(), ("tab:blue", "tab:red", "tab:green")):
        gib = [summary(arch, shape, batch_size=b, bytes_per_value=bytes_per_value)["training_bytes"] / 2**30
               for b in batch_sizes]
        ax.plot(batch_sizes, gib, color=colour, label=f"{name}, training")
        for memory in gpus.values():
            b = max_batch(arch, shape, memory, bytes_per_value=bytes_per_value)
            if 1 <= b <= batch_sizes[-1]:
                used = summary(arch, shape, batch_size=b, bytes_per_value=bytes_per_value)["training_bytes"] / 2**30
                ax.plot(b, used, "o", color=colour)
                ax.annotate(f"{name}: {b}", (b, used), textcoords="offset points", xytext=(-6, 6), ha="right",
                            fontsize=8, color=colour)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("batch size")
    ax.set_ylabel("training memory (GiB)")
    ax.set_title(f"Training memory with {bytes_per_value}-byte values; dots: the largest batch that fits")
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def memory_explorer(
    summary: Summary,
    networks: Mapping[str, tuple[list, tuple[int, int, int]]],
    gpus: Mapping[str, int] = GPU_MEMORY,
    max_batch: int = 1024,
) -> widgets.VBox:
    """A widget: pick a network, a batch size and a number format; see the memory against GPUs.

    Parameters
    ----------
    summary : callable
        The student's ``network_summary(arch, input_shape, batch_size, bytes_per_value)``.
    networks : mapping of str to (arch, input_shape)
        The networks to choose from.
    gpus : mapping of str to int
        GPU name -> memory in bytes, drawn as vertical lines.
    max_batch : int
        The largest batch size on the slider.

    Returns
    -------
    ipywidgets.VBox
    """
    network = widgets.Dropdown(options=list(networks), description="network")
    batch = widgets.IntSlider(value=32, min=1, max=max_batch, description="batch size", continuous_update=False)
    precision = widgets.Dropdown(options=PRECISIONS, value=4, description="values")
    text = widgets.HTML()
    figure = widgets.Output()

    def render(*_: Any) -> None:
        arch, shape = networks[network.value]
        result = summary(arch, shape, batch_size=batch.value, bytes_per_value=precision.value)
        forward, training = result["forward_bytes"], result["training_bytes"]
        verdicts = "; ".join(f"{html.escape(g)}: {'fits' if training <= m else 'does not fit'}" for g, m in gpus.items())
        text.value = (
            f"<p>{result['params']:,} parameters; {result['activations']:,} activations and "
            f"{result['macs']:,} multiply-adds for the batch.<br>"
            f"forward: <b>{format_bytes(forward)}</b>, training: <b>{format_bytes(training)}</b> — {verdicts}.</p>"
        )
        with figure:
            figure.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(8, 1.8))
            ax.barh([1, 0], np.array([forward, training]) / 2**30, color=["tab:green", "tab:purple"])
            ax.set_yticks([1, 0], ["forward", "training"])
            for (label, memory), style in zip(gpus.items(), ("--", ":", "-.")):
                ax.axvline(memory / 2**30, color="k", linestyle=style, linewidth=1, label=label)
            ax.set_xlabel("GiB")
            ax.legend(loc="lower right", fontsize=8)
            fig.tight_layout()
            plt.show()

    for control in (network, batch, precision):
        control.observe(render, names="value")
    render()
    return widgets.VBox([widgets.HBox([network, precision]), batch, text, figure])


def _short(count: float) -> str:
    """``3.21M``, ``4.1K``, ``960``: a count in a few characters."""
    for suffix, size in (("M", 1e6), ("K", 1e3)):
        if count >= size:
            return f"{count / size:.3g}{suffix}"
    return f"{count:.0f}"
