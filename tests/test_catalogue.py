"""Every wrong implementation in the catalogue loses points, with the hint it should get."""
from __future__ import annotations

import collections
import importlib
import pkgutil

import nbformat
import pytest

import tests.catalogue
from autograder import paths
from autograder.cells import grade_id, is_solution
from tests.mutation import grade_mutant


def _catalogue():
    for module_info in pkgutil.iter_modules(tests.catalogue.__path__):
        module = importlib.import_module(f"tests.catalogue.{module_info.name}")
        for mutant in module.MUTANTS:
            yield pytest.param(module.LESSON, mutant, id=f"{module.LESSON}:{mutant.cell}:{mutant.name}")


@pytest.mark.slow
@pytest.mark.catalogue
@pytest.mark.parametrize("lesson, mutant", list(_catalogue()))
def test_wrong_implementation_loses_points(lesson, mutant, tmp_path):
    report = grade_mutant(lesson, mutant, tmp_path)
    failed = [t for t in report.tests if t.score < t.max_score]
    assert report.max_score > 0
    assert failed, f"{mutant.name!r} survived: it scored {report.score:g} / {report.max_score:g}"
    if mutant.hint:
        messages = "\n".join(f"{t.id}: {t.message}" for t in failed)
        assert mutant.hint.lower() in messages.lower(), (
            f"{mutant.name!r} lost points but no message says {mutant.hint!r}:\n{messages}"
        )


@pytest.mark.parametrize("module_name", [m.name for m in pkgutil.iter_modules(tests.catalogue.__path__)])
def test_every_graded_function_has_three_wrong_implementations(module_name):
    module = importlib.import_module(f"tests.catalogue.{module_name}")
    notebook = nbformat.read(paths.solution_notebook(module.LESSON), as_version=4)
    graded = [grade_id(c) for c in notebook.cells if is_solution(c) and c.cell_type == "code"]  # not written answers
    counts = collections.Counter(mutant.cell for mutant in module.MUTANTS)
    thin = {cell: counts[cell] for cell in graded if counts[cell] < 3}
    assert not thin, f"{module.LESSON}: fewer than three wrong implementations of {thin}"
