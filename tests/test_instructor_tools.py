"""The instructor tools on a generated class: 30 students, lessons 01 and 02, graded once.

One run of ``python -m autograder grade submitted/ --out DIR`` over the class of
``tests/generated_class.py`` (independent, copied, wrong, hostile, blank, broken and missing
submissions) writes the grade sheets, the feedback pages, the class report, the LMS files and
the similarity report; every test below reads what that run wrote.
"""
from __future__ import annotations

import csv
import html
import json
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder import paths
from autograder.lesson_code import cell_sources, lesson_code
from autograder.lms import CANVAS_COLUMNS, MOODLE_COLUMNS
from course_catalogue.lesson01 import MUTANTS
from tests.generated_class import LESSONS, ClassPlan, write_class
from tests.pages import visible_text
from tests.test_cli import run_cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("generated_class")]

#: Students the mapping file names (the others are matched by their student id).
MAPPED = [f"s{n:02d}" for n in range(1, 26)]


@dataclass
class GradedClass:
    plan: ClassPlan
    submitted: Path
    out: Path
    result: subprocess.CompletedProcess
    seconds: float

    def sheet(self) -> dict[tuple[str, str], dict]:
        """The JSON grade sheet's submissions by (student, lesson of the folder)."""
        data = json.loads((self.out / "grades.json").read_text())
        return {(s["student"], Path(s["notebook"]).parent.name): s for s in data["submissions"]}


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory) -> GradedClass:
    root = tmp_path_factory.mktemp("generated-class")
    plan = write_class(root / "submitted")
    mapping = root / "lms_ids.csv"
    mapping.write_text("student_id,lms_id,email,name,section\n" + "".join(
        f"{s},{1000 + i},{s}@example.edu,Student {s.upper()},A\n" for i, s in enumerate(MAPPED)))
    started = time.perf_counter()
    result = run_cli("grade", str(root / "submitted"), "-j", "2", "--timeout", "15", "--out", str(root / "out"),
                     "--lms-ids", str(mapping))
    seconds = time.perf_counter() - started
    print(f"\ngenerated class: {len(plan.submissions)} submissions graded and reported in {seconds:.0f} s")
    return GradedClass(plan, root / "submitted", root / "out", result, seconds)



def _flipped(plan: ClassPlan) -> str:
    """The student whose correlate2d flips the kernel (a catalogued mistake)."""
    return plan.who(LESSONS[0], "wrong", next(m.name for m in MUTANTS if m.hint == "flipped"))


def test_one_run_writes_every_file_and_a_broken_submission_stops_nothing(graded_class):
    result, out, plan = graded_class.result, graded_class.out, graded_class.plan
    assert result.returncode == 2, result.stderr  # some files cannot be graded; all the others are
    handed_in = [s for s in plan.submissions if s.kind != "missing"]
    assert len({s.student for s in plan.submissions}) == 30 and len(handed_in) == 59
    for name in ("grades.csv", "grades.json", "report.html", "lms/canvas.csv", "lms/moodle.csv",
                 "similarity.html", "similarity.json"):
        assert f"wrote {out / name}" in result.stderr
    assert f"{out / 'feedback'}/ (59 feedback pages)" in result.stderr
    for submission in handed_in:
        assert (out / "feedback" / submission.student / f"{submission.lesson}.html").is_file()
    assert len(graded_class.sheet()) == 59


def test_each_kind_of_submission_gets_the_score_it_earned(graded_class):
    sheet = graded_class.sheet()
    for submission in graded_class.plan.submissions:
        if submission.kind == "missing":
            assert (submission.student, submission.lesson) not in sheet
            continue
        row = sheet[(submission.student, submission.lesson)]
        report = row["report"]
        if submission.kind == "broken":
            reason = "corrupt notebook JSON" if submission.label == "corrupt JSON" else "this is the notebook of lesson"
            assert report is None and reason in row["error"], row
        elif submission.kind in ("independent", "copied"):
            assert report["score"] == report["max_score"] > 0, (submission, report["tests"])
        elif submission.kind == "blank":
            assert report["score"] == 0
        else:  # wrong and hostile: never full marks
            assert report["score"] < report["max_score"], submission


def _hidden_lines(plan: ClassPlan, submitted: Path) -> set[str]:
    """Lines of the hidden tests that no submission and no released notebook contains."""
    hidden = {line for lesson in LESSONS for line in lesson_code(lesson).hidden_lines}
    visible = set()
    for lesson in LESSONS:
        visible |= {line.strip() for cell in nbformat.read(paths.lesson_notebook(lesson), as_version=4).cells
                    for line in cell.source.splitlines()}
    for notebook in submitted.rglob("*.ipynb"):
        visible |= {line.strip() for source in (cell_sources(notebook) or {}).values() for line in source.splitlines()}
    return hidden - visible


def test_feedback_explains_failures_and_never_shows_a_hidden_test(graded_class):
    hidden = _hidden_lines(graded_class.plan, graded_class.submitted)
    assert len(hidden) > 60
    pages = sorted((graded_class.out / "feedback").rglob("*.html"))
    for page in pages:
        source = page.read_text()
        text = visible_text(source)
        leaked = [line for line in hidden if line in text or html.escape(line) in source]
        assert not leaked, f"{page} shows hidden tests: {leaked[:3]}"
        assert "Content-Security-Policy" in source and not re.search(r"(src|href)=\"(https?:)?//", source)
    feedback = graded_class.out / "feedback"
    flipped = visible_text((feedback / _flipped(graded_class.plan) / "01_convolution.html").read_text())
    assert "Likely mistake: the kernel was flipped" in flipped
    assert "Your code that failed a test" in flipped and "correlate2d" in flipped
    assert "written_why_correlation (2 points, graded by hand)" in flipped and "Grade: not graded yet" in flipped
    independent = visible_text((feedback / "s03" / "01_convolution.html").read_text())
    assert "Automatic score 16 / 16" in independent and "Your code that failed a test" not in independent
    blank = visible_text((feedback / "s27" / "01_convolution.html").read_text())
    assert "not implemented yet" in blank and "Grade: 0 / 2 (not answered)" in blank
    broken = visible_text((feedback / "s28" / "02_output_size.html").read_text())
    assert "Your notebook could not be graded" in broken and "corrupt notebook JSON" in broken
    assert str(graded_class.submitted) not in broken  # the file's name only, not the server's folders


def test_class_report_shows_distributions_pass_rates_mistakes_and_what_could_not_be_graded(graded_class):
    source = (graded_class.out / "report.html").read_text()
    text = visible_text(source)
    for lesson in LESSONS:
        assert f"{lesson}: automatic scores" in text and f"{lesson}: pass rate per test" in text
    assert source.count("<svg") == 4  # a histogram and a bar chart per lesson
    assert "59 submissions from 30 students; 55 graded, 4 could not be graded" in text
    # the flipped kernel: the catalogue's mutant and the hostile submission that hides behind patched comparisons
    assert re.search(r"2× the kernel was flipped: that is true convolution", text)
    examples = re.findall(r"<details>.*?</details>", source, re.S)
    assert examples and not any(re.search(r"\bs\d\d\b", example) for example in examples)  # anonymised
    assert "Submissions that could not be graded" in text
    for student, reason in (("s28", "corrupt notebook JSON"), ("s29", "this is the notebook of lesson")):
        assert re.search(rf"{student} \S+\.ipynb \S+\.ipynb: {reason}", text)
    assert re.search(r'<span class="timing">Grading took \d+\.\d s with 2 in parallel', source)
    assert "Content-Security-Policy" in source and "<script" not in source


def test_lms_files_follow_canvas_and_moodle_import_layouts(graded_class):
    sheet = graded_class.sheet()
    totals = {(s, lesson): row["report"]["score"] for (s, lesson), row in sheet.items() if row["report"]}
    canvas = list(csv.reader((graded_class.out / "lms" / "canvas.csv").open(newline="")))
    assert canvas[0] == list(CANVAS_COLUMNS) + list(LESSONS)
    assert canvas[1] == ["Points Possible", "", "", "", "", "18", "14"]  # automatic points + 2 graded by hand
    rows = {row[3]: row for row in canvas[2:]}  # SIS Login ID: nbgrader's student id
    assert sorted(rows) == graded_class.plan.students
    assert rows["s01"][:5] == ["Student S01", "1000", "", "s01", "A"]
    assert rows["s30"][:5] == ["s30", "", "", "s30", ""]  # not in the mapping: matched by the student id
    for student, row in rows.items():
        for lesson, value in zip(LESSONS, row[5:]):
            expected = totals.get((student, lesson))  # written answers not graded yet: 0 (answers left as released too)
            assert value == ("" if expected is None else f"{expected:g}"), (student, lesson)
    moodle = list(csv.reader((graded_class.out / "lms" / "moodle.csv").open(newline="")))
    assert moodle[0] == list(MOODLE_COLUMNS) + list(LESSONS)
    assert ["s02", "1001", "s02@example.edu"] == moodle[2][:3] and len(moodle) == 31
    assert "not in " in graded_class.result.stderr and "s26, s27, s28, s29, s30" in graded_class.result.stderr


def test_similarity_flags_the_copies_and_no_pair_that_did_not_copy(graded_class):
    data = json.loads((graded_class.out / "similarity.json").read_text())
    flagged_total = others_total = false_total = 0
    for lesson in LESSONS:
        copied = graded_class.plan.copied_pairs[lesson]
        flagged = {frozenset(p["students"]) for p in data["pairs"] if p["lesson"] == lesson}
        compared = data["compared"][lesson]["pairs"]
        false_flags = flagged - copied
        assert flagged >= copied, f"{lesson}: copies not flagged: {[sorted(p) for p in copied - flagged]}"
        assert not false_flags, f"{lesson}: flagged without copying: {[sorted(p) for p in false_flags]}"
        flagged_total += len(flagged & copied)
        others_total += compared - len(copied)
        false_total += len(false_flags)
    print(f"\nsimilarity: {flagged_total} copied pairs flagged; false positives {false_total} of {others_total} "
          f"pairs that did not copy ({100 * false_total / others_total:.1f}%)")
    for pair in data["pairs"]:  # a copy is alike in every function it has, after the disguises are undone
        assert all(f["score"] == 1.0 for f in pair["functions"]), pair
    page = (graded_class.out / "similarity.html").read_text()
    text = visible_text(page)
    assert "It flags; it does not accuse." in text
    assert "01_convolution: s01 and s10" in text and "02_output_size: s09 and s13" in text
    assert "s01, as written" in text and "<mark>" in page


@pytest.mark.browser
def test_class_report_feedback_and_similarity_read_in_a_real_browser(graded_class):
    from playwright.sync_api import sync_playwright

    from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium (`apt-get install chromium`; make test does it)")
    pages = {"class_report": graded_class.out / "report.html",
             "feedback": graded_class.out / "feedback" / _flipped(graded_class.plan) / "01_convolution.html",
             "similarity": graded_class.out / "similarity.html"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        for name, path in pages.items():
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            errors, requests = [], []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            assert page.locator("h1").first.is_visible()
            if name == "class_report":
                figures = page.locator("figure svg")
                assert figures.count() == 4
                for i in range(4):
                    box = figures.nth(i).bounding_box()
                    assert box and box["width"] > 300 and box["height"] > 100, box
            if name == "feedback":
                assert page.locator("td .fail, td.fail, span.fail").count() >= 1
                assert page.locator(".highlight pre").first.is_visible()
            if name == "similarity":
                assert page.locator(".pair").count() >= 2
            page.screenshot(path=str(ARTIFACTS / f"instructor_{name}.png"), full_page=True)
            page.close()
            assert not errors, f"{name}: console errors {errors[:3]}"
            assert requests == [path.as_uri()], f"{name} fetched more than itself: {requests[:5]}"
        browser.close()
