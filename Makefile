# The course's two commands:
#   make start   JupyterLab on lessons/ (creates the environment in .venv on first use)
#   make test    the whole test suite (same environment)
# Other targets: make build (lessons/ from solutions/), make check (course invariants), make clean.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
PORT   ?= 8888

.PHONY: start test build check clean

start: $(READY)
	$(BIN)/jupyter lab --ServerApp.root_dir=lessons --port=$(PORT)

test: $(READY)
	$(BIN)/python -m pytest -n 2

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

clean:
	rm -rf $(VENV) .pytest_cache
