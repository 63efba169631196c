"""Feedback a student can read: one self-contained HTML page per student and lesson.

The page gives the automatic score, each test with its points, pass or fail and what went wrong
(the check's message: the call, what came back against what was expected, the likely mistake),
the student's own code of each function that failed a test, and the written answers with the
grade and comment an instructor gave by hand in formgrader (when nbgrader's gradebook has them).

What a student never sees of a hidden test: its source and its inputs. The check's message names
the call as the test describes it (shapes and small arguments such as ``stride=2``, never the
values of an input array) and the first value that differs; the full arrays a message may print
after ``expected:`` are left out (the visible tests print them in the notebook), and a line that
quotes a line of a hidden test is replaced by a note.
"""
from __future__ import annotations

from pathlib import Path

from . import htmlpage
from .batch import Graded
from .gradebook import HandGrades, hand_grade_of
from .grading import GradeReport
from .lesson_code import LessonCode, cell_sources, lesson_code
from .report import by_hand_text, number

_STATUS = {"passed": "passed", "failed": "failed", "timeout": "too slow (time limit)", "crashed": "crashed",
           "missing": "test cell deleted", "not_run": "not run"}
_QUOTED = "(a line quoting a hidden test was removed here)"
_ABOUT = (
    "Each test checks one thing your code should do. A failed test says which call failed, what came back "
    "and, when the grader recognises it, the likely mistake. Hidden tests try more cases than the visible "
    "tests in your notebook; their code is not shown here. Fix the function, then run "
    "<code>python -m autograder grade &lt;your notebook&gt;</code> to check it again."
)


def feedback_path(directory: Path, student: str, lesson: str) -> Path:
    """Where a student's feedback for a lesson goes: ``DIR/<student>/<lesson>.html``."""
    return directory / student / f"{lesson}.html"


def write_feedback(graded: list[Graded], directory: str | Path,
                   hand_grades: HandGrades | None = None) -> tuple[list[Path], list[str]]:
    """Write one feedback page per submission (an ungradable one says why).

    Returns the files written and, for a page that could not be made (a grader bug), a
    warning; that student's page then says to ask the instructor, and the others are written.
    """
    directory = Path(directory)
    written, problems = [], []
    for item in graded:
        lesson = item.report.lesson if item.report else Path(item.notebook).stem
        path = feedback_path(directory, item.student, lesson)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = feedback_page(item, hand_grades or {})
        except Exception as error:  # noqa: BLE001  (one page must not stop the class's)
            problems.append(f"feedback for {item.student}'s {lesson} could not be made: {type(error).__name__}: {error}")
            text = htmlpage.page(f"{lesson}: feedback for {item.student}",
                                 "<p class=\"fail\">Your feedback could not be produced. Ask your instructor.</p>")
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written, problems


def feedback_page(item: Graded, hand_grades: HandGrades) -> str:
    """The feedback page of one graded submission."""
    if not item.report:
        reason = item.error.replace(str(item.notebook), Path(item.notebook).name)
        body = (f"<p class=\"fail\">Your notebook could not be graded.</p>\n<p class=\"message\">{htmlpage.escape(reason)}</p>\n"
                "<p>Check that you submitted the lesson's notebook as Jupyter saved it (File &gt; Save), "
                "then submit it again or ask your instructor.</p>")
        return htmlpage.page(f"{Path(item.notebook).stem}: feedback for {item.student}", body)
    report = item.report
    lesson = lesson_code(report.lesson)
    cells = cell_sources(item.notebook) or {}
    lead = f"Automatic score <span class=\"score\">{number(report.score)} / {number(report.max_score)}</span>"
    if report.by_hand:
        lead += " &middot; " + _by_hand_total(item, hand_grades)
    body = [f"<p class=\"note\">{_ABOUT}</p>", "<h2>Tests</h2>", _tests_table(report, lesson)]
    body += _failed_code(report, lesson, cells)
    body += _written_answers(item, cells, hand_grades)
    if report.cell_errors:
        body.append("<h2>Other cells that raised an error</h2>\n<p>No points depend on them, but the error may explain a failed test.</p>")
        body.append("<ul>" + "".join(f"<li class=\"message\">{htmlpage.escape(e.splitlines()[0])}</li>"
                                     for e in report.cell_errors) + "</ul>")
    return htmlpage.page(f"{report.lesson}: feedback for {item.student}", "\n".join(body), lead)


def student_message(message: str, lesson: LessonCode) -> str:
    """A test's message as a student may read it: no printed arrays, no line that quotes a hidden test."""
    lines = message.splitlines()
    if "expected:" in lines:
        lines = lines[:lines.index("expected:")]
    kept: list[str] = []
    for line in lines:
        quoted = any(hidden in line for hidden in lesson.hidden_lines)
        if not quoted or not kept or kept[-1] != _QUOTED:
            kept.append(_QUOTED if quoted else line)
    return "\n".join(kept)


def _tests_table(report: GradeReport, lesson: LessonCode) -> str:
    rows = []
    for test in report.tests:
        passed = test.status == "passed"
        result = f"<span class=\"{'pass' if passed else 'fail'}\">{_STATUS.get(test.status, test.status)}</span>"
        message = "" if passed else f"<div class=\"message\">{htmlpage.escape(student_message(test.message, lesson))}</div>"
        rows.append([f"<code>{test.id}</code>", f"{number(test.score)} / {number(test.max_score)}", result, message])
    return htmlpage.table(["test", "points", "result", "what happened"], rows, numeric=[1])


def _failed_code(report: GradeReport, lesson: LessonCode, cells: dict[str, str]) -> list[str]:
    """Each failed function with the tests it failed and the student's code of its cell."""
    failed: dict[str, list[str]] = {}
    for test in report.tests:
        if test.status != "passed":
            for name in lesson.functions_tested(test.id):
                failed.setdefault(name, []).append(test.id)
    if not failed:
        return []
    parts = ["<h2>Your code that failed a test</h2>"]
    for name in (n for n in lesson.cell_of if n in failed):
        tests = ", ".join(f"<code>{t}</code>" for t in failed[name])
        source = cells.get(lesson.cell_of[name])
        shown = htmlpage.code(source) if source is not None else "<p>(this cell is missing from your notebook)</p>"
        parts.append(f"<h3><code>{name}</code></h3>\n<p>Failed: {tests}</p>\n{shown}")
    return parts


def _by_hand_total(item: Graded, hand_grades: HandGrades) -> str:
    grades = [hand_grade_of(item.student, item.report.lesson, cell, hand_grades) for cell in item.report.by_hand]
    if all(grade is not None and grade.score is not None for grade in grades):
        given = sum(grade.score for grade in grades)
        return f"written answers {number(given)} / {number(item.report.by_hand_max_score)} (graded by hand)"
    return by_hand_text(item.report) + ": not all graded yet"


def _written_answers(item: Graded, cells: dict[str, str], hand_grades: HandGrades) -> list[str]:
    if not item.report.by_hand:
        return []
    parts = ["<h2>Written answers</h2>"]
    for cell in item.report.by_hand:
        answer = cells.get(cell.id)
        grade = hand_grade_of(item.student, item.report.lesson, cell, hand_grades)
        if grade is None or grade.score is None:
            verdict = "<span class=\"pending\">not graded yet</span>"
        else:
            verdict = f"<span class=\"score\">{number(grade.score)} / {number(cell.max_score)}</span>"
            verdict += "" if cell.answered else " (not answered)"
        comment = (f"<p><strong>Comment:</strong></p>\n<div class=\"message\">{htmlpage.escape(grade.comment)}</div>"
                   if grade and grade.comment else "")
        shown = f"<pre>{htmlpage.escape(answer)}</pre>" if answer is not None else "<p>(this cell is missing from your notebook)</p>"
        parts.append(f"<h3><code>{cell.id}</code> ({number(cell.max_score)} points, graded by hand)</h3>\n"
                     f"<p>Your answer:</p>\n{shown}\n<p>Grade: {verdict}</p>\n{comment}")
    return parts
