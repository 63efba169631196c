"""Oracles are kept once, in solutions/.oracles/, and copied into the hidden tests by `build`."""
from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder import paths
from autograder.oracles import ORACLES_DIR, OracleError, drifted_oracles, fill, inject_oracles, load_oracles, oracle_blocks

ORACLE = "import numpy as np\n\ndef double(x):\n    return 2 * np.asarray(x)"
ORACLES = {"double": ORACLE}


def _test_cell(source: str, gid: str = "test_f") -> nbformat.NotebookNode:
    return new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "points": 1, "grade_id": gid, "schema_version": 3}})


def _hidden(body: str) -> str:
    return f"assert f(1) == 2\n### BEGIN HIDDEN TESTS\n{body}\nassert f(3) == double(3)\n### END HIDDEN TESTS"


def test_fill_copies_the_oracle_between_its_markers():
    source = _hidden("# BEGIN ORACLE double\n# END ORACLE double")
    filled = fill(source, ORACLES)
    assert filled == _hidden(f"# BEGIN ORACLE double\n{ORACLE}\n# END ORACLE double")
    assert fill(filled, ORACLES) == filled
    stale = _hidden("# BEGIN ORACLE double\ndef double(x):\n    return x + x\n# END ORACLE double")
    assert fill(stale, ORACLES) == filled
    assert [b.name for b in oracle_blocks(filled)] == ["double"] and oracle_blocks(filled)[0].text == ORACLE


@pytest.mark.parametrize("body, reason", [
    ("# BEGIN ORACLE double", "the hidden tests end inside oracle 'double'"),
    ("# END ORACLE double", "without its '# BEGIN ORACLE double'"),
    ("# BEGIN ORACLE double\n# END ORACLE triple", "without its '# BEGIN ORACLE triple'"),
    ("# BEGIN ORACLE double\n# BEGIN ORACLE double\n# END ORACLE double", "begins inside oracle 'double'"),
    ("    # BEGIN ORACLE double\n    # END ORACLE double", "start at the beginning of the line"),
    ("# BEGIN ORACLE 2x\n# END ORACLE 2x", "is not an oracle name"),
])
def test_bad_markers_are_refused_with_the_reason(body, reason):
    with pytest.raises(OracleError, match=reason):
        oracle_blocks(_hidden(body))


def test_an_oracle_outside_the_hidden_tests_is_refused():
    with pytest.raises(OracleError, match="outside the hidden tests: students would see it"):
        oracle_blocks("# BEGIN ORACLE double\n# END ORACLE double\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS")
    with pytest.raises(OracleError, match="the hidden tests end inside oracle 'double'"):
        oracle_blocks("### BEGIN HIDDEN TESTS\n# BEGIN ORACLE double\n### END HIDDEN TESTS\n# END ORACLE double")
    with pytest.raises(OracleError, match="line 2: oracle 'double' has no '# END ORACLE double'"):
        oracle_blocks("### BEGIN HIDDEN TESTS\n# BEGIN ORACLE double\nx = 1")


def test_an_oracle_without_a_file_is_refused():
    with pytest.raises(OracleError, match=r"oracle 'triple' has no file solutions/\.oracles/triple\.py"):
        fill(_hidden("# BEGIN ORACLE triple\n# END ORACLE triple"), ORACLES)


def test_inject_rewrites_only_notebooks_whose_copies_changed_and_check_sees_drift(tmp_path):
    (tmp_path / "oracles").mkdir()
    (tmp_path / "oracles" / "double.py").write_text(ORACLE + "\n")
    oracles = load_oracles(tmp_path / "oracles")
    assert oracles == ORACLES
    uses, plain = tmp_path / "uses.ipynb", tmp_path / "plain.ipynb"
    nbformat.write(new_notebook(cells=[_test_cell(_hidden("# BEGIN ORACLE double\n# END ORACLE double"))]), uses)
    nbformat.write(new_notebook(cells=[_test_cell(_hidden(""))]), plain)
    untouched = plain.read_bytes()
    assert len(drifted_oracles([uses, plain], oracles)) == 1
    assert "its copy of oracle 'double' differs from solutions/.oracles/double.py" in drifted_oracles([uses], oracles)[0]

    assert inject_oracles([uses, plain], oracles) == [uses]
    assert plain.read_bytes() == untouched
    assert ORACLE in nbformat.read(uses, as_version=4).cells[0].source
    assert drifted_oracles([uses, plain], oracles) == []
    assert inject_oracles([uses, plain], oracles) == []


def test_a_marker_error_names_the_notebook_and_cell_and_writes_nothing(tmp_path):
    good, bad = tmp_path / "good.ipynb", tmp_path / "bad.ipynb"
    nbformat.write(new_notebook(cells=[_test_cell(_hidden("# BEGIN ORACLE double\n# END ORACLE double"))]), good)
    nbformat.write(new_notebook(cells=[_test_cell(_hidden("# BEGIN ORACLE double"), "test_bad")]), bad)
    before = good.read_bytes()
    with pytest.raises(OracleError, match=r"bad\.ipynb: test_bad: line 5: the hidden tests end inside oracle 'double'"):
        inject_oracles([good, bad], ORACLES)
    assert good.read_bytes() == before
    assert any("test_bad" in problem for problem in drifted_oracles([bad], ORACLES))


def test_oracles_belong_in_test_cells(tmp_path):
    notebook = tmp_path / "demo.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(_hidden("# BEGIN ORACLE double\n# END ORACLE double"))]), notebook)
    with pytest.raises(OracleError, match="oracles belong in the hidden block of a test cell"):
        inject_oracles([notebook], ORACLES)


def test_the_oracle_folder_is_no_lesson_and_no_nbgrader_assignment(tmp_path, monkeypatch):
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    for folder, name in (("01_demo", "01_demo.ipynb"), (".oracles", "double.py")):
        (tmp_path / "solutions" / folder).mkdir(parents=True)
        (tmp_path / "solutions" / folder / name).write_text("{}" if name.endswith(".ipynb") else ORACLE)
    (tmp_path / "solutions" / ".oracles" / ".oracles.ipynb").write_text("{}")
    monkeypatch.setattr(paths, "SOLUTIONS_DIR", tmp_path / "solutions")
    assert paths.lesson_ids() == ["01_demo"]
    coursedir = CourseDirectory(root=str(tmp_path), source_directory="solutions")
    assert NbGraderAPI(coursedir=coursedir).get_source_assignments() == {"01_demo"}


def test_the_course_copies_of_every_oracle_are_in_sync():
    assert drifted_oracles() == [], "run `python -m autograder build`"


def test_every_oracle_is_used_by_a_notebook():
    used = {block.name for notebook in paths.solution_notebooks()
            for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"
            for block in oracle_blocks(cell.source)}
    unused = sorted(set(load_oracles()) - used)
    assert not unused, f"no test cell uses {unused}: delete {[str(ORACLES_DIR / (name + '.py')) for name in unused]}"
