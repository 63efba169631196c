"""``python -m autograder``: grading output, exit codes and the reasons it gives."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder import paths
from autograder.grading import graded_lesson_ids
from cnncourse.data import DATA_DIR
from course_catalogue.notebooks import completed_copy

LESSON = "01_convolution"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args], capture_output=True, text=True, timeout=600, cwd=paths.COURSE_ROOT
    )


@pytest.mark.slow
def test_shipped_lesson_scores_zero_as_json(tmp_path):
    result = run_cli("grade", str(paths.lesson_notebook(LESSON)), "--json", "--feedback", str(tmp_path))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "lessons" / f"{LESSON}.html").read_text()  # the student is the notebook's folder above the lesson's
    assert "Automatic score <span class=\"score\">0 / 16</span>" in page and "not implemented yet" in page
    report = json.loads(result.stdout)
    assert report["lesson"] == LESSON and report["score"] == 0 and report["max_score"] > 0
    assert {"id", "score", "max_score", "status", "message"} <= set(report["tests"][0])
    assert all("not implemented yet" in t["message"] for t in report["tests"])
    # the written answer is graded by hand: apart from the automatic score, and unanswered as shipped
    assert report["by_hand"] == {"max_score": 2.0, "cells": [
        {"id": "written_why_correlation", "max_score": 2.0, "answered": False}]}


@pytest.mark.slow
def test_completed_copy_gets_full_marks_in_a_table(tmp_path):
    result = run_cli("grade", str(completed_copy(tmp_path, LESSON)))
    assert result.returncode == 0, result.stderr
    total = re.fullmatch(r"Total: (\S+) / (\S+) automatic; 2 points graded by hand \(written_why_correlation\)",
                         next(line for line in result.stdout.splitlines() if line.startswith("Total: ")))
    assert total, result.stdout
    assert total[1] == total[2] and float(total[2]) > 0, result.stdout


@pytest.mark.slow
def test_edited_and_deleted_test_cells_earn_nothing(tmp_path):
    """A student who deletes one test and rewrites the others as `pass` still scores 0."""
    notebook = nbformat.read(paths.lesson_notebook(LESSON), as_version=4)
    tests = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    notebook.cells.remove(tests[0])
    for cell in tests[1:]:
        cell.source = "pass"
    path = tmp_path / f"{LESSON}.ipynb"
    nbformat.write(notebook, path)
    report = json.loads(run_cli("grade", str(path), "--json").stdout)
    assert report["score"] == 0
    assert report["tests"][0]["status"] == "missing"
    assert all("not implemented yet" in t["message"] for t in report["tests"][1:])


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{ not json", "corrupt notebook JSON"),
        ('{"hello": "world"}', "not a Jupyter notebook"),
        ('{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "no nbgrader cells"),
    ],
)
def test_ungradable_files_exit_nonzero_with_one_line_reason(tmp_path, content, reason):
    path = tmp_path / f"{LESSON}.ipynb"
    path.write_text(content)
    result = run_cli("grade", str(path))
    assert result.returncode == 2
    assert reason in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_missing_file_and_unknown_lesson(tmp_path):
    result = run_cli("grade", str(tmp_path / "nothing.ipynb"))
    assert result.returncode == 2 and "no such file" in result.stderr
    result = run_cli("grade", str(paths.lesson_notebook(LESSON)), "--lesson", "99_nothing")
    assert result.returncode == 2 and "unknown lesson" in result.stderr


def test_another_lessons_notebook_is_refused(tmp_path):
    other = next(lesson for lesson in graded_lesson_ids() if lesson != LESSON)
    path = tmp_path / f"{LESSON}.ipynb"
    shutil.copy(paths.lesson_notebook(other), path)
    result = run_cli("grade", str(path))
    assert result.returncode == 2
    assert f"lesson {other}, not of lesson {LESSON}" in result.stderr


def test_an_ungraded_lesson_has_nothing_to_score():
    ungraded = next(lesson for lesson in paths.lesson_ids() if lesson not in graded_lesson_ids())
    result = run_cli("grade", str(paths.lesson_notebook(ungraded)))
    assert result.returncode == 0, result.stderr
    assert "no graded exercises" in result.stdout and result.stdout.strip().endswith("Total: 0 / 0"), result.stdout
    report = json.loads(run_cli("grade", str(paths.lesson_notebook(ungraded)), "--json").stdout)
    assert (report["lesson"], report["score"], report["max_score"], report["tests"]) == (ungraded, 0, 0, [])


def test_instructor_file_options_are_checked_before_grading(tmp_path):
    notebook = str(paths.lesson_notebook(LESSON))
    result = run_cli("grade", notebook, "--lms", str(tmp_path), "--lms-ids", str(tmp_path / "none.csv"))
    assert result.returncode == 2 and "none.csv: no such file" in result.stderr
    (tmp_path / "ids.csv").write_text("email\nx@y\n")
    result = run_cli("grade", notebook, "--lms", str(tmp_path), "--lms-ids", str(tmp_path / "ids.csv"))
    assert result.returncode == 2 and "needs a 'student_id' column" in result.stderr
    result = run_cli("grade", notebook, "--similarity", str(tmp_path / "s.html"), "--similarity-threshold", "1.5")
    assert result.returncode == 2 and "threshold must be in (0, 1]" in result.stderr
    assert not list(tmp_path.glob("*.html"))


def test_build_and_check_refuse_unknown_lessons():
    result = run_cli("build", "99_nothing")
    assert result.returncode != 0 and "unknown lesson" in result.stderr


@pytest.mark.slow
def test_check_reports_each_invariant_of_a_lesson():
    result = run_cli("check", LESSON)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"ok   {LESSON} solution:" in result.stdout and f"ok   {LESSON} lesson as shipped: 0 /" in result.stdout


@pytest.mark.slow
def test_a_submission_cannot_write_into_the_course_data(tmp_path):
    """Grading gives the kernel a scratch copy of data/ (a retrained network saved there, say)."""
    notebook = nbformat.read(completed_copy(tmp_path, LESSON), as_version=4)
    setup = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution"))
    setup.source += (
        "\nfrom cnncourse.data import DATA_DIR as _data"
        "\n(_data / 'written_by_a_submission.txt').write_text('x')"
        "\n(_data / 'README.md').write_text('overwritten')"
    )
    path = tmp_path / f"{LESSON}.ipynb"
    nbformat.write(notebook, path)
    readme = (DATA_DIR / "README.md").read_text()
    report = json.loads(run_cli("grade", str(path), "--json").stdout)
    assert report["score"] == report["max_score"] and report["cell_errors"] == []
    assert not (DATA_DIR / "written_by_a_submission.txt").exists()
    assert (DATA_DIR / "README.md").read_text() == readme
