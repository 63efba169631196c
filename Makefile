# The course's two commands:
#   make start   JupyterLab on lessons/ (creates the environment in .venv on first use)
#   make test    the whole test suite (same environment)
# Other targets: make progress (a student's points per lesson), make instructor (JupyterLab on the
# repository with nbgrader's instructor tools), make build (lessons/ from solutions/), make check
# (course invariants), make clean.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
PORT   ?= 8888

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Jupyter's configuration for each kind of user, written from autograder/jupyter_setup.py: never
# the user's home configuration. JupyterLab keeps its settings there too.
JUPYTER_CONFIG := $(CURDIR)/.jupyter
LAB     = JUPYTER_CONFIG_DIR=$(JUPYTER_CONFIG)/$(1) $(BIN)/jupyter lab --port=$(PORT) $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: start instructor progress test build check clean chromium opencv-cuda opencv-cuda-pack opencv-cuda-uninstall gpu-check

# A student: no instructor tools (formgrader, Create Assignment, course list).
start: $(READY)
	$(BIN)/python -m autograder.jupyter_setup student $(JUPYTER_CONFIG)/student
	$(call LAB,student) --ServerApp.root_dir=lessons

# The instructor: the repository, with nbgrader's instructor tools.
instructor: $(READY)
	$(BIN)/python -m autograder.jupyter_setup instructor $(JUPYTER_CONFIG)/instructor
	$(call LAB,instructor) --ServerApp.root_dir=.

progress: $(READY)
	$(BIN)/python -m autograder progress

test: $(READY) node_modules/.ready chromium
	$(BIN)/python -m pytest -n 2 --dist loadgroup

build: $(READY)
	$(BIN)/python -m autograder build

check: $(READY)
	$(BIN)/python -m autograder check

# The environment is rebuilt when the requirements or the package metadata change.
$(READY): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed (nbgrader 0.9); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $@

# JupyterHub's proxy for the classroom test (tests/test_hub.py).
node_modules/.ready: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium for the browser test (tests/test_browser.py); Playwright never downloads one.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; \
	else echo "warning: no /usr/bin/chromium and no apt-get: the browser tests will fail; set CHROMIUM=<path to chromium>"; fi

# Lesson 09's GPU path: OpenCV 5.0 DNN built with CUDA into .venv (needs the CUDA toolkit; a GPU only
# to run it: without one set CUDA_ARCH_BIN, e.g. 9.0 for H100/H200; CUDNN=pip takes cuDNN, cuBLAS and
# NPP from NVIDIA's pip packages). About 8 minutes on 16 cores, 33 on 2. See scripts/build_opencv_cuda.sh.
opencv-cuda: $(READY)
	PYTHON=$(abspath $(BIN))/python scripts/build_opencv_cuda.sh

# The built module, compressed (about 12 MB), for a GPU machine that reuses this build (gpu-check).
opencv-cuda-pack:
	PYTHON=$(abspath $(BIN))/python scripts/build_opencv_cuda.sh --pack

opencv-cuda-uninstall:
	PYTHON=$(abspath $(BIN))/python scripts/build_opencv_cuda.sh --uninstall

# One run on a GPU machine: reuse (or build) the CUDA build, benchmark CPU, CUDA, CUDA_FP16 (and
# PyTorch) and write data/gpu_benchmark.json and data/gpu_benchmark.png. No .venv needed: it uses
# .venv/bin/python when there is one, else python3. See scripts/gpu_check.sh.
gpu-check:
	scripts/gpu_check.sh

clean:
	rm -rf $(VENV) .pytest_cache node_modules artifacts .jupyter
