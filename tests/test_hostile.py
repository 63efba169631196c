"""The catalogue of hostile submissions: each is graded in bounded time, with a reason, no unearned point.

Each case is lesson 01 completed correctly except for the cell of ``correlate3d``, which does
something a grader must survive. The tests that call correlate3d must score 0 and say why; the
other tests must still pass: the student's code runs in its own process, which the grader
restarts when it hangs or dies. Time and memory limits are lowered to keep the suite fast,
except in the test of the default settings.
"""
from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass

import nbformat
import pytest

from autograder import paths
from autograder.cells import grade_id, is_test
from autograder.limits import limits
from autograder.names import free_names
from autograder.runner import BUDGET_SPENT
from course_catalogue.notebooks import completed_copy
from tests.test_cli import LESSON, run_cli

pytestmark = pytest.mark.slow

TIME_LIMIT = 5
MEMORY_LIMIT_MB = 1024
SIGNATURE = "def correlate3d(volume, kernel, bias=0.0, stride=1, pad=0):\n"
WRONG = SIGNATURE + "    return np.zeros((1, 1))\n"
SOLUTION = nbformat.read(paths.solution_notebook(LESSON), as_version=4)
RIGHT = next(c.source for c in SOLUTION.cells if grade_id(c) == "correlate3d")
RIGHT = "\n".join(line for line in RIGHT.splitlines() if "### " not in line)


def calling(name: str) -> dict[str, float]:
    """The lesson's tests whose cells call ``name``, with their points."""
    return {grade_id(c): float(c.metadata["nbgrader"]["points"]) for c in SOLUTION.cells
            if is_test(c) and name in free_names(c.source)}


TARGETS = calling("correlate3d")


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


def grade_with(tmp_path, source: str, memory_mb: int = MEMORY_LIMIT_MB, cell: str = "correlate3d",
               options: tuple[str, ...] | None = None) -> tuple[dict, float]:
    """Grade the completed lesson with ``source`` as solution cell ``cell``; return the report and the seconds."""
    notebook = nbformat.read(completed_copy(tmp_path, LESSON), as_version=4)
    next(c for c in notebook.cells if grade_id(c) == cell).source = source
    path = tmp_path / f"{LESSON}.ipynb"
    nbformat.write(notebook, path)
    if options is None:
        options = ("--timeout", str(TIME_LIMIT), "--memory", str(memory_mb))
    started = time.monotonic()
    result = run_cli("grade", str(path), "--json", *options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), time.monotonic() - started


NEVER_RETURNS = next(c.source for c in nbformat.read(paths.lesson_notebook(LESSON), as_version=4).cells
                     if grade_id(c) == "correlate2d").replace("raise NotImplementedError()", "while True:\n        pass")


def test_a_function_that_never_returns_is_graded_in_two_minutes_with_default_settings(tmp_path):
    """The first test that calls the hanging correlate2d costs the per-test limit, each later one
    (calling it directly, or through convolve2d and correlate3d) the shorter limit of a function
    that already hung; the other tests still pass."""
    assert "while True" in NEVER_RETURNS
    report, elapsed = grade_with(tmp_path, NEVER_RETURNS, cell="correlate2d", options=())
    defaults = limits()
    hanging = set(calling("correlate2d")) | set(calling("convolve2d")) | set(TARGETS)
    timeouts = [t for t in report["tests"] if t["id"] in hanging]
    assert [t["status"] for t in timeouts] == ["timeout"] * len(hanging), timeouts
    assert f"ran past the time limit of {defaults.test_timeout:g} s in correlate2d(" in timeouts[0]["message"]
    for test in timeouts[1:]:
        assert f"ran past the time limit of {defaults.hung_timeout:g} s" in test["message"], test
        assert "which already ran past a limit" in test["message"] and "calls " in test["message"], test
    assert all(t["status"] == "passed" for t in report["tests"] if t["id"] not in hanging)
    assert elapsed < 120, f"grading took {elapsed:.0f} s"


def test_after_the_notebook_s_time_budget_the_remaining_tests_are_not_run(tmp_path):
    report, elapsed = grade_with(tmp_path, NEVER_RETURNS, cell="correlate2d",
                                 options=("--test-timeout", "2", "--notebook-timeout", "5"))
    statuses = [t["status"] for t in report["tests"]]
    assert statuses[0] == "passed" and "timeout" in statuses and statuses[-1] == "not_run", statuses
    assert all(t["message"] == BUDGET_SPENT for t in report["tests"] if t["status"] == "not_run")
    assert any("time budget of 5 s was spent" in error for error in report["cell_errors"])


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
    assert report["score"] == report["max_score"] - sum(TARGETS.values())
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
