"""The catalogue of wrong implementations, one module per lesson.

Each module defines ``LESSON`` (the lesson id) and ``MUTANTS``, a list of :class:`Mutant`.
``tests/test_catalogue.py`` grades every mutant and asserts that it loses points and, when the
mutant names a ``hint``, that a failing test's message says it.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    """A realistic wrong implementation of one graded function.

    Attributes
    ----------
    cell : str
        The grade id of the solution cell to change.
    name : str
        What the mistake is, as a student would make it.
    replace : tuple of (str, str)
        ``(old, new)`` pairs: each ``old`` must occur in the solution cell and becomes ``new``...
    source : str
        ...or the whole cell becomes ``source``.
    hint : str
        Words a failing test's message must contain (case-insensitive); empty for none.
    """

    cell: str
    name: str
    replace: tuple[tuple[str, str], ...] = ()
    source: str = ""
    hint: str = ""
