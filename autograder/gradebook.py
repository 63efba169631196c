"""nbgrader's gradebook: record the automatic scores, read back the grades given by hand.

The grader needs no database. With ``--gradebook DB_URL`` it also writes each test's score
into nbgrader's gradebook (so that formgrader and ``nbgrader export`` show them) and reads the
grades and comments an instructor gave by hand in formgrader (written answers), which the
feedback and the LMS files then include. A grade given by hand is never changed here.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .grading import GradingError, HandGraded

if TYPE_CHECKING:
    from nbgrader.api import Gradebook

    from .batch import Graded


@dataclass(frozen=True)
class HandGrade:
    """What the gradebook holds for one cell graded by hand.

    Attributes
    ----------
    score : float or None
        The instructor's score (0 for an answer left as released, as nbgrader gives it); None
        while the answer is not graded yet.
    comment : str
        The instructor's comment ("" when there is none).
    """

    score: float | None
    comment: str = ""


#: ``(student, lesson, cell id) -> HandGrade``
HandGrades = dict[tuple[str, str, str], HandGrade]


@contextmanager
def open_gradebook(db_url: str) -> Iterator[Gradebook]:
    """nbgrader's gradebook at ``db_url`` (nbgrader migrates it with the ``alembic`` of this Python)."""
    from nbgrader.api import Gradebook

    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    with Gradebook(db_url) as gradebook:
        yield gradebook


def record_in_gradebook(graded: list[Graded], db_url: str) -> int:
    """Write the automatic scores into nbgrader's gradebook, so formgrader and ``nbgrader export`` show them.

    The lesson must be in the gradebook (``nbgrader generate_assignment <lesson>`` puts it there).
    Cells graded by hand keep the score and comment an instructor gave; until then, as
    ``nbgrader autograde`` does, an answer is marked as needing a grade, and one left as
    released scores 0. Returns the number of submissions recorded.
    """
    from nbgrader.api import MissingEntry

    recorded = 0
    with open_gradebook(db_url) as gradebook:
        for item in (g for g in graded if g.report):
            lesson = item.report.lesson
            try:
                gradebook.find_assignment(lesson)
            except MissingEntry:
                raise GradingError(
                    f"lesson {lesson} is not in the gradebook {db_url}: run `nbgrader generate_assignment {lesson}` first"
                ) from None
            gradebook.update_or_create_student(item.student)
            try:
                gradebook.find_submission(lesson, item.student)
            except MissingEntry:
                gradebook.add_submission(lesson, item.student)
            for test in item.report.tests:
                grade = gradebook.find_grade(test.id, lesson, lesson, item.student)
                grade.auto_score = test.score
            for cell in item.report.by_hand:
                try:
                    grade = gradebook.find_grade(cell.id, lesson, lesson, item.student)
                except MissingEntry:  # a task cell: nbgrader keeps no grade row for it
                    continue
                if grade.manual_score is None:  # as nbgrader autograde: an answer left as released scores 0
                    grade.auto_score = None if cell.answered else 0.0
                    grade.needs_manual_grade = cell.answered
            gradebook.db.commit()
            recorded += 1
    return recorded


def read_hand_grades(graded: list[Graded], db_url: str) -> HandGrades:
    """The scores and comments given by hand to the graded submissions' written answers.

    A submission or lesson the gradebook does not have is left out (its answers are then
    shown as not graded yet).
    """
    from nbgrader.api import MissingEntry

    grades: HandGrades = {}
    with open_gradebook(db_url) as gradebook:
        for item in (g for g in graded if g.report):
            lesson = item.report.lesson
            for cell in item.report.by_hand:
                try:
                    grade = gradebook.find_grade(cell.id, lesson, lesson, item.student)
                except MissingEntry:
                    continue
                try:
                    comment = gradebook.find_comment(cell.id, lesson, lesson, item.student).manual_comment or ""
                except MissingEntry:
                    comment = ""
                score = grade.manual_score if grade.manual_score is not None else grade.auto_score
                grades[(item.student, lesson, cell.id)] = HandGrade(score, comment.strip())
    return grades


def hand_grade_of(student: str, lesson: str, cell: HandGraded, hand_grades: HandGrades) -> HandGrade | None:
    """The grade of a cell graded by hand: the gradebook's, else 0 for an answer left as released,
    else None (not graded yet)."""
    grade = hand_grades.get((student, lesson, cell.id))
    if grade is not None and grade.score is not None:
        return grade
    if not cell.answered:
        return HandGrade(0.0, grade.comment if grade else "")
    return grade
