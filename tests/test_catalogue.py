"""The catalogue: every wrong implementation loses points with the hint it should get, and every
correct implementation in an unexpected style scores full marks."""
from __future__ import annotations

import collections

import nbformat
import pytest

from autograder import paths
from autograder.cells import grade_id, is_solution
from course_catalogue import Mutant, Variant, lesson_modules
from course_catalogue.notebooks import changed_notebook, grade_change

MODULES = lesson_modules()


def _changes(attribute: str):
    for module in MODULES:
        for change in getattr(module, attribute, []):
            yield pytest.param(module.LESSON, change, id=f"{module.LESSON}:{change.cell}:{change.name}")


@pytest.mark.slow
@pytest.mark.catalogue
@pytest.mark.parametrize("lesson, mutant", list(_changes("MUTANTS")))
def test_wrong_implementation_loses_points(lesson, mutant, tmp_path):
    report = grade_change(lesson, mutant, tmp_path)
    failed = [t for t in report.tests if t.score < t.max_score]
    assert report.max_score > 0
    assert failed, f"{mutant.name!r} survived: it scored {report.score:g} / {report.max_score:g}"
    if mutant.hint:
        messages = "\n".join(f"{t.id}: {t.message}" for t in failed)
        assert mutant.hint.lower() in messages.lower(), (
            f"{mutant.name!r} lost points but no message says {mutant.hint!r}:\n{messages}"
        )


@pytest.mark.slow
@pytest.mark.catalogue
@pytest.mark.parametrize("lesson, variant", list(_changes("CORRECT")))
def test_correct_variant_scores_full_marks(lesson, variant, tmp_path):
    report = grade_change(lesson, variant, tmp_path)
    lost = [f"{t.id}: {t.status}: {t.message}" for t in report.tests if t.score < t.max_score]
    assert report.max_score > 0
    assert not lost, f"the correct {variant.name!r} lost points:\n" + "\n".join(lost)
    assert report.cell_errors == [], f"{variant.name!r}: cells raised:\n" + "\n".join(report.cell_errors)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.LESSON)
def test_every_graded_function_has_three_wrong_implementations(module):
    notebook = nbformat.read(paths.solution_notebook(module.LESSON), as_version=4)
    graded = [grade_id(c) for c in notebook.cells if is_solution(c) and c.cell_type == "code"]  # not written answers
    counts = collections.Counter(mutant.cell for mutant in module.MUTANTS)
    thin = {cell: counts[cell] for cell in graded if counts[cell] < 3}
    assert not thin, f"{module.LESSON}: fewer than three wrong implementations of {thin}"
    assert all(type(m) is Mutant for m in module.MUTANTS), f"{module.LESSON}: MUTANTS holds only Mutant entries"


@pytest.mark.parametrize("module", [m for m in MODULES if hasattr(m, "CORRECT")], ids=lambda m: m.LESSON)
def test_lessons_with_correct_variants_have_at_least_two(module):
    """Lessons declare ``CORRECT`` as their authors write it; a declared list holds two or more."""
    assert len(module.CORRECT) >= 2, f"{module.LESSON}: CORRECT holds {len(module.CORRECT)} variant(s), at least 2 wanted"
    assert all(type(v) is Variant for v in module.CORRECT), f"{module.LESSON}: CORRECT holds only Variant entries"


@pytest.mark.parametrize("lesson, variant", list(_changes("CORRECT")))
def test_correct_variant_differs_from_the_solution(lesson, variant):
    """A variant that is the solution again would pass whatever the grader does."""
    solution = nbformat.read(paths.solution_notebook(lesson), as_version=4)
    original = next(c.source for c in solution.cells if grade_id(c) == variant.cell)
    changed = next(c.source for c in changed_notebook(lesson, variant).cells if grade_id(c) == variant.cell)
    body = [line.strip() for line in original.splitlines() if line.strip() and "### " not in line]
    assert [line.strip() for line in changed.splitlines() if line.strip()] != body, f"{variant.name!r} is the solution itself"
