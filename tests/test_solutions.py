"""Every solution executes top to bottom at full marks; every lesson as shipped scores zero."""
from __future__ import annotations

import pytest

from autograder import paths
from autograder.grading import grade_notebook

LESSONS = paths.lesson_ids()


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_solution_passes_all_its_tests(lesson):
    report = grade_notebook(paths.solution_notebook(lesson))
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
