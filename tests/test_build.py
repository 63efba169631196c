"""lessons/ is what nbgrader generates from solutions/, and ships clean."""
from __future__ import annotations

import collections
import json

import nbformat
import pytest

from autograder import paths
from autograder.build import drifted_lessons
from autograder.cells import grade_id, is_solution, is_test
from autograder.grading import grade_ids, graded_lesson_ids, read_notebook
from autograder.names import bound_names, free_names

LESSONS = paths.lesson_ids()
GRADED = graded_lesson_ids()


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_there_are_lessons():
    assert "01_convolution" in LESSONS


def test_only_lesson_00_is_ungraded():
    """A lesson without nbgrader cells escapes every grading test: only the welcome lesson may be one."""
    assert [lesson for lesson in LESSONS if lesson not in GRADED] == ["00_welcome"]


def test_lessons_are_in_sync_with_solutions():
    drift = drifted_lessons()
    assert not drift, f"run `python -m autograder build`: these differ from what solutions/ generates: {drift}"


def test_every_lesson_folder_has_a_solution():
    shipped = {p.parent.name for p in paths.LESSONS_DIR.glob("*/*.ipynb")}
    assert shipped == set(LESSONS)


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_ships_without_outputs_solutions_or_hidden_tests(lesson):
    for cell in _cells(paths.lesson_notebook(lesson)):
        source = "".join(cell["source"])
        assert "BEGIN SOLUTION" not in source and "BEGIN HIDDEN TESTS" not in source
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("lesson", LESSONS)
def test_solution_is_saved_without_outputs(lesson):
    for cell in _cells(paths.solution_notebook(lesson)):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, (
                f"solutions/{lesson}: clear the outputs before committing"
            )


@pytest.mark.parametrize("lesson", GRADED)
def test_solution_has_graded_tests_and_hidden_tests(lesson):
    cells = _cells(paths.solution_notebook(lesson))
    tests = [c for c in cells if c["metadata"].get("nbgrader", {}).get("grade")]
    assert tests, f"{lesson} has no test cells"
    assert all(c["metadata"]["nbgrader"]["points"] > 0 for c in tests)
    assert any("BEGIN HIDDEN TESTS" in "".join(c["source"]) for c in tests), f"{lesson} has no hidden tests"


def test_grade_ids_are_unique_across_the_course():
    counts = collections.Counter(
        gid for lesson in LESSONS for gid in grade_ids(read_notebook(paths.solution_notebook(lesson)))
    )
    assert [gid for gid, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("lesson", paths.lesson_ids())
def test_test_cells_take_only_graded_names_from_the_notebook(lesson):
    """The isolated grader runs a test cell in its own process: every name the cell does not bind
    is looked up in the student's process. Only the graded functions and classes may come from
    there; anything else (numpy, oracles, helpers) must be imported or defined by the cell itself,
    or a submission could replace it."""
    notebook = nbformat.read(paths.solution_notebook(lesson), as_version=4)
    graded = set().union(*(bound_names(c.source) for c in notebook.cells if c.cell_type == "code" and is_solution(c)))
    for cell in filter(is_test, notebook.cells):
        borrowed = free_names(cell.source) - graded
        assert not borrowed, f"{lesson}: {grade_id(cell)} uses {sorted(borrowed)} from the notebook: import them in the cell"
