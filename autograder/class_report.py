"""The class report: one self-contained HTML page an instructor reads after grading a class.

Per lesson: the distribution of the automatic scores (histogram), the pass rate of each test
(bar chart), the commonest mistakes of each test with their counts and one anonymised example
each (the check's message and the code of one submission that made it, without the student's
name, comments or docstrings); the written answers to grade by hand; the submissions that could
not be graded with the reason; how long grading took. Times are the only part that changes from
one run to the next: they are in ``<span class="timing">`` elements.
"""
from __future__ import annotations

import ast
import collections
import statistics
from pathlib import Path

from . import charts, htmlpage, paths
from .batch import Graded, diagnosis
from .gradebook import HandGrades, hand_grade_of
from .grading import TestResult
from .lesson_code import cell_sources, lesson_code
from .names import python_source
from .normalise import is_docstring
from .report import number

#: Mistakes listed per test.
MISTAKES_PER_TEST = 3


def class_report(graded: list[Graded], seconds: float, jobs: int, hand_grades: HandGrades | None = None) -> str:
    """The report as an HTML page.

    Parameters
    ----------
    graded : list of Graded
        The class's submissions, graded.
    seconds : float
        Wall-clock time of the grading run.
    jobs : int
        Notebooks graded in parallel.
    hand_grades : dict, optional
        Grades given by hand, from nbgrader's gradebook.
    """
    reports = [g for g in graded if g.report]
    students = sorted({g.student for g in graded})
    lessons = paths.in_course_order(g.report.lesson for g in reports)
    lead = (f"{len(graded)} submissions from {len(students)} students; {len(reports)} graded, "
            f"{len(graded) - len(reports)} could not be graded. " + _timing(graded, seconds, jobs))
    body = []
    for lesson in lessons:
        body += _lesson_section(lesson, [g for g in reports if g.report.lesson == lesson], hand_grades or {})
    body += _ungradable_section([g for g in graded if not g.report])
    return htmlpage.page("Class report", "\n".join(body), lead)


def _timing(graded: list[Graded], seconds: float, jobs: int) -> str:
    times = [g.seconds for g in graded]
    slowest = max(graded, key=lambda g: g.seconds, default=None)
    text = f"Grading took {seconds:.1f} s with {jobs} in parallel"
    if times:
        text += (f" (per notebook: mean {statistics.mean(times):.1f} s, slowest {slowest.seconds:.1f} s"
                 f" for {slowest.student}'s {Path(slowest.notebook).stem})")
    return f"<span class=\"timing\">{htmlpage.escape(text)}.</span>"


def _lesson_section(lesson: str, graded: list[Graded], hand_grades: HandGrades) -> list[str]:
    code = lesson_code(lesson)
    scores = [g.report.score for g in graded]
    max_score = graded[0].report.max_score
    full = sum(score == max_score for score in scores)
    parts = [f"<h2>{htmlpage.escape(lesson)}</h2>",
             f"<p>{len(graded)} graded; automatic score: mean {statistics.mean(scores):.1f}, median "
             f"{number(statistics.median(scores))} of {number(max_score)}; {full} at full marks, "
             f"{sum(score == 0 for score in scores)} at zero.</p>"]
    test_ids = [t.id for t in graded[0].report.tests]
    outcomes = {tid: [(g, t) for g in graded for t in g.report.tests if t.id == tid] for tid in test_ids}
    rates = [sum(t.status == "passed" for _, t in outcomes[tid]) / len(outcomes[tid]) for tid in test_ids]
    figures = [charts.score_histogram(scores, max_score, f"{lesson}: automatic scores")] if max_score > 0 else []
    figures.append(charts.pass_rate_bars(test_ids, rates, f"{lesson}: pass rate per test"))
    parts.append("<div class=\"figures\">" + "".join(f"<figure>{svg}</figure>" for svg in figures) + "</div>")
    rows = []
    for tid, rate in zip(test_ids, rates):
        failed = [(g, t) for g, t in outcomes[tid] if t.status != "passed"]
        passed = len(outcomes[tid]) - len(failed)
        rows.append([f"<code>{tid}</code>", f"{passed} / {len(outcomes[tid])}", f"{100 * rate:.0f}%",
                     _mistakes(failed, code.functions_tested(tid), code.cell_of)])
    parts.append("<h3>Tests and their commonest mistakes</h3>")
    parts.append(htmlpage.table(["test", "passed", "rate", "commonest mistakes (count, one anonymised example)"],
                                rows, numeric=[1, 2]))
    parts += _by_hand_section(lesson, graded, hand_grades)
    return parts


def _mistakes(failed: list[tuple[Graded, TestResult]], functions: tuple[str, ...], cell_of: dict[str, str]) -> str:
    """The commonest diagnoses of a test's failures, each with its count and one example."""
    if not failed:
        return ""
    by_diagnosis: dict[str, list[tuple[Graded, TestResult]]] = collections.defaultdict(list)
    for graded, test in failed:
        by_diagnosis[diagnosis(test)].append((graded, test))
    ranked = sorted(by_diagnosis.items(), key=lambda item: (-len(item[1]), item[0]))[:MISTAKES_PER_TEST]
    items = []
    for text, cases in ranked:
        graded, test = min(cases, key=lambda case: (case[0].student, case[0].notebook))
        message = test.message.split("\nexpected:\n")[0]
        cells = cell_sources(graded.notebook) or {}
        example = "\n\n".join(_anonymised(cells[cell]) for cell in dict.fromkeys(cell_of[f] for f in functions)
                              if cell in cells)
        items.append(
            f"<li><strong>{len(cases)}&times;</strong> {htmlpage.escape(text)}"
            f"<details><summary>example</summary><div class=\"message\">{htmlpage.escape(message)}</div>"
            f"{htmlpage.code(example) if example else ''}</details></li>")
    return "<ul>" + "".join(items) + "</ul>"


def _anonymised(cell_source: str) -> str:
    """A cell's code without comments and docstrings (where a name could be); as written if it does not parse."""
    try:
        tree = ast.parse(python_source(cell_source))
    except SyntaxError:
        return "# (this code does not parse)"
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and is_docstring(body[0]):
            node.body = body[1:] or [ast.Pass()]
    return ast.unparse(tree)


def _by_hand_section(lesson: str, graded: list[Graded], hand_grades: HandGrades) -> list[str]:
    cells = graded[0].report.by_hand
    if not cells:
        return []
    rows = []
    for cell in cells:
        own = [next(h for h in g.report.by_hand if h.id == cell.id) for g in graded]
        given = [hand_grade_of(g.student, lesson, h, hand_grades) for g, h in zip(graded, own)]
        scores = [grade.score for grade in given if grade is not None and grade.score is not None]
        mean = f"{statistics.mean(scores):.1f}" if scores else ""
        answered = sum(h.answered for h in own)
        rows.append([f"<code>{cell.id}</code>", number(cell.max_score), f"{answered} / {len(graded)}",
                     f"{len(scores)} / {len(graded)}", mean])
    return ["<h3>Written answers (graded by hand in formgrader)</h3>",
            htmlpage.table(["cell", "points", "answered", "graded", "mean"], rows, numeric=[1, 2, 3, 4])]


def _ungradable_section(ungradable: list[Graded]) -> list[str]:
    if not ungradable:
        return []
    rows = [[htmlpage.escape(g.student), htmlpage.escape(Path(g.notebook).name),
             f"<span class=\"message\">{htmlpage.escape(g.error.replace(g.notebook, Path(g.notebook).name))}</span>"]
            for g in ungradable]
    return ["<h2>Submissions that could not be graded</h2>", htmlpage.table(["student", "file", "reason"], rows)]
