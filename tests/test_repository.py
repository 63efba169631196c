"""How the repository hangs together: which package may import which, and docs that cite only what exists."""
from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from autograder import paths

ROOT = paths.COURSE_ROOT

#: Texts that cite repository files: the documentation, the scripts and every module docstring.
DOCUMENTS = ["README.md", "data/README.md", "benchmarks/README.md", *sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.md"))]
SCRIPTS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scripts").iterdir() if p.is_file())
PYTHON_PACKAGES = ["autograder", "cnncourse", "course_catalogue", "tests", "benchmarks", "deploy"]

#: A path that starts with one of the repository's top-level names, e.g. ``docs/authoring.md``,
#: ``solutions/<id>/<id>.ipynb``, ``course_catalogue/lessonNN.py``, ``scripts/``.
_TOP_LEVEL = sorted({line.split("/")[0] for line in subprocess.run(
    ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()}, key=len, reverse=True)
_PATH = re.compile(r"(?<![\w./<>-])(?:" + "|".join(map(re.escape, _TOP_LEVEL)) + r")(?:/[\w.<>*-]*)*")
#: Files that programs of the repository write, cited by name though they are not in it.
WRITTEN = {
    "data/gpu_benchmark.json": "make gpu-check (cnncourse.dnn_tools.save_benchmark), on a machine with a GPU",
    "data/gpu_benchmark.png": "make gpu-check (benchmarks/gpu_benchmark.py), on a machine with a GPU",
    "table.md": "benchmarks/grader_benchmark.py, in its working folder",
    "solutions/07_train_cnn/my_digits_cnn.npz": "lesson 07's training cell (cnncourse.digits.save_weights), next to its notebook",
}
#: A markdown document named without its folder, e.g. ``course-spec.md``.
_DOCUMENT = re.compile(r"(?<![\w./<>-])[\w-]+\.md\b")


def cited_paths(text: str) -> set[str]:
    """Return the repository paths a text cites (placeholders such as ``<id>`` and ``NN`` kept)."""
    found = {match.rstrip(".") for match in _PATH.findall(text)}
    return found | set(_DOCUMENT.findall(text))


def exists(cited: str) -> bool:
    """Whether a cited path names something in the repository; ``<...>``, ``NN`` and ``...`` stand for any name."""
    if "/" not in cited and cited.endswith(".md"):
        return any(ROOT.rglob(cited))
    pattern = re.sub(r"<[^>/]*>", "*", cited.split("...")[0]).replace("NN", "[0-9][0-9]").rstrip("/") or "."
    return any(ROOT.glob(pattern))


def _texts() -> list[tuple[str, str]]:
    texts = [(name, (ROOT / name).read_text(encoding="utf-8")) for name in DOCUMENTS + SCRIPTS]
    for package in PYTHON_PACKAGES:
        for module in sorted((ROOT / package).rglob("*.py")):
            docstring = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8")))
            if docstring:
                texts.append((f"{module.relative_to(ROOT)} (docstring)", docstring))
    return texts


def test_the_scan_finds_citations_and_missing_files():
    text = "see `scripts/build_opencv_cuda.sh`, [a](lessons/01_convolution/01_convolution.ipynb) and gpu-opencv-build.md."
    assert cited_paths(text) == {"scripts/build_opencv_cuda.sh", "lessons/01_convolution/01_convolution.ipynb",
                                 "gpu-opencv-build.md"}
    assert cited_paths("/srv/cnn-course/docs/x.md, site-packages/tests/y.py, .venv/bin/python") == set()
    assert exists("solutions/<id>/<id>.ipynb") and exists("course_catalogue/lessonNN.py") and exists("docs/")
    assert exists("README.md") and exists("solutions/<id>/...")
    assert not exists("gpu-opencv-build.md") and not exists("scripts/x.sh") and not exists("tests/catalogue/")


@pytest.mark.parametrize("name, text", _texts(), ids=[name for name, _ in _texts()])
def test_cited_repository_files_exist(name, text):
    missing = sorted(cited for cited in cited_paths(text) if not exists(cited) and cited not in WRITTEN)
    assert not missing, f"{name} cites files that are not in the repository: {missing}"


def test_lesson_helpers_do_not_import_the_grader():
    """``cnncourse`` is what the lessons import; the grader depends on it, never the other way round."""
    modules = sorted(p.stem for p in (ROOT / "cnncourse").glob("*.py") if p.stem != "__init__")
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n    importlib.import_module('cnncourse.' + name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'autograder'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"importing cnncourse imported the grader: {result.stdout.strip()}"


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "benchmarks").glob("*.py")))
def test_benchmarks_do_not_import_the_test_suite(script):
    tree = ast.parse((ROOT / "benchmarks" / script).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {name for name in imported if name.split(".")[0] == "tests"}, f"benchmarks/{script} imports the test suite"
