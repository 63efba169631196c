"""Grades for the LMS: Canvas's and Moodle's import layouts, the mapping file, totals with grades given by hand."""
from __future__ import annotations

import csv
import io

import pytest

from autograder.batch import Graded
from autograder.gradebook import HandGrade
from autograder import grading
from autograder.lms import canvas_csv, lesson_grades, moodle_csv, read_mapping


def _graded(student: str, lesson: str, score: float, answered: bool = True) -> Graded:
    tests = [grading.TestResult("test_a", score, 10.0, "passed" if score == 10 else "failed")]
    by_hand = [grading.HandGraded("written_a", 2.0, answered)] if lesson == "01_convolution" else []
    return Graded(student, f"{student}/{lesson}/{lesson}.ipynb", grading.GradeReport(lesson, "x", tests, by_hand=by_hand))


CLASS = [_graded("ann", "01_convolution", 10), _graded("ann", "02_output_size", 7),
         _graded("bob", "01_convolution", 4, answered=False), Graded("cy", "cy/02_output_size/02_output_size.ipynb",
                                                                      error="corrupt notebook JSON")]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_canvas_layout_one_column_per_lesson_points_possible_and_blank_for_nothing_to_import():
    grades = lesson_grades(CLASS, {("ann", "01_convolution", "written_a"): HandGrade(1.5, "ok")})
    rows = _rows(canvas_csv(grades))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01_convolution", "02_output_size"]
    assert rows[1] == ["Points Possible", "", "", "", "", "12", "10"]
    assert rows[2:] == [["ann", "", "", "ann", "", "11.5", "7"],  # 10 automatic + 1.5 by hand
                        ["bob", "", "", "bob", "", "4", ""],  # his written answer left as released: 0
                        ["cy", "", "", "cy", "", "", ""]]  # could not be graded: left blank
    assert grades.warnings == []


def test_moodle_layout_and_a_mapping_file_to_lms_ids_and_emails(tmp_path):
    mapping = tmp_path / "ids.csv"
    mapping.write_text("student_id,lms_id,email,name,section\nann,501,ann@uni.edu,\"Lee, Ann\",B\nzoe,502,zoe@uni.edu,Zoe,B\n")
    identities = read_mapping(mapping)
    grades = lesson_grades(CLASS, students=identities)
    rows = _rows(moodle_csv(grades, identities))
    assert rows[0] == ["Username", "ID number", "Email address", "01_convolution", "02_output_size"]
    assert rows[1:] == [["ann", "501", "ann@uni.edu", "10", "7"], ["bob", "", "", "4", ""], ["cy", "", "", "", ""],
                        ["zoe", "502", "zoe@uni.edu", "", ""]]  # in the mapping, nothing handed in
    assert _rows(canvas_csv(grades, identities))[2] == ["Lee, Ann", "501", "", "ann", "B", "10", "7"]
    assert grades.warnings == ["1 written answer(s) not graded by hand yet count 0 in the LMS files"]


@pytest.mark.parametrize("content, message", [
    ("lms_id,email\n1,a@b\n", "needs a 'student_id' column"),
    ("student_id,canvas\nann,1\n", "unknown column(s) canvas"),
    ("student_id,lms_id\n,1\n", "line 2: empty student_id"),
    ("student_id,lms_id\nann,1\nann,2\n", "line 3: student_id 'ann' appears twice"),
])
def test_a_malformed_mapping_file_is_refused_with_the_reason(tmp_path, content, message):
    path = tmp_path / "ids.csv"
    path.write_text(content)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_mapping(path)


def test_two_graded_notebooks_of_one_lesson_count_once_with_a_warning():
    grades = lesson_grades([_graded("ann", "02_output_size", 3), _graded("ann", "02_output_size", 8)])
    assert grades.totals["ann"]["02_output_size"] == 8
    assert grades.warnings == ["ann has more than one graded notebook of 02_output_size: the higher total counts"]
