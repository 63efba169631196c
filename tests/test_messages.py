"""What a student reads when a test fails: which function to fix, and how."""
from __future__ import annotations

import nbformat
import pytest

from autograder.anatomy import anatomy
from autograder.cells import grade_id
from autograder.grading import grade_notebook, instructor_notebook
from autograder.report import format_table
from course_catalogue.notebooks import completed_copy
from tests.test_cli import LESSON

pytestmark = pytest.mark.slow


def test_messages_say_what_to_fix(tmp_path):
    """pad2d renamed, correlate2d's cell broken, convolve2d raising, correlate3d fine but calling correlate2d."""
    notebook = nbformat.read(completed_copy(tmp_path, LESSON), as_version=4)
    cells = {grade_id(c): c for c in notebook.cells if grade_id(c)}
    cells["pad2d"].source = cells["pad2d"].source.replace("def pad2d(", "def pad_2d(") + "\n\npad2d = None\ndel pad2d"
    cells["correlate2d"].source += "\n    return out out"
    cells["convolve2d"].source = cells["convolve2d"].source.replace('    """\n', '    """\n    1 / 0\n', 1)
    nbformat.write(notebook, tmp_path / f"{LESSON}.ipynb")
    report = grade_notebook(tmp_path / f"{LESSON}.ipynb")
    messages = {t.id: t.message for t in report.tests}

    assert messages["test_pad2d"].startswith(
        "pad2d is not defined: the graded function must keep the name pad2d and its cell (pad2d) must be in the notebook")
    own = anatomy(instructor_notebook(LESSON)).own_tests["correlate2d"]
    assert messages[own[0]].startswith(
        "correlate2d is not defined: the cell that defines it (correlate2d) failed: SyntaxError")
    assert messages["test_convolve2d"].startswith(
        "convolve2d(<5x5 float64 array>, <3x3 int64 array>) raised ZeroDivisionError: division by zero")
    assert "raised NameError: name 'correlate2d' is not defined" in messages["test_correlate3d"]
    assert messages["test_correlate3d"].endswith(
        f"This test also uses correlate2d, whose own tests failed ({', '.join(own)}): fix that first.")

    table = format_table(report)
    solution_cells = table[table.index("Solution cells that failed"):].partition("Other cells")[0]
    assert "(correlate2d): SyntaxError" in solution_cells and "no points depend on them" not in solution_cells
    assert set(report.timings) == {"start", "cells", "tests", "total"}
    assert report.timings["total"] >= report.timings["cells"] + report.timings["tests"]
