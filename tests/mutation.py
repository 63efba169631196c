"""Grade wrong implementations: apply a catalogue mutant to a solution notebook and grade it."""
from __future__ import annotations

from pathlib import Path

import nbformat

from autograder import paths
from autograder.cells import grade_id
from autograder.grading import GradeReport, grade_notebook
from tests.catalogue import Mutant


def mutated_notebook(lesson: str, mutant: Mutant) -> nbformat.NotebookNode:
    """Return the lesson's solution notebook, reduced to its nbgrader cells, with ``mutant`` applied.

    Only setup, solution and test cells are kept: the demonstrations are not graded, and tests
    do not depend on them.
    """
    notebook = nbformat.read(paths.solution_notebook(lesson), as_version=4)
    notebook.cells = [c for c in notebook.cells if grade_id(c)]
    apply_mutant(notebook, mutant)
    return notebook


def apply_mutant(notebook: nbformat.NotebookNode, mutant: Mutant) -> None:
    """Apply ``mutant`` to its solution cell of ``notebook``, in place."""
    cells = [c for c in notebook.cells if grade_id(c) == mutant.cell]
    assert len(cells) == 1, f"the notebook has no single solution cell {mutant.cell!r}"
    cell = cells[0]
    assert bool(mutant.source) != bool(mutant.replace), f"mutant {mutant.name!r}: give source or replace"
    if mutant.source:
        cell.source = mutant.source
    for old, new in mutant.replace:
        assert old in cell.source, (
            f"mutant {mutant.name!r}: {old!r} does not occur in cell {mutant.cell!r}; "
            "update the catalogue after changing the solution"
        )
        cell.source = cell.source.replace(old, new)


def grade_mutant(lesson: str, mutant: Mutant, directory: Path) -> GradeReport:
    """Write the mutated notebook as ``<directory>/<lesson>.ipynb`` and grade it."""
    path = directory / f"{lesson}.ipynb"
    nbformat.write(mutated_notebook(lesson, mutant), path)
    return grade_notebook(path)
