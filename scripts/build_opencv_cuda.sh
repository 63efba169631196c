#!/usr/bin/env bash
# Build OpenCV 5.0's DNN module with CUDA and cuDNN, and make the course's Python use it.
#
# The opencv-python wheels from PyPI have no CUDA: cv2.dnn.DNN_BACKEND_CUDA raises cv2.error at
# forward time. This script downloads the opencv-contrib-python 5.0.0.93 source distribution with
# pip, keeps only the modules the DNN module needs (core, flann, geometry, imgproc, imgcodecs, dnn,
# python, and contrib's cudev), configures them with CUDA for the GPU of this machine (or the one
# named by CUDA_ARCH_BIN) and the Python in use, builds with ninja and installs the resulting cv2
# extension module as an override of the pip wheel:
#   <site-packages>/opencv_cuda/cv2.abi3.so  and  <site-packages>/00-opencv-cuda.pth,
# a .pth line that puts that folder first on sys.path (a plain .pth entry would come after the
# wheel's cv2 package and lose). --uninstall removes both; the wheel is never touched.
#
# No GPU is needed to build: only to run. The module is built for Python's stable ABI
# (cv2.abi3.so), so that one build can serve the course's Python 3.11 and a GPU machine's 3.12.
# Measured: about 8 minutes on 16 cores, 33 on 2 (benchmarks/README.md).
#
# Usage: scripts/build_opencv_cuda.sh [--check | --pack | --uninstall]
#   (nothing)    check, download, configure, build, install the override
#   --check      only check the prerequisites (nvcc, cuDNN, cuBLAS, NPP, cmake, ninja, Python headers)
#   --pack       write the built module, xz-compressed, to $WORK_DIR/dist/cv2-cuda.tar.xz, for a
#                machine that reuses this build (scripts/gpu_check.sh)
#   --uninstall  remove the override; the pip wheel's cv2 (CPU only) is used again
# Environment:
#   PYTHON          interpreter to build for and install into (default: .venv/bin/python of the repository)
#   CUDA_HOME       CUDA toolkit (default: /usr/local/cuda, else the folder of nvcc on PATH)
#   CUDA_ARCH_BIN   compute capabilities, e.g. "9.0" (H100, H200) or "8.0;9.0" (default: from nvidia-smi;
#                   set it to build on a machine without a GPU for another one)
#   CUDNN           "pip": where the system has no cuDNN, cuBLAS or NPP, install NVIDIA's pip packages
#                   (scripts/requirements-cuda.txt) into PYTHON's environment and build against them
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
CUDNN="${CUDNN:-}"
ARTIFACT="$WORK_DIR/dist/cv2-cuda.tar.xz"

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

# Where cv2 comes from now, and whether it was built with CUDA.
report_cv2() {
    "$PYTHON" -c 'import cv2, re
cuda = ("no", "yes")[re.search(r"NVIDIA CUDA:\s*YES", cv2.getBuildInformation()) is not None]
print(f"cv2 {cv2.__version__} from {cv2.__file__}: built with CUDA: {cuda}")'
}

uninstall() {
    local site
    site="$(site_packages)"
    rm -f "$site/00-opencv-cuda.pth"
    rm -rf "$site/opencv_cuda"
    say "removed the CUDA override from $site"
    say "now: $(report_cv2)"
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

# The folder of NVIDIA's pip packages (nvidia/cu13, nvidia/cudnn ...) in PYTHON's environment, or nothing.
nvidia_pip_root() {
    "$PYTHON" -c 'import nvidia; print(list(nvidia.__path__)[0])' 2>/dev/null || true
}

# "<library file>|<header folder>" of a library in the system, or nothing.
#   $1 library file name (libcublas.so), $2 header (cublas_v2.h)
system_library() {
    local lib header
    lib="$(first_file "$CUDA_HOME/lib64/$1" "$CUDA_HOME/lib64/$1.*" "$CUDA_HOME/targets/*/lib/$1" \
        "/usr/lib/*-linux-gnu/$1" "/usr/lib/*-linux-gnu/$1.*")"
    header="$(first_file "$CUDA_HOME/include/$2" "$CUDA_HOME/targets/*/include/$2" "/usr/include/$2" "/usr/include/*/$2")"
    if [[ -n "$lib" && -n "$header" ]]; then
        echo "$lib|$(dirname "$header")"
    fi
}

# "<library file>|<header folder>" of a library from NVIDIA's pip packages, or nothing.
#   $1 library glob under nvidia/ (cu13/lib/libcublas.so.*), $2 header under nvidia/ (cu13/include/cublas_v2.h)
pip_library() {
    local root lib
    root="$(nvidia_pip_root)"
    [[ -n "$root" ]] || return 0
    lib="$(first_file "$root/$1")"
    if [[ -n "$lib" && -f "$root/$2" ]]; then
        echo "$lib|$(dirname "$root/$2")"
    fi
}

# The unversioned names that cmake's find_library wants (libcublas.so -> .../libcublas.so.13), for
# every library in the folders given, in one folder of symbolic links.
link_unversioned() {
    local folder file name
    mkdir -p "$LINK_DIR"
    for folder in "$@"; do
        for file in "$folder"/lib*.so.*; do
            name="$(basename "$file")"
            ln -sfn "$file" "$LINK_DIR/${name%%.so.*}.so"
        done
    done
}

# Append $2 to the array named $1 unless it is there already (cuBLAS and NPP share nvidia/cu13).
add_once() {
    local -n list="$1"
    local item
    for item in "${list[@]}"; do
        [[ "$item" == "$2" ]] && return
    done
    list+=("$2")
}

# Find cuBLAS, NPP and cuDNN: in the system first, else in NVIDIA's pip packages (installed when CUDNN=pip).
find_libraries() {
    # name, system library, system header, pip library glob, pip header
    local specs=(
        "cuBLAS|libcublas.so|cublas_v2.h|cu13/lib/libcublas.so.*|cu13/include/cublas_v2.h"
        "NPP|libnppc.so|nppdefs.h|cu13/lib/libnppc.so.*|cu13/include/nppdefs.h"
        "cuDNN|libcudnn.so|cudnn.h|cudnn/lib/libcudnn.so.*|cudnn/include/cudnn.h"
    )
    local spec name sys_lib sys_header pip_glob pip_header found missing=() attempt
    PIP_LIB_DIRS=()
    PIP_INCLUDE_DIRS=()
    SYSTEM_LIB_DIRS=()
    for attempt in system pip-installed; do
        missing=()
        for spec in "${specs[@]}"; do
            IFS='|' read -r name sys_lib sys_header pip_glob pip_header <<<"$spec"
            [[ -n "${FOUND[$name]:-}" ]] && continue
            found="$(system_library "$sys_lib" "$sys_header")"
            if [[ -n "$found" ]]; then
                FOUND[$name]="system|$found"
                add_once SYSTEM_LIB_DIRS "$(dirname "${found%%|*}")"
                continue
            fi
            found="$(pip_library "$pip_glob" "$pip_header")"
            if [[ -n "$found" ]]; then
                FOUND[$name]="pip|$found"
                add_once PIP_LIB_DIRS "$(dirname "${found%%|*}")"
                add_once PIP_INCLUDE_DIRS "${found#*|}"
                continue
            fi
            missing+=("$name")
        done
        [[ ${#missing[@]} -eq 0 || "$attempt" == pip-installed ]] && break
        [[ "$CUDNN" == pip ]] || die "${missing[*]} not found in the system (under $CUDA_HOME or /usr) nor as NVIDIA's pip \
packages in $PYTHON's environment. Install them (apt-get install libcudnn9-dev-cuda-13 libcublas-dev-13-0 libnpp-dev-13-0), \
or run 'make opencv-cuda CUDNN=pip' to install NVIDIA's pip packages (scripts/requirements-cuda.txt, about 900 MB)"
        say "${missing[*]} not in the system: installing NVIDIA's pip packages into $PYTHON's environment"
        "$PYTHON" -m pip install --quiet -r "$REPO_ROOT/scripts/requirements-cuda.txt" \
            || die "pip could not install scripts/requirements-cuda.txt"
    done
    [[ ${#missing[@]} -eq 0 ]] || die "${missing[*]} still not found after installing scripts/requirements-cuda.txt"
}

check_prerequisites() {
    local tool
    for tool in cmake ninja c++ tar xz; do
        command -v "$tool" >/dev/null || die "$tool is missing (apt-get install cmake ninja-build g++ xz-utils)"
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
            || die "no NVIDIA GPU here (nvidia-smi not found). Run this on the GPU machine, or set CUDA_ARCH_BIN (e.g. 9.0 for H100/H200) to build for another one"
        CUDA_ARCH_BIN="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | sort -u | paste -sd';' || true)"
        [[ -n "$CUDA_ARCH_BIN" ]] || die "nvidia-smi found no GPU (is the driver loaded?); set CUDA_ARCH_BIN to build anyway"
    fi

    declare -gA FOUND=()
    find_libraries
    LINK_DIR="$WORK_DIR/lib-links"
    rm -rf "$LINK_DIR"
    if [[ ${#PIP_LIB_DIRS[@]} -gt 0 ]]; then
        link_unversioned "${PIP_LIB_DIRS[@]}"
    fi
    local cudnn="${FOUND[cuDNN]#*|}"
    CUDNN_LIBRARY="${CUDNN_LIBRARY:-${cudnn%%|*}}"
    CUDNN_INCLUDE_DIR="${CUDNN_INCLUDE_DIR:-${cudnn#*|}}"
    if [[ "${FOUND[cuDNN]%%|*}" == pip ]]; then
        CUDNN_LIBRARY="$LINK_DIR/libcudnn.so"
    fi
    [[ -f "$CUDNN_INCLUDE_DIR/cudnn.h" ]] || die "no cudnn.h in CUDNN_INCLUDE_DIR=$CUDNN_INCLUDE_DIR"

    PY_INCLUDE="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
    [[ -f "$PY_INCLUDE/Python.h" ]] || die "Python.h not found in $PY_INCLUDE: install the Python headers (python3-dev)"
    PY_LIBRARY="$("$PYTHON" -c 'import os, sysconfig; print(os.path.join(sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("LDLIBRARY")))')"
    NUMPY_INCLUDE="$("$PYTHON" -c 'import numpy; print(numpy.get_include())' 2>/dev/null)" \
        || die "$PYTHON has no numpy"

    say "Python      $PYTHON ($("$PYTHON" -c 'import platform; print(platform.python_version())'))"
    say "CUDA        $CUDA_HOME ($("$NVCC" --version | tail -1)), compute capability $CUDA_ARCH_BIN"
    local name
    for name in cuBLAS NPP cuDNN; do
        local entry="${FOUND[$name]}"
        say "$(printf '%-11s' "$name")${entry#*|} (${entry%%|*})" | sed 's/|/, headers in /'
    done
}

download_source() {
    local sdist_dir="$WORK_DIR/sdist"
    mkdir -p "$sdist_dir"
    if [[ -z "$(first_file "$sdist_dir/opencv*contrib*python-*.tar.gz")" ]]; then
        say "downloading the $OPENCV_PACKAGE source distribution (about 150 MB)"
        "$PYTHON" -m pip download "$OPENCV_PACKAGE" --no-deps --no-binary opencv-contrib-python -d "$sdist_dir" \
            || die "pip could not download $OPENCV_PACKAGE (no network?); put its .tar.gz into $sdist_dir"
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

# Copy only what the DNN build needs: 59 MB of the 327 MB unpacked.
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
        rm -rf "$to/modules/$module/perf"
        # The python module's CMakeLists adds its test folder: configure fails without it.
        [[ "$module" == python ]] || rm -rf "$to/modules/$module/test"
    done
    cp -a "$UNPACKED/opencv_contrib/LICENSE" "$contrib/LICENSE"
    cp -a "$UNPACKED/opencv_contrib/modules/cudev" "$contrib/modules/cudev"
    rm -rf "$contrib/modules/cudev/test"
}

configure() {
    local build="$1" include_flags="" nvcc_flags="" rpath="" folder
    for folder in "${PIP_INCLUDE_DIRS[@]}"; do
        include_flags+=" -I$folder"
        nvcc_flags+="${nvcc_flags:+;}-I$folder"
    done
    # NVIDIA's pip libraries sit next to the override in site-packages: nvidia/cu13/lib, nvidia/cudnn/lib.
    for folder in "${PIP_LIB_DIRS[@]}"; do
        rpath+="${rpath:+;}\$ORIGIN/../nvidia/$(basename "$(dirname "$folder")")/lib"
    done
    local library_path="$LINK_DIR"
    for folder in "${SYSTEM_LIB_DIRS[@]}"; do
        library_path+=";$folder"
    done
    # Library folders go through CMAKE_LIBRARY_PATH: FindCUDA clears -D paths on the first configure.
    cmake -G Ninja -S "$WORK_DIR/src/opencv" -B "$build" \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_LIBRARY_PATH="$library_path" \
        -DCMAKE_CXX_FLAGS="$include_flags" -DCUDA_NVCC_FLAGS="$nvcc_flags" \
        -DCMAKE_BUILD_RPATH="$rpath" \
        -DCMAKE_SHARED_LINKER_FLAGS="-Wl,--as-needed" -DCMAKE_MODULE_LINKER_FLAGS="-Wl,--as-needed" \
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
        -DPYTHON3_NUMPY_INCLUDE_DIRS="$NUMPY_INCLUDE" -DPYTHON3_LIMITED_API=ON
}

configure_and_build() {
    local build="$WORK_DIR/build" started
    mkdir -p "$build"
    say "configuring (cmake runs twice: FindCUDA settles the library paths on the second run)"
    configure "$build" >"$WORK_DIR/configure.log" 2>&1 || { tail -30 "$WORK_DIR/configure.log"; die "cmake failed (whole log: $WORK_DIR/configure.log)"; }
    configure "$build" | tee -a "$WORK_DIR/configure.log" | sed -n '/NVIDIA CUDA:/,/cuDNN:/p'
    grep -q "^#define HAVE_CUDA$" "$build/cvconfig.h" || die "cmake did not enable CUDA (see $WORK_DIR/configure.log)"
    grep -q "^#define HAVE_CUDNN$" "$build/cvconfig.h" || die "cmake did not find cuDNN (set CUDNN_INCLUDE_DIR and CUDNN_LIBRARY)"
    say "building with $JOBS jobs (about 8 minutes on 16 cores, 33 on 2)"
    started=$SECONDS
    ninja -C "$build" -j "$JOBS"
    say "built in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
}

built_module() {
    first_file "$WORK_DIR/build/lib/python3/cv2*.so"
}

install_override() {
    local module site
    module="$(built_module)"
    [[ -n "$module" ]] || die "the build produced no cv2 module in $WORK_DIR/build/lib/python3"
    site="$(site_packages)"
    mkdir -p "$site/opencv_cuda"
    cp "$module" "$site/opencv_cuda/"
    echo "import sys; sys.path.insert(0, '$site/opencv_cuda')" > "$site/00-opencv-cuda.pth"
    say "installed $(basename "$module") ($(du -m "$module" | cut -f1) MB) into $site/opencv_cuda (override: $site/00-opencv-cuda.pth)"
    "$PYTHON" - <<'EOF' || die "the installed cv2 was not built with CUDA and cuDNN (see above); $0 --uninstall restores the wheel"
import re
import cv2
info = cv2.getBuildInformation()
print(f"cv2 {cv2.__version__} from {cv2.__file__}")
print("\n".join(line for line in info.splitlines() if re.search(r"CUDA|cuDNN|CUBLAS|GPU arch|NVCC", line)))
devices = cv2.cuda.getCudaEnabledDeviceCount()
print(f"CUDA devices: {max(devices, 0)}" + ("" if devices > 0 else " (no GPU here: the DNN module falls back to the CPU)"))
raise SystemExit(0 if re.search(r"NVIDIA CUDA:\s*YES", info) and re.search(r"cuDNN:\s*YES", info) else 1)
EOF
    say "to go back to the pip wheel: make opencv-cuda-uninstall (or $0 --uninstall)"
}

pack() {
    local module
    module="$(built_module)"
    [[ -n "$module" ]] || die "nothing to pack: build first (make opencv-cuda)"
    mkdir -p "$(dirname "$ARTIFACT")"
    say "compressing $(basename "$module") into $ARTIFACT"
    tar -C "$(dirname "$module")" -cf - "$(basename "$module")" | xz -T0 -6 >"$ARTIFACT.partial"
    mv "$ARTIFACT.partial" "$ARTIFACT"
    say "wrote $ARTIFACT ($(du -m "$ARTIFACT" | cut -f1) MB); scripts/gpu_check.sh uses it"
}

case "${1:-}" in
    --uninstall)
        uninstall
        ;;
    --check)
        check_prerequisites
        say "all prerequisites found"
        ;;
    --pack)
        pack
        ;;
    "")
        check_prerequisites
        if [[ -f "$WORK_DIR/src/opencv/CMakeLists.txt" && -d "$WORK_DIR/src/opencv_contrib/modules/cudev" ]]; then
            say "reusing the source tree in $WORK_DIR/src (delete it to start from the download again)"
        else
            download_source
            strip_tree
        fi
        configure_and_build
        install_override
        ;;
    *)
        die "unknown option $1 (use --check, --pack, --uninstall or nothing)"
        ;;
esac
