"""Grade a student's notebook against its lesson's tests, hidden ones included, without a gradebook.

The steps are those of ``nbgrader autograde``, without a database and with the student's code
isolated from the grading:

1. read the submission and find its lesson (by file name, checked against its cells' grade ids);
2. overwrite every locked cell of the submission (setup and test cells) with the instructor's
   version from ``solutions/``, which holds the hidden tests;
3. run the student's cells in a sandboxed process and each test cell in the grader, against
   that process (:mod:`autograder.runner`), with a time limit per cell and per test;
4. score each test cell: full points when it passed, 0 with the reason otherwise.

A test cell the student deleted, or one that could not be run, scores 0 with the reason.
"""
from __future__ import annotations

import copy
import functools
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from . import paths
from .anatomy import Anatomy, anatomy, failed_dependencies, solution_sources
from .cells import grade_id, is_graded_by_hand, is_locked, is_test
from .limits import Autograder, limits
from .runner import NOT_IMPLEMENTED, NotebookRun, run_notebook
from .status import Status
from .text import first_line


class GradingError(Exception):
    """The file cannot be graded (not a notebook, corrupt JSON, wrong lesson, ...)."""


@dataclass
class TestResult:
    """The outcome of one test cell."""

    id: str
    score: float
    max_score: float
    status: Status
    message: str = ""


@dataclass
class HandGraded:
    """A cell an instructor grades by hand (a written answer): the grader never scores it.

    ``answered`` is False when the cell is as the lesson released it ("YOUR ANSWER HERE") or
    was deleted: then, as ``nbgrader autograde`` does, it scores 0 without an instructor.
    """

    id: str
    max_score: float
    answered: bool = True


@dataclass
class GradeReport:
    """The grade of one notebook: the automatic score of its tests, and what is graded by hand."""

    lesson: str
    notebook: str
    tests: list[TestResult] = field(default_factory=list)
    #: Errors raised by cells that are not tests ("cell 7 (pad2d): NameError: ..."), notes on skipped cells.
    cell_errors: list[str] = field(default_factory=list)
    #: Those of :attr:`cell_errors` that are errors of solution cells (the tests of what they define fail).
    solution_errors: list[str] = field(default_factory=list)
    #: How the student's code was confined while it ran (memory limit, no network, ...).
    protections: list[str] = field(default_factory=list)
    #: Seconds spent starting the student's process, in cells outside the tests, in tests, in all.
    timings: dict[str, float] = field(default_factory=dict)
    #: Written answers and tasks the instructor grades (nbgrader's manually graded cells).
    by_hand: list[HandGraded] = field(default_factory=list)

    @property
    def score(self) -> float:
        """The automatic score: the tests' points."""
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> float:
        """The most the tests give (points graded by hand not included)."""
        return sum(t.max_score for t in self.tests)

    @property
    def by_hand_max_score(self) -> float:
        """The points an instructor gives by hand."""
        return sum(h.max_score for h in self.by_hand)

    def to_dict(self) -> dict:
        """Return the report as plain data (the ``--json`` format)."""
        return {
            "lesson": self.lesson,
            "notebook": self.notebook,
            "score": self.score,
            "max_score": self.max_score,
            "tests": [asdict(t) for t in self.tests],
            "cell_errors": self.cell_errors,
            "solution_errors": self.solution_errors,
            "protections": self.protections,
            "timings": {phase: round(seconds, 3) for phase, seconds in self.timings.items()},
            "by_hand": {"max_score": self.by_hand_max_score, "cells": [asdict(h) for h in self.by_hand]},
        }


def grade_notebook(path: str | Path, lesson: str | None = None, settings: Autograder | None = None) -> GradeReport:
    """Grade one notebook.

    Parameters
    ----------
    path : str or Path
        The student's notebook.
    lesson : str, optional
        The lesson id; by default it is taken from the file name (``01_convolution.ipynb``)
        or, failing that, from the grade ids of the notebook's cells.
    settings : Autograder, optional
        The limits (time, memory, sizes); the course's configuration by default.

    Returns
    -------
    GradeReport

    Raises
    ------
    GradingError
        When the file cannot be graded; the message says why in one line.
    """
    started = time.perf_counter()
    path = Path(path)
    submission = read_notebook(path)
    lesson = identify_lesson(submission, path, lesson)
    source = instructor_notebook(lesson)
    if not grade_ids(source):  # an ungraded lesson (lesson 00): nothing to run or score
        return GradeReport(lesson, str(path))
    merged, missing = overwrite_locked_cells(submission, source)
    parts = anatomy(source)
    run = run_notebook(merged, settings or limits(), parts)
    tests = score_tests(run, source, missing)
    explain_dependencies(tests, source, parts, solution_sources(merged))
    timings = {**run.timings, "total": time.perf_counter() - started}
    return GradeReport(lesson=lesson, notebook=str(path), tests=tests, cell_errors=run.cell_errors,
                       solution_errors=run.solution_errors, protections=run.protections, timings=timings,
                       by_hand=graded_by_hand(source, read_notebook(paths.lesson_notebook(lesson)), submission))


def read_notebook(path: Path) -> NotebookNode:
    """Read and validate a notebook, or raise :class:`GradingError` saying what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GradingError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise GradingError(f"{path}: is a directory, not a notebook") from None
    except UnicodeDecodeError:
        raise GradingError(f"{path}: not a notebook (the file is not UTF-8 text)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise GradingError(f"{path}: corrupt notebook JSON ({error})") from None
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        raise GradingError(f"{path}: not a Jupyter notebook (no 'cells' or 'nbformat' field)")
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # noqa: BLE001  (nbformat raises several kinds)
        raise GradingError(f"{path}: invalid notebook ({first_line(str(error)) or type(error).__name__})") from None
    return notebook


def instructor_notebook(lesson: str) -> NotebookNode:
    """The lesson's notebook in ``solutions/``, read once per version of the file; never change it."""
    path = paths.solution_notebook(lesson)
    return _read_once(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _read_once(path: Path, modified: int) -> NotebookNode:
    return read_notebook(path)


def grade_ids(notebook: NotebookNode) -> set[str]:
    """Return the grade ids of a notebook's nbgrader cells."""
    return {grade_id(c) for c in notebook.cells if grade_id(c)}


def graded_lesson_ids() -> list[str]:
    """Return the lessons that have nbgrader cells, in course order (lesson 00 has none)."""
    return [lid for lid in paths.lesson_ids() if grade_ids(instructor_notebook(lid))]


def identify_lesson(notebook: NotebookNode, path: Path, lesson: str | None = None) -> str:
    """Return the lesson a notebook belongs to, or raise :class:`GradingError`.

    The lesson named (or the file's stem) is accepted when the notebook shares more grade
    ids with it than with any other lesson. An ungraded lesson (no nbgrader cells, like lesson
    00) is accepted by name when the notebook has no nbgrader cells either.
    """
    known = known_lessons()
    if lesson is not None and lesson not in known:
        raise GradingError(f"unknown lesson {lesson!r}; the lessons are: {', '.join(known)}")
    ids = grade_ids(notebook)
    claimed = lesson or (path.stem if path.stem in known else None)
    if not ids:
        if claimed is not None and claimed not in graded_lesson_ids():
            return claimed
        raise GradingError(f"{path}: no nbgrader cells, so it is not one of the course's lesson notebooks")
    overlap = {lid: len(ids & grade_ids(instructor_notebook(lid))) for lid in known}
    best = max(overlap, key=overlap.get)
    if claimed is None:
        if overlap[best] == 0:
            raise GradingError(f"{path}: its cells match none of the lessons ({', '.join(known)})")
        return best
    if overlap[claimed] == 0 or overlap[best] > overlap[claimed]:
        raise GradingError(f"{path}: this is the notebook of lesson {best}, not of lesson {claimed}")
    return claimed


def known_lessons() -> list[str]:
    """The lesson ids of ``solutions/``; :class:`GradingError` saying what to do when there are none."""
    known = paths.lesson_ids()
    if not known:
        raise GradingError(
            f"the instructor notebooks are missing: {paths.SOLUTIONS_DIR} holds no solutions/<lesson>/<lesson>.ipynb. "
            "The grader reads every lesson's tests, hidden ones included, from there: restore the folder "
            "(in a clone of the course: git checkout -- solutions) and grade again. A student without it can check "
            "the visible tests: `make progress`, or the self-check cell at the end of each lesson"
        )
    return known


def overwrite_locked_cells(
    submission: NotebookNode, source: NotebookNode
) -> tuple[NotebookNode, set[str]]:
    """Replace the submission's locked cells with the instructor's, as nbgrader's OverwriteCells does.

    Returns
    -------
    merged : NotebookNode
        A copy of the submission with outputs cleared and locked cells restored.
    missing : set of str
        Grade ids of test cells that the submission no longer has.
    """
    locked = {grade_id(c): c for c in source.cells if is_locked(c)}
    merged = copy.deepcopy(submission)
    merged.metadata["kernelspec"] = copy.deepcopy(source.metadata.get("kernelspec", {}))
    found = set()
    for index, cell in enumerate(merged.cells):
        gid = grade_id(cell)
        if gid in locked:
            merged.cells[index] = copy.deepcopy(locked[gid])
            found.add(gid)
        if merged.cells[index].cell_type == "code":
            merged.cells[index].outputs = []
            merged.cells[index].execution_count = None
    tests = {grade_id(c) for c in source.cells if is_test(c)}
    return merged, tests - found


def score_tests(run: NotebookRun, source: NotebookNode, missing: set[str]) -> list[TestResult]:
    """Score each test cell of the lesson, in the instructor notebook's order.

    A test cell that appears more than once in the submission (a copied cell) counts once,
    with its worst outcome.
    """
    results = []
    for test in (c for c in source.cells if is_test(c)):
        gid = grade_id(test)
        points = float(test.metadata["nbgrader"]["points"])
        outcomes = run.tests.get(gid, [])
        if gid in missing or not outcomes:
            results.append(TestResult(gid, 0.0, points, Status.MISSING, "the test cell was deleted from the notebook"))
            continue
        worst = next((o for o in outcomes if not o.passed), outcomes[0])
        results.append(TestResult(gid, points if worst.passed else 0.0, points, worst.status, worst.message))
    return results


def explain_dependencies(results: list[TestResult], source: NotebookNode, lesson: Anatomy,
                         solutions: dict[str, str]) -> None:
    """Add to each failed test the graded functions it uses whose own tests failed too ("fix that first").

    ``solutions`` holds the student's solution cells: a function used through the student's
    code of another (``convolve2d`` calling ``correlate2d``) counts.
    """
    failed = [r.id for r in results if r.score < r.max_score]
    sources = {grade_id(c): c.source for c in source.cells if is_test(c)}
    for result in results:
        if result.status not in (Status.FAILED, Status.TIMEOUT, Status.CRASHED) or result.message.startswith(NOT_IMPLEMENTED):
            continue  # an unfinished function is the first thing to fix
        for name, tests in failed_dependencies(result.id, sources[result.id], lesson, solutions, failed).items():
            which = "test" if len(tests) == 1 else "tests"
            result.message += (f"\nThis test also uses {name}, whose own {which} failed ({', '.join(tests)}): "
                               "fix that first.")
def graded_by_hand(source: NotebookNode, released: NotebookNode, submission: NotebookNode) -> list[HandGraded]:
    """The cells of a lesson that an instructor grades by hand, with their points, and whether
    the submission answered each (its cell differs from the released one)."""
    given = {grade_id(c): c.source.strip() for c in released.cells if grade_id(c)}
    answers = {grade_id(c): c.source.strip() for c in submission.cells if grade_id(c)}
    return [HandGraded(gid, float(c.metadata["nbgrader"].get("points", 0)),
                       answers.get(gid) not in (None, given.get(gid)))
            for c in source.cells if is_graded_by_hand(c) for gid in [grade_id(c)]]

