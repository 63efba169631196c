"""The self-check cell and the progress over all lessons: a no-op while graded, visible tests
without solutions/, the tables a student reads."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder import paths, selfcheck
from autograder.config import course_config
from autograder.grading import grade_notebook
from autograder.progress import folder_progress, format_progress, grade_own_notebook, progress_json
from course_catalogue.notebooks import completed_copy

LESSON = "02_output_size"


def _no_grading(*args, **kwargs):
    raise AssertionError("the self-check ran the grader")


@pytest.mark.parametrize("function, argument, said", [(selfcheck.self_check, LESSON, "Self-check skipped"),
                                                       (selfcheck.show_progress, None, "Progress skipped")])
def test_a_set_skip_variable_makes_a_one_line_no_op(function, argument, said, monkeypatch, capsys):
    monkeypatch.setenv(selfcheck.SKIP_VARIABLE, "the test suite runs this notebook")
    monkeypatch.setattr(selfcheck, "_run", _no_grading)
    function(argument)
    assert capsys.readouterr().out == f"{said}: the test suite runs this notebook.\n"


def test_without_the_variable_or_nbgrader_the_self_check_runs(monkeypatch):
    monkeypatch.delenv(selfcheck.SKIP_VARIABLE, raising=False)
    assert selfcheck.skip_reason() is None


@pytest.mark.slow
def test_a_kernel_started_by_nbgrader_skips_the_self_check(tmp_path):
    """The course's nbgrader configuration marks its kernels (autograde, validate, the Validate button)."""
    from nbgrader.preprocessors import Execute

    notebook = new_notebook(cells=[new_code_cell(f"from autograder.selfcheck import self_check\nself_check({LESSON!r})")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executed, _ = Execute(config=course_config()).preprocess(notebook, {"metadata": {"path": str(tmp_path)}})
    outputs = executed.cells[0].outputs
    assert [o.get("text") for o in outputs] == ["Self-check skipped: the notebook is being run by nbgrader.\n"]


@pytest.mark.slow
def test_the_course_grader_skips_the_self_check(tmp_path):
    notebook = nbformat.read(completed_copy(tmp_path, LESSON), as_version=4)
    notebook.cells.append(new_code_cell(
        f"from autograder.selfcheck import self_check, skip_reason\nself_check({LESSON!r})\n"
        "assert skip_reason() == 'the notebook is being graded', skip_reason()"))
    nbformat.write(notebook, tmp_path / f"{LESSON}.ipynb")
    started = time.monotonic()
    report = grade_notebook(tmp_path / f"{LESSON}.ipynb")
    assert report.cell_errors == [] and report.score == report.max_score > 0
    assert time.monotonic() - started < 120


@pytest.mark.slow
def test_without_solutions_only_the_visible_tests_run(tmp_path, monkeypatch):
    completed = completed_copy(tmp_path, LESSON)
    monkeypatch.setattr(paths, "SOLUTIONS_DIR", tmp_path / "deleted")
    grade = grade_own_notebook(completed, LESSON)
    shipped = nbformat.read(paths.lesson_notebook(LESSON), as_version=4)
    visible = [c.metadata["nbgrader"]["grade_id"] for c in shipped.cells if c.metadata.get("nbgrader", {}).get("grade")
               and c.cell_type == "code"]
    assert not grade.hidden_tests and grade.error == ""
    assert [t.id for t in grade.tests] == visible and grade.score == grade.max_score > 0
    page = selfcheck.self_check_html(grade.to_dict())
    assert "Only the visible tests ran" in page and f"{grade.score:g} / {grade.max_score:g} points" in page

    assert "Written answers, graded by your instructor and not counted here: written_floor_or_ceil (2 points, answered)" in page

    untouched = grade_own_notebook(paths.lesson_notebook(LESSON), LESSON)
    assert untouched.score == 0 and untouched.left == visible
    assert "written_floor_or_ceil (2 points, not answered yet)" in selfcheck.self_check_html(untouched.to_dict())


@pytest.mark.slow
def test_the_self_check_cell_in_a_kernel_grades_the_saved_notebook_with_the_hidden_tests(tmp_path, monkeypatch):
    """The lesson's last cell, run in a Jupyter kernel whose working directory is the notebook's folder."""
    from nbclient import NotebookClient

    completed = nbformat.read(completed_copy(tmp_path, LESSON), as_version=4)
    completed.cells.append(new_code_cell(f"from autograder.selfcheck import self_check\nself_check({LESSON!r})"))
    nbformat.write(completed, tmp_path / f"{LESSON}.ipynb")
    cell = new_notebook(cells=[completed.cells[-1]], metadata=completed.metadata)
    monkeypatch.delenv(selfcheck.SKIP_VARIABLE, raising=False)
    NotebookClient(cell, timeout=600, resources={"metadata": {"path": str(tmp_path)}}).execute()
    [output] = cell.cells[0].outputs
    table = output["data"]["text/html"]
    solution = grade_notebook(paths.solution_notebook(LESSON))
    assert f"<b>Self-check of {LESSON}.ipynb as saved at " in table
    assert f"{solution.max_score:g} / {solution.max_score:g} points" in table and "Only the visible" not in table
    assert selfcheck._SAVE_FIRST.split(":")[0] in table and table.count("&#10004; passed") == len(solution.tests)
    assert "written_floor_or_ceil (2 points, answered)" in table


class _Handle:
    def __init__(self, shown):
        self.shown = shown

    def update(self, markup):
        self.shown.append(markup.data)


def test_the_self_check_explains_instead_of_crashing(tmp_path, monkeypatch):
    monkeypatch.delenv(selfcheck.SKIP_VARIABLE, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)
    shown = []
    monkeypatch.setattr(selfcheck, "_show", lambda markup: shown.append(markup) or _Handle(shown))
    selfcheck.self_check(LESSON)
    assert shown == [f"<p>Self-check: there is no {LESSON}.ipynb in {tmp_path}. Run this cell in the lesson&#x27;s "
                     "own notebook, saved under its own name.</p>"]
    assert selfcheck._run([sys.executable, "-c", "import sys; sys.exit('the grader broke')"]) == {"failure": "the grader broke"}
    assert "could not be started" in selfcheck._run([str(tmp_path / "no-such-python")])["failure"]
    assert selfcheck.self_check_html({"failure": "the grader broke"}).endswith("the grader broke</p>")
    broken = {"notebook": "x/02.ipynb", "saved": time.time(), "error": "x/02.ipynb: corrupt notebook JSON"}
    assert "02.ipynb as saved at" in selfcheck.self_check_html(broken) and "corrupt notebook JSON" in selfcheck.self_check_html(broken)


def test_the_self_check_table_shows_points_outcome_and_hint():
    outcome = {"notebook": "/home/s/02_output_size.ipynb", "saved": time.time() - 125, "hidden_tests": True, "error": "",
               "score": 3.0, "max_score": 5.0, "tests": [
                   {"id": "test_a", "score": 3.0, "max_score": 3.0, "status": "passed", "message": ""},
                   {"id": "test_b", "score": 0.0, "max_score": 2.0, "status": "failed",
                    "message": "f(1) returned 2, expected 1.\nLikely mistake: the + 1 <is> missing"}]}
    page = selfcheck.self_check_html(outcome)
    assert "Self-check of 02_output_size.ipynb as saved at" in page and "(2 minutes ago): 3 / 5 points." in page
    assert "<td><code>test_a</code></td><td>3 / 3</td><td>&#10004; passed</td><td></td>" in page
    assert "<td>0 / 2</td><td>&#10008; failed</td>" in page and "the + 1 &lt;is&gt; missing" in page
    assert "Unsaved changes are not graded: save first" in page and "Only the visible tests ran" not in page


@pytest.mark.slow
def test_progress_over_a_folder_of_lessons(tmp_path):
    folder = tmp_path / "lessons"
    (folder / LESSON).mkdir(parents=True)
    completed_copy(folder / LESSON, LESSON)
    started = folder / "04_pooling"
    started.mkdir()
    notebook = nbformat.read(completed_copy(started, "04_pooling"), as_version=4)
    stubbed = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "avg_pool2d")
    stubbed.source = course_config().ClearSolutions.code_stub["python"]
    nbformat.write(notebook, started / "04_pooling.ipynb")
    for lesson in ("03_parameter_sharing", "01_convolution"):
        shutil.copytree(paths.lesson_notebook(lesson).parent, folder / lesson)
    (folder / "notes").mkdir()
    nbformat.write(new_notebook(cells=[new_code_cell("1 + 1")]), folder / "notes" / "notes.ipynb")

    grades = folder_progress(folder)
    assert [g.lesson for g in grades] == ["01_convolution", LESSON, "03_parameter_sharing", "04_pooling"]
    first, done, untouched, half = grades
    assert not first.started and not untouched.started and untouched.score == 0 and untouched.max_score > 0
    assert done.started and done.score == done.max_score > 0 and done.left == []
    assert 0 < half.score < half.max_score and "test_avg_pool2d" in half.left
    assert not [test for test in half.left if "max_pool2d" in test]
    table = format_progress(grades, folder)
    assert f"{LESSON}  " in table and "done" in table and "not started  all" in table and "in progress" in table
    assert "; 1 of 4 lessons done." in table and "Only" not in table

    data = json.loads(progress_json(grades, folder))
    page = selfcheck.progress_html(data)
    assert page.count("<tr><td>") == 4 and "1 of 4 lessons done." in page and "not started" in page


@pytest.mark.slow
def test_the_progress_command(tmp_path):
    (tmp_path / "lessons").mkdir()
    shutil.copytree(paths.lesson_notebook("03_parameter_sharing").parent, tmp_path / "lessons" / "03_parameter_sharing")
    result = subprocess.run([sys.executable, "-m", "autograder", "progress", str(tmp_path / "lessons"), "--json"],
                            capture_output=True, text=True, timeout=300, cwd=paths.COURSE_ROOT)
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)["lessons"]
    assert (row["lesson"], row["state"], row["score"]) == ("03_parameter_sharing", "not started", 0)
    missing = subprocess.run([sys.executable, "-m", "autograder", "progress", str(tmp_path / "nowhere")],
                             capture_output=True, text=True, timeout=300, cwd=paths.COURSE_ROOT)
    assert missing.returncode == 2 and "is not a folder" in missing.stderr
