#!/usr/bin/env bash
# Build OpenCV 5.0's DNN module with CUDA and cuDNN, and make the course's Python use it.
#
# The opencv-python wheels from PyPI have no CUDA: cv2.dnn.DNN_BACKEND_CUDA raises cv2.error at
# forward time. This script follows the recipe verified on an H100 machine (docs of the course:
# gpu-opencv-build.md): it downloads the opencv-contrib-python 5.0.0.93 source distribution with
# pip, keeps only the modules the DNN module needs (core, flann, geometry, imgproc, imgcodecs, dnn,
# python, and contrib's cudev), configures them with CUDA for the GPU of this machine and the
# Python in use, builds with ninja (about 8 minutes on 16 cores, 20+ on 2) and installs the
# resulting cv2 extension module as an override of the pip wheel:
#   <site-packages>/opencv_cuda/cv2.cpython-*.so  and  <site-packages>/00-opencv-cuda.pth,
# a .pth line that puts that folder first on sys.path (a plain .pth entry would come after the
# wheel's cv2 package and lose). --uninstall removes both; the wheel is never touched.
#
# Usage: scripts/build_opencv_cuda.sh [--check | --uninstall]
#   --check      only check the prerequisites (GPU, nvcc, cuDNN, cuBLAS, cmake, ninja, Python headers)
#   --uninstall  remove the override; the pip wheel's cv2 (CPU only) is used again
# Environment:
#   PYTHON          interpreter to build for and install into (default: .venv/bin/python of the repository)
#   CUDA_HOME       CUDA toolkit (default: /usr/local/cuda, else the folder of nvcc on PATH)
#   CUDA_ARCH_BIN   compute capabilities, e.g. "9.0" or "8.0;9.0" (default: from nvidia-smi;
#                   set it to build on a machine without a GPU for another one)
#   CUDNN_INCLUDE_DIR, CUDNN_LIBRARY   cuDNN's header folder and libcudnn.so (default: searched)
#   WORK_DIR        download and build folder (default: <repository>/build/opencv-cuda)
#   JOBS            parallel build jobs (default: nproc)
set -euo pipefail

OPENCV_PACKAGE="opencv-contrib-python==5.0.0.93"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$REPO_ROOT/.venv/bin/python}"
[[ -x "$PYTHON" ]] || PYTHON="$(command -v python3 || true)"
WORK_DIR="${WORK_DIR:-$REPO_ROOT/build/opencv-cuda}"
JOBS="${JOBS:-$(nproc)}"

die() {
    echo "build_opencv_cuda: $*" >&2
    exit 1
}

say() {
    echo "build_opencv_cuda: $*"
}

site_packages() {
    [[ -n "$PYTHON" ]] || die "no Python found: set PYTHON=/path/to/python"
    "$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'
}

uninstall() {
    local site
    site="$(site_packages)"
    rm -f "$site/00-opencv-cuda.pth"
    rm -rf "$site/opencv_cuda"
    say "removed the CUDA override from $site; cv2 is the pip wheel's again"
}

# Print the first existing file among the arguments (globs allowed), or nothing.
first_file() {
    local pattern file
    for pattern in "$@"; do
        # shellcheck disable=SC2086  # the pattern is meant to be expanded as a glob
        for file in $pattern; do
            if [[ -f "$file" ]]; then
                echo "$file"
                return
            fi
        done
    done
}

check_prerequisites() {
    local tool
    for tool in cmake ninja c++ tar; do
        command -v "$tool" >/dev/null || die "$tool is missing (apt-get install cmake ninja-build g++)"
    done

    if [[ -z "${CUDA_HOME:-}" ]]; then
        if [[ -x /usr/local/cuda/bin/nvcc ]]; then
            CUDA_HOME=/usr/local/cuda
        elif command -v nvcc >/dev/null; then
            CUDA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v nvcc)")")")"
        else
            die "nvcc not found: install the CUDA toolkit or set CUDA_HOME"
        fi
    fi
    NVCC="$CUDA_HOME/bin/nvcc"
    [[ -x "$NVCC" ]] || die "$NVCC does not exist: CUDA_HOME=$CUDA_HOME is not a CUDA toolkit"

    if [[ -z "${CUDA_ARCH_BIN:-}" ]]; then
        command -v nvidia-smi >/dev/null \
            || die "no NVIDIA GPU here (nvidia-smi not found). Run this on the GPU machine, or set CUDA_ARCH_BIN (e.g. 9.0) to build for another one"
        CUDA_ARCH_BIN="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | sort -u | paste -sd';' || true)"
        [[ -n "$CUDA_ARCH_BIN" ]] || die "nvidia-smi found no GPU (is the driver loaded?); set CUDA_ARCH_BIN to build anyway"
    fi

    local cuda_lib="$CUDA_HOME/lib64"
    CUBLAS="$(first_file "$cuda_lib/libcublas.so" "$cuda_lib/libcublas.so.*" "$CUDA_HOME/targets/*/lib/libcublas.so")"
    [[ -n "$CUBLAS" ]] || die "cuBLAS not found under $CUDA_HOME"

    local pip_cudnn
    pip_cudnn="$("$PYTHON" -c 'import nvidia.cudnn, os; print(os.path.dirname(nvidia.cudnn.__file__))' 2>/dev/null || true)"
    CUDNN_INCLUDE_DIR="${CUDNN_INCLUDE_DIR:-$(dirname "$(first_file /usr/include/cudnn.h /usr/include/*/cudnn.h \
        "$CUDA_HOME/include/cudnn.h" "${pip_cudnn:-/nonexistent}/include/cudnn.h")" 2>/dev/null || true)}"
    CUDNN_LIBRARY="${CUDNN_LIBRARY:-$(first_file /usr/lib/*-linux-gnu/libcudnn.so /usr/lib/*-linux-gnu/libcudnn.so.9 \
        "$cuda_lib/libcudnn.so" "$cuda_lib/libcudnn.so.9" "${pip_cudnn:-/nonexistent}/lib/libcudnn.so.9")}"
    [[ -n "$CUDNN_INCLUDE_DIR" && -f "$CUDNN_INCLUDE_DIR/cudnn.h" ]] \
        || die "cudnn.h not found: install cuDNN 9 (apt-get install libcudnn9-dev-cuda-13) or set CUDNN_INCLUDE_DIR"
    [[ -n "$CUDNN_LIBRARY" ]] || die "libcudnn.so not found: install cuDNN 9 or set CUDNN_LIBRARY"

    PY_INCLUDE="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
    [[ -f "$PY_INCLUDE/Python.h" ]] || die "Python.h not found in $PY_INCLUDE: install the Python headers (python3-dev)"
    PY_LIBRARY="$("$PYTHON" -c 'import os, sysconfig; print(os.path.join(sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("LDLIBRARY")))')"
    NUMPY_INCLUDE="$("$PYTHON" -c 'import numpy; print(numpy.get_include())' 2>/dev/null)" \
        || die "$PYTHON has no numpy"

    say "Python      $PYTHON ($("$PYTHON" -c 'import platform; print(platform.python_version())'))"
    say "CUDA        $CUDA_HOME ($("$NVCC" --version | tail -1)), compute capability $CUDA_ARCH_BIN"
    say "cuBLAS      $CUBLAS"
    say "cuDNN       $CUDNN_LIBRARY, headers in $CUDNN_INCLUDE_DIR"
}

download_source() {
    local sdist_dir="$WORK_DIR/sdist"
    mkdir -p "$sdist_dir"
    if [[ -z "$(first_file "$sdist_dir/opencv*contrib*python-*.tar.gz")" ]]; then
        say "downloading the $OPENCV_PACKAGE source distribution (about 150 MB)"
        "$PYTHON" -m pip download "$OPENCV_PACKAGE" --no-deps --no-binary opencv-contrib-python -d "$sdist_dir"
    fi
    local archive
    archive="$(first_file "$sdist_dir/opencv*contrib*python-*.tar.gz")"
    [[ -n "$archive" ]] || die "pip download produced no source archive in $sdist_dir"
    rm -rf "$WORK_DIR/unpacked"
    mkdir -p "$WORK_DIR/unpacked"
    tar -xzf "$archive" -C "$WORK_DIR/unpacked"
    UNPACKED="$(dirname "$(first_file "$WORK_DIR/unpacked/*/opencv/CMakeLists.txt")")/.."
    [[ -d "$UNPACKED/opencv" && -d "$UNPACKED/opencv_contrib" ]] || die "unexpected layout of $archive"
}

# Copy only what the DNN build needs: a 7 MB tree instead of 150 MB.
strip_tree() {
    local from="$UNPACKED/opencv" to="$WORK_DIR/src/opencv" contrib="$WORK_DIR/src/opencv_contrib" item module
    rm -rf "$WORK_DIR/src"
    mkdir -p "$to/modules" "$to/doc" "$to/docs_sphinx" "$to/platforms" "$contrib/modules"
    for item in CMakeLists.txt LICENSE COPYRIGHT README.md cmake include hal 3rdparty platforms/scripts platforms/linux \
                doc/CMakeLists.txt docs_sphinx/CMakeLists.txt modules/CMakeLists.txt; do
        [[ -e "$from/$item" ]] || die "the source has no $item: the recipe is for $OPENCV_PACKAGE"
        cp -a "$from/$item" "$to/$item"
    done
    rm -rf "$to/3rdparty/libtiff" "$to/3rdparty/libwebp" "$to/3rdparty/openjpeg" "$to/3rdparty/libjasper"
    for module in core flann geometry imgproc imgcodecs dnn python; do
        cp -a "$from/modules/$module" "$to/modules/$module"
        rm -rf "$to/modules/$module/test" "$to/modules/$module/perf"
    done
    cp -a "$UNPACKED/opencv_contrib/LICENSE" "$contrib/LICENSE"
    cp -a "$UNPACKED/opencv_contrib/modules/cudev" "$contrib/modules/cudev"
    rm -rf "$contrib/modules/cudev/test"
}

configure_and_build() {
    local build="$WORK_DIR/build"
    mkdir -p "$build"
    # Library folders go through CMAKE_LIBRARY_PATH: FindCUDA clears -D paths on the first configure.
    cmake -G Ninja -S "$WORK_DIR/src/opencv" -B "$build" \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_LIBRARY_PATH="$(dirname "$CUDNN_LIBRARY");$(dirname "$CUBLAS")" \
        -DBUILD_LIST=core,imgproc,imgcodecs,dnn,cudev,python3 \
        -DOPENCV_EXTRA_MODULES_PATH="$WORK_DIR/src/opencv_contrib/modules" \
        -DWITH_CUDA=ON -DWITH_CUDNN=ON -DWITH_CUBLAS=ON -DWITH_CUFFT=OFF -DOPENCV_DNN_CUDA=ON \
        -DCUDA_TOOLKIT_ROOT_DIR="$CUDA_HOME" -DCUDA_ARCH_BIN="$CUDA_ARCH_BIN" -DCUDA_ARCH_PTX= \
        -DCUDNN_LIBRARY="$CUDNN_LIBRARY" -DCUDNN_INCLUDE_DIR="$CUDNN_INCLUDE_DIR" \
        -DBUILD_SHARED_LIBS=OFF -DWITH_IPP=OFF -DWITH_OPENCL=ON \
        -DWITH_QT=OFF -DWITH_GTK=OFF -DWITH_FFMPEG=OFF -DWITH_GSTREAMER=OFF -DWITH_V4L=OFF \
        -DWITH_OPENEXR=OFF -DWITH_TIFF=OFF -DWITH_WEBP=OFF -DWITH_OPENJPEG=OFF -DWITH_JASPER=OFF \
        -DWITH_AVIF=OFF -DWITH_JPEGXL=OFF -DWITH_ADE=OFF -DWITH_VTK=OFF -DWITH_EIGEN=OFF -DWITH_LAPACK=OFF \
        -DWITH_UNIFONT=OFF -DBUILD_ZLIB=ON -DBUILD_PNG=ON -DBUILD_JPEG=ON -DBUILD_PROTOBUF=ON \
        -DBUILD_TESTS=OFF -DBUILD_PERF_TESTS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_opencv_apps=OFF \
        -DBUILD_DOCS=OFF -DBUILD_JAVA=OFF -DOPENCV_DOWNLOAD_TRIES=0 \
        -DPYTHON3_EXECUTABLE="$PYTHON" -DPYTHON3_INCLUDE_DIR="$PY_INCLUDE" -DPYTHON3_LIBRARY="$PY_LIBRARY" \
        -DPYTHON3_NUMPY_INCLUDE_DIRS="$NUMPY_INCLUDE"
    grep -q "^#define HAVE_CUDA$" "$build/cvconfig.h" || die "cmake did not enable CUDA (see its output above)"
    grep -q "^#define HAVE_CUDNN$" "$build/cvconfig.h" || die "cmake did not find cuDNN (set CUDNN_INCLUDE_DIR and CUDNN_LIBRARY)"
    say "building with $JOBS jobs (about 8 minutes on 16 cores, 20+ on 2)"
    ninja -C "$build" -j "$JOBS"
}

install_override() {
    local module site
    module="$(first_file "$WORK_DIR/build/lib/python3/cv2*.so")"
    [[ -n "$module" ]] || die "the build produced no cv2 module in $WORK_DIR/build/lib/python3"
    site="$(site_packages)"
    mkdir -p "$site/opencv_cuda"
    cp "$module" "$site/opencv_cuda/"
    echo "import sys; sys.path.insert(0, '$site/opencv_cuda')" > "$site/00-opencv-cuda.pth"
    say "installed $(basename "$module") into $site/opencv_cuda (override: $site/00-opencv-cuda.pth)"
    "$PYTHON" - <<'EOF' || die "the installed cv2 does not offer CUDA (see above); scripts/build_opencv_cuda.sh --uninstall restores the wheel"
import cv2
targets = cv2.dnn.getAvailableTargets(cv2.dnn.DNN_BACKEND_CUDA)
print(f"cv2 {cv2.__version__} from {cv2.__file__}: CUDA targets {list(targets)}")
raise SystemExit(0 if cv2.dnn.DNN_TARGET_CUDA in targets else 1)
EOF
}

case "${1:-}" in
    --uninstall)
        uninstall
        ;;
    --check)
        check_prerequisites
        say "all prerequisites found"
        ;;
    "")
        check_prerequisites
        download_source
        strip_tree
        configure_and_build
        install_override
        ;;
    *)
        die "unknown option $1 (use --check, --uninstall or nothing)"
        ;;
esac
