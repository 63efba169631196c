"""The test-cell lint, on small cells and notebooks made here, and on the course's own test cells."""
from __future__ import annotations

import textwrap

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.lint import Finding, copied_runs, lint_cell, lint_notebooks


def _lint(source: str) -> list[tuple[int, str]]:
    return lint_cell(textwrap.dedent(source).strip("\n"))


def test_a_clean_cell_has_no_finding():
    assert _lint('''
        import numpy as np
        from autograder.checks import expect_array, expect_equal
        %matplotlib inline
        expected = np.array([[1, 2], [3, 4]])
        hints = {"swapped": expected.T}
        expect_array(f(1), expected, "f(1)", mistakes={"flipped": expected[::-1], "doubled": 2 * expected},
                     shape_hints={(2, 3): "one column too many"})
        expect_array(f(2), expected, "f(2)", mistakes=hints)
        expect_equal(g(3), (3, 4), "g(3)", hints={(4, 3): "swapped", 7: "the sum"})
        for expected in [np.zeros(2), np.ones(2)]:
            expect_array(f(expected), expected, "f", mistakes={"zero": [0, 0]})
        ''') == []


def test_a_cell_that_does_not_compile():
    assert _lint("x = (1,\ny = 2") == [(1, "the cell does not compile: '(' was never closed")]


def test_a_repeated_dict_key_is_found_wherever_the_dict_is():
    findings = _lint('''
        expect_array(f(1), [1, 2], "f(1)",
                     mistakes={"the bias was counted": [2, 3],
                               "the bias was counted": [1, 3]})
        table = {1: "one", True: "also one", (2, 3): "a", (2, 3): "b"}
        ''')
    assert [line for line, _ in findings] == [3, 4, 4]
    assert "the dict key 'the bias was counted' is repeated (first on line 2)" in findings[0][1]
    assert {message.split(" is repeated")[0] for _, message in findings[1:]} == {"the dict key True", "the dict key (2, 3)"}


def test_a_mistake_that_gives_the_expected_result_or_another_mistakes_result():
    findings = _lint('''
        import numpy as np
        x = np.array([[1, 2, 3]], dtype=float).reshape(3, 1)
        expected = x * 2
        expect_array(f(x), expected, "f(x)",
                     mistakes={"channels flattened first": [[2], [4], [6]],
                               "the bias is missing": expected - 1,
                               "the bias was subtracted": np.array([[1], [3], [5.0000001]])})
        ''')
    assert [line for line, _ in findings] == [5, 7]
    assert "the mistake 'channels flattened first' gives the expected result" in findings[0][1]
    assert "the mistake 'the bias was subtracted' gives the same result as 'the bias is missing'" in findings[1][1]


def test_the_tolerance_of_the_call_decides_what_passes():
    assert _lint('expect_array(f(1), [1.0], "f", mistakes={"rounded": [1.001]}, rtol=1e-2, atol=0)')[0][1].startswith(
        "the mistake 'rounded' gives the expected result")
    assert _lint('expect_array(f(1), [1.0], "f", mistakes={"rounded": [1.001]})') == []


def test_hints_keyed_on_the_expected_shape_or_value():
    findings = _lint('''
        expect_array(f(1), [[1, 2]], "f(1)", shape_hints={(1, 2): "the padding", (2, 1): "transposed"})
        expect_equal(g(1), 3, "g(1)", hints={3: "off by one", 4: "plus one"})
        expect_equal(g(2), (2, 3), "g(2)", hints={(2, 3): "swapped"})
        ''')
    assert [line for line, _ in findings] == [1, 2, 3]
    assert "the shape hint for (1, 2) is keyed on the expected shape" in findings[0][1]
    assert "the hint for 3 is keyed on the expected value" in findings[1][1]
    assert "the hint for (2, 3) is keyed on the expected value" in findings[2][1]


def _cell(lines: list[str]) -> str:
    return "\n".join(lines)


def test_copies_of_eight_lines_between_cells_are_found_once_per_run():
    shared = [f"value_{i} = compute({i})" for i in range(10)]
    original = _cell(["import numpy as np", "# the oracle", *shared[:5], "", "# a comment", *shared[5:]])
    copy = _cell(["x = 1", *shared, "y = 2"])
    short = _cell(shared[:7])
    findings = copied_runs([("a.ipynb", "test_a", original), ("b.ipynb", "test_b", copy), ("a.ipynb", "test_c", short)])
    assert findings == [Finding("b.ipynb", "test_b", 2, "10 lines copied from test_a (a.ipynb), line 3: keep them once "
                                "(an oracle in solutions/.oracles/ or a helper in autograder.checks)")]


def test_oracle_blocks_are_copies_by_design():
    oracle = [f"line_{i} = {i}" for i in range(9)]
    cell = _cell(["### BEGIN HIDDEN TESTS", "# BEGIN ORACLE numbers", *oracle, "# END ORACLE numbers", "### END HIDDEN TESTS"])
    assert copied_runs([("a.ipynb", "test_a", cell), ("b.ipynb", "test_b", cell)]) == []
    assert len(copied_runs([("a.ipynb", "test_a", _cell(oracle)), ("b.ipynb", "test_b", _cell(oracle))])) == 1


def test_lint_notebooks_reads_only_test_cells_and_says_where(tmp_path):
    def test(source, gid):
        return new_code_cell(source, metadata={"nbgrader": {
            "grade": True, "solution": False, "locked": True, "points": 1, "grade_id": gid, "schema_version": 3}})

    path = tmp_path / "demo.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("d = {1: 2, 1: 3}"), test("d = {'k': 1, 'k': 2}", "test_keys")]), path)
    [finding] = lint_notebooks([path])
    assert (finding.notebook.endswith("demo.ipynb"), finding.cell, finding.line) == (True, "test_keys", 1)
    assert str(finding).endswith("demo.ipynb: test_keys, line 1: the dict key 'k' is repeated (first on line 1): "
                                 "Python keeps only the last of its entries")


def test_the_course_test_cells_have_no_finding():
    findings = lint_notebooks()
    assert not findings, "lint findings in the solution notebooks:\n" + "\n".join(map(str, findings))
