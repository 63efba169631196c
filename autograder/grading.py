"""Grade a student's notebook against its lesson's tests, hidden ones included, without a gradebook.

The steps are those of ``nbgrader autograde``, done with nbgrader's own pieces but no database:

1. read the submission and find its lesson (by file name, checked against its cells' grade ids);
2. overwrite every locked cell of the submission (setup and test cells) with the instructor's
   version from ``solutions/``, which holds the hidden tests;
3. execute the result in a fresh kernel, in a temporary directory, with nbgrader's per-cell timeout;
4. score each test cell with :func:`nbgrader.utils.determine_grade` and explain each failure.

A test cell the student deleted, or one the kernel never reached, scores 0 with the reason.
"""
from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from . import paths
from .config import cell_timeout

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRAME = re.compile(r", in ([\w.]+)\(")


class GradingError(Exception):
    """The file cannot be graded (not a notebook, corrupt JSON, wrong lesson, ...)."""


@dataclass
class TestResult:
    """The outcome of one test cell."""

    id: str
    score: float
    max_score: float
    status: str  # "passed", "failed", "timeout", "missing" or "not_run"
    message: str = ""


@dataclass
class GradeReport:
    """The grade of one notebook."""

    lesson: str
    notebook: str
    tests: list[TestResult] = field(default_factory=list)
    #: Errors raised by cells that are not tests ("cell 7: NameError: ..."); they cost no points.
    cell_errors: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.tests)

    def to_dict(self) -> dict:
        """Return the report as plain data (the ``--json`` format)."""
        return {
            "lesson": self.lesson,
            "notebook": self.notebook,
            "score": self.score,
            "max_score": self.max_score,
            "tests": [asdict(t) for t in self.tests],
            "cell_errors": self.cell_errors,
        }


def grade_notebook(
    path: str | Path, lesson: str | None = None, timeout: int | None = None
) -> GradeReport:
    """Grade one notebook.

    Parameters
    ----------
    path : str or Path
        The student's notebook.
    lesson : str, optional
        The lesson id; by default it is taken from the file name (``01_convolution.ipynb``)
        or, failing that, from the grade ids of the notebook's cells.
    timeout : int, optional
        Seconds each cell may run; nbgrader's ``Execute.timeout`` of the course by default.

    Returns
    -------
    GradeReport

    Raises
    ------
    GradingError
        When the file cannot be graded; the message says why in one line.
    """
    path = Path(path)
    submission = read_notebook(path)
    lesson = identify_lesson(submission, path, lesson)
    source = read_notebook(paths.solution_notebook(lesson))
    merged, missing = overwrite_locked_cells(submission, source)
    abort_reason = execute(merged, timeout or cell_timeout())
    tests = score_tests(merged, source, missing, abort_reason)
    return GradeReport(lesson, str(path), tests, errors_outside_tests(merged))


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
        raise GradingError(f"{path}: invalid notebook ({_first_line(str(error)) or type(error).__name__})") from None
    return notebook


def grade_ids(notebook: NotebookNode) -> set[str]:
    """Return the grade ids of a notebook's nbgrader cells."""
    return {c.metadata["nbgrader"]["grade_id"] for c in notebook.cells if _grade_id(c)}


def identify_lesson(notebook: NotebookNode, path: Path, lesson: str | None = None) -> str:
    """Return the lesson a notebook belongs to, or raise :class:`GradingError`.

    The lesson named (or the file's stem) is accepted when the notebook shares more grade
    ids with it than with any other lesson.
    """
    known = paths.lesson_ids()
    if lesson is not None and lesson not in known:
        raise GradingError(f"unknown lesson {lesson!r}; the lessons are: {', '.join(known)}")
    ids = grade_ids(notebook)
    if not ids:
        raise GradingError(f"{path}: no nbgrader cells, so it is not one of the course's lesson notebooks")
    overlap = {lid: len(ids & grade_ids(read_notebook(paths.solution_notebook(lid)))) for lid in known}
    best = max(overlap, key=overlap.get)
    claimed = lesson or (path.stem if path.stem in known else None)
    if claimed is None:
        if overlap[best] == 0:
            raise GradingError(f"{path}: its cells match none of the lessons ({', '.join(known)})")
        return best
    if overlap[claimed] == 0 or overlap[best] > overlap[claimed]:
        raise GradingError(f"{path}: this is the notebook of lesson {best}, not of lesson {claimed}")
    return claimed


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
    locked = {_grade_id(c): c for c in source.cells if _is_locked(c)}
    merged = copy.deepcopy(submission)
    merged.metadata["kernelspec"] = copy.deepcopy(source.metadata.get("kernelspec", {}))
    found = set()
    for index, cell in enumerate(merged.cells):
        gid = _grade_id(cell)
        if gid in locked:
            merged.cells[index] = copy.deepcopy(locked[gid])
            found.add(gid)
        if merged.cells[index].cell_type == "code":
            merged.cells[index].outputs = []
            merged.cells[index].execution_count = None
    tests = {_grade_id(c) for c in source.cells if _is_test(c)}
    return merged, tests - found


def execute(notebook: NotebookNode, timeout: int) -> str | None:
    """Run every cell of ``notebook`` in place, in a fresh kernel and a temporary directory.

    The kernel sees a scratch copy of ``data/`` (through ``CNN_COURSE_DATA``), so a submission
    that saves files there (retrained weights, say) changes nothing of the course's.

    Returns
    -------
    str or None
        Why execution stopped early (the kernel died, ...), or None when every cell ran.
    """
    from nbgrader.preprocessors import Execute  # slow import (~2 s): only when grading

    executor = Execute(
        timeout=timeout,
        kernel_name="python3",
        extra_arguments=["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"],
    )
    with tempfile.TemporaryDirectory(prefix="autograder-") as workdir:
        data = Path(workdir) / "data"
        if paths.DATA_DIR.is_dir():
            shutil.copytree(paths.DATA_DIR, data)
        with _environment(CNN_COURSE_DATA=str(data)):  # the kernel inherits the grader's environment
            try:
                executor.preprocess(notebook, {"metadata": {"path": workdir}})
            except Exception as error:  # noqa: BLE001  (a dead kernel, a broken kernel start, ...)
                return f"execution stopped at {_first_unfinished(notebook)}: {_explain_abort(error)}"
    return None


def _first_unfinished(notebook: NotebookNode) -> str:
    """Name the first code cell that did not finish (it has no execution count)."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.execution_count is None:
            return f"cell {index} ({_grade_id(cell) or 'code'})"
    return "the end of the notebook"


def _explain_abort(error: Exception) -> str:
    """Say why execution stopped, with the likely cause."""
    name = type(error).__name__
    if name == "CellTimeoutError":
        return ("the kernel stayed busy past the time limit and ignored the interrupt "
                "(does a cell catch KeyboardInterrupt in a loop?)")
    if name == "DeadKernelError":
        return "the kernel died (os._exit, a crash, or out of memory)"
    return f"{name}: {_first_line(str(error))}"


@contextlib.contextmanager
def _environment(**variables: str):
    """Set environment variables for the duration of a ``with`` block."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def score_tests(
    merged: NotebookNode, source: NotebookNode, missing: set[str], abort_reason: str | None
) -> list[TestResult]:
    """Score each test cell of the lesson, in the instructor notebook's order."""
    from nbgrader.utils import determine_grade

    results = []
    for test in (c for c in source.cells if _is_test(c)):
        gid = _grade_id(test)
        points = float(test.metadata["nbgrader"]["points"])
        copies = [c for c in merged.cells if _grade_id(c) == gid]
        if gid in missing or not copies:
            results.append(TestResult(gid, 0.0, points, "missing", "the test cell was deleted from the notebook"))
            continue
        outcomes = [_outcome(c, points, abort_reason, determine_grade) for c in copies]
        results.append(min(outcomes, key=lambda r: r.score))
    return results


def errors_outside_tests(notebook: NotebookNode) -> list[str]:
    """Describe the errors raised by executed cells that are not test cells."""
    errors = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or _is_test(cell):
            continue
        for output in cell.outputs:
            if output.output_type == "error":
                errors.append(f"cell {index} ({_grade_id(cell) or 'code'}): {_error_message(output)}")
    return errors


def _outcome(cell: NotebookNode, points: float, abort_reason: str | None, determine_grade) -> TestResult:
    """Score one executed test cell and explain a failure."""
    gid = _grade_id(cell)
    if cell.execution_count is None and not cell.outputs:
        return TestResult(gid, 0.0, points, "not_run", abort_reason or "the cell was not executed")
    for output in cell.outputs:
        if output.output_type == "error":
            if output.ename == "CellTimeoutError":
                return TestResult(gid, 0.0, points, "timeout", "the cell ran longer than the time limit and was interrupted")
            return TestResult(gid, 0.0, points, "failed", _error_message(output))
        if output.output_type == "stream" and output.name == "stderr":
            return TestResult(gid, 0.0, points, "failed", "wrote to stderr (a warning?): " + _first_line(output.text))
    score, _ = determine_grade(cell)
    return TestResult(gid, float(score or 0.0), points, "passed" if score == points else "failed")


def _error_message(output: NotebookNode) -> str:
    """Turn an error output into the message a student should read."""
    value = _ANSI.sub("", str(output.evalue)).strip()
    if output.ename == "AssertionError" and value:
        return value
    if output.ename == "NotImplementedError":
        frames = _FRAME.findall(_ANSI.sub("", "\n".join(output.get("traceback", []))))
        where = frames[-1] if frames else "the function"
        return f"not implemented yet: {where} still raises NotImplementedError"
    return f"{output.ename}: {value}" if value else output.ename


def _first_line(text: str) -> str:
    lines = [line for line in _ANSI.sub("", text).splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _is_locked(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade_id")) and (meta.get("locked") or (meta.get("grade") and not meta.get("solution")))


def _is_test(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")
