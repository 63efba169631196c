"""What a lesson's notebooks hold, cell by cell: which cell defines each graded function, which
functions each test calls, what the released notebook gives in each solution cell, and the
lines of the hidden tests (which no student-facing file may show)."""
from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from . import paths
from .cells import grade_id, is_solution, is_test
from .names import free_names, python_source

_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
#: Hidden-test lines shorter than this are too common to be the test's (``else:``, ``cases += 1``).
MIN_HIDDEN_LINE = 12


@dataclass(frozen=True)
class LessonCode:
    """The code structure of one lesson.

    Attributes
    ----------
    id : str
        The lesson id.
    cell_of : dict of str to str
        Each graded function or class -> the grade id of the solution cell that defines it.
    tests_call : dict of str to tuple of str
        Each test's grade id -> the graded names it uses, in the cell's order.
    scaffolds : dict of str to str
        Each solution cell's grade id -> its source as the lesson releases it.
    hidden_lines : tuple of str
        The distinctive lines of the hidden tests (stripped, at least :data:`MIN_HIDDEN_LINE` long).
    """

    id: str
    cell_of: dict[str, str]
    tests_call: dict[str, tuple[str, ...]]
    scaffolds: dict[str, str]
    hidden_lines: tuple[str, ...]

    def functions_tested(self, test_id: str) -> tuple[str, ...]:
        """The graded names a test is about: those its id names (``test_convolve2d``), else all it uses."""
        used = self.tests_call.get(test_id, ())
        named = tuple(name for name in used if re.search(rf"(^|_){re.escape(name)}(_|$)", test_id))
        return named or used

    def functions_of(self, cell_id: str) -> list[str]:
        """The graded names a solution cell defines."""
        return [name for name, cell in self.cell_of.items() if cell == cell_id]


@functools.lru_cache(maxsize=None)
def lesson_code(lesson: str) -> LessonCode:
    """Read a lesson's solution and released notebooks (cached)."""
    source = nbformat.read(paths.solution_notebook(lesson), as_version=4)
    released = nbformat.read(paths.lesson_notebook(lesson), as_version=4)
    cell_of = {}
    for cell in source.cells:
        if cell.cell_type == "code" and is_solution(cell):
            cell_of.update(dict.fromkeys(defined_names(cell.source), grade_id(cell)))
    tests_call = {}
    hidden = []
    for cell in filter(is_test, source.cells):
        used = free_names(cell.source)
        tests_call[grade_id(cell)] = tuple(name for name in cell_of if name in used)
        for block in _HIDDEN.findall(cell.source):
            hidden += [line.strip() for line in block.splitlines() if len(line.strip()) >= MIN_HIDDEN_LINE]
    return LessonCode(lesson, cell_of, tests_call, solution_cells(released), tuple(dict.fromkeys(hidden)))


def defined_names(cell_source: str) -> list[str]:
    """The functions and classes a cell defines at its top level, in order."""
    try:
        tree = ast.parse(python_source(cell_source))
    except SyntaxError:
        return []
    return [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]


def solution_cells(notebook: NotebookNode) -> dict[str, str]:
    """A notebook's code solution cells: grade id -> source (the first cell of each id)."""
    cells: dict[str, str] = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and is_solution(cell):
            cells.setdefault(grade_id(cell), cell.source)
    return cells


def cell_sources(path: str | Path) -> dict[str, str] | None:
    """Every nbgrader cell of a submitted notebook: grade id -> source, or None when it cannot be read."""
    try:
        notebook = nbformat.read(str(path), as_version=4)
    except Exception:  # noqa: BLE001  (as above)
        return None
    cells: dict[str, str] = {}
    for cell in notebook.cells:
        if grade_id(cell):
            cells.setdefault(grade_id(cell), cell.source)
    return cells
