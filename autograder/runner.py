"""Run a merged notebook: the student's cells in a sandbox, the test cells in the grader.

Cells that are not tests (setup, solutions, demonstrations) run in order in the submission's
process (:class:`autograder.sandbox.Sandbox`). Each test cell runs here, in the grader, in a
namespace of its own: what it imports and defines is the grader's; every other name it uses
(the student's functions and classes) is looked up in the sandbox and used through a proxy.
Arguments go in and results come back as plain data, and every comparison happens here, so
nothing the submission does in its process can change a comparison.

The lesson's demonstration cells (figures, timings, training) earn no points and no test
depends on them: by default only those that define a name a later cell uses run
(``Autograder.demonstrations``).

Time (the limits are :class:`autograder.limits.Autograder`'s): a cell outside the tests may run
``cell_timeout`` seconds, a test ``test_timeout``, the whole notebook ``notebook_timeout``;
after that the remaining tests are not run. When the submission hangs or its process dies, the
cell or test at fault gets the reason, the process is restarted, the cells that had run are
run again, and grading goes on. From then on the lesson's demonstration cells are skipped (each
could hang again) and every other cell gets ``test_timeout`` at most; a test that calls a graded
function that already ran past a limit gets ``hung_timeout``: a function that never returns
costs one test limit, then ``hung_timeout`` per test that calls it.
"""
from __future__ import annotations

import builtins
import contextlib
import io
import os
import re
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

from nbformat import NotebookNode

from . import checks
from .anatomy import Anatomy, solution_sources, unused_demonstrations
from .cells import grade_id, is_solution, is_test
from .limits import Autograder
from .names import free_names, python_source
from .sandbox import Sandbox, SandboxFailure
from .status import Status
from .text import first_line

os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")  # OpenCV in a test cell writes warnings to stderr

#: The reason given to the tests that come after the notebook's time budget was spent.
BUDGET_SPENT = "not run: the notebook's time budget was spent"

#: How a test that ran into the stub of an unfinished function begins its message.
NOT_IMPLEMENTED = "not implemented yet"

#: Modules every sandbox imports when the lesson's setup cells use matplotlib (``%matplotlib inline``).
_INLINE_BACKEND = "matplotlib_inline.backend_inline"

_FRAME = re.compile(r'File "[^"]*", line \d+, in (\w+)')


@dataclass
class TestOutcome:
    """What one run of a test cell gave; ``function``: the student's function whose call hung or died."""

    id: str
    status: Status
    message: str = ""
    function: str = ""

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED


@dataclass
class NotebookRun:
    """Outcomes of a notebook's test cells (by grade id), errors of its other cells, and timings."""

    tests: dict[str, list[TestOutcome]] = field(default_factory=dict)
    #: Errors of cells outside the tests ("cell 7 (pad2d): NameError: ..."), notes on skipped cells.
    cell_errors: list[str] = field(default_factory=list)
    #: Those of them that are errors of the student's solution cells.
    solution_errors: list[str] = field(default_factory=list)
    #: Grade id of each solution cell that raised, hung or crashed -> what happened.
    failed_solutions: dict[str, str] = field(default_factory=dict)
    protections: list[str] = field(default_factory=list)
    #: Seconds spent starting the student's process, running cells outside the tests, running tests.
    timings: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("start", "cells", "tests"), 0.0))

    def cell_failed(self, label: str, solution: str | None, what: str) -> None:
        """Record that a cell outside the tests failed; ``solution`` is its grade id if it is a solution cell."""
        self.cell_errors.append(f"{label}: {what}")
        if solution:
            self.solution_errors.append(self.cell_errors[-1])
            self.failed_solutions[solution] = what

    @contextlib.contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        """Add the time the ``with`` block takes to ``timings[phase]``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[phase] += time.perf_counter() - started


class _Budget:
    """The notebook's time budget: what is left of it, and the limit of the next cell or test."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    @property
    def spent(self) -> bool:
        return time.monotonic() >= self.ends

    def limit(self, timeout: float) -> float:
        """``timeout``, or what is left of the budget if that is less."""
        return max(min(timeout, self.ends - time.monotonic()), 0.0)


def run_notebook(notebook: NotebookNode, limits: Autograder, lesson: Anatomy) -> NotebookRun:
    """Run every code cell of ``notebook``; see the module docstring.

    Parameters
    ----------
    notebook : NotebookNode
        The submission with the instructor's setup and test cells.
    limits : Autograder
        Time limits and the sandbox's limits.
    lesson : Anatomy
        The lesson's instructor notebook, read: its demonstrations, graded names and setup imports.
    """
    imports = lesson.setup_imports
    preload = imports + ((_INLINE_BACKEND,) if any(m.startswith("matplotlib") for m in imports) else ())
    with Sandbox(limits, preload) as sandbox:
        return _Runner(sandbox, limits, lesson).run(notebook)


class _Runner:
    """One notebook's run: the sandbox, the time budget, and what happened so far."""

    def __init__(self, sandbox: Sandbox, limits: Autograder, lesson: Anatomy) -> None:
        self.sandbox, self.limits, self.lesson = sandbox, limits, lesson
        self.result = NotebookRun()
        self.done: list[str] = []  # cells that ran (demonstrations excepted), to run again after a restart
        self.stopped = False  # the student's code hung or its process died at least once
        self.skipped = 0  # demonstration cells skipped since
        self.broken: str | None = None  # why the submission can no longer be run, if it cannot
        self.budget: _Budget  # counted from when the process is ready
        self.unused: set[int] = set()  # demonstration cells no later cell needs
        self.hung: set[str] = set()  # graded names whose call ran past a time limit
        self.solutions: dict[str, str] = {}  # the student's solution cells

    def run(self, notebook: NotebookNode) -> NotebookRun:
        self.solutions = solution_sources(notebook)
        if self.limits.demonstrations == "needed":
            self.unused = unused_demonstrations(notebook, self.lesson)
        with self.result.timed("start"):
            self.sandbox.start()  # bounded by its own limit; the first start in a process includes the zygote's
        self.result.protections = self.sandbox.protections
        self.budget = _Budget(self.limits.notebook_timeout)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                (self.test if is_test(cell) else self.cell)(index, cell)
        if self.skipped:
            self.result.cell_errors.append(
                f"{self.skipped} of the lesson's demonstration cells were skipped after the student's code hung "
                "or crashed (no test depends on them)")
        if self.budget.spent:
            self.result.cell_errors.append(
                f"the notebook's time budget of {self.budget.seconds:g} s was spent before its last cells ran")
        return self.result

    def test(self, index: int, cell: NotebookNode) -> None:
        gid = grade_id(cell)
        if self.broken or self.budget.spent:
            outcome = TestOutcome(gid, Status.NOT_RUN, self.broken or BUDGET_SPENT)
        else:
            hung = sorted(self.lesson.uses(cell.source, self.solutions) & self.hung)
            timeout = min(self.limits.test_timeout, self.limits.hung_timeout) if hung else self.limits.test_timeout
            with self.result.timed("tests"):
                outcome = run_test(self.sandbox, gid, cell.source, self.budget.limit(timeout),
                                   self.lesson, self.result.failed_solutions)
            if outcome.status is Status.TIMEOUT and self.budget.spent:
                outcome.message += f" (the notebook's time budget of {self.budget.seconds:g} s was spent)"
            elif outcome.status is Status.TIMEOUT and hung:
                outcome.message += (f"\nThe limit was shorter because this test calls {', '.join(hung)}, which "
                                    f"already ran past a limit ({self.limits.hung_timeout:g} s instead of "
                                    f"{self.limits.test_timeout:g} s).")
            if outcome.status is Status.TIMEOUT and outcome.function.partition(".")[0] in self.lesson.defined_by:
                self.hung.add(outcome.function.partition(".")[0])
        self.result.tests.setdefault(gid, []).append(outcome)
        if outcome.status.stops_the_submission:
            self.restart()

    def cell(self, index: int, cell: NotebookNode) -> None:
        gid = grade_id(cell)
        demonstration = gid is None and cell.source in self.lesson.demonstrations
        if self.broken or self.budget.spent or index in self.unused:
            return
        if self.stopped and demonstration:
            self.skipped += 1
            return
        label, solution = f"cell {index} ({gid or 'code'})", gid if is_solution(cell) else None
        timeout = min(self.limits.cell_timeout, self.limits.test_timeout) if self.stopped else self.limits.cell_timeout
        try:
            with self.result.timed("cells"):
                error = self.sandbox.run_cell(cell.source, self.budget.limit(timeout))
        except SandboxFailure as failure:
            self.result.cell_failed(label, solution, f"the cell {failure.reason}")
            self.restart()
            return
        if not demonstration:
            self.done.append(cell.source)
        if error is not None:
            self.result.cell_failed(label, solution, describe_error(error.type, error.message, error.traceback))

    def restart(self) -> None:
        """Restart the sandbox and run again the cells that had run; if that fails, nothing more runs."""
        self.stopped = True
        with self.result.timed("start"):
            self.sandbox.start()
        with self.result.timed("cells"):
            for source in self.done:
                try:
                    self.sandbox.run_cell(source, self.budget.limit(self.limits.cell_timeout))
                except SandboxFailure as failure:
                    self.broken = (BUDGET_SPENT if self.budget.spent else
                                   f"not run: the cells before this test no longer run after a restart ({failure.reason})")
                    return


def run_test(sandbox: Sandbox, grade_id: str, source: str, timeout: float, lesson: Anatomy,
             failed_solutions: dict[str, str]) -> TestOutcome:
    """Run one test cell in the grader against the submission in ``sandbox``.

    ``failed_solutions`` (solution grade id -> what went wrong) explains a graded name that the
    submission does not define.
    """
    code = compile(python_source(source), f"<test cell {grade_id}>", "exec")
    namespace: dict = {"__name__": f"test_{grade_id}", "__builtins__": builtins}
    try:
        with sandbox.deadline(timeout), _test_surroundings(sandbox):
            for name in sorted(free_names(source)):
                with contextlib.suppress(NameError):
                    namespace[name] = sandbox.lookup(name)
            exec(code, namespace)  # noqa: S102  (the instructor's test cell)
    except SandboxFailure as failure:
        status = Status.TIMEOUT if failure.timed_out else Status.CRASHED
        return TestOutcome(grade_id, status, f"the student's code {failure.reason}", failure.function)
    except AssertionError as error:
        return TestOutcome(grade_id, Status.FAILED, str(error).strip() or "a check failed (AssertionError)")
    except Exception as error:  # noqa: BLE001  (any other exception is the finding)
        if isinstance(error, NameError) and not hasattr(error, "remote_type"):  # a name the notebook lacks
            return TestOutcome(grade_id, Status.FAILED, _undefined(error, lesson, failed_solutions))
        kind = getattr(error, "remote_type", "") or type(error).__name__
        message = describe_error(kind, str(error), getattr(error, "remote_traceback", ""))
        call = getattr(error, "remote_call", "")
        unfinished = message.startswith(NOT_IMPLEMENTED)
        return TestOutcome(grade_id, Status.FAILED, f"{call} raised {message}" if call and not unfinished else message)
    return TestOutcome(grade_id, Status.PASSED)


def _undefined(error: NameError, lesson: Anatomy, failed_solutions: dict[str, str]) -> str:
    """Say why a name a test uses is not defined: a graded name's cell failed, or it was renamed."""
    name = getattr(error, "name", None)
    cell = lesson.defined_by.get(name)
    if cell is None:
        return describe_error("NameError", str(error))
    if cell in failed_solutions:
        return (f"{name} is not defined: the cell that defines it ({cell}) failed: {failed_solutions[cell]}. "
                "Fix that cell first")
    return (f"{name} is not defined: the graded function must keep the name {name} and its cell ({cell}) "
            "must be in the notebook")


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
        return f"{NOT_IMPLEMENTED}: {where} still raises NotImplementedError"
    if name.endswith("MemoryError"):  # numpy raises its own subclass
        return f"MemoryError: the student's code ran out of memory ({message.strip()[:200] or 'no message'})"
    first = first_line(message)
    return f"{name}: {first}" if first else name
