"""The catalogue of hostile submissions: each is graded in bounded time, with a reason, no unearned point.

Each case is lesson 01 completed correctly except for the cell of ``correlate3d``, which does
something a grader must survive. correlate3d's two tests (4 points) must score 0 and say why;
the other tests (12 points) must still pass: the student's code runs in its own process, which
the grader restarts when it hangs or dies. Time and memory limits are lowered to keep the suite fast.
"""
from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass

import nbformat
import pytest

from autograder import paths
from course_catalogue.notebooks import completed_copy
from tests.test_cli import LESSON, run_cli

pytestmark = pytest.mark.slow

TIME_LIMIT = 5
MEMORY_LIMIT_MB = 1024
TARGETS = {"test_correlate3d", "test_correlate3d_errors"}
SIGNATURE = "def correlate3d(volume, kernel, bias=0.0, stride=1, pad=0):\n"
WRONG = SIGNATURE + "    return np.zeros((1, 1))\n"
SOLUTION = nbformat.read(paths.solution_notebook(LESSON), as_version=4)
RIGHT = next(c.source for c in SOLUTION.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "correlate3d")
RIGHT = "\n".join(line for line in RIGHT.splitlines() if "### " not in line)


@dataclass
class Hostile:
    """A hostile solution cell and the words the grader's reason must contain."""

    source: str
    reason: str
    where: str = "tests"  # where the reason shows: "tests" (their messages) or "cells" (cell errors)
    needs_landlock: bool = False
    memory_mb: int = MEMORY_LIMIT_MB


HOSTILE = {
    "infinite loop": Hostile(SIGNATURE + "    while True:\n        pass\n", "time limit"),
    "loop that swallows the interrupt": Hostile(
        "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except BaseException:\n        pass\n",
        "time limit", where="cells"),
    "os._exit": Hostile(SIGNATURE + "    import os\n    os._exit(3)\n", "exit status 3"),
    "sys.exit": Hostile(SIGNATURE + "    import sys\n    sys.exit(0)\n", "SystemExit"),
    "crash by signal": Hostile(SIGNATURE + "    import ctypes\n    return ctypes.string_at(0)\n", "SIGSEGV"),
    "memory bomb": Hostile(
        SIGNATURE + "    blocks = []\n    while True:\n        blocks.append(np.ones(2 ** 24))\n", "out of memory"),
    "result too large to send": Hostile(SIGNATURE + "    return np.ones(300 << 20, dtype=np.uint8)\n", "larger than",
                                        memory_mb=3072),
    "monkeypatched comparisons": Hostile(
        "import numpy\nimport autograder.checks\n"
        "numpy.allclose = numpy.array_equal = lambda *args, **kwargs: True\n"
        "numpy.isclose = lambda a, b, **kwargs: numpy.ones(numpy.shape(a), dtype=bool)\n"
        "for name in ('expect_array', 'expect_equal', 'expect_raises'):\n"
        "    setattr(autograder.checks, name, lambda *args, **kwargs: None)\n" + WRONG, "expected (2, 2)"),
    "array subclass whose == is always True": Hostile(
        "class Agreeable(np.ndarray):\n"
        "    def __eq__(self, other):\n        return np.ones(np.shape(other), dtype=bool)\n"
        "    def __ne__(self, other):\n        return np.zeros(np.shape(other), dtype=bool)\n"
        + SIGNATURE + "    return np.zeros((2, 2)).view(Agreeable)\n", "values differ"),
    "reads the hidden tests and the solutions": Hostile(
        f"text = open({str(paths.solution_notebook(LESSON))!r}).read()\n" + RIGHT + "\n", "PermissionError",
        where="cells", needs_landlock=True),
    "kills the grader": Hostile(
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n" + WRONG, "PermissionError",
        where="cells", needs_landlock=True),
}


def grade_with(tmp_path, source: str, memory_mb: int = MEMORY_LIMIT_MB) -> tuple[dict, float]:
    notebook = nbformat.read(completed_copy(tmp_path, LESSON), as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "correlate3d")
    cell.source = source
    path = tmp_path / f"{LESSON}.ipynb"
    nbformat.write(notebook, path)
    started = time.monotonic()
    result = run_cli("grade", str(path), "--json", "--timeout", str(TIME_LIMIT), "--memory", str(memory_mb))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), time.monotonic() - started


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_submission_is_graded_in_bounded_time_without_unearned_points(name, tmp_path):
    hostile = HOSTILE[name]
    report, elapsed = grade_with(tmp_path, hostile.source, hostile.memory_mb)
    if hostile.needs_landlock and not any("Landlock" in p for p in report["protections"]):
        pytest.skip("Landlock is not available on this machine: files and signals are not confined")
    tests = {t["id"]: t for t in report["tests"]}
    for test in tests.values():
        if test["id"] in TARGETS:
            assert test["score"] == 0 and test["message"], test
        else:
            assert test["status"] == "passed", f"an untouched test did not pass: {test}"
    assert report["score"] == report["max_score"] - 4
    reasons = [t["message"] for t in tests.values() if t["id"] in TARGETS] if hostile.where == "tests" \
        else report["cell_errors"]
    assert any(hostile.reason in reason for reason in reasons), reasons
    assert elapsed < 90, f"grading took {elapsed:.0f} s"


def test_the_submission_has_no_network(tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    port = server.getsockname()[1]
    source = (f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'hi')\n"
              "except OSError as error:\n    print(error)\n" + RIGHT)
    with server:
        report, _ = grade_with(tmp_path, source)
        if not any("network" in p or "no TCP" in p for p in report["protections"]):
            pytest.skip("neither a network namespace nor Landlock's TCP rules are available on this machine")
        with pytest.raises(BlockingIOError):
            server.accept()
    assert report["score"] == report["max_score"]
