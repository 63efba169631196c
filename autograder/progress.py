"""A student's own grades: one notebook (the self-check) or every lesson of a folder (progress).

The isolated grader grades the notebook as saved. With the instructor's notebooks at hand
(``solutions/``, as in a clone of the course) every test runs, hidden ones included; without
them (a JupyterHub student, or a self-paced student who deleted ``solutions/``) the notebook's
own test cells run: the visible tests only, and the result says so.

Command line::

    python -m autograder progress [FOLDER] [--json]     # every lessons/<id>/<id>.ipynb (lessons/ by default)
    python -m autograder.progress NOTEBOOK LESSON        # one notebook, as JSON (the self-check's grader)
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from . import paths
from .anatomy import anatomy
from .cells import grade_id, is_graded_by_hand, is_solution, is_test
from .config import course_config
from .grading import (GradeReport, GradingError, HandGraded, TestResult, grade_notebook, overwrite_locked_cells,
                      read_notebook, score_tests)
from .limits import limits
from .runner import run_notebook
from .status import Status


@dataclass
class StudentGrade:
    """The grade of one of a student's notebooks, or why it has none.

    Attributes
    ----------
    lesson, notebook : str
        The lesson id and the notebook's path.
    saved : float
        When the notebook was last saved (seconds since the epoch, its file's modification time).
    hidden_tests : bool
        Whether the hidden tests ran (the instructor's notebook was available).
    started : bool
        False while every solution cell still holds its stub: the notebook is then not run.
    report : GradeReport, optional
        Every test with its points, outcome and hint; None when the notebook could not be graded.
    error : str
        Why the notebook could not be graded; empty when it was.
    """

    lesson: str
    notebook: str
    saved: float
    hidden_tests: bool
    started: bool = True
    report: GradeReport | None = None
    error: str = ""

    @property
    def tests(self) -> list[TestResult]:
        return self.report.tests if self.report else []

    @property
    def score(self) -> float:
        return self.report.score if self.report else 0.0

    @property
    def max_score(self) -> float:
        return self.report.max_score if self.report else 0.0

    @property
    def left(self) -> list[str]:
        """The tests that do not have their full points yet."""
        return [t.id for t in self.tests if t.score < t.max_score]

    def to_dict(self) -> dict:
        """Plain data (JSON) with the totals."""
        return {"lesson": self.lesson, "notebook": self.notebook, "saved": self.saved, "hidden_tests": self.hidden_tests,
                "started": self.started, "score": self.score, "max_score": self.max_score, "left": self.left,
                "tests": [vars(t) for t in self.tests], "error": self.error,
                "by_hand": [asdict(h) for h in self.report.by_hand] if self.report else []}


def grade_own_notebook(path: Path, lesson: str) -> StudentGrade:
    """Grade a student's notebook with the hidden tests when ``solutions/`` has them, else the visible ones."""
    hidden = paths.solution_notebook(lesson).is_file()
    result = StudentGrade(lesson, str(path), _saved(path), hidden)
    try:
        report = grade_notebook(path, lesson=lesson) if hidden else grade_visible_tests(path, lesson)
    except GradingError as error:
        result.error = str(error)
        return result
    except (RuntimeError, OSError) as error:  # the grader itself could not run (its sandbox did not start)
        result.error = f"the grader could not run: {error}"
        return result
    result.report = report
    return result


def grade_visible_tests(path: Path, lesson: str) -> GradeReport:
    """Grade a notebook against its own test cells (the visible tests), with the isolated grader.

    Raises
    ------
    GradingError
        When the file is not a notebook or has no test cells.
    """
    notebook = read_notebook(path)
    if not any(is_test(cell) for cell in notebook.cells):
        raise GradingError(f"{path}: no test cells, so there is nothing to grade in it")
    merged, missing = overwrite_locked_cells(notebook, notebook)  # a copy without outputs
    run = run_notebook(merged, limits(), anatomy(notebook))
    stub = course_config().ClearSolutions.text_stub.strip()
    by_hand = [HandGraded(grade_id(cell), float(cell.metadata["nbgrader"].get("points", 0)), cell.source.strip() != stub)
               for cell in notebook.cells if is_graded_by_hand(cell)]
    return GradeReport(lesson=lesson, notebook=str(path), tests=score_tests(run, notebook, missing),
                       cell_errors=run.cell_errors, solution_errors=run.solution_errors, protections=run.protections,
                       timings=run.timings, by_hand=by_hand)


def folder_progress(folder: Path, say: Callable[[str], None] | None = None) -> list[StudentGrade]:
    """Grade every lesson notebook ``<id>/<id>.ipynb`` of a folder that has tests, in course order.

    A notebook whose solution cells all still hold their stub is not run: it is "not started",
    with every test left. ``say``, if given, is called with a line before each notebook is graded.
    """
    grades = []
    for path in sorted(p for p in Path(folder).glob("*/*.ipynb") if p.stem == p.parent.name):
        try:
            notebook = read_notebook(path)
        except GradingError as error:
            grades.append(StudentGrade(path.stem, str(path), _saved(path), False, error=str(error)))
            continue
        tests = [cell for cell in notebook.cells if is_test(cell)]
        if not tests:
            continue
        if not _started(notebook):
            hidden = paths.solution_notebook(path.stem).is_file()
            points = [TestResult(grade_id(c), 0.0, float(c.metadata["nbgrader"]["points"]), Status.NOT_RUN, "not started")
                      for c in tests]
            grades.append(StudentGrade(path.stem, str(path), _saved(path), hidden, started=False,
                                       report=GradeReport(path.stem, str(path), points)))
            continue
        if say:
            say(f"grading {paths.relative(path)} ...")
        grades.append(grade_own_notebook(path, path.stem))
    return grades


def format_progress(grades: list[StudentGrade], folder: Path) -> str:
    """A table: one row per lesson (score, state, what is left), then the totals."""
    width = max([len("lesson")] + [len(g.lesson) for g in grades])
    lines = [f"Progress over {paths.relative(folder)}/", f"{'lesson':<{width}}  {'points':>9}  {'state':<11}  left"]
    for grade in grades:
        points = f"{grade.score:g}/{grade.max_score:g}" if not grade.error else "-"
        lines.append(f"{grade.lesson:<{width}}  {points:>9}  {lesson_state(grade):<11}  {what_is_left(grade)}")
    done = sum(lesson_state(g) == "done" for g in grades)
    lines.append(f"Total: {sum(g.score for g in grades):g} / {sum(g.max_score for g in grades):g} points; "
                 f"{done} of {len(grades)} lessons done.")
    if not all(g.hidden_tests for g in grades):
        lines.append(VISIBLE_ONLY)
    return "\n".join(lines)


def progress_json(grades: list[StudentGrade], folder: Path) -> str:
    """The progress as one JSON object: the folder, and for each lesson its points, state and what is left."""
    return json.dumps({"folder": str(folder), "lessons": [
        {"lesson": g.lesson, "notebook": g.notebook, "saved": g.saved, "hidden_tests": g.hidden_tests,
         "score": g.score, "max_score": g.max_score, "state": lesson_state(g), "left": what_is_left(g), "error": g.error}
        for g in grades]})


#: Said wherever the hidden tests could not run.
VISIBLE_ONLY = ("Without solutions/ (the instructor's notebooks) only the visible tests ran: "
                "the hidden tests of your final grade may still find mistakes.")


def lesson_state(grade: StudentGrade) -> str:
    """``done``, ``in progress``, ``not started`` or ``not graded`` (with an error)."""
    if grade.error:
        return "not graded"
    if not grade.started:
        return "not started"
    return "done" if not grade.left else "in progress"


def what_is_left(grade: StudentGrade) -> str:
    """The tests left, or why the notebook was not graded."""
    if grade.error:
        return grade.error
    if not grade.started:
        return f"all {len(grade.tests)} tests"
    return ", ".join(grade.left)


def _started(notebook: nbformat.NotebookNode) -> bool:
    """Whether some solution cell no longer holds nbgrader's stub (at any indentation)."""
    stub = "\n".join(line.strip() for line in course_config().ClearSolutions.code_stub["python"].splitlines())
    return any(stub not in "\n".join(line.strip() for line in cell.source.splitlines())
               for cell in notebook.cells if is_solution(cell) and cell.cell_type == "code")


def _saved(path: Path) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


def main(argv: list[str]) -> int:
    """``python -m autograder.progress NOTEBOOK LESSON``: one notebook's :class:`StudentGrade` as JSON."""
    if len(argv) != 2:
        print("usage: python -m autograder.progress NOTEBOOK LESSON", file=sys.stderr)
        return 2
    print(json.dumps(grade_own_notebook(Path(argv[0]), argv[1]).to_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
