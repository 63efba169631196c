"""Grading a class: nbgrader's submitted/ tree, in parallel, to a sheet, a summary and the gradebook."""
from __future__ import annotations

import csv
import os
import subprocess
import sys

import nbformat
import pytest

from autograder import paths
from course_catalogue.lesson01 import MUTANTS
from course_catalogue.notebooks import changed_notebook, completed_copy
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


def test_class_sheet_summary_and_repeatability(submitted, tmp_path):
    first = run_cli("grade", str(submitted), "-j", "2", "--sheet", str(tmp_path / "one.csv"))
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
    assert "4 of 5 submissions graded" in first.stdout
    assert "test_correlate2d_slide_example: 3 of 4 failed; most common (2): the kernel was flipped" in first.stdout

    run_cli("grade", str(submitted), "-j", "2", "--sheet", str(tmp_path / "two.csv"))
    assert (tmp_path / "one.csv").read_text() == (tmp_path / "two.csv").read_text()


def test_scores_recorded_in_nbgraders_gradebook(submitted, tmp_path):
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
    export = tmp_path / "grades.csv"
    exported = subprocess.run(nbgrader + ["export", f"--db={db}", "--to", str(export)],
                              cwd=paths.COURSE_ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert exported.returncode == 0, exported.stderr
    grades = {row["student_id"]: row for row in csv.DictReader(export.open())}
    assert float(grades["alice"]["score"]) == float(grades["alice"]["max_score"]) > 0
    assert float(grades["bob"]["score"]) == 0
    assert 0 < float(grades["erin"]["score"]) < float(grades["erin"]["max_score"])


def test_a_lesson_missing_from_the_gradebook_is_refused(submitted, tmp_path):
    result = run_cli("grade", str(submitted / "alice"), "--gradebook", f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.returncode == 2 and "not in the gradebook" in result.stderr
