"""Run a merged notebook: the student's cells in a sandbox, the test cells in the grader.

Cells that are not tests (setup, solutions, demonstrations) run in order in the submission's
process (:class:`autograder.sandbox.Sandbox`). Each test cell runs here, in the grader, in a
namespace of its own: what it imports and defines is the grader's; every other name it uses
(the student's functions and classes) is looked up in the sandbox and used through a proxy.
Arguments go in and results come back as plain data, and every comparison happens here, so
nothing the submission does in its process can change a comparison.

When the submission hangs or its process dies, the cell or test at fault gets the reason, the
process is restarted, the cells that had run are run again, and grading goes on.
"""
from __future__ import annotations

import builtins
import contextlib
import io
import os
import re
import tempfile
import warnings
from dataclasses import dataclass, field
from typing import Iterator

from nbformat import NotebookNode

from . import checks
from .names import free_names, python_source
from .cells import grade_id, is_test
from .sandbox import Sandbox, SandboxFailure

os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")  # OpenCV in a test cell writes warnings to stderr

#: Cells outside the tests that may hang or crash before the demonstration cells are skipped.
MAX_FAILED_CELLS = 3

_FRAME = re.compile(r'File "[^"]*", line \d+, in (\w+)')


@dataclass
class TestOutcome:
    """What one run of a test cell gave."""

    id: str
    passed: bool
    status: str  # "passed", "failed", "timeout", "crashed" or "not_run"
    message: str = ""


@dataclass
class NotebookRun:
    """Outcomes of a notebook's test cells (by grade id), and errors of its other cells."""

    tests: dict[str, list[TestOutcome]] = field(default_factory=dict)
    cell_errors: list[str] = field(default_factory=list)
    protections: list[str] = field(default_factory=list)


def run_notebook(notebook: NotebookNode, timeout: float, memory_mb: int) -> NotebookRun:
    """Run every code cell of ``notebook``; see the module docstring.

    Every test gets its own chance, each within ``timeout``, and every nbgrader cell (setup,
    solutions) runs. Other cells (demonstrations) are skipped once :data:`MAX_FAILED_CELLS`
    cells have hung or killed the process: each would otherwise cost a time limit and a restart.
    """
    run = NotebookRun()
    done: list[str] = []  # cells that ran, to run again after a restart
    failed_cells = 0
    broken: str | None = None  # why the submission can no longer be run, if it cannot
    with Sandbox(memory_mb) as sandbox:
        sandbox.start()
        run.protections = sandbox.protections
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            gid = grade_id(cell)
            if is_test(cell):
                outcome = (TestOutcome(gid, False, "not_run", broken) if broken
                           else run_test(sandbox, gid, cell.source, timeout))
                run.tests.setdefault(gid, []).append(outcome)
                if outcome.status in ("timeout", "crashed"):
                    broken = _restart(sandbox, done, timeout)
                continue
            if broken or (failed_cells >= MAX_FAILED_CELLS and not gid):
                continue
            label = f"cell {index} ({gid or 'code'})"
            try:
                error = sandbox.run_cell(cell.source, timeout)
            except SandboxFailure as failure:
                failed_cells += 1
                later = (f"; after {MAX_FAILED_CELLS} such cells, the demonstration cells were skipped"
                         if failed_cells == MAX_FAILED_CELLS else "")
                run.cell_errors.append(f"{label}: the cell {failure.reason}{later}")
                broken = _restart(sandbox, done, timeout)
                continue
            done.append(cell.source)
            if error is not None:
                run.cell_errors.append(f"{label}: {describe_error(error.type, error.message, error.traceback)}")
    return run


def _restart(sandbox: Sandbox, done: list[str], timeout: float) -> str | None:
    """Restart the sandbox and run again the cells that had run; return why it failed, if it did."""
    sandbox.start()
    for source in done:
        try:
            sandbox.run_cell(source, timeout)
        except SandboxFailure as failure:
            return f"the cells before this test no longer run after a restart ({failure.reason})"
    return None


def run_test(sandbox: Sandbox, grade_id: str, source: str, timeout: float) -> TestOutcome:
    """Run one test cell in the grader against the submission in ``sandbox``."""
    code = compile(python_source(source), f"<test cell {grade_id}>", "exec")
    namespace: dict = {"__name__": f"test_{grade_id}", "__builtins__": builtins}
    try:
        with sandbox.deadline(timeout), _test_surroundings(sandbox):
            for name in sorted(free_names(source)):
                with contextlib.suppress(NameError):
                    namespace[name] = sandbox.lookup(name)
            exec(code, namespace)  # noqa: S102  (the instructor's test cell)
    except SandboxFailure as failure:
        status = "timeout" if failure.timed_out else "crashed"
        return TestOutcome(grade_id, False, status, f"the student's code {failure.reason}")
    except AssertionError as error:
        return TestOutcome(grade_id, False, "failed", str(error).strip() or "a check failed (AssertionError)")
    except Exception as error:  # noqa: BLE001  (any other exception is the finding)
        kind = getattr(error, "remote_type", "") or type(error).__name__
        return TestOutcome(grade_id, False, "failed",
                           describe_error(kind, str(error), getattr(error, "remote_traceback", "")))
    return TestOutcome(grade_id, True, "passed")


@contextlib.contextmanager
def _test_surroundings(sandbox: Sandbox) -> Iterator[None]:
    """Temporary files in the sandbox's shared folder, its modules for ``submission_module``,
    the test's output and warnings kept to itself."""
    saved_tempdir = tempfile.tempdir
    tempfile.tempdir = str(sandbox.shared)
    try:
        with checks.importing_from(sandbox.import_module), warnings.catch_warnings(), \
                contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        tempfile.tempdir = saved_tempdir


def describe_error(kind: str, message: str, traceback: str = "") -> str:
    """Say what an exception of the student's code means, in one or two lines."""
    name = kind.rpartition(".")[2]
    if name == "NotImplementedError":
        frames = _FRAME.findall(traceback)
        where = frames[-1] if frames else "the function"
        return f"not implemented yet: {where} still raises NotImplementedError"
    if name.endswith("MemoryError"):  # numpy raises its own subclass
        return f"MemoryError: the student's code ran out of memory ({message.strip()[:200] or 'no message'})"
    first = next((line.strip() for line in message.splitlines() if line.strip()), "")
    return f"{name}: {first}" if first else name
