"""``check``: lessons and oracle copies in sync, test cells without lint findings, every solution at
full marks, every lesson at zero."""
from __future__ import annotations

from collections.abc import Callable

from . import paths
from .build import drifted_lessons
from .grading import GradeReport, grade_notebook, graded_lesson_ids
from .lint import lint_notebooks
from .oracles import drifted_oracles
from .text import first_line


def check_course(lesson_ids: list[str] | None = None, say: Callable[[str], None] = print) -> bool:
    """Check the course's invariants and report each finding through ``say``.

    Returns
    -------
    bool
        True when every invariant holds.
    """
    ids = lesson_ids or paths.lesson_ids()
    ok = True
    drift = drifted_lessons(ids)
    for name in drift:
        say(f"FAIL {name} differs from what solutions/ generates: run `python -m autograder build`")
    ok &= not drift
    notebooks = [paths.solution_notebook(lesson_id) for lesson_id in ids]
    oracle_drift = drifted_oracles(notebooks)
    for problem in oracle_drift:
        say(f"FAIL {problem}")
    ok &= not oracle_drift
    findings = lint_notebooks(notebooks)
    for finding in findings:
        say(f"FAIL lint {finding}")
    ok &= not findings
    graded = graded_lesson_ids()
    for lesson_id in ids:
        if lesson_id not in graded:
            say(f"ok   {lesson_id}: ungraded (no nbgrader cells), nothing to score")
            continue
        solution = grade_notebook(paths.solution_notebook(lesson_id))
        ok &= _expect(solution, solution.max_score, "solution", say)
        lesson = grade_notebook(paths.lesson_notebook(lesson_id))
        ok &= _expect(lesson, 0.0, "lesson as shipped", say)
    return ok


def _expect(report: GradeReport, wanted: float, what: str, say: Callable[[str], None]) -> bool:
    good = report.score == wanted and report.max_score > 0
    say(f"{'ok  ' if good else 'FAIL'} {report.lesson} {what}: {report.score:g} / {report.max_score:g}")
    if not good:
        for test in report.tests:
            if (test.score == test.max_score) != (wanted > 0):
                say(f"       {test.id}: {test.status} {first_line(test.message)}")
    return good
