"""Lint for test cells: what no test run shows until a student meets it.

- A test cell that does not compile.
- A dict literal with a repeated key: Python keeps the last entry and silently drops the others
  (a hint lost from ``mistakes=`` or ``hints=``).
- A hint that can never be shown, decided from the literals of the cell (names assigned a literal
  value earlier in the cell, ``np.array(...)`` of literals and arithmetic on them are evaluated):

  * ``expect_array(..., mistakes={hint: wrong})`` whose ``wrong`` equals the expected result (a
    student who makes that mistake passes) or another entry's ``wrong`` (the first match wins);
  * ``expect_array(..., shape_hints={shape: hint})`` keyed on the expected shape (it would blame
    the shape for any wrong value);
  * ``expect_equal(..., hints={wrong: hint})`` keyed on the expected value.

  Hints passed through a variable or a helper function of the cell are not checked.
- A run of :data:`MIN_COPIED_LINES` or more lines that two test cells of the course share
  (blank and comment lines ignored, oracle blocks excluded: those are copies by design, kept in
  sync by :mod:`autograder.oracles`). Code used by several tests belongs in an oracle or in
  :mod:`autograder.checks`.

``python -m autograder check`` lists the findings of :func:`lint_notebooks`.
"""
from __future__ import annotations

import ast
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

from . import paths
from .cells import grade_id, is_test
from .names import python_source
from .oracles import OracleError, oracle_blocks

#: Shared runs of this many lines between two test cells are reported as copies.
MIN_COPIED_LINES = 8

#: Tolerances of ``expect_array`` when the call gives none.
_DEFAULT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Finding:
    """One lint finding: where (notebook, cell, line) and what is wrong."""

    notebook: str
    cell: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.notebook}: {self.cell}, line {self.line}: {self.message}"


def lint_notebooks(notebooks: Iterable[Path] | None = None) -> list[Finding]:
    """Lint the test cells of notebooks (all solution notebooks by default), copies across them included."""
    cells: list[tuple[str, str, str]] = []  # (notebook, grade id, source)
    for path in paths.solution_notebooks() if notebooks is None else notebooks:
        notebook = nbformat.read(path, as_version=4)
        cells += [(paths.relative(path), grade_id(c) or "a test cell", c.source) for c in notebook.cells if is_test(c)]
    findings = [Finding(nb, gid, line, message) for nb, gid, source in cells for line, message in lint_cell(source)]
    return findings + copied_runs(cells)


def lint_cell(source: str) -> list[tuple[int, str]]:
    """Return ``(line, message)`` for each finding in one test cell's source."""
    try:
        tree = ast.parse(python_source(source))
        compile(tree, "<test cell>", "exec")
    except SyntaxError as error:
        return [(error.lineno or 1, f"the cell does not compile: {error.msg}")]
    return sorted(_repeated_keys(tree) + _unreachable_hints(tree))


def _repeated_keys(tree: ast.AST) -> list[tuple[int, str]]:
    findings = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        seen: dict[Any, int] = {}
        for key in node.keys:
            value = _Literals({}).value(key) if key is not None else _UNKNOWN
            try:
                if value is _UNKNOWN or isinstance(value, np.ndarray):
                    continue
                if value in seen:
                    findings.append((key.lineno, f"the dict key {_short(value)} is repeated (first on line {seen[value]}): "
                                                 "Python keeps only the last of its entries"))
                else:
                    seen[value] = key.lineno
            except TypeError:  # an unhashable key raises when the cell runs: not a lint matter
                continue
    return findings


def _unreachable_hints(tree: ast.Module) -> list[tuple[int, str]]:
    """Check each ``expect_array``/``expect_equal`` call with the literals known at its statement."""
    findings = []
    known: dict[str, Any] = {}
    numpy_names = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                   for alias in node.names if alias.name == "numpy"}
    for statement in tree.body:
        rebound = _bound_in(statement)
        literals = _Literals({k: v for k, v in known.items() if k not in rebound}, numpy_names)
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and _called_name(node) == "expect_array":
                findings += _check_expect_array(node, literals)
            elif isinstance(node, ast.Call) and _called_name(node) == "expect_equal":
                findings += _check_expect_equal(node, literals)
        for name in rebound:
            known.pop(name, None)
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            value = _Literals(known, numpy_names).value(statement.value)
            if value is not _UNKNOWN:
                known[statement.targets[0].id] = value
    return findings


def _check_expect_array(call: ast.Call, literals: "_Literals") -> list[tuple[int, str]]:
    expected = literals.value(_argument(call, 1, "expected"))
    tolerances = {name: literals.value(_argument(call, None, name)) for name in ("rtol", "atol")}
    rtol, atol = (t if isinstance(t, (int, float)) else _DEFAULT_TOLERANCE for t in tolerances.values())
    findings = []
    mistakes = _argument(call, None, "mistakes")
    if isinstance(mistakes, ast.Dict):
        earlier: list[tuple[str, np.ndarray]] = []
        for hint_node, wrong_node in zip(mistakes.keys, mistakes.values):
            hint, wrong = literals.value(hint_node), literals.value(wrong_node)
            if wrong is _UNKNOWN or hint is _UNKNOWN:
                continue
            wrong = np.asarray(wrong)
            if expected is not _UNKNOWN and _close(wrong, np.asarray(expected), rtol, atol):
                findings.append((wrong_node.lineno, f"the mistake {_short(hint)} gives the expected result: "
                                                    "a student who makes it passes, so its hint is never shown"))
            twin = next((other for other, value in earlier if _close(wrong, value, _DEFAULT_TOLERANCE, _DEFAULT_TOLERANCE)), None)
            if twin is not None:
                findings.append((wrong_node.lineno, f"the mistake {_short(hint)} gives the same result as {_short(twin)}: "
                                                    "only the first of their hints is ever shown"))
            earlier.append((hint, wrong))
    shape_hints = _argument(call, None, "shape_hints")
    if isinstance(shape_hints, ast.Dict) and expected is not _UNKNOWN:
        for shape_node in shape_hints.keys:
            shape = literals.value(shape_node)
            if shape is not _UNKNOWN and shape == np.shape(expected):
                findings.append((shape_node.lineno, f"the shape hint for {shape} is keyed on the expected shape: "
                                                    "it would be given for any wrong value, whatever the mistake"))
    return findings


def _check_expect_equal(call: ast.Call, literals: "_Literals") -> list[tuple[int, str]]:
    expected = literals.value(_argument(call, 1, "expected"))
    hints = _argument(call, None, "hints")
    if expected is _UNKNOWN or not isinstance(hints, ast.Dict):
        return []
    findings = []
    for key in hints.keys:
        wrong = literals.value(key)
        if type(wrong) is type(expected) and wrong == expected:  # the comparison expect_equal makes
            findings.append((key.lineno, f"the hint for {_short(expected)} is keyed on the expected value: it is never shown"))
    return findings


def copied_runs(cells: Sequence[tuple[str, str, str]], min_lines: int = MIN_COPIED_LINES) -> list[Finding]:
    """Report each run of ``min_lines`` or more lines that a test cell shares with an earlier one.

    Parameters
    ----------
    cells : sequence of (notebook, grade id, source)
        The test cells, in course order.
    min_lines : int
        The shortest run reported.
    """
    lines_of = [_significant_lines(source) for _, _, source in cells]
    first_seen: dict[tuple[str, ...], tuple[int, int]] = {}  # window -> (cell, index) of its first occurrence
    matches: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)  # (copy, original) -> {(i, j)}
    for cell, lines in enumerate(lines_of):
        for start in range(len(lines) - min_lines + 1):
            window = tuple(text for _, text in lines[start:start + min_lines])
            original = first_seen.setdefault(window, (cell, start))
            if original[0] != cell:
                matches[(cell, original[0])].add((start, original[1]))
    findings = []
    for (copy, original), starts in sorted(matches.items()):
        for start, source_start in sorted(starts):
            if (start - 1, source_start - 1) in starts:
                continue  # inside a run reported from its first window
            length = min_lines
            while (start + length - min_lines + 1, source_start + length - min_lines + 1) in starts:
                length += 1
            line, original_line = lines_of[copy][start][0], lines_of[original][source_start][0]
            notebook, gid, _ = cells[copy]
            source_notebook, source_gid, _ = cells[original]
            where = source_gid if source_notebook == notebook else f"{source_gid} ({source_notebook})"
            findings.append(Finding(notebook, gid, line,
                                    f"{length} lines copied from {where}, line {original_line}: "
                                    "keep them once (an oracle in solutions/.oracles/ or a helper in autograder.checks)"))
    return findings


def _significant_lines(source: str) -> list[tuple[int, str]]:
    """``(line number, stripped text)`` of a cell's lines, without blank lines, comments and oracle blocks."""
    lines = source.split("\n")
    try:
        hidden = {i for block in oracle_blocks(source) for i in range(block.begin, block.end + 1)}
    except OracleError:
        hidden = set()  # wrong markers are reported by `check`; compare the cell as it is
    return [(i + 1, line.strip()) for i, line in enumerate(lines)
            if i not in hidden and line.strip() and not line.strip().startswith("#")]


class _Unknown:
    """A value the lint cannot know without running the cell."""


_UNKNOWN = _Unknown()

_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
              ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow, ast.MatMult: operator.matmul}


class _Literals:
    """Evaluates the literal part of an expression: constants, containers, known names, NumPy arrays of literals."""

    def __init__(self, known: dict[str, Any], numpy_names: set[str] | None = None) -> None:
        self.known, self.numpy_names = known, numpy_names or set()

    def value(self, node: ast.AST | None) -> Any:
        try:
            return self._value(node)
        except (_NotLiteral, ArithmeticError, ValueError, TypeError, IndexError):
            return _UNKNOWN

    def _value(self, node: ast.AST | None) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self._value(item) for item in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Name) and node.id in self.known:
            return self.known[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self._value(node.operand)
            return -np.asarray(operand) if isinstance(operand, (list, np.ndarray)) else (
                -operand if isinstance(node.op, ast.USub) else +operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            left, right = self._value(node.left), self._value(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 64:
                raise _NotLiteral
            if isinstance(left, list) or isinstance(right, list):
                left, right = np.asarray(left), np.asarray(right)
            return _OPERATORS[type(node.op)](left, right)
        if isinstance(node, ast.Attribute) and node.attr == "T":
            return np.asarray(self._value(node.value)).T
        if isinstance(node, ast.Call):
            return self._call(node)
        raise _NotLiteral

    def _call(self, node: ast.Call) -> Any:
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr == "reshape":
            shape = [self._value(arg) for arg in node.args]
            return np.asarray(self._value(function.value)).reshape(*shape)
        if (isinstance(function, ast.Attribute) and function.attr in ("array", "asarray")
                and isinstance(function.value, ast.Name) and function.value.id in self.numpy_names):
            if len(node.args) != 1 or any(k.arg != "dtype" for k in node.keywords):
                raise _NotLiteral
            return np.asarray(self._value(node.args[0]), dtype=self._dtype(node.keywords))
        raise _NotLiteral

    def _dtype(self, keywords: list[ast.keyword]) -> Any:
        if not keywords:
            return None
        dtype = keywords[0].value
        if isinstance(dtype, ast.Name) and dtype.id in ("float", "int", "bool", "complex"):
            return dtype.id
        if isinstance(dtype, ast.Attribute) and isinstance(dtype.value, ast.Name) and dtype.value.id in self.numpy_names:
            return getattr(np, dtype.attr)
        return self._value(dtype)


class _NotLiteral(Exception):
    """The expression depends on something only running the cell would tell."""


def _called_name(call: ast.Call) -> str | None:
    function = call.func
    return function.id if isinstance(function, ast.Name) else function.attr if isinstance(function, ast.Attribute) else None


def _argument(call: ast.Call, position: int | None, keyword: str) -> ast.AST | None:
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    if position is not None and len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[position]
    return None


def _bound_in(statement: ast.stmt) -> set[str]:
    """Names a statement may bind (assignments anywhere in it, loop targets, definitions ...)."""
    bound = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return bound


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    try:
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))
    except TypeError:  # strings, objects: compare exactly
        return a.shape == b.shape and bool(np.all(a == b))


def _short(value: Any, width: int = 70) -> str:
    text = repr(value.tolist() if isinstance(value, np.ndarray) else value)
    return text if len(text) <= width else text[:width - 3] + "..."
