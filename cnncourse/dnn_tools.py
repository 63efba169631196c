"""Helpers for lesson 09 (OpenCV DNN): where layers ran, and benchmark results on and off the GPU.

Nothing here is graded. :func:`layer_devices` reads OpenCV's own account of where each layer
ran (``net.dump()`` after a forward pass); lesson 09's ``select_backend`` uses it as evidence.

GPU measurements that cannot be taken on a machine without a GPU are kept in
``data/gpu_benchmark.json`` (:func:`gpu_benchmark_path`), written by :func:`save_benchmark` on a
GPU machine. Its format::

    {"device": "NVIDIA H100 80GB HBM3", "opencv": "5.0.0", "network": "digits_cnn",
     "results": {"CPU": [row, ...], "CUDA": [row, ...]}}

where each row is one of lesson 09's ``benchmark`` rows: ``{"batch_size", "first_ms",
"latency_ms", "throughput"}``.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, ScalarFormatter

from autograder.paths import DATA_DIR

#: ``OCV/CPU``, ``CUDA/CUDA``, ``OCV/OCL`` ...: backend and target as ``Net.dump()`` labels each layer.
_PLACEMENT = re.compile(r"\\[ln](OCV|CUDA|OpenVINO|VULKAN|WEBNN|TIMVX|CANN|DEFAULT)/([A-Z0-9_]+)\\n")


def layer_devices(net: Any) -> Counter:
    """Count the layers of a network by the backend and target they actually ran on.

    OpenCV falls back to the CPU without an error when a target cannot run a layer (or the
    whole network); its dump of the network after a forward pass says where each layer ran.

    Parameters
    ----------
    net : cv2.dnn.Net
        A network on which ``forward()`` has been called since its backend or target last changed.

    Returns
    -------
    collections.Counter
        E.g. ``Counter({"OCV/CPU": 9})`` or ``Counter({"CUDA/CUDA": 8, "OCV/CPU": 1})``. Layers that
        OpenCV fused (a convolution and its ReLU) are one node of the dump and count once.
    """
    return Counter(f"{backend}/{target}" for backend, target in _PLACEMENT.findall(net.dump()))


def gpu_benchmark_path() -> Path:
    """Return the path of the recorded GPU measurements, ``data/gpu_benchmark.json``."""
    return DATA_DIR / "gpu_benchmark.json"


def save_benchmark(results: Mapping[str, Sequence[Mapping[str, float]]], device: str, *,
                   opencv: str, network: str, path: str | Path | None = None) -> Path:
    """Write benchmark results measured on several backends to a JSON file.

    Parameters
    ----------
    results : mapping of str to list of dict
        Backend name (``"CPU"``, ``"CUDA"`` ...) to the rows returned by lesson 09's ``benchmark``.
    device : str
        The machine's GPU, e.g. from ``nvidia-smi --query-gpu=name --format=csv,noheader``.
    opencv : str
        ``cv2.__version__``.
    network : str
        What was timed.
    path : str or Path, optional
        :func:`gpu_benchmark_path` by default.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path) if path is not None else gpu_benchmark_path()
    data = {"device": device, "opencv": opencv, "network": network,
            "results": {name: [dict(row) for row in rows] for name, rows in results.items()}}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def load_benchmark(path: str | Path | None = None) -> dict | None:
    """Read a file written by :func:`save_benchmark`; ``None`` when there is none.

    Parameters
    ----------
    path : str or Path, optional
        :func:`gpu_benchmark_path` by default.

    Returns
    -------
    dict or None
    """
    path = Path(path) if path is not None else gpu_benchmark_path()
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def plot_speedup(results: Mapping[str, Sequence[Mapping[str, float]]], title: str) -> plt.Figure:
    """Plot throughput and speed-up against the batch size, one line per backend.

    The speed-up of a backend at batch size ``b`` is its throughput at ``b`` divided by the
    throughput of the first backend (normally ``"CPU"``) at batch size 1.

    Parameters
    ----------
    results : mapping of str to list of dict
        Backend name to rows with ``batch_size`` and ``throughput`` (images per second).
    title : str
        Title of the figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(results)
    reference = next(r["throughput"] for r in results[names[0]] if r["batch_size"] == min(
        row["batch_size"] for row in results[names[0]]))
    fig, (ax_rate, ax_speed) = plt.subplots(1, 2, figsize=(11, 3.8))
    for name in names:
        sizes = [r["batch_size"] for r in results[name]]
        rates = [r["throughput"] for r in results[name]]
        ax_rate.plot(sizes, rates, "o-", label=name)
        ax_speed.plot(sizes, [rate / reference for rate in rates], "o-", label=name)
    ax_rate.set_ylabel("throughput (images / s)")
    ax_speed.set_ylabel(f"speed-up over {names[0]} at batch size 1")
    ax_speed.axhline(1.0, color="grey", lw=0.8, ls=":")
    for ax in (ax_rate, ax_speed):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.xaxis.set_major_formatter(ScalarFormatter())
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 1 else f"{value:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("batch size")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig
