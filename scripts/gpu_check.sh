#!/usr/bin/env bash
# make gpu-check: lesson 09's GPU measurement in one command, for a machine with an NVIDIA GPU.
#
# 1. Finds a CUDA build of OpenCV, first found wins:
#    a. the cv2 that PYTHON imports already has CUDA (make opencv-cuda installed it);
#    b. the module of a finished build: $WORK_DIR/build/lib/python3/cv2*.so;
#    c. a packed build (make opencv-cuda-pack): $WORK_DIR/dist/cv2-cuda.tar.xz, or the
#       file OPENCV_CUDA_ARTIFACT names, unpacked into $WORK_DIR/dist/cv2;
#    d. otherwise it builds one (scripts/build_opencv_cuda.sh, which needs PyPI for the source).
#    The module uses Python's stable ABI: one built with the course's Python 3.11 runs on 3.12.
#    cuDNN and cuBLAS come from NVIDIA's pip packages of PYTHON's environment (LD_LIBRARY_PATH).
# 2. Runs benchmarks/gpu_benchmark.py with it: the networks, the CPU reference, the GPU, the
#    benchmark, data/gpu_benchmark.json and data/gpu_benchmark.png. Without a GPU it stops before
#    the measurement with a message that starts "no NVIDIA GPU:" (exit status 2).
#
# Environment: WORK_DIR (default: build/opencv-cuda, as for scripts/build_opencv_cuda.sh);
# PYTHON (default: .venv/bin/python of the repository if there is one, else python3: it needs numpy,
# onnx and matplotlib; PyTorch is timed when it is there); OPENCV_CUDA_ARTIFACT; and what
# scripts/build_opencv_cuda.sh reads when it builds.
# Ctrl-C or SIGTERM stops it with a report of the step it was in and what was finished.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x "$REPO_ROOT/.venv/bin/python" ]]; then
        PYTHON="$REPO_ROOT/.venv/bin/python"
    else
        PYTHON="$(command -v python3 || true)"
    fi
fi
WORK_DIR="${WORK_DIR:-$REPO_ROOT/build/opencv-cuda}"
ARTIFACT="${OPENCV_CUDA_ARTIFACT:-$WORK_DIR/dist/cv2-cuda.tar.xz}"
BUILT_DIR="$WORK_DIR/build/lib/python3"
UNPACKED_DIR="$WORK_DIR/dist/cv2"
STAGE="starting"
DONE=()
CHILD=""
STARTED=$(date +%s)
export GPU_CHECK_STARTED="$STARTED"

say() {
    local elapsed=$(($(date +%s) - STARTED))
    printf '[gpu-check %d:%02d] %s\n' $((elapsed / 60)) $((elapsed % 60)) "$*"
}

die() {
    echo "gpu-check: $*" >&2
    exit 1
}

on_signal() {
    local name="$1" status="$2"
    [[ -n "$CHILD" ]] && kill -TERM "$CHILD" 2>/dev/null && wait "$CHILD" 2>/dev/null
    echo "gpu-check: interrupted by SIG$name after $(($(date +%s) - STARTED)) s, while $STAGE." >&2
    echo "gpu-check: finished before that: ${DONE[*]:-nothing}. A finished build is kept and reused next time." >&2
    exit "$status"
}
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

# Run a command in the background and wait for it, so that a signal is handled at once.
run() {
    "$@" &
    CHILD=$!
    local status=0
    wait "$CHILD" || status=$?
    CHILD=""
    return "$status"
}

# NVIDIA's pip library folders of PYTHON's environment (nvidia/cu13/lib, nvidia/cudnn/lib ...), ':'-joined.
nvidia_library_path() {
    "$PYTHON" - <<'EOF' 2>/dev/null || true
import pathlib
try:
    import nvidia
except ImportError:
    raise SystemExit(0)
print(":".join(sorted(str(p) for root in nvidia.__path__ for p in pathlib.Path(root).glob("*/lib") if p.is_dir())))
EOF
}

# Does PYTHON import a cv2 built with CUDA, with the folder $1 (may be empty) first on its path?
cv2_has_cuda() {
    local path="$1${PYTHONPATH:+${1:+:}$PYTHONPATH}"
    PYTHONPATH="$path" "$PYTHON" -c \
        'import re, cv2; raise SystemExit(0 if re.search(r"NVIDIA CUDA:\s*YES", cv2.getBuildInformation()) else 1)' \
        2>/dev/null
}

STAGE="checking $PYTHON"
[[ -n "$PYTHON" && -x "$PYTHON" ]] || die "no Python found: set PYTHON=/path/to/python3"
"$PYTHON" -c 'import numpy, onnx, matplotlib' 2>/dev/null \
    || die "$PYTHON lacks numpy, onnx or matplotlib: use the course's environment (make .venv/.ready) or set PYTHON"
NVIDIA_LIBS="$(nvidia_library_path)"
export LD_LIBRARY_PATH="${NVIDIA_LIBS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
DONE+=("Python $PYTHON")

STAGE="looking for a CUDA build of OpenCV"
say "$STAGE ..."
CV2_DIR=""
if cv2_has_cuda ""; then
    say "  the cv2 that $PYTHON imports has CUDA"
elif [[ -n "$(compgen -G "$BUILT_DIR/cv2*.so")" ]] && cv2_has_cuda "$BUILT_DIR"; then
    CV2_DIR="$BUILT_DIR"
    say "  reusing the build in $BUILT_DIR"
elif [[ -f "$ARTIFACT" ]]; then
    STAGE="unpacking $ARTIFACT"
    say "  $STAGE"
    rm -rf "$UNPACKED_DIR"
    mkdir -p "$UNPACKED_DIR"
    run tar -xJf "$ARTIFACT" -C "$UNPACKED_DIR" || die "could not unpack $ARTIFACT"
    cv2_has_cuda "$UNPACKED_DIR" \
        || die "the module in $ARTIFACT does not import with CUDA here (LD_LIBRARY_PATH=$LD_LIBRARY_PATH): $(PYTHONPATH="$UNPACKED_DIR" "$PYTHON" -c 'import cv2' 2>&1 | tail -1)"
    CV2_DIR="$UNPACKED_DIR"
else
    STAGE="building OpenCV with CUDA (scripts/build_opencv_cuda.sh; about 8 minutes on 16 cores)"
    say "  no CUDA build found: $STAGE"
    run env PYTHON="$PYTHON" WORK_DIR="$WORK_DIR" "$REPO_ROOT/scripts/build_opencv_cuda.sh" \
        || die "the build failed (see above). On a machine without PyPI, bring a packed build: make opencv-cuda-pack elsewhere, then copy build/opencv-cuda/dist/cv2-cuda.tar.xz here"
    cv2_has_cuda "" || die "the build finished, but $PYTHON still imports a cv2 without CUDA"
fi
DONE+=("CUDA build of OpenCV${CV2_DIR:+ from $CV2_DIR}")

STAGE="starting benchmarks/gpu_benchmark.py"
export PYTHONPATH="${CV2_DIR:+$CV2_DIR:}$REPO_ROOT/benchmarks:$REPO_ROOT${PYTHONPATH:+:$PYTHONPATH}"
export MPLBACKEND=Agg PYTHONUNBUFFERED=1
trap - INT TERM
exec "$PYTHON" "$REPO_ROOT/benchmarks/gpu_benchmark.py" "$@"
