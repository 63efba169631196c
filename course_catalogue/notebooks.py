"""Notebooks made from a lesson's solution: changed by the catalogue, or completed as a student would."""
from __future__ import annotations

from pathlib import Path

import nbformat

from autograder import paths
from autograder.cells import grade_id, is_solution
from autograder.grading import GradeReport, grade_notebook
from course_catalogue import Change


def changed_notebook(lesson: str, change: Change) -> nbformat.NotebookNode:
    """Return the lesson's solution notebook, reduced to its nbgrader cells, with ``change`` applied.

    Only setup, solution and test cells are kept: the demonstrations are not graded, and tests
    do not depend on them.
    """
    notebook = nbformat.read(paths.solution_notebook(lesson), as_version=4)
    notebook.cells = [c for c in notebook.cells if grade_id(c)]
    apply_change(notebook, change)
    return notebook


def apply_change(notebook: nbformat.NotebookNode, change: Change) -> None:
    """Apply ``change`` to its solution cell of ``notebook``, in place.

    Raises
    ------
    ValueError
        When the notebook has no single cell of that grade id, or the change does not fit the
        cell (give ``source`` or ``replace``, and every ``old`` text must occur in the cell).
    """
    cells = [c for c in notebook.cells if grade_id(c) == change.cell]
    if len(cells) != 1:
        raise ValueError(f"{change.name!r}: the notebook has no single solution cell {change.cell!r}")
    cell = cells[0]
    if bool(change.source) == bool(change.replace):
        raise ValueError(f"{change.name!r}: give either source or replace")
    if change.source:
        cell.source = change.source
    for old, new in change.replace:
        if old not in cell.source:
            raise ValueError(f"{change.name!r}: {old!r} does not occur in cell {change.cell!r}; "
                             "update the catalogue after changing the solution")
        cell.source = cell.source.replace(old, new)


def grade_change(lesson: str, change: Change, directory: Path) -> GradeReport:
    """Write the changed notebook as ``<directory>/<lesson>.ipynb`` and grade it."""
    path = directory / f"{lesson}.ipynb"
    nbformat.write(changed_notebook(lesson, change), path)
    return grade_notebook(path)


def completed_copy(directory: Path, lesson: str) -> Path:
    """Write the shipped lesson with every solution cell filled in as a student would (no markers).

    Returns
    -------
    Path
        ``<directory>/<lesson>.ipynb``.
    """
    notebook = nbformat.read(paths.lesson_notebook(lesson), as_version=4)
    solutions = {grade_id(c): c.source
                 for c in nbformat.read(paths.solution_notebook(lesson), as_version=4).cells if is_solution(c)}
    for cell in notebook.cells:
        if grade_id(cell) in solutions:
            cell.source = "".join(  # the lines as they are, ends included, so that a change's text still matches
                line for line in solutions[grade_id(cell)].splitlines(keepends=True)
                if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
    path = directory / f"{lesson}.ipynb"
    nbformat.write(notebook, path)
    return path
