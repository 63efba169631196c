"""Grades into the LMS: the class's scores as Canvas and Moodle gradebook-import CSV files.

One row per student, one column per lesson; the value is the lesson's automatic score plus the
points given by hand that nbgrader's gradebook holds (``--gradebook``). A lesson a student did
not submit, or whose notebook could not be graded, is left blank: both LMSs then leave that
grade as it is.

Students are matched by nbgrader's student id (the JupyterHub user name), which is used as the
LMS login unless a mapping file says otherwise: a CSV with a ``student_id`` column and any of
``lms_id`` (Canvas's numeric user id, Moodle's ID number), ``email``, ``name`` and ``section``.

Canvas (Instructor Guide, "How do I import grades in the Gradebook?",
https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807):
the columns ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``, then one column
per assignment, its header the assignment's name; a second row ``Points Possible`` gives each
assignment's points, as in Canvas's own gradebook export.

Moodle (MoodleDocs, "Grade import", https://docs.moodle.org/en/Grade_import): a CSV with a header
row; on import the teacher maps one column to identify users ("Map from" ``Username``, ``ID number``
or ``Email address`` to "Map to" username, useridnumber or useremail) and each lesson column to
a grade item. No row other than the header and the students'.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .batch import Graded
from .gradebook import HandGrades, hand_grade_of
from .report import number

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_COLUMNS = ("Username", "ID number", "Email address")
MAPPING_COLUMNS = ("student_id", "lms_id", "email", "name", "section")


@dataclass(frozen=True)
class Identity:
    """How the LMS knows a student."""

    student_id: str
    lms_id: str = ""
    email: str = ""
    name: str = ""
    section: str = ""


@dataclass(frozen=True)
class LessonGrades:
    """Each student's total per lesson (None: nothing to import), and each lesson's points."""

    lessons: list[str]
    points: dict[str, float]
    totals: dict[str, dict[str, float | None]]
    warnings: list[str]


def read_mapping(path: str | Path) -> dict[str, Identity]:
    """Read a mapping file (CSV, header ``student_id`` plus any of ``lms_id, email, name, section``).

    Raises
    ------
    ValueError
        If the file has no ``student_id`` column, an unknown column, an empty or repeated student id.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    if "student_id" not in header:
        raise ValueError(f"{path}: the mapping file needs a 'student_id' column (found: {', '.join(header) or 'no header'})")
    unknown = [name for name in header if name not in MAPPING_COLUMNS]
    if unknown:
        raise ValueError(f"{path}: unknown column(s) {', '.join(unknown)}; the columns are {', '.join(MAPPING_COLUMNS)}")
    identities: dict[str, Identity] = {}
    for line, row in enumerate(reader, start=2):
        values = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        student = values["student_id"]
        if not student:
            raise ValueError(f"{path}, line {line}: empty student_id")
        if student in identities:
            raise ValueError(f"{path}, line {line}: student_id {student!r} appears twice")
        identities[student] = Identity(**values)
    return identities


def lesson_grades(graded: list[Graded], hand_grades: HandGrades | None = None,
                  students: Iterable[str] = ()) -> LessonGrades:
    """Each student's total per lesson: automatic score plus the grades given by hand so far.

    ``students`` adds students without any submission (from the mapping file). A student with
    two graded notebooks of one lesson gets the higher total, with a warning.
    """
    hand_grades = hand_grades or {}
    lessons = paths.in_course_order(g.report.lesson for g in graded if g.report)
    points: dict[str, float] = {}
    totals: dict[str, dict[str, float | None]] = {s: dict.fromkeys(lessons) for s in sorted({*students, *(g.student for g in graded)})}
    warnings: list[str] = []
    ungraded_by_hand = 0
    for item in (g for g in graded if g.report):
        report = item.report
        points[report.lesson] = report.max_score + report.by_hand_max_score
        by_hand = [hand_grade_of(item.student, report.lesson, cell, hand_grades) for cell in report.by_hand]
        ungraded_by_hand += sum(grade is None or grade.score is None for grade in by_hand)
        total = report.score + sum(grade.score for grade in by_hand if grade is not None and grade.score is not None)
        previous = totals[item.student][report.lesson]
        if previous is not None:
            warnings.append(f"{item.student} has more than one graded notebook of {report.lesson}: the higher total counts")
            total = max(total, previous)
        totals[item.student][report.lesson] = total
    if ungraded_by_hand:
        warnings.append(f"{ungraded_by_hand} written answer(s) not graded by hand yet count 0 in the LMS files")
    return LessonGrades(lessons, points, totals, warnings)


def canvas_csv(grades: LessonGrades, identities: dict[str, Identity] | None = None) -> str:
    """The Canvas gradebook-import CSV (see the module's docstring for the layout)."""
    identities = identities or {}
    rows = [list(CANVAS_COLUMNS) + grades.lessons,
            ["Points Possible", "", "", "", ""] + [number(grades.points[lesson]) for lesson in grades.lessons]]
    for student, totals in grades.totals.items():
        who = identities.get(student, Identity(student))
        rows.append([who.name or student, who.lms_id, "", student, who.section] + _scores(totals, grades.lessons))
    return _csv(rows)


def moodle_csv(grades: LessonGrades, identities: dict[str, Identity] | None = None) -> str:
    """The Moodle grade-import CSV (see the module's docstring for the layout)."""
    identities = identities or {}
    rows = [list(MOODLE_COLUMNS) + grades.lessons]
    for student, totals in grades.totals.items():
        who = identities.get(student, Identity(student))
        rows.append([student, who.lms_id, who.email] + _scores(totals, grades.lessons))
    return _csv(rows)


def unmapped(grades: LessonGrades, identities: dict[str, Identity]) -> list[str]:
    """Students graded but missing from a mapping file (the LMS may not find them)."""
    return [student for student in grades.totals if student not in identities]


def _scores(totals: dict[str, float | None], lessons: list[str]) -> list[str]:
    return ["" if totals[lesson] is None else number(totals[lesson]) for lesson in lessons]


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()
