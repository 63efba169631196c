"""What a lesson's instructor notebook tells the grader about its cells.

Derived from the notebook, never from a table kept by hand: which names the solution cells
define (the graded names), which tests follow each solution cell (its own tests), which code
cells are the lesson's demonstrations (cells nbgrader does not know), and what the lesson's
setup cells import.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from nbformat import NotebookNode

from .cells import grade_id, is_locked, is_solution, is_test
from .names import bound_names, defined_names, free_names, imported_modules


@dataclass(frozen=True)
class Anatomy:
    """The cells of a lesson, as its instructor notebook has them."""

    #: Graded name -> grade id of the solution cell that defines it.
    defined_by: Mapping[str, str]
    #: Grade id of a solution cell -> ids of its own tests (the test cells after it, up to the next solution cell).
    own_tests: Mapping[str, tuple[str, ...]]
    #: Sources of the lesson's demonstration cells (code cells without nbgrader metadata).
    demonstrations: frozenset[str]
    #: Modules the setup cells import.
    setup_imports: tuple[str, ...]

    def names_of(self, solution_id: str) -> set[str]:
        """The graded names a solution cell defines."""
        return {name for name, cell in self.defined_by.items() if cell == solution_id}

    def tested_with(self, test_id: str) -> str | None:
        """The solution cell whose own test ``test_id`` is."""
        return next((cell for cell, tests in self.own_tests.items() if test_id in tests), None)

    def uses(self, source: str, solutions: Mapping[str, str]) -> set[str]:
        """Graded names a cell's ``source`` uses, directly or through the student's code.

        ``solutions`` maps the grade id of each solution cell to the student's source of it: a
        graded name used by the student's cell of another graded name counts as used.
        """
        used: set[str] = set()
        frontier = free_names(source) & set(self.defined_by)
        while frontier:
            name = frontier.pop()
            used.add(name)
            student = solutions.get(self.defined_by[name], "")
            frontier |= (_free_names_or_none(student) & set(self.defined_by)) - used
        return used


def anatomy(source: NotebookNode) -> Anatomy:
    """Read the :class:`Anatomy` of a lesson from its instructor notebook."""
    defined_by: dict[str, str] = {}
    own_tests: dict[str, list[str]] = {}
    current: str | None = None
    demonstrations, imports = set(), set()
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        gid = grade_id(cell)
        if is_solution(cell):
            current = gid
            own_tests[gid] = []
            defined_by.update(dict.fromkeys(defined_names(cell.source), gid))
        elif is_test(cell):
            if current is not None:
                own_tests[current].append(gid)
        elif is_locked(cell):
            imports |= imported_modules(cell.source)
        elif gid is None:
            demonstrations.add(cell.source)
    return Anatomy(defined_by, {k: tuple(v) for k, v in own_tests.items()}, frozenset(demonstrations),
                   tuple(sorted(imports)))


def unused_demonstrations(notebook: NotebookNode, lesson: Anatomy) -> set[int]:
    """Indices of the lesson's demonstration cells in ``notebook`` whose names no later cell uses.

    A demonstration cell (as the lesson ships it; one the student edited is the student's own)
    is used when a cell after it that runs reads a name it binds: a setup, solution or test
    cell, a cell of the student's, or another demonstration cell that is used.
    """
    unused: set[int] = set()
    wanted: set[str] = set()  # names read by the cells after the current one that run
    for index in reversed(range(len(notebook.cells))):
        cell = notebook.cells[index]
        if cell.cell_type != "code":
            continue
        reads = _free_names_or_none(cell.source)
        if grade_id(cell) is None and cell.source in lesson.demonstrations:
            if not bound_names(cell.source) & wanted:
                unused.add(index)
                continue
        wanted |= reads
    return unused


def solution_sources(notebook: NotebookNode) -> dict[str, str]:
    """Grade id -> source of each solution code cell of ``notebook`` (the student's, in a submission)."""
    return {grade_id(c): c.source for c in notebook.cells if c.cell_type == "code" and is_solution(c)}


def _free_names_or_none(source: str) -> set[str]:
    """:func:`free_names`, or nothing for a cell that does not parse (its error is reported elsewhere)."""
    try:
        return free_names(source)
    except SyntaxError:
        return set()


def failed_dependencies(test_id: str, source: str, lesson: Anatomy, solutions: Mapping[str, str],
                        failed: Iterable[str]) -> dict[str, list[str]]:
    """The graded names a test uses, other than its own function's, whose own tests failed.

    Returns
    -------
    dict
        Graded name -> its own tests among ``failed``, for the names whose failure does not
        come from another of them.
    """
    failed = set(failed)
    own = lesson.names_of(lesson.tested_with(test_id) or "")
    found = {}
    for name in sorted(lesson.uses(source, solutions) - own):
        tests = [t for t in lesson.own_tests.get(lesson.defined_by[name], ()) if t in failed]
        if tests:
            found[name] = tests
    # A function whose own failure comes from another one found (convolve2d calling correlate2d) is left out.
    return {name: tests for name, tests in found.items()
            if not (lesson.uses(name, solutions) - {name}) & set(found)}
