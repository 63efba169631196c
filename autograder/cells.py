"""What an nbgrader cell is, from its metadata."""
from __future__ import annotations

from collections.abc import Mapping


def grade_id(cell: Mapping) -> str | None:
    """The cell's nbgrader grade id, or None for a cell nbgrader does not know."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def is_test(cell: Mapping) -> bool:
    """An autograded test cell: graded code that is not a solution."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_solution(cell: Mapping) -> bool:
    """A cell the student writes (its code defines the graded names)."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def is_locked(cell: Mapping) -> bool:
    """A cell the grader restores from the instructor's notebook (setup and test cells).

    As nbgrader's ``utils.is_locked``: a solution cell is never locked, whatever its ``locked``
    flag says (the student's answer is never overwritten); a test cell always is.
    """
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if not meta.get("grade_id") or meta.get("solution"):
        return False
    return bool(meta.get("grade") or meta.get("locked"))


def is_graded_by_hand(cell: Mapping) -> bool:
    """A cell an instructor grades: nbgrader's manually graded answer (graded solution) or task."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade_id")) and bool((meta.get("grade") and meta.get("solution")) or meta.get("task"))
