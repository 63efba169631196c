"""Lesson 09's benchmark on a GPU machine: OpenCV DNN on the CPU, CUDA and CUDA_FP16, and PyTorch CUDA.

``make gpu-check`` (``scripts/gpu_check.sh``) runs this once it has made a CUDA build of OpenCV
importable. The steps, each announced with the time since the start:

1. the CUDA build: ``cv2.getBuildInformation()`` must report CUDA and cuDNN;
2. lesson 09's ``export_onnx``, ``load_net`` and ``benchmark``, executed from the solution notebook;
3. the networks: the trained digits network (``data/digits_cnn.npz``) exported with
   ``export_onnx``, and VGG16 with random weights (``cnncourse.onnx_zoo``), as ONNX files in the
   work folder;
4. each network's output on a fixed batch on the CPU, the reference for the GPU;
5. the GPU: ``nvidia-smi`` and OpenCV's CUDA devices. Without one it stops here, exit status 2,
   with a message that starts "no NVIDIA GPU:";
6. lesson 09's ``benchmark`` for every network and option at the batch sizes 1, 64 and 256; the
   number of timed calls per point is chosen to take about two seconds (3 to 20 calls);
7. each GPU option's output on the fixed batch against the CPU's; the record goes to
   ``data/gpu_benchmark.json`` (format: ``cnncourse/dnn_tools.py``) and its plot, the one
   lesson 09 shows, to ``data/gpu_benchmark.png``.

SIGINT or SIGTERM stops it with a report of the step it was in and what was finished; the
measurements taken so far go to ``<work>/partial.json``, never to ``data/``.

Exit status: 0 done; 1 no CUDA build or another error before the GPU; 2 no usable NVIDIA GPU;
3 a GPU option's output disagrees with the CPU's (the record is written, with ``"ok": false``);
128 + the signal's number when interrupted.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import onnx
from onnx import numpy_helper

from autograder.paths import COURSE_ROOT, SOLUTIONS_DIR
from cnncourse.digits import load_weights, weights_path
from cnncourse.dnn_tools import (cuda_build_lines, cuda_unavailable_reason, gpu_benchmark_path, layer_devices,
                                 onnx_input_shape, plot_recorded, quiet_opencv, save_benchmark)
from cnncourse.onnx_zoo import VGG16, VGG16_INPUT, model_from_arch
from lesson_code import solution_namespace

BATCH_SIZES = (1, 64, 256)
#: Seconds of timed calls per measured point, and the bounds on their number.
POINT_SECONDS, MIN_REPEATS, MAX_REPEATS = 2.0, 3, 20
#: Images in the batch on which every option's output is compared with the CPU's.
CHECK_BATCH = 4
#: Largest |output - CPU output| accepted (the outputs are softmax probabilities).
TOLERANCE = {"CUDA": 1e-4, "CUDA_FP16": 1e-2, "PyTorch CUDA": 1e-4}
#: OpenCV's options: backend, target and the label ``net.dump()`` gives the layers that ran there.
OPENCV_OPTIONS = {
    "CPU": (cv2.dnn.DNN_BACKEND_OPENCV, cv2.dnn.DNN_TARGET_CPU, "OCV/CPU"),
    "CUDA": (cv2.dnn.DNN_BACKEND_CUDA, cv2.dnn.DNN_TARGET_CUDA, "CUDA/CUDA"),
    "CUDA_FP16": (cv2.dnn.DNN_BACKEND_CUDA, cv2.dnn.DNN_TARGET_CUDA_FP16, "CUDA/CUDA_FP16"),
}


class Stop(Exception):
    """Ends the run early with a message and an exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class Progress:
    """Announces each step with the time since the start, and remembers what was finished."""

    def __init__(self) -> None:
        # scripts/gpu_check.sh passes its start, so that the times run on from its own steps.
        self.started = float(os.environ.get("GPU_CHECK_STARTED", time.time()))
        self.stage = "starting"
        self.done: list[str] = []
        self.partial: dict[str, dict[str, list[dict]]] = {}

    def elapsed(self) -> str:
        seconds = int(time.time() - self.started)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def begin(self, stage: str) -> None:
        self.stage = stage
        print(f"[gpu-check {self.elapsed()}] {stage} ...", flush=True)

    def finish(self, summary: str) -> None:
        self.done.append(summary)
        print(f"[gpu-check {self.elapsed()}]   {summary}", flush=True)

    def report_interruption(self, signum: int, work: Path) -> None:
        """Say where the run stood; keep the measurements taken so far in ``work/partial.json``."""
        print(f"gpu-check: interrupted by {signal.Signals(signum).name} after {self.elapsed()}, "
              f"while {self.stage}.", file=sys.stderr)
        print("gpu-check: finished before that: " + ("; ".join(self.done) or "nothing"), file=sys.stderr)
        if self.partial:
            path = work / "partial.json"
            path.write_text(json.dumps(self.partial, indent=1) + "\n", encoding="utf-8")
            print(f"gpu-check: the measurements taken so far are in {path}; data/gpu_benchmark.json was not written.",
                  file=sys.stderr)
        else:
            print("gpu-check: nothing was measured; data/gpu_benchmark.json was not written.", file=sys.stderr)


def _interrupt(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


def check_cuda_build(progress: Progress) -> list[str]:
    """Step 1: the CUDA and cuDNN lines of this cv2's build information."""
    progress.begin("checking that this OpenCV was built with CUDA")
    lines = cuda_build_lines()
    if not any(line.startswith("NVIDIA CUDA:") and "YES" in line for line in lines):
        raise Stop(f"cv2 {cv2.__version__} from {cv2.__file__} was built without CUDA. Build one "
                   "(make opencv-cuda) or bring a packed build (build/opencv-cuda/dist/cv2-cuda.tar.xz)", 1)
    if not any(line.startswith("cuDNN:") and "YES" in line for line in lines):
        raise Stop(f"cv2 from {cv2.__file__} was built with CUDA but without cuDNN: the DNN module cannot use CUDA", 1)
    progress.finish(f"cv2 {cv2.__version__} from {cv2.__file__}: " + "; ".join(lines))
    return lines


def lesson_functions(progress: Progress) -> dict[str, Any]:
    """Step 2: lesson 09's graded functions, from its solution notebook."""
    progress.begin("loading lesson 09's export_onnx, load_net and benchmark")
    lessons = sorted(path.name for path in SOLUTIONS_DIR.glob("*_opencv_dnn"))
    if len(lessons) != 1:
        raise Stop(f"expected one lesson *_opencv_dnn in {SOLUTIONS_DIR}, found {lessons}", 1)
    namespace = solution_namespace(lessons[0], ["setup_opencv_dnn", "export_onnx", "load_net", "benchmark"])
    progress.finish(f"lesson functions from solutions/{lessons[0]}")
    return namespace


def build_networks(lesson: Mapping[str, Any], work: Path, progress: Progress) -> dict[str, Path]:
    """Step 3: the digits network and VGG16 as ONNX files."""
    progress.begin("exporting the digits network with export_onnx")
    params, _, _ = load_weights(weights_path())  # the course's network, wherever the benchmark runs from
    networks = {"digits_cnn": Path(lesson["export_onnx"](params, work / "digits_cnn.onnx"))}
    progress.finish(f"digits_cnn: {networks['digits_cnn']}")
    progress.begin("building VGG16 with random weights")
    networks["VGG16"] = work / "VGG16.onnx"
    onnx.save(model_from_arch(VGG16, VGG16_INPUT, name="VGG16"), str(networks["VGG16"]))
    progress.finish(f"VGG16: {networks['VGG16']} ({networks['VGG16'].stat().st_size / 2**20:.0f} MiB)")
    return networks


def check_batch(shape: Sequence[int]) -> np.ndarray:
    """The fixed batch on which every option's output is compared."""
    return np.random.default_rng(2024).random((CHECK_BATCH, *shape), dtype=np.float32)


def set_option(net: Any, option: str) -> None:
    backend, target, _ = OPENCV_OPTIONS[option]
    net.setPreferableBackend(backend)
    net.setPreferableTarget(target)


def run_once(net: Any, blob: np.ndarray) -> np.ndarray:
    net.setInput(blob)
    return np.array(net.forward(), copy=True)


def cpu_references(lesson: Mapping[str, Any], networks: Mapping[str, Path], progress: Progress) -> dict[str, np.ndarray]:
    """Step 4: each network's output on its fixed batch, on the CPU."""
    references = {}
    for name, path in networks.items():
        progress.begin(f"{name}: reference output on the CPU")
        net = lesson["load_net"](path)
        set_option(net, "CPU")
        references[name] = run_once(net, check_batch(onnx_input_shape(path)))
        progress.finish(f"{name}: CPU output {references[name].shape} on {CHECK_BATCH} inputs")
    return references


def nvidia_gpus() -> tuple[list[str], str]:
    """The GPUs nvidia-smi lists (name, driver), and why there are none when it lists none."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return [], "nvidia-smi is not on PATH (no NVIDIA driver)"
    try:
        answer = subprocess.run([smi, "--query-gpu=name,driver_version", "--format=csv,noheader"],
                                capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return [], f"nvidia-smi did not answer ({error})"
    gpus = [line.strip() for line in answer.stdout.splitlines() if line.strip()]
    if answer.returncode != 0 or not gpus:
        said = (answer.stderr or answer.stdout).strip().splitlines()
        return [], f"nvidia-smi lists no GPU ({said[0] if said else f'exit status {answer.returncode}'})"
    return gpus, ""


def find_gpu(progress: Progress) -> str:
    """Step 5: the GPU OpenCV will use, as nvidia-smi names it; :class:`Stop` with status 2 without one."""
    progress.begin("looking for an NVIDIA GPU")
    gpus, why_none = nvidia_gpus()
    opencv = cuda_unavailable_reason()
    before = "; ".join(progress.done)
    if not gpus:
        raise Stop(f"no NVIDIA GPU: {why_none}, and OpenCV says: {opencv or 'it sees a CUDA device'}. "
                   f"Everything before the GPU is done ({before}); run make gpu-check on a machine with an NVIDIA GPU.", 2)
    if opencv is not None:
        raise Stop(f"no NVIDIA GPU that OpenCV can use: nvidia-smi lists {gpus}, but {opencv}", 2)
    progress.finish(f"GPU: {gpus[0]}")
    return gpus[0]


def repeats_for(predicted_seconds: float | None) -> int:
    """Timed calls for a point whose calls are predicted to take ``predicted_seconds`` each."""
    if predicted_seconds is None or predicted_seconds <= 0:
        return MAX_REPEATS
    return int(min(MAX_REPEATS, max(MIN_REPEATS, POINT_SECONDS / predicted_seconds)))


def measure(benchmark: Callable[..., list[dict]], net: Any, shape: tuple[int, int, int],
            network: str, option: str, progress: Progress) -> list[dict]:
    """Lesson 09's ``benchmark`` at each batch size, with as many calls as fit in about two seconds."""
    rows: list[dict] = []
    progress.partial.setdefault(network, {})[option] = rows
    predicted = None
    for index, batch in enumerate(BATCH_SIZES):
        repeats = repeats_for(predicted)
        progress.stage = f"timing {network} on {option} at batch size {batch} ({repeats} calls after the first)"
        row = dict(benchmark(net, [batch], input_shape=shape, repeats=repeats)[0], repeats=repeats)
        rows.append(row)
        print(f"[gpu-check {progress.elapsed()}]   {network} on {option}, batch {batch:3d}: first call "
              f"{row['first_ms']:9.2f} ms, latency {row['latency_ms']:9.3f} ms, {row['throughput']:12,.0f} images/s",
              flush=True)
        if index + 1 < len(BATCH_SIZES):  # the next batch's calls, if time grows with the batch
            predicted = row["latency_ms"] / 1e3 * BATCH_SIZES[index + 1] / batch
    return rows


class TorchNet:
    """An ONNX chain of Conv, Relu, MaxPool, Flatten, Gemm, Softmax (Dropout) run by PyTorch.

    It has the ``setInput``/``forward`` of a ``cv2.dnn.Net``, so that lesson 09's ``benchmark``
    times it the same way: host array in, host array out. TF32 is switched off (full float32).
    """

    def __init__(self, path: Path, torch: Any, device: str = "cuda") -> None:
        self.torch, self.device = torch, device
        functional = torch.nn.functional
        model = onnx.load(str(path))
        weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()).to(device) for t in model.graph.initializer}
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        self.steps: list[Callable[[Any], Any]] = []
        previous = next(i.name for i in model.graph.input if i.name not in weights)
        for node in model.graph.node:
            if node.input[0] != previous:
                raise ValueError(f"{path}: node {node.name} does not follow the previous one: only chains are supported")
            previous = node.output[0]
            attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            self.steps.append(self._step(node, attributes, weights, functional))

    def _step(self, node: Any, attributes: dict, weights: dict, functional: Any) -> Callable[[Any], Any]:
        op, torch = node.op_type, self.torch
        if op == "Conv":
            pads = list(attributes.get("pads", [0, 0, 0, 0]))
            if pads[:2] != pads[2:]:
                raise ValueError(f"node {node.name}: asymmetric padding {pads}")
            w, b = weights[node.input[1]], weights[node.input[2]] if len(node.input) > 2 else None
            stride = list(attributes.get("strides", [1, 1]))
            return lambda x: functional.conv2d(x, w, b, stride=stride, padding=pads[:2])
        if op == "Relu":
            return functional.relu
        if op == "MaxPool":
            kernel, stride = list(attributes["kernel_shape"]), list(attributes.get("strides", [1, 1]))
            padding = list(attributes.get("pads", [0, 0, 0, 0]))[:2]
            return lambda x: functional.max_pool2d(x, kernel, stride, padding)
        if op == "Flatten":
            axis = int(attributes.get("axis", 1))
            return lambda x: torch.flatten(x, axis)
        if op == "Gemm":
            w = weights[node.input[1]].t() if attributes.get("transB", 0) else weights[node.input[1]]
            b = weights[node.input[2]]
            return lambda x: torch.addmm(b, x, w)
        if op == "Softmax":
            axis = int(attributes.get("axis", -1))
            return lambda x: torch.softmax(x, axis)
        if op == "Dropout":
            return lambda x: x
        raise ValueError(f"node {node.name}: {op} is not supported")

    def setInput(self, blob: np.ndarray) -> None:  # noqa: N802  (cv2.dnn.Net's name)
        self.blob = np.ascontiguousarray(blob, dtype=np.float32)

    def forward(self) -> np.ndarray:
        with self.torch.inference_mode():
            x = self.torch.from_numpy(self.blob).to(self.device)
            for step in self.steps:
                x = step(x)
            return x.cpu().numpy()


def import_torch() -> tuple[Any, str]:
    """PyTorch when it is importable and sees CUDA, and a line that says what was found."""
    try:
        import torch
    except ImportError as error:
        return None, f"PyTorch not importable ({error})"
    if not torch.cuda.is_available():
        return None, f"PyTorch {torch.__version__} sees no CUDA device"
    return torch, f"PyTorch {torch.__version__}"


def agreement(option: str, output: np.ndarray, reference: np.ndarray) -> dict[str, Any]:
    difference = float(np.max(np.abs(output.astype(np.float64) - reference)))
    return {"max_abs_diff": difference, "tolerance": TOLERANCE[option], "ok": difference <= TOLERANCE[option]}


def measure_all(lesson: Mapping[str, Any], networks: Mapping[str, Path], references: Mapping[str, np.ndarray],
                torch: Any, progress: Progress) -> dict[str, dict[str, Any]]:
    """Step 6 and 7's comparison: every network on every option."""
    recorded: dict[str, dict[str, Any]] = {}
    for name, path in networks.items():
        shape = onnx_input_shape(path)
        results: dict[str, list[dict]] = {}
        agreements: dict[str, dict[str, Any]] = {}
        for option, (_, _, label) in OPENCV_OPTIONS.items():
            progress.begin(f"{name} on OpenCV {option}")
            net = lesson["load_net"](path)
            set_option(net, option)
            with quiet_opencv():
                output = run_once(net, check_batch(shape))
            ran_on = layer_devices(net)
            if ran_on[label] == 0:
                raise Stop(f"{name} on {option}: OpenCV ran the layers on {dict(ran_on)}, not on {label}", 1)
            if option != "CPU":
                agreements[option] = agreement(option, output, references[name])
            results[option] = measure(lesson["benchmark"], net, shape, name, option, progress)
            progress.finish(f"{name} on {option}: layers ran on {dict(ran_on)}"
                            + (f", max |difference| from the CPU {agreements[option]['max_abs_diff']:.1e}"
                               if option in agreements else ""))
            del net
        if torch is not None:
            progress.begin(f"{name} on PyTorch CUDA")
            net = TorchNet(path, torch)
            agreements["PyTorch CUDA"] = agreement("PyTorch CUDA", run_once(net, check_batch(shape)), references[name])
            results["PyTorch CUDA"] = measure(lesson["benchmark"], net, shape, name, "PyTorch CUDA", progress)
            progress.finish(f"{name} on PyTorch CUDA: max |difference| from the CPU "
                            f"{agreements['PyTorch CUDA']['max_abs_diff']:.1e}")
            del net
            torch.cuda.empty_cache()
        recorded[name] = {"input_shape": list(shape), "results": results, "agreement": agreements}
    return recorded


def run_guarded(steps: Callable[[Progress], int], work: Path) -> int:
    """Run ``steps(progress)``; turn :class:`Stop`, SIGINT and SIGTERM into a report and an exit status."""
    progress = Progress()
    previous = {signum: signal.signal(signum, _interrupt) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        return steps(progress)
    except Interrupted as interruption:
        progress.report_interruption(interruption.signum, work)
        return 128 + interruption.signum
    except Stop as stop:
        print(f"gpu-check: {stop}", file=sys.stderr)
        return stop.status
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run_steps(args: argparse.Namespace, progress: Progress) -> int:
    """The steps of the module docstring; return the exit status."""
    build = check_cuda_build(progress)
    lesson = lesson_functions(progress)
    networks = build_networks(lesson, args.work, progress)
    references = cpu_references(lesson, networks, progress)
    device = find_gpu(progress)
    torch, torch_line = import_torch()
    progress.finish(torch_line)
    record = {"device": device, "opencv": cv2.__version__, "torch": torch.__version__ if torch else None,
              "date": datetime.date.today().isoformat(), "build": build, "batch_sizes": list(BATCH_SIZES),
              "networks": measure_all(lesson, networks, references, torch, progress)}
    progress.begin(f"writing {args.out} and {args.plot}")
    save_benchmark(record, args.out)
    plot_recorded(record).savefig(args.plot, dpi=110)
    progress.finish(f"wrote {args.out} and {args.plot}")
    failed = [f"{name} on {option} (max |difference| {check['max_abs_diff']:.1e} > {check['tolerance']:g})"
              for name, network in record["networks"].items() for option, check in network["agreement"].items()
              if not check["ok"]]
    if failed:
        print("gpu-check: outputs that disagree with the CPU: " + "; ".join(failed), file=sys.stderr)
        return 3
    print(f"gpu-check: done in {progress.elapsed()}; every GPU option agrees with the CPU.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the steps; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=COURSE_ROOT / "build" / "gpu-check",
                        help="folder for the ONNX files and partial results (default: build/gpu-check)")
    parser.add_argument("--out", type=Path, default=gpu_benchmark_path(), help="the record (default: data/gpu_benchmark.json)")
    parser.add_argument("--plot", type=Path, default=gpu_benchmark_path().with_suffix(".png"),
                        help="its plot (default: data/gpu_benchmark.png)")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / "partial.json").unlink(missing_ok=True)
    return run_guarded(lambda progress: run_steps(args, progress), args.work)


if __name__ == "__main__":
    raise SystemExit(main())
