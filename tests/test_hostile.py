"""Broken and hostile submissions are graded in bounded time, with a reason and no unearned point.

Each case is lesson 01 completed correctly except for one solution cell (pad2d's), which does
something a grader must survive. The tests that need that cell lose their points; the grading
itself finishes, with the per-cell time limit lowered to keep the suite fast.
"""
from __future__ import annotations

import json
import time

import nbformat
import pytest

from tests.test_cli import LESSON, completed_copy, run_cli

pytestmark = pytest.mark.slow

CELL_TIMEOUT = 5
HOSTILE = {
    "infinite loop": "while True:\n    pass",
    "loop that swallows the interrupt": (
        "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except BaseException:\n        pass"
    ),
    "kernel killed by os._exit": "import os\nos._exit(1)",
    "sys.exit": "import sys\nsys.exit(0)",
    "array subclass whose == is always True": (
        "import numpy as np\n"
        "class Agreeable(np.ndarray):\n"
        "    def __eq__(self, other):\n        return True\n"
        "    def __ne__(self, other):\n        return False\n"
        "def pad2d(image, pad):\n    return np.zeros((1, 1)).view(Agreeable)"
    ),
}


#: Words the reason must contain, where the grader can tell what happened.
REASONS = {
    "loop that swallows the interrupt": "ignored the interrupt",
    "kernel killed by os._exit": "the kernel died",
    "array subclass whose == is always True": "returned Agreeable",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_submission_is_graded_in_bounded_time_without_unearned_points(name, tmp_path):
    notebook = nbformat.read(completed_copy(tmp_path), as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "pad2d")
    cell.source = HOSTILE[name]
    path = tmp_path / f"{LESSON}.ipynb"
    nbformat.write(notebook, path)

    started = time.monotonic()
    result = run_cli("grade", str(path), "--json", "--timeout", str(CELL_TIMEOUT))
    elapsed = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    tests = {t["id"]: t for t in report["tests"]}
    assert tests["test_pad2d"]["score"] == 0 and tests["test_pad2d"]["message"], tests["test_pad2d"]
    assert report["score"] < report["max_score"]
    assert all(t["score"] == 0 or t["status"] == "passed" for t in report["tests"])
    assert elapsed < 120, f"grading took {elapsed:.0f} s"
    assert REASONS.get(name, "") in tests["test_pad2d"]["message"], tests["test_pad2d"]["message"]
