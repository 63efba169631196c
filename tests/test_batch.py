"""Grading a class: nbgrader's submitted/ tree, in parallel, to a sheet, a summary and the gradebook."""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys

import nbformat
import pytest

from autograder import paths
from course_catalogue.lesson01 import MUTANTS
from course_catalogue.notebooks import changed_notebook, completed_copy
from tests.pages import visible_text
from tests.test_cli import LESSON, run_cli

pytestmark = pytest.mark.slow

FLIPPED = next(m for m in MUTANTS if m.hint == "flipped")


@pytest.fixture
def submitted(tmp_path):
    """submitted/<student>/01_convolution/01_convolution.ipynb for five students."""
    root = tmp_path / "submitted"
    folders = {name: root / name / LESSON for name in ("alice", "bob", "carol", "dave", "erin")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    completed_copy(folders["alice"], LESSON)
    (folders["bob"] / f"{LESSON}.ipynb").write_bytes(paths.lesson_notebook(LESSON).read_bytes())
    for name in ("carol", "erin"):
        nbformat.write(changed_notebook(LESSON, FLIPPED), folders[name] / f"{LESSON}.ipynb")
    (folders["dave"] / f"{LESSON}.ipynb").write_text("{ this is not json")
    return root


def test_class_sheet_summary_and_every_file_the_same_on_a_second_run(submitted, tmp_path):
    """The sheet and the summary; then sheets, feedback, class report, LMS files and similarity report
    written by a second run are identical but for the grading times."""
    outputs = [tmp_path / "first", tmp_path / "second"]
    first = run_cli("grade", str(submitted), "-j", "2", "--sheet", str(tmp_path / "one.csv"), "--out", str(outputs[0]))
    assert first.returncode == 2, first.stderr  # dave's file cannot be graded; the others are
    assert "dave" in first.stderr and "corrupt notebook JSON" in first.stderr
    rows = {row["student"]: row for row in csv.DictReader((tmp_path / "one.csv").open())}
    assert set(rows) == {"alice", "bob", "carol", "dave", "erin"}
    assert float(rows["alice"]["score"]) == float(rows["alice"]["max_score"]) > 0
    assert float(rows["bob"]["score"]) == 0
    assert 0 < float(rows["carol"]["score"]) < float(rows["carol"]["max_score"])
    assert rows["dave"]["score"] == "" and "corrupt notebook JSON" in rows["dave"]["error"]
    slide_test = "test_correlate2d_slide_example"
    assert rows["carol"][slide_test] == "0.0" and rows["alice"][slide_test] == "3.0"
    assert rows["alice"]["by_hand_max_score"] == "2.0" and rows["alice"]["by_hand"] == "written_why_correlation"
    assert "4 of 5 submissions graded" in first.stdout
    assert "test_correlate2d_slide_example: 3 of 4 failed; most common (2): the kernel was flipped" in first.stdout
    assert "written_why_correlation: graded by hand (2 points), 3 answers to grade" in first.stdout  # not bob's
    assert f"wrote {outputs[0] / 'report.html'}" in first.stderr

    run_cli("grade", str(submitted), "-j", "2", "--sheet", str(tmp_path / "two.csv"), "--out", str(outputs[1]))
    assert (tmp_path / "one.csv").read_text() == (tmp_path / "two.csv").read_text()
    files = [sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) for out in outputs]
    assert files[0] == files[1]
    assert {str(f) for f in files[0]} == {"grades.csv", "grades.json", "report.html", "similarity.html", "similarity.json",
                                          "lms/canvas.csv", "lms/moodle.csv",
                                          *(f"feedback/{s}/{LESSON}.html" for s in ("alice", "bob", "carol", "dave", "erin"))}
    timing = re.compile(r'<span class="timing">.*?</span>', re.S)
    assert timing.search((outputs[0] / "report.html").read_text())
    for name in files[0]:
        once, twice = (timing.sub("", (out / name).read_text()) for out in outputs)
        assert once == twice, f"{name} differs between two runs"


def test_gradebook_gets_the_automatic_scores_and_keeps_the_grades_given_by_hand(submitted, tmp_path):
    """Scores go into nbgrader's gradebook; a written answer graded in formgrader keeps its grade on the
    next run, and the feedback pages and the LMS files show it."""
    from nbgrader.api import Gradebook

    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    nbgrader = [sys.executable, "-m", "nbgrader"]
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}  # nbgrader runs alembic
    created = subprocess.run(
        nbgrader + ["generate_assignment", LESSON, "--force", f"--db={db}",
                    f"--CourseDirectory.release_directory={tmp_path / 'release'}"],
        cwd=paths.COURSE_ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    assert created.returncode == 0, created.stderr
    (submitted / "dave").rename(tmp_path / "dave")  # leave out the corrupt one
    result = run_cli("grade", str(submitted), "-j", "2", "--gradebook", db)
    assert result.returncode == 0, result.stderr
    assert "recorded 4 submission(s)" in result.stderr

    def exported() -> dict:
        export = tmp_path / "grades.csv"
        done = subprocess.run(nbgrader + ["export", f"--db={db}", "--to", str(export)],
                              cwd=paths.COURSE_ROOT, capture_output=True, text=True, timeout=300, env=env)
        assert done.returncode == 0, done.stderr
        return {row["student_id"]: row for row in csv.DictReader(export.open())}

    grades = exported()
    assert float(grades["alice"]["max_score"]) == 18  # 16 automatic, 2 by hand
    assert float(grades["alice"]["score"]) == 16  # her written answer is not graded yet
    assert float(grades["bob"]["score"]) == 0
    assert 0 < float(grades["erin"]["score"]) < 16

    # the instructor grades alice's answer in formgrader, which writes nbgrader's gradebook like this
    comment_text = "Right about the 180-degree rotation; say why the network does not care."
    with Gradebook(db) as gradebook:
        grade = gradebook.find_grade("written_why_correlation", LESSON, LESSON, "alice")
        grade.manual_score, grade.needs_manual_grade = 1.5, False
        gradebook.find_comment("written_why_correlation", LESSON, LESSON, "alice").manual_comment = comment_text
        gradebook.db.commit()

    feedback, lms = tmp_path / "feedback", tmp_path / "lms"
    again = run_cli("grade", str(submitted), "-j", "2", "--gradebook", db, "--feedback", str(feedback), "--lms", str(lms))
    assert again.returncode == 0, again.stderr
    grades = exported()
    assert float(grades["alice"]["score"]) == 17.5  # the grade given by hand survived the second run
    with Gradebook(db) as gradebook:
        assert gradebook.find_grade("written_why_correlation", LESSON, LESSON, "alice").manual_score == 1.5

    alice = visible_text((feedback / "alice" / f"{LESSON}.html").read_text())
    assert "Automatic score 16 / 16" in alice and "written answers 1.5 / 2 (graded by hand)" in alice
    assert "Grade: 1.5 / 2" in alice and comment_text in alice
    bob = visible_text((feedback / "bob" / f"{LESSON}.html").read_text())
    assert "Grade: 0 / 2 (not answered)" in bob
    carol = visible_text((feedback / "carol" / f"{LESSON}.html").read_text())
    assert "Grade: not graded yet" in carol and "Likely mistake: the kernel was flipped" in carol
    canvas = list(csv.reader((lms / "canvas.csv").open()))
    assert canvas[1] == ["Points Possible", "", "", "", "", "18"]
    assert ["alice", "", "", "alice", "", "17.5"] in canvas
    assert "written answer(s) not graded by hand yet count 0" in again.stderr  # carol's and erin's



def test_a_lesson_missing_from_the_gradebook_is_refused(submitted, tmp_path):
    result = run_cli("grade", str(submitted / "alice"), "--gradebook", f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.returncode == 2 and "not in the gradebook" in result.stderr
