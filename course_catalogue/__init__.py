"""The catalogue: changes to the solution notebooks that the grader must score right.

One module per lesson, ``lessonNN.py``, defines ``LESSON`` (the lesson id), ``MUTANTS`` (a list
of :class:`Mutant`: realistic wrong implementations, each of which must lose points) and, once
its author has written them, ``CORRECT`` (a list of :class:`Variant`: correct implementations in
styles the tests may not expect, each of which must score full marks).

The test suite (``tests/test_catalogue.py``) and the grader benchmark
(``benchmarks/grader_benchmark.py``) both use it, so it is a package of its own: a benchmark never
imports the test suite. It is not part of the installed packages (``autograder``, ``cnncourse``):
like ``solutions/``, it is the instructor's.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Change:
    """A change of one solution cell of a lesson.

    Attributes
    ----------
    cell : str
        The grade id of the solution cell to change.
    name : str
        What the change is, as a student would write it.
    replace : tuple of (str, str)
        ``(old, new)`` pairs: each ``old`` must occur in the solution cell and becomes ``new``...
    source : str
        ...or the whole cell becomes ``source``.
    """

    cell: str
    name: str
    replace: tuple[tuple[str, str], ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Mutant(Change):
    """A realistic wrong implementation of one graded function: it must lose points.

    Attributes
    ----------
    hint : str
        Words a failing test's message must contain (case-insensitive); empty for none.
    """

    hint: str = ""


@dataclass(frozen=True)
class Variant(Change):
    """A correct implementation in a style the tests may not expect: it must score full marks."""


def lesson_modules() -> list[ModuleType]:
    """Return the catalogue's lesson modules (``lessonNN``), in course order."""
    names = sorted(info.name for info in pkgutil.iter_modules(__path__) if info.name.startswith("lesson"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]
