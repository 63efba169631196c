"""How a submission is merged with the lesson and read: locked cells, dependencies between graded functions,
a missing solutions/ folder."""
from __future__ import annotations

import itertools
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.utils import is_locked as nbgraders_is_locked

from autograder import paths
from autograder.anatomy import anatomy, failed_dependencies, unused_demonstrations
from autograder.cells import is_locked
from autograder.grading import GradingError, grade_notebook, overwrite_locked_cells
from tests.test_cli import LESSON


def cell(source: str, grade_id: str | None = None, **flags: bool) -> nbformat.NotebookNode:
    """A code cell with nbgrader metadata (``grade``, ``solution``, ``locked``) when it has a grade id."""
    made = new_code_cell(source)
    if grade_id:
        made.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, "grade": False, "solution": False,
                                     "locked": False, **flags}
        if flags.get("grade"):
            made.metadata["nbgrader"]["points"] = 1
    return made


@pytest.mark.parametrize("grade, solution, locked", list(itertools.product([False, True], repeat=3)))
def test_is_locked_follows_nbgrader(grade, solution, locked):
    made = cell("x = 1", "some_cell", grade=grade, solution=solution, locked=locked)
    assert is_locked(made) == bool(nbgraders_is_locked(made))


def test_a_solution_cell_marked_locked_is_never_overwritten():
    source = new_notebook(cells=[cell("import numpy", "setup", locked=True),
                                 cell("def f():\n    return 1", "f", solution=True, locked=True),
                                 cell("assert f() == 1", "test_f", grade=True, locked=True)])
    submission = new_notebook(cells=[cell("import os", "setup", locked=True),
                                     cell("def f():\n    return 2", "f", solution=True, locked=True),
                                     cell("pass", "test_f", grade=True, locked=True)])
    merged, missing = overwrite_locked_cells(submission, source)
    assert [c.source for c in merged.cells] == ["import numpy", "def f():\n    return 2", "assert f() == 1"]
    assert missing == set()


#: A lesson of three functions: h calls g, g calls f; each solution cell is followed by its test.
CHAIN = new_notebook(cells=[
    cell("import numpy as np", "setup", locked=True),
    cell("def f(x):\n    return x", "f", solution=True), cell("assert f(1) == 1", "test_f", grade=True),
    cell("def g(x):\n    return f(x) + 1", "g", solution=True), cell("assert g(1) == 2", "test_g", grade=True),
    cell("print(g(2))"),
    cell("def h(x):\n    return g(x) * 2", "h", solution=True), cell("assert h(1) == 4", "test_h", grade=True),
])


def test_the_lesson_s_anatomy_comes_from_its_notebook():
    parts = anatomy(CHAIN)
    assert parts.defined_by == {"f": "f", "g": "g", "h": "h"}
    assert parts.own_tests == {"f": ("test_f",), "g": ("test_g",), "h": ("test_h",)}
    assert parts.demonstrations == {"print(g(2))"} and parts.setup_imports == ("numpy",)


def test_only_the_demonstrations_that_a_later_cell_needs_run():
    photo = cell("photo = np.ones((4, 4))\nprint(photo)")  # a demonstration the lesson ships
    plot = cell("fig = show(photo)")  # another, which uses it
    lesson = anatomy(new_notebook(cells=[*CHAIN.cells[:3], photo, plot, *CHAIN.cells[3:]]))
    student = new_notebook(cells=[*CHAIN.cells[:3], photo, plot, *CHAIN.cells[3:]])
    # photo is used by the plot only, which nothing uses; print(g(2)) binds nothing
    assert unused_demonstrations(student, lesson) == {3, 4, 7}
    student.cells.insert(5, cell("blurred = photo / 2"))  # the student's own cell uses photo
    assert unused_demonstrations(student, lesson) == {4, 8}
    student.cells[4].source = "fig = show(photo, cmap='gray')"  # edited: the student's own cell now
    assert unused_demonstrations(student, lesson) == {8}


def test_a_failed_test_names_the_function_to_fix_first():
    parts = anatomy(CHAIN)
    student = {"f": "def f(x):\n    return x", "g": "def g(x):\n    return f(x) + 1", "h": "def h(x):\n    return g(x) * 2"}
    everything = ["test_f", "test_g", "test_h"]
    # g fails because f does; h uses f through g: only f, the root, is named
    assert failed_dependencies("test_g", "assert g(1) == 2", parts, student, everything) == {"f": ["test_f"]}
    assert failed_dependencies("test_h", "assert h(1) == 4", parts, student, everything) == {"f": ["test_f"]}
    assert failed_dependencies("test_h", "assert h(1) == 4", parts, student, ["test_g", "test_h"]) == {"g": ["test_g"]}
    # a student's g that does not call f does not depend on it
    student["g"] = "def g(x):\n    return x + 1"
    assert failed_dependencies("test_g", "assert g(1) == 2", parts, student, everything) == {}


def test_grading_without_solutions_says_what_is_missing_and_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "SOLUTIONS_DIR", tmp_path / "solutions")
    with pytest.raises(GradingError, match=r"instructor notebooks are missing: .*git checkout -- solutions.*make progress"):
        grade_notebook(paths.lesson_notebook(LESSON))


def test_the_command_line_says_so_too(tmp_path):
    result = subprocess.run([sys.executable, "-m", "autograder", "grade", str(paths.lesson_notebook(LESSON))],
                            cwd=paths.COURSE_ROOT, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "CNN_COURSE_ROOT": str(tmp_path)})
    assert result.returncode == 2
    assert "instructor notebooks are missing" in result.stderr and len(result.stderr.strip().splitlines()) == 1
