"""Helpers for lesson 09 (OpenCV DNN): what a network is, where its layers ran, GPU measurements.

Nothing here is graded.

- :func:`onnx_input_shape` reads the input shape an ONNX graph declares; :func:`remember_net` and
  :func:`net_facts` keep, for a network read by lesson 09's ``load_net``, the engine it was read
  with and that shape (OpenCV's classic engine cannot report its input shape before a forward).
- :func:`layer_devices` reads OpenCV's own account of where each layer ran (``net.dump()`` after a
  forward pass); lesson 09's ``select_backend`` uses it as evidence, and
  :func:`cuda_unavailable_reason` says in words why the CUDA backend cannot run here.
- GPU measurements that cannot be taken on a machine without a GPU are recorded by
  ``make gpu-check`` (``benchmarks/gpu_benchmark.py``) in ``data/gpu_benchmark.json``
  (:func:`gpu_benchmark_path`); :func:`load_benchmark` reads that record and
  :func:`plot_recorded` draws it. Its format::

    {"device": "NVIDIA H200", "opencv": "5.0.0", "torch": "2.11.0+cu130" or null,
     "date": "2026-11-29", "build": ["NVIDIA CUDA: YES (ver 13.0, CUBLAS)", ...],
     "networks": {"digits_cnn": {"input_shape": [1, 8, 8],
                                 "results": {"CPU": [row, ...], "CUDA": [row, ...], ...},
                                 "agreement": {"CUDA": {"max_abs_diff": 1e-07, "tolerance": 0.0001,
                                                        "ok": true}, ...}},
                  "VGG16": {...}}}

  where each row is one of lesson 09's ``benchmark`` rows: ``{"batch_size", "first_ms",
  "latency_ms", "throughput"}``, and ``agreement`` compares each GPU option's output with the CPU's.
"""
from __future__ import annotations

import contextlib
import json
import re
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import cv2
import matplotlib.pyplot as plt
import onnx
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, ScalarFormatter

from cnncourse.data import DATA_DIR

#: ``OCV/CPU``, ``CUDA/CUDA``, ``OCV/OCL`` ...: backend and target as ``Net.dump()`` labels each layer.
_PLACEMENT = re.compile(r"\\[ln](OCV|CUDA|OpenVINO|VULKAN|WEBNN|TIMVX|CANN|DEFAULT)/([A-Z0-9_]+)\\n")

#: Keys of one row of lesson 09's ``benchmark``.
ROW_KEYS = ("batch_size", "first_ms", "latency_ms", "throughput")

#: Networks remembered by :func:`remember_net`, newest last; the oldest are forgotten beyond this.
_REMEMBERED_NETS = 16


class NetFacts(NamedTuple):
    """What lesson 09's ``load_net`` knew about a network when it read it."""

    engine: str
    """The name of the engine constant it was read with (``"ENGINE_CLASSIC"`` ...), or a description."""
    input_shape: tuple[int, int, int]
    """``(C, H, W)`` of one input, as the ONNX graph declares it."""


_facts: OrderedDict[int, tuple[Any, NetFacts]] = OrderedDict()


def onnx_input_shape(path: str | Path) -> tuple[int, int, int]:
    """Return the ``(C, H, W)`` of one input, as an ONNX graph declares it.

    Parameters
    ----------
    path : str or Path
        An ``.onnx`` file whose graph has one input (besides its initializers) of shape
        ``(batch, C, H, W)``; the batch may be named (``"batch"``), C, H and W must be numbers.

    Returns
    -------
    tuple of int

    Raises
    ------
    ValueError
        If the file is not an ONNX model, or its input is not 4-D with fixed C, H and W.
    """
    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception as error:  # noqa: BLE001  (onnx raises DecodeError, OSError ... depending on what is wrong)
        raise ValueError(f"{path} is not an ONNX model: {error}") from None
    weights = {tensor.name for tensor in model.graph.initializer}
    inputs = [value for value in model.graph.input if value.name not in weights]
    if len(inputs) != 1:
        raise ValueError(f"{path}: the graph has {len(inputs)} inputs besides its weights, expected one image input")
    dims = inputs[0].type.tensor_type.shape.dim
    sizes = [dim.dim_value if dim.HasField("dim_value") else None for dim in dims]
    if len(sizes) != 4 or any(size is None or size < 1 for size in sizes[1:]):
        declared = [size if size is not None else (dim.dim_param or "?") for size, dim in zip(sizes, dims)]
        raise ValueError(f"{path}: the input {inputs[0].name!r} is declared {declared}, "
                         "not (batch, C, H, W) with fixed C, H and W")
    return tuple(sizes[1:])  # type: ignore[return-value]


def remember_net(net: Any, *, engine: str, input_shape: Sequence[int]) -> None:
    """Keep the engine and declared input shape of a network, for :func:`net_facts`.

    OpenCV's ``cv2.dnn.Net`` takes no attributes and no weak references, so the network is kept
    alive with its facts; only the last few networks are remembered.

    Parameters
    ----------
    net : cv2.dnn.Net
        The network, as read by ``cv2.dnn.readNetFromONNX``.
    engine : str
        The engine it was read with, e.g. ``"ENGINE_CLASSIC"``.
    input_shape : sequence of int
        ``(C, H, W)``, e.g. from :func:`onnx_input_shape`.
    """
    shape = tuple(int(n) for n in input_shape)
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(f"input_shape must be (C, H, W) with every size >= 1, got {input_shape!r}")
    _facts.pop(id(net), None)
    _facts[id(net)] = (net, NetFacts(str(engine), shape))  # type: ignore[arg-type]
    while len(_facts) > _REMEMBERED_NETS:
        _facts.popitem(last=False)


def net_facts(net: Any) -> NetFacts | None:
    """Return what :func:`remember_net` kept about a network, or ``None``."""
    entry = _facts.get(id(net))
    return entry[1] if entry is not None and entry[0] is net else None


@contextlib.contextmanager
def quiet_opencv() -> Iterator[None]:
    """Silence OpenCV's log inside a ``with`` block (its errors go to stderr before it raises)."""
    level = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        yield
    finally:
        cv2.utils.logging.setLogLevel(level)


def cuda_build_lines(info: str | None = None) -> list[str]:
    """Return the lines of ``cv2.getBuildInformation()`` about CUDA and cuDNN, stripped."""
    info = cv2.getBuildInformation() if info is None else info
    return [line.strip() for line in info.splitlines() if re.search(r"NVIDIA CUDA|NVIDIA GPU arch|cuDNN", line)]


def cuda_unavailable_reason() -> str | None:
    """Say why OpenCV's CUDA backend cannot run here, or return ``None`` when it can.

    It tells apart an OpenCV built without CUDA (the pip wheels), one built without cuDNN, one
    built with both on a machine without a CUDA device, and a DNN module that offers no CUDA target.
    """
    info = cv2.getBuildInformation()
    cuda = re.search(r"NVIDIA CUDA:\s*YES(.*)", info)
    if cuda is None:
        return "this OpenCV was built without CUDA (the pip wheels have none; scripts/build_opencv_cuda.sh builds one)"
    if not re.search(r"cuDNN:\s*YES", info):
        return "this OpenCV was built with CUDA but without cuDNN, which the DNN module's CUDA backend needs"
    devices = cv2.cuda.getCudaEnabledDeviceCount()
    if devices < 1:
        return (f"this OpenCV was built with CUDA{cuda.group(1).rstrip()} and cuDNN, but there is no CUDA device here "
                f"(no NVIDIA GPU or driver: cv2.cuda.getCudaEnabledDeviceCount() is {devices})")
    if cv2.dnn.DNN_TARGET_CUDA not in cv2.dnn.getAvailableTargets(cv2.dnn.DNN_BACKEND_CUDA):
        return f"OpenCV sees {devices} CUDA device(s), but its DNN module offers no CUDA target"
    return None


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
        OpenCV fused (a convolution and its ReLU) are one node of the dump and count once. Empty
        when the dump does not say (OpenCV 5's new engine writes another format).
    """
    return Counter(f"{backend}/{target}" for backend, target in _PLACEMENT.findall(net.dump()))


def gpu_benchmark_path() -> Path:
    """Return the path of the recorded GPU measurements, ``data/gpu_benchmark.json``."""
    return DATA_DIR / "gpu_benchmark.json"


def _check_rows(rows: Any, where: str) -> None:
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{where} must be a non-empty list of benchmark rows, got {rows!r}")
    for row in rows:
        if not isinstance(row, Mapping) or set(ROW_KEYS) - set(row):
            raise ValueError(f"{where}: a row must have the keys {', '.join(ROW_KEYS)}, got {row!r}")


def check_record(record: Any) -> dict:
    """Return a GPU benchmark record if it has the format of the module docstring.

    Raises
    ------
    ValueError
        Naming the first thing that is missing or malformed.
    """
    if not isinstance(record, Mapping):
        raise ValueError(f"a benchmark record is a JSON object, got {type(record).__name__}")
    for key in ("device", "opencv", "networks"):
        if key not in record:
            raise ValueError(f"the benchmark record has no {key!r}")
    networks = record["networks"]
    if not isinstance(networks, Mapping) or not networks:
        raise ValueError("the benchmark record's 'networks' must map network names to their results")
    for name, network in networks.items():
        results = network.get("results") if isinstance(network, Mapping) else None
        if not isinstance(results, Mapping) or not results:
            raise ValueError(f"network {name!r} of the benchmark record has no 'results'")
        for option, rows in results.items():
            _check_rows(rows, f"results[{option!r}] of network {name!r}")
    return dict(record)


def save_benchmark(record: Mapping[str, Any], path: str | Path | None = None) -> Path:
    """Check a GPU benchmark record and write it as JSON.

    Parameters
    ----------
    record : mapping
        In the format of the module docstring.
    path : str or Path, optional
        :func:`gpu_benchmark_path` by default.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path) if path is not None else gpu_benchmark_path()
    path.write_text(json.dumps(check_record(record), indent=1) + "\n", encoding="utf-8")
    return path


def load_benchmark(path: str | Path | None = None) -> dict | None:
    """Read a record written by :func:`save_benchmark`; ``None`` when there is none.

    Parameters
    ----------
    path : str or Path, optional
        :func:`gpu_benchmark_path` by default.

    Returns
    -------
    dict or None

    Raises
    ------
    ValueError
        If the file is not a benchmark record.
    """
    path = Path(path) if path is not None else gpu_benchmark_path()
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON: {error}") from None
    return check_record(record)


def plot_speedup(results: Mapping[str, Sequence[Mapping[str, float]]], title: str,
                 axes: Sequence[plt.Axes] | None = None) -> plt.Figure:
    """Plot throughput and speed-up against the batch size, one line per backend.

    The speed-up of a backend at batch size ``b`` is its throughput at ``b`` divided by the
    throughput of the first backend (normally ``"CPU"``) at its smallest batch size.

    Parameters
    ----------
    results : mapping of str to list of dict
        Backend name to rows with ``batch_size`` and ``throughput`` (images per second).
    title : str
        Title of the figure (of the pair of axes when ``axes`` is given).
    axes : pair of matplotlib Axes, optional
        Where to draw throughput and speed-up; a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(results)
    reference = min(results[names[0]], key=lambda row: row["batch_size"])["throughput"]
    if axes is None:
        fig, (ax_rate, ax_speed) = plt.subplots(1, 2, figsize=(11, 3.8))
        fig.suptitle(title)
    else:
        ax_rate, ax_speed = axes
        fig = ax_rate.figure
        ax_rate.set_title(title, loc="left", fontsize=10)
    for name in names:
        sizes = [r["batch_size"] for r in results[name]]
        rates = [r["throughput"] for r in results[name]]
        ax_rate.plot(sizes, rates, "o-", label=name)
        ax_speed.plot(sizes, [rate / reference for rate in rates], "o-", label=name)
    ax_rate.set_ylabel("throughput (images / s)")
    ax_speed.set_ylabel(f"speed-up over {names[0]} at batch size {min(r['batch_size'] for r in results[names[0]])}")
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
    fig.tight_layout()
    return fig


def plot_recorded(record: Mapping[str, Any]) -> plt.Figure:
    """Plot a GPU benchmark record: one row of :func:`plot_speedup` per network.

    Parameters
    ----------
    record : mapping
        As :func:`load_benchmark` returns it.

    Returns
    -------
    matplotlib.figure.Figure
    """
    networks = check_record(record)["networks"]
    fig, axes = plt.subplots(len(networks), 2, figsize=(11, 3.8 * len(networks)), squeeze=False)
    for row, (name, network) in zip(axes, networks.items()):
        plot_speedup(network["results"], name, axes=row)
    fig.suptitle(f"OpenCV {record['opencv']} DNN on {record['device']} (recorded {record.get('date', '')})".rstrip())
    fig.tight_layout()
    return fig
