"""Correct implementations of the graded functions, each written the way a different student might.

The catalogue (``course_catalogue/``) holds wrong implementations derived from the reference
solution and a few correct variants; these are more correct ones, independent of the reference
and of each other: other algorithms, other ways to build the output, helpers or none. The
generated class of the instructor-tools tests (``tests/generated_class.py``) gives each
independent student its own mix of the catalogue's variants and these, so that the similarity
report can be measured on code that was not copied.

Each module defines ``LESSON`` and ``IMPLEMENTATIONS``: solution cell grade id -> list of
:class:`Implementation`.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Implementation:
    """A correct solution of one cell.

    Attributes
    ----------
    body : str
        The function's body, indented by four spaces; it replaces the released stub
        (``# YOUR CODE HERE`` / ``raise NotImplementedError()``) under the given lines.
    helpers : str
        Functions of the student's own, defined in the cell above the graded function.
    """

    body: str
    helpers: str = ""
