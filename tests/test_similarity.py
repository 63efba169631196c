"""Normalisation and comparison of the similarity report, on small pieces of code (no grading)."""
from __future__ import annotations

import nbformat
import pytest

from autograder import paths
from autograder.batch import Graded
from autograder.cells import grade_id
from autograder.grading import GradeReport
from autograder.lesson_code import lesson_code
from autograder.normalise import normalise_functions
from autograder.similarity import Settings, compare, similarity_report
from tests.correct_variants.lesson01 import CORRELATE2D

SCAFFOLD = '''def area(width, height):
    """The area of a rectangle.

    Parameters are checked by the lesson's code.
    """
    width, height = check(width, height)  # given
    # YOUR CODE HERE
    raise NotImplementedError()
'''

ORIGINAL = '''def helper_a(x):
    return x * 2


def helper_b(y):
    return y + 1


def area(width, height):
    """The area of a rectangle.

    Parameters are checked by the lesson's code.
    """
    width, height = check(width, height)  # given
    product = width * height  # the area
    doubled = helper_a(product)
    shifted = helper_b(width)
    if doubled < 0:
        raise ValueError("negative")
    return doubled - shifted
'''

DISGUISED = '''def area(width, height):
    """A rectangle's area (my own words)."""
    width, height = check(width, height)

    # compute it
    result   = width*height
    moved = plus_one(width)
    twice = times_two(result)
    if twice < 0:
        raise ValueError("negative")
    return twice - moved


def plus_one(q):
    return q + 1


def times_two(value):
    # multiply
    return value * 2
'''


def _normalised(source: str) -> str:
    return normalise_functions(source, ["area"], SCAFFOLD)["area"]


def test_renaming_comments_whitespace_statement_and_helper_order_and_scaffold_are_undone():
    assert _normalised(ORIGINAL) == _normalised(DISGUISED)
    text = _normalised(ORIGINAL)
    assert "check(" not in text and "rectangle" not in text  # the given line and the docstring are removed
    assert "width" not in text and "helper_a" not in text  # bound names are v0, v1, ...


def test_dependent_statements_and_checks_keep_their_order():
    swapped = ORIGINAL.replace("    product = width * height  # the area\n    doubled = helper_a(product)\n",
                               "    doubled = helper_a(width)\n    product = width * height\n")
    assert _normalised(swapped) != _normalised(ORIGINAL)  # doubled used product: not independent
    check_first = ORIGINAL.replace(
        '    product = width * height  # the area\n',
        '    if width > 100:\n        raise ValueError("wide")\n    product = width * height\n')
    check_later = ORIGINAL.replace(
        '    shifted = helper_b(width)\n',
        '    shifted = helper_b(width)\n    if width > 100:\n        raise ValueError("wide")\n')
    assert _normalised(check_first) != _normalised(check_later)  # a check does not move past the work it guards


def test_nothing_of_the_students_own_gives_nothing_to_compare():
    assert normalise_functions(SCAFFOLD, ["area"], SCAFFOLD) == {}
    assert normalise_functions("def area(:\n", ["area"], SCAFFOLD) == {}
    assert normalise_functions(ORIGINAL, ["perimeter"], SCAFFOLD) == {}


def test_settings_refuse_thresholds_out_of_range():
    for bad in ({"threshold": 0}, {"threshold": 1.5}, {"common_share": 0}, {"min_evidence": 0}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            Settings(**bad)


def _submission(folder, student: str, bodies: dict[str, str], lesson: str = "01_convolution") -> Graded:
    """A lesson as released, with some of its solution cells' stubs replaced by the given bodies."""
    notebook = nbformat.read(paths.lesson_notebook(lesson), as_version=4)
    for cell in notebook.cells:
        if grade_id(cell) in bodies:
            cell.source = cell.source.replace("    # YOUR CODE HERE\n    raise NotImplementedError()", bodies[grade_id(cell)], 1)
    path = folder / student / lesson / f"{lesson}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    return Graded(student, str(path), GradeReport(lesson, str(path)))


LOOPS = CORRELATE2D[0].body.rstrip()  # loops over the output positions
LOOPS_COPIED = '''    # my version
    big = pad2d(image.astype(float), pad)
    k_rows, k_cols = kernel.shape
    n_rows = (big.shape[0] - k_rows) // stride + 1
    n_cols = (big.shape[1] - k_cols) // stride + 1
    res = np.zeros((n_rows, n_cols))
    for r in range(n_rows):
        for c in range(n_cols):
            up, lft = r * stride, c * stride  # the corner
            res[r, c] = np.sum(big[up:up + k_rows, lft:lft + k_cols] * kernel)
    return res'''
VECTORISED = '''    from numpy.lib.stride_tricks import sliding_window_view
    windows = sliding_window_view(pad2d(image, pad).astype(float), kernel.shape)[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", windows, kernel)'''


def test_a_copy_is_flagged_side_by_side_and_an_independent_solution_is_not(tmp_path):
    graded = [_submission(tmp_path, name, {"correlate2d": body})
              for name, body in (("ann", LOOPS), ("ben", LOOPS_COPIED), ("cat", VECTORISED), ("dan", "    pass"))]
    comparison = compare(graded)
    assert [p.students for p in comparison.pairs] == [("ann", "ben")]
    (match,) = comparison.pairs[0].matches
    assert match.function == "correlate2d" and match.score == 1.0 and match.evidence >= Settings().min_evidence
    assert comparison.compared == {"01_convolution": (3, 3)}  # dan wrote nothing of his own: not compared
    page = similarity_report(comparison)
    assert "It flags; it does not accuse." in page and "01_convolution: ann and ben" in page
    assert page.count("as written</p>") == 2 and "<mark>" in page


def test_code_many_students_share_is_no_evidence(tmp_path):
    """Five students with the same loops (the lesson's idiom, say): alike, but nobody is flagged."""
    graded = [_submission(tmp_path, f"s{i}", {"correlate2d": LOOPS if i % 2 else LOOPS_COPIED}) for i in range(5)]
    assert compare(graded).pairs == []
    assert len(compare(graded[:2]).pairs) == 1  # two alone would be


def test_short_functions_alike_count_when_several_are(tmp_path):
    """Lesson 02's functions are a few lines each: one alike is coincidence, all of them is worth a look."""
    shape = "    return (num_filters,) + tuple(conv_output_size(n, F, S, P) for n in input_shape[1:])"
    padding = "    if F % 2 == 0:\n        raise ValueError('even')\n    return (F - 1) // 2"
    other_padding = "    half, odd = divmod(F, 2)\n    if not odd:\n        raise ValueError('F must be odd')\n    return half"
    lesson = "02_output_size"
    graded = [_submission(tmp_path, "eve", {"same_padding": padding, "conv_output_shape": shape}, lesson),
              _submission(tmp_path, "fay", {"same_padding": padding, "conv_output_shape": shape}, lesson),
              _submission(tmp_path, "gus", {"same_padding": other_padding, "conv_output_shape": shape}, lesson)]
    (pair,) = compare(graded).pairs
    assert pair.students == ("eve", "fay") and len(pair.matches) == 2
    assert pair.evidence < Settings().min_evidence  # listed because both functions are alike


def test_lesson_code_knows_which_cell_defines_each_function_and_what_each_test_is_about():
    code = lesson_code("01_convolution")
    assert code.cell_of["correlate2d"] == "correlate2d"
    assert code.functions_tested("test_convolve2d") == ("convolve2d",)  # it also calls correlate2d
    assert "# YOUR CODE HERE" in code.scaffolds["pad2d"]
    assert any("default_rng" in line for line in code.hidden_lines)
