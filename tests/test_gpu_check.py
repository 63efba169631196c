"""Lesson 09's GPU path on a machine without a GPU: the helpers, benchmarks/gpu_benchmark.py up to
the GPU, scripts/gpu_check.sh's search for a CUDA build. The run with a real CUDA build of OpenCV
is tests/test_cuda_build.py (marker ``cuda_build``)."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import textwrap
import time
from pathlib import Path

import cv2
import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from autograder.paths import COURSE_ROOT
from cnncourse import dnn_tools
from cnncourse.onnx_zoo import model_from_arch

sys.path.insert(0, str(COURSE_ROOT / "benchmarks"))
import gpu_benchmark

SMALL_ARCH = [{"type": "conv", "filters": 2, "size": 3, "pad": 1}, {"type": "relu"}, {"type": "pool", "size": 2},
              {"type": "fc", "units": 3}, {"type": "softmax"}]


def small_onnx(folder: Path, shape=(2, 6, 10)) -> Path:
    path = folder / "small.onnx"
    onnx.save(model_from_arch(SMALL_ARCH, shape, seed=1), str(path))
    return path


def rows(*batches: int) -> list[dict]:
    return [{"batch_size": b, "first_ms": 5.0, "latency_ms": 0.5 * b, "throughput": 2000.0} for b in batches]


def record() -> dict:
    def results():
        return {"CPU": rows(1, 64, 256), "CUDA": rows(1, 64, 256)}

    return {"device": "NVIDIA Test GPU", "opencv": "5.0.0", "date": "2026-11-29",
            "networks": {"digits_cnn": {"input_shape": [1, 8, 8], "results": results(),
                                        "agreement": {"CUDA": {"max_abs_diff": 1e-7, "tolerance": 1e-4, "ok": True}}},
                         "VGG16": {"input_shape": [3, 224, 224], "results": results(), "agreement": {}}}}


def test_onnx_input_shape_is_the_declared_one(tmp_path):
    assert dnn_tools.onnx_input_shape(small_onnx(tmp_path)) == (2, 6, 10)
    free = helper.make_model(helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, "height", "width"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3, "height", "width"])]))
    onnx.save(free, str(tmp_path / "free.onnx"))
    with pytest.raises(ValueError, match=r"declared \['batch', 3, 'height', 'width'\]"):
        dnn_tools.onnx_input_shape(tmp_path / "free.onnx")
    (tmp_path / "junk.onnx").write_bytes(b"not a model" * 20)
    with pytest.raises(ValueError, match="not an ONNX model"):
        dnn_tools.onnx_input_shape(tmp_path / "junk.onnx")


def test_net_facts_are_kept_for_the_remembered_nets_only(tmp_path):
    path = small_onnx(tmp_path)
    net = cv2.dnn.readNetFromONNX(str(path), cv2.dnn.ENGINE_CLASSIC)
    other = cv2.dnn.readNetFromONNX(str(path), cv2.dnn.ENGINE_CLASSIC)
    dnn_tools.remember_net(net, engine="ENGINE_CLASSIC", input_shape=(2, 6, 10))
    assert dnn_tools.net_facts(net) == ("ENGINE_CLASSIC", (2, 6, 10))
    assert dnn_tools.net_facts(other) is None
    with pytest.raises(ValueError, match=r"\(C, H, W\)"):
        dnn_tools.remember_net(other, engine="ENGINE_CLASSIC", input_shape=(6, 10))
    later = [cv2.dnn.Net() for _ in range(dnn_tools._REMEMBERED_NETS)]
    for each in later:
        dnn_tools.remember_net(each, engine="x", input_shape=(1, 1, 1))
    assert dnn_tools.net_facts(net) is None, "the oldest network is forgotten beyond the limit"
    assert dnn_tools.net_facts(later[-1]) == ("x", (1, 1, 1))


@pytest.mark.parametrize("info, devices, targets, expected", [
    ("  NVIDIA CUDA:  NO\n", -1, (), "built without CUDA"),
    ("  NVIDIA CUDA:  YES (ver 13.0, CUBLAS)\n  cuDNN:  NO\n", -1, (), "without cuDNN"),
    ("  NVIDIA CUDA:  YES (ver 13.0, CUBLAS)\n  cuDNN:  YES (ver 9.12.0)\n", -1, (),
     r"built with CUDA \(ver 13.0, CUBLAS\) and cuDNN, but there is no CUDA device here"),
    ("  NVIDIA CUDA:  YES (ver 13.0, CUBLAS)\n  cuDNN:  YES (ver 9.12.0)\n", 1, (), "offers no CUDA target"),
    ("  NVIDIA CUDA:  YES (ver 13.0, CUBLAS)\n  cuDNN:  YES (ver 9.12.0)\n", 1, (cv2.dnn.DNN_TARGET_CUDA,), None),
])
def test_cuda_unavailable_reason_tells_the_cases_apart(monkeypatch, info, devices, targets, expected):
    monkeypatch.setattr(cv2, "getBuildInformation", lambda: info)
    monkeypatch.setattr(cv2.cuda, "getCudaEnabledDeviceCount", lambda: devices)
    monkeypatch.setattr(cv2.dnn, "getAvailableTargets", lambda backend: targets)
    reason = dnn_tools.cuda_unavailable_reason()
    assert reason is None if expected is None else re.search(expected, reason), reason


def test_quiet_opencv_restores_the_log_level():
    before = cv2.utils.logging.getLogLevel()
    with dnn_tools.quiet_opencv():
        assert cv2.utils.logging.getLogLevel() == cv2.utils.logging.LOG_LEVEL_SILENT
    assert cv2.utils.logging.getLogLevel() == before


def test_benchmark_record_round_trip_and_plot(tmp_path):
    path = dnn_tools.save_benchmark(record(), tmp_path / "gpu.json")
    assert dnn_tools.load_benchmark(path) == record()
    assert dnn_tools.load_benchmark(tmp_path / "absent.json") is None
    figure = dnn_tools.plot_recorded(dnn_tools.load_benchmark(path))
    assert len(figure.axes) == 4 and "NVIDIA Test GPU" in figure.get_suptitle()
    broken = record()
    del broken["networks"]["VGG16"]["results"]["CUDA"][1]["latency_ms"]
    with pytest.raises(ValueError, match=r"results\['CUDA'\] of network 'VGG16'.*latency_ms"):
        dnn_tools.save_benchmark(broken, tmp_path / "broken.json")
    (tmp_path / "text.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not JSON"):
        dnn_tools.load_benchmark(tmp_path / "text.json")
    with pytest.raises(ValueError, match="no 'device'"):
        dnn_tools.check_record({"opencv": "5.0.0", "networks": {}})


def test_repeats_fit_the_time_per_point():
    assert gpu_benchmark.repeats_for(None) == gpu_benchmark.MAX_REPEATS
    assert gpu_benchmark.repeats_for(1e-5) == gpu_benchmark.MAX_REPEATS
    assert gpu_benchmark.repeats_for(0.5) == 4
    assert gpu_benchmark.repeats_for(30.0) == gpu_benchmark.MIN_REPEATS


def test_agreement_against_the_cpu():
    reference = np.full((2, 3), 0.25)
    assert gpu_benchmark.agreement("CUDA", reference + 5e-5, reference)["ok"]
    check = gpu_benchmark.agreement("CUDA", reference + 2e-4, reference)
    assert not check["ok"] and check["max_abs_diff"] == pytest.approx(2e-4)
    assert gpu_benchmark.agreement("CUDA_FP16", reference + 2e-3, reference)["ok"]


def test_without_nvidia_smi_the_check_stops_with_no_nvidia_gpu(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert gpu_benchmark.nvidia_gpus() == ([], "nvidia-smi is not on PATH (no NVIDIA driver)")
    progress = gpu_benchmark.Progress()
    progress.done.append("the networks")
    with pytest.raises(gpu_benchmark.Stop) as stop:
        gpu_benchmark.find_gpu(progress)
    assert stop.value.status == 2
    message = str(stop.value)
    assert message.startswith("no NVIDIA GPU: nvidia-smi is not on PATH"), message
    assert "OpenCV says: " in message and "Everything before the GPU is done (the networks)" in message


def test_an_opencv_without_cuda_stops_the_check_first(monkeypatch, capsys):
    monkeypatch.setattr(cv2, "getBuildInformation", lambda: "  NVIDIA CUDA:  NO\n")
    status = gpu_benchmark.run_guarded(lambda progress: gpu_benchmark.check_cuda_build(progress) and 0, Path("."))
    assert status == 1
    assert "was built without CUDA. Build one (make opencv-cuda)" in capsys.readouterr().err


def test_lesson_functions_come_from_the_solution_notebook():
    lesson = gpu_benchmark.lesson_functions(gpu_benchmark.Progress())
    assert all(callable(lesson[name]) for name in ("export_onnx", "load_net", "benchmark"))


def test_interrupted_run_says_where_it_stood(tmp_path):
    """SIGTERM in the middle of a step: the report names the step, what was done, and keeps the partial results."""
    child = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, {str(COURSE_ROOT / "benchmarks")!r})
        import gpu_benchmark

        def steps(progress):
            progress.begin("exporting the digits network")
            progress.finish("digits_cnn: exported")
            progress.partial["digits_cnn"] = {{"CPU": [{{"batch_size": 1}}]}}
            progress.begin("timing VGG16 on CPU")
            time.sleep(60)
            return 0

        raise SystemExit(gpu_benchmark.run_guarded(steps, Path({str(tmp_path)!r})))
    """)
    process = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    seen = ""
    while "timing VGG16 on CPU" not in seen and time.monotonic() < deadline:
        seen += process.stdout.readline()
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "interrupted by SIGTERM" in err and "while timing VGG16 on CPU" in err, err
    assert "finished before that: digits_cnn: exported" in err, err
    assert json.loads((tmp_path / "partial.json").read_text()) == {"digits_cnn": {"CPU": [{"batch_size": 1}]}}
    assert "data/gpu_benchmark.json was not written" in err


def _venv_cv2_has_cuda() -> bool:
    return bool(re.search(r"NVIDIA CUDA:\s*YES", subprocess.run(
        [sys.executable, "-c", "import cv2; print(cv2.getBuildInformation())"],
        capture_output=True, text=True, check=True).stdout))


def test_gpu_check_refuses_a_packed_module_without_cuda(tmp_path):
    """scripts/gpu_check.sh unpacks a packed build and refuses it when it has no CUDA."""
    if _venv_cv2_has_cuda():
        pytest.skip("this environment's cv2 has CUDA (make opencv-cuda installed it): gpu_check.sh uses it first")
    module = tmp_path / "cv2.py"
    module.write_text("def getBuildInformation():\n    return 'NVIDIA CUDA: NO'\n", encoding="utf-8")
    (tmp_path / "work" / "dist").mkdir(parents=True)
    with tarfile.open(tmp_path / "work" / "dist" / "cv2-cuda.tar.xz", "w:xz") as archive:
        archive.add(module, arcname="cv2.py")
    done = subprocess.run(["bash", str(COURSE_ROOT / "scripts" / "gpu_check.sh")], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHON": sys.executable, "WORK_DIR": str(tmp_path / "work")})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "unpacking" in done.stdout and "does not import with CUDA here" in done.stderr, done.stdout + done.stderr


#: A stand-in for a packed CUDA build: the wheel's cv2, whose build information claims CUDA and cuDNN.
_CLAIMS_CUDA = '''import cv2
_wheel_information = cv2.getBuildInformation
cv2.getBuildInformation = lambda: (_wheel_information()
                                   + "  NVIDIA CUDA:  YES (ver 13.0, CUBLAS)\\n  NVIDIA GPU arch:  90\\n  cuDNN:  YES (ver 9.12.0)\\n")
'''


def test_gpu_check_does_everything_before_the_gpu_then_stops(tmp_path):
    """make gpu-check's whole road on a machine without a GPU, with a packed build that claims CUDA."""
    if _venv_cv2_has_cuda():
        pytest.skip("this environment's cv2 has CUDA (make opencv-cuda installed it): tests/test_cuda_build.py covers it")
    stand_in = tmp_path / "sitecustomize.py"
    stand_in.write_text(_CLAIMS_CUDA, encoding="utf-8")
    (tmp_path / "work" / "dist").mkdir(parents=True)
    with tarfile.open(tmp_path / "work" / "dist" / "cv2-cuda.tar.xz", "w:xz") as archive:
        archive.add(stand_in, arcname="sitecustomize.py")
    out = tmp_path / "gpu_benchmark.json"
    done = subprocess.run(
        ["bash", str(COURSE_ROOT / "scripts" / "gpu_check.sh"), "--work", str(tmp_path / "check"), "--out", str(out),
         "--plot", str(tmp_path / "gpu_benchmark.png")],
        capture_output=True, text=True, timeout=1200,
        env={**os.environ, "PYTHON": sys.executable, "WORK_DIR": str(tmp_path / "work"), "PATH": "/usr/bin:/bin"})
    printed = done.stdout + done.stderr
    assert done.returncode == 2, printed
    for step in ("unpacking", "NVIDIA CUDA:  YES", "lesson functions from solutions/", "loaded digits_cnn.onnx with ENGINE_CLASSIC",
                 "VGG16: ", "digits_cnn: CPU output (4, 10)", "VGG16: CPU output (4, 1000)", "looking for an NVIDIA GPU"):
        assert step in done.stdout, (step, printed)
    assert re.search(r"gpu-check: no NVIDIA GPU: nvidia-smi is not on PATH \(no NVIDIA driver\), and OpenCV says: this "
                     r"OpenCV was built with CUDA \(ver 13.0, CUBLAS\) and cuDNN, but there is no CUDA device here", done.stderr), printed
    assert not out.exists(), "nothing is recorded without a GPU"


def test_the_build_asks_for_cudnn_pip_when_the_libraries_are_missing(tmp_path):
    """scripts/build_opencv_cuda.sh --check: without cuDNN, cuBLAS and NPP it names the two ways to get them."""
    if shutil.which("nvcc") is None and not Path("/usr/local/cuda/bin/nvcc").exists():
        pytest.skip("no CUDA toolkit here: the check stops at nvcc first")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True, timeout=120)
    done = subprocess.run(["bash", str(COURSE_ROOT / "scripts" / "build_opencv_cuda.sh"), "--check"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHON": str(tmp_path / "bare" / "bin" / "python"), "CUDA_ARCH_BIN": "9.0",
                               "WORK_DIR": str(tmp_path / "work")})
    if done.returncode == 0:
        pytest.skip("this machine has cuDNN, cuBLAS and NPP installed: nothing is missing")
    assert done.returncode == 1
    assert "not found in the system" in done.stderr and "make opencv-cuda CUDNN=pip" in done.stderr, done.stderr
