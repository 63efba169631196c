"""Every solution executes top to bottom at full marks; every lesson as shipped scores zero.

An ungraded lesson (lesson 00) has nothing to score: its notebook runs top to bottom without an error.
"""
from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import paths
from autograder.grading import grade_notebook, graded_lesson_ids
from autograder.limits import limits

LESSONS = graded_lesson_ids()
UNGRADED = [lesson for lesson in paths.lesson_ids() if lesson not in LESSONS]


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_solution_passes_all_its_tests(lesson):
    """With the default limits, every cell run (demonstrations too): a correct notebook never hits them."""
    report = grade_notebook(paths.solution_notebook(lesson), settings=limits(demonstrations="all"))
    failures = [f"{t.id}: {t.status} {t.message}" for t in report.tests if t.score < t.max_score]
    assert not failures and report.max_score > 0, "\n".join(failures)
    assert report.cell_errors == [], "cells of the solution raise:\n" + "\n".join(report.cell_errors)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_as_shipped_scores_zero(lesson):
    report = grade_notebook(paths.lesson_notebook(lesson))
    earned = [t.id for t in report.tests if t.score > 0]
    assert report.score == 0 and not earned, f"points without any work: {earned}"
    assert all(t.status == "failed" for t in report.tests)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", UNGRADED)
def test_ungraded_lesson_runs_without_errors(lesson, tmp_path):
    """Executes the notebook as shipped in a Jupyter kernel; a cell that raises fails the test."""
    notebook = nbformat.read(paths.lesson_notebook(lesson), as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
