"""A generated class of 30 students over lessons 01 and 02, in nbgrader's ``submitted/`` layout.

What each student hands in is decided by :func:`plan_class` (the same every time):

- ``independent``: correct code of the student's own, a different mix per student of the
  catalogue's correct variants (``course_catalogue/lessonNN.py``, ``CORRECT``) and the
  implementations of ``tests/correct_variants`` (each function of the mix is one no other
  independent student of the class uses);
- ``copied``: another student's notebook with the cheap disguises of copying (:func:`disguise`):
  variables renamed, helper functions moved, comments changed, two independent statements
  swapped, the indentation changed;
- ``wrong``: the reference solution with one mistake of the catalogue (``course_catalogue``), the
  flipped kernel of lesson 01 among them;
- ``hostile``: the reference solution with an attack on the grader (a process exit, a crash,
  a patched comparison, a hang);
- ``blank``: the lesson as released, untouched; ``broken``: a file that is not a gradable
  notebook of the lesson; ``missing``: nothing handed in.

The notebooks are handed in without their demonstration cells (lesson 01's convolve a
photograph with the student's loops; the grader would spend its time there). The ground truth
of the similarity report is :attr:`ClassPlan.copied_pairs`.
"""
from __future__ import annotations

import ast
import io
import itertools
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import paths
from autograder.cells import grade_id, is_graded_by_hand, is_solution
from autograder.lesson_code import lesson_code
from course_catalogue import Mutant, Variant
from course_catalogue import lesson01 as catalogue01
from course_catalogue import lesson02 as catalogue02
from course_catalogue.notebooks import apply_change
from tests.correct_variants import Implementation
from tests.correct_variants import lesson01 as variants01
from tests.correct_variants import lesson02 as variants02

LESSONS = (variants01.LESSON, variants02.LESSON)
_STUB = "    # YOUR CODE HERE\n    raise NotImplementedError()"
_CATALOGUE = {catalogue01.LESSON: catalogue01, catalogue02.LESSON: catalogue02}
#: Per lesson and solution cell: the correct ways to write it, the catalogue's first.
_VARIANTS = {
    module.LESSON: {cell: [*(v for v in _CATALOGUE[module.LESSON].CORRECT if v.cell == cell), *options]
                    for cell, options in module.IMPLEMENTATIONS.items()}
    for module in (variants01, variants02)
}
_ANSWERS = {variants01.LESSON: variants01.WRITTEN_ANSWERS, variants02.LESSON: variants02.WRITTEN_ANSWERS}

#: Attacks on the grader, per lesson: (solution cell, code put at the top of the cell). The
#: patched comparisons come with a flipped kernel: a grader they fooled would give its points.
HOSTILE = {
    variants01.LESSON: [
        ("pad2d", "import os\nos._exit(3)\n"),
        ("correlate2d", "import numpy\nnumpy.allclose = lambda *a, **k: True\nnumpy.array_equal = lambda *a, **k: True\n"),
        ("correlate3d", "import ctypes\nctypes.string_at(0)\n"),
    ],
    variants02.LESSON: [
        ("same_padding", "while True:\n    pass\n"),
        ("conv_output_size", "import sys\nsys.exit(0)\n"),
        ("conv_output_shape", "import ctypes\nctypes.string_at(0)\n"),
    ],
}

#: Names a copier gives to the variables they rename.
_SYNONYMS = ("result", "acc", "tmp", "buf", "val", "res", "arr", "grid", "data", "item", "vec", "mat", "cur")


@dataclass(frozen=True)
class Submission:
    """What one student hands in for one lesson."""

    student: str
    lesson: str
    kind: str  # independent, copied, wrong, hostile, blank, broken or missing
    label: str  # what exactly: the implementations used, the mutant, the attack, the original copied


@dataclass
class ClassPlan:
    """Who hands in what, and which pairs of students copied from each other."""

    submissions: list[Submission] = field(default_factory=list)
    copied_pairs: dict[str, set[frozenset[str]]] = field(default_factory=dict)

    def of(self, lesson: str, kind: str | None = None) -> list[Submission]:
        return [s for s in self.submissions if s.lesson == lesson and (kind is None or s.kind == kind)]

    def who(self, lesson: str, kind: str, label: str) -> str:
        """The student who handed in that kind of submission (the first, by student id)."""
        return next(s.student for s in self.of(lesson, kind) if s.label == label)

    @property
    def students(self) -> list[str]:
        return sorted({s.student for s in self.submissions})


# Who is what, by student number (1-based).
_INDEPENDENT = range(1, 10)  # s01..s09 write their own code
_COPIES = {10: 1, 11: 2, 12: 2}  # s10 copies s01; s11 and s12 copy s02 (a ring of three)
_COPIES_02_ONLY = {13: 9}  # in lesson 02, s13 copies s09 (in lesson 01, s13 is wrong on their own)
_WRONG = range(13, 24)  # s13 from lesson 02 on is a copy
_HOSTILE = range(24, 27)
_BLANK = (27,)
_BROKEN = (28, 29)
_LAST = 30  # lesson 01: a mistake of the catalogue; lesson 02: nothing handed in


def student(number: int) -> str:
    return f"s{number:02d}"


def plan_class() -> ClassPlan:
    """The class: 30 students, lessons 01 and 02 (see the module's docstring)."""
    plan = ClassPlan()
    for lesson in LESSONS:
        variants = _VARIANTS[lesson]
        for position, number in enumerate(_INDEPENDENT):
            mix = {cell: (position - shift) % len(options) for shift, (cell, options) in enumerate(variants.items())}
            plan.submissions.append(Submission(student(number), lesson, "independent",
                                               " ".join(f"{cell}#{i}" for cell, i in mix.items())))
        copies = {**_COPIES, **(_COPIES_02_ONLY if lesson == variants02.LESSON else {})}
        for number, original in copies.items():
            plan.submissions.append(Submission(student(number), lesson, "copied", student(original)))
        wrong = [n for n in [*_WRONG, _LAST] if n not in copies and (n != _LAST or lesson == variants01.LESSON)]
        for offset, number in enumerate(wrong):
            mutants = sorted(_CATALOGUE[lesson].MUTANTS, key=lambda m: m.hint != "flipped")  # the flipped kernel first
            plan.submissions.append(Submission(student(number), lesson, "wrong", mutants[(3 * offset) % len(mutants)].name))
        for offset, number in enumerate(_HOSTILE):
            cell, code = HOSTILE[lesson][offset]
            plan.submissions.append(Submission(student(number), lesson, "hostile", f"{cell}: {code.splitlines()[-1]}"))
        plan.submissions += [Submission(student(n), lesson, "blank", "as released") for n in _BLANK]
        plan.submissions.append(Submission(student(_BROKEN[0]), lesson, "broken", "corrupt JSON"))
        plan.submissions.append(Submission(student(_BROKEN[1]), lesson, "broken", "another lesson's notebook"))
        if lesson == variants02.LESSON:
            plan.submissions.append(Submission(student(_LAST), lesson, "missing", "nothing handed in"))
        plan.copied_pairs[lesson] = _copy_groups(copies)
    plan.submissions.sort(key=lambda s: (s.lesson, s.student))
    return plan


def _copy_groups(copies: dict[int, int]) -> set[frozenset[str]]:
    """Every pair of students that share a copied notebook (an original and its copies, copies among themselves)."""
    groups: dict[int, set[int]] = {}
    for copy_number, original in copies.items():
        groups.setdefault(original, {original}).add(copy_number)
    return {frozenset(map(student, pair)) for group in groups.values() for pair in itertools.combinations(group, 2)}


def write_class(root: Path, plan: ClassPlan | None = None) -> ClassPlan:
    """Write ``root/<student>/<lesson>/<lesson>.ipynb`` for every submission of the plan."""
    plan = plan or plan_class()
    notebooks: dict[tuple[str, str], nbformat.NotebookNode] = {}
    ordered = sorted(plan.submissions, key=lambda s: s.kind == "copied")  # originals first
    for submission in ordered:
        if submission.kind == "missing":
            continue
        folder = root / submission.student / submission.lesson
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{submission.lesson}.ipynb"
        if submission.kind == "broken":
            if submission.label == "corrupt JSON":
                path.write_text('{"cells": [ {"cell_type": "code", "source": "import numpy as np"')
            else:
                other = next(lid for lid in LESSONS if lid != submission.lesson)
                nbformat.write(_released(other), path)
            continue
        notebook = _notebook(submission, notebooks)
        notebooks[(submission.student, submission.lesson)] = notebook
        nbformat.write(notebook, path)
    return plan


def _notebook(submission: Submission, done: dict) -> nbformat.NotebookNode:
    lesson = submission.lesson
    if submission.kind == "copied":
        return disguise(done[(submission.label, lesson)], seed=int(submission.student[1:]))
    notebook = _released(lesson)
    if submission.kind == "blank":
        return notebook
    if submission.kind == "independent":
        mix = dict(part.split("#") for part in submission.label.split())
        for cell in notebook.cells:
            if grade_id(cell) in mix:
                _write_correct(notebook, cell, _VARIANTS[lesson][grade_id(cell)][int(mix[grade_id(cell)])])
        _answer_written_questions(notebook, lesson, int(submission.student[1:]))
        return notebook
    _fill_with_reference(notebook, lesson)
    if submission.kind == "wrong":
        apply_change(notebook, next(m for m in _CATALOGUE[lesson].MUTANTS if m.name == submission.label))
    else:  # hostile
        cell, code = HOSTILE[lesson][list(_HOSTILE).index(int(submission.student[1:]))]
        apply_change(notebook, Mutant(cell, submission.label, replace=((_first_line(notebook, cell), code + _first_line(notebook, cell)),)))
        if "allclose" in code:
            apply_change(notebook, next(m for m in _CATALOGUE[lesson].MUTANTS if m.hint == "flipped"))
    _answer_written_questions(notebook, lesson, int(submission.student[1:]))
    return notebook


def _released(lesson: str) -> nbformat.NotebookNode:
    """The lesson as released, without its demonstration cells."""
    notebook = nbformat.read(paths.lesson_notebook(lesson), as_version=4)
    notebook.cells = [c for c in notebook.cells if c.cell_type == "markdown" or grade_id(c)]
    return notebook


def _write_correct(notebook: nbformat.NotebookNode, cell: nbformat.NotebookNode, way: Implementation | Variant) -> None:
    """Fill a released solution cell with a correct implementation: a body of ours in the released
    scaffold, or the catalogue's variant (a whole cell, or changes to the reference solution)."""
    if isinstance(way, Implementation):
        cell.source = _filled(cell.source, way)
        return
    if way.replace:
        cell.source = _reference_cells(_lesson_of(notebook))[grade_id(cell)]
    apply_change(notebook, way)


def _filled(released_source: str, implementation: Implementation) -> str:
    """The released cell with its first stub replaced by the implementation (and its helpers above);
    further stubs of a step-by-step scaffold are removed, their guiding comments kept."""
    if _STUB not in released_source:
        raise ValueError(f"the released cell has no stub to replace:\n{released_source}")
    first, *rest = (released_source.rstrip("\n") + "\n").split(_STUB + "\n")
    body = (first + implementation.body + "".join(rest)).rstrip("\n")
    return f"{implementation.helpers}\n\n{body}" if implementation.helpers else body


def _reference_cells(lesson: str) -> dict[str, str]:
    """Every code solution cell as the reference solution writes it (without nbgrader's markers)."""
    return {grade_id(c): "\n".join(line for line in c.source.splitlines()
                                   if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
            for c in nbformat.read(paths.solution_notebook(lesson), as_version=4).cells
            if c.cell_type == "code" and is_solution(c)}


def _fill_with_reference(notebook: nbformat.NotebookNode, lesson: str) -> None:
    """Every solution cell as the reference solution writes it."""
    reference = _reference_cells(lesson)
    for cell in notebook.cells:
        if grade_id(cell) in reference:
            cell.source = reference[grade_id(cell)]


def _first_line(notebook: nbformat.NotebookNode, cell_id: str) -> str:
    return next(c.source for c in notebook.cells if grade_id(c) == cell_id).splitlines()[0]


def _answer_written_questions(notebook: nbformat.NotebookNode, lesson: str, number: int) -> None:
    answers = _ANSWERS[lesson]
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and is_graded_by_hand(cell):
            cell.source = answers[number % len(answers)]


def disguise(original: nbformat.NotebookNode, seed: int) -> nbformat.NotebookNode:
    """A copy of a notebook as a student who copied it would hand it in.

    In every solution cell: the variables and helpers are renamed, the helper functions are
    moved below the graded function, every comment is replaced and new ones are added, the first
    two adjacent independent assignments of the graded function are swapped, and the code is
    indented by two spaces instead of four. The code still computes the same results.
    """
    notebook = nbformat.from_dict(original)
    lesson = lesson_code(_lesson_of(notebook))
    for cell in notebook.cells:
        if cell.cell_type == "code" and grade_id(cell) in lesson.scaffolds:
            graded = lesson.functions_of(grade_id(cell))
            source = _rename_locals(cell.source, graded, seed)
            source = _helpers_below(source, graded)
            source = _swap_first_independent_assignments(source, graded)
            source = _recomment(source, seed)
            cell.source = _reindent(source)
        elif cell.cell_type == "markdown" and is_graded_by_hand(cell):
            cell.source = cell.source.replace("kernel", "filter").replace("The ", "So the ", 1)
    return notebook


def _lesson_of(notebook: nbformat.NotebookNode) -> str:
    ids = {grade_id(c) for c in notebook.cells}
    return next(lid for lid in LESSONS if set(lesson_code(lid).scaffolds) <= ids)


def _rename_locals(source: str, graded: list[str], seed: int) -> str:
    """Rename the names the cell binds, except the graded functions and their parameters."""
    tree = ast.parse(source)
    keep = set(graded)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in graded:
            keep |= {a.arg for a in node.args.args + node.args.kwonlyargs}
    keep |= {k.arg for k in ast.walk(tree) if isinstance(k, ast.keyword) and k.arg}
    bound = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
                   | {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
                   | {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)})
    names = [name for name in bound if name not in keep]
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | keep
    mapping = {}
    for index, name in enumerate(names):
        new = f"{_SYNONYMS[(seed + index) % len(_SYNONYMS)]}_{index}"
        while new in used:
            new += "_"
        mapping[name] = new
    return _rename(source, mapping) if mapping else source


def _rename(source: str, mapping: dict[str, str]) -> str:
    """Rename variables (not attributes, not words in strings; names inside an f-string's braces too)."""
    name = re.compile(r"(?<![.\w])(" + "|".join(map(re.escape, sorted(mapping, key=len, reverse=True))) + r")\b")
    edits = []
    previous = None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NAME and token.string in mapping and previous != ".":
            edits.append((token.start, token.end, mapping[token.string]))
        elif (token.type == tokenize.STRING and token.start[0] == token.end[0]
              and re.match(r"(?i)[rb]*f", token.string)):
            renamed = re.sub(r"\{[^{}]*\}", lambda m: name.sub(lambda n: mapping[n.group(1)], m.group(0)), token.string)
            edits.append((token.start, token.end, renamed))
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            previous = token.string
    lines = source.splitlines(keepends=True)
    for (row, start), (_, end), text in reversed(edits):
        lines[row - 1] = lines[row - 1][:start] + text + lines[row - 1][end:]
    return "".join(lines)


def _split_comment(line: str) -> tuple[str, str, str]:
    """A line cut at its comment (a ``#`` outside strings)."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(line + "\n").readline):
            if token.type == tokenize.COMMENT:
                start = token.start[1]
                return line[:start], "#", line[start + 1:]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return line, "", ""


def _helpers_below(source: str, graded: list[str]) -> str:
    """Move the cell's own helper functions below the graded function, in reverse order."""
    tree = ast.parse(source)
    lines = source.splitlines()
    helpers = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name not in graded]
    if not helpers:
        return source
    blocks = ["\n".join(lines[n.lineno - 1:n.end_lineno]) for n in helpers]
    taken = {i for n in helpers for i in range(n.lineno - 1, n.end_lineno)}
    rest = "\n".join(line for i, line in enumerate(lines) if i not in taken).strip("\n")
    return rest + "\n\n\n" + "\n\n\n".join(reversed(blocks)) + "\n"


def _swap_first_independent_assignments(source: str, graded: list[str]) -> str:
    """Swap the first two adjacent one-line assignments of a graded function that do not use each other."""
    tree = ast.parse(source)
    lines = source.splitlines()
    for function in (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in graded):
        for first, second in zip(function.body, function.body[1:]):
            if not all(isinstance(s, ast.Assign) and s.lineno == s.end_lineno for s in (first, second)):
                continue
            written = [{n.id for t in s.targets for n in ast.walk(t) if isinstance(n, ast.Name)} for s in (first, second)]
            read = [{n.id for n in ast.walk(s.value) if isinstance(n, ast.Name)} for s in (first, second)]
            if written[0] & (read[1] | written[1]) or read[0] & written[1]:
                continue
            lines[first.lineno - 1], lines[second.lineno - 1] = lines[second.lineno - 1], lines[first.lineno - 1]
            return "\n".join(lines)
    return source


def _recomment(source: str, seed: int) -> str:
    """Every comment replaced by another, and a comment added above each loop."""
    notes = ("# step through it", "# as in the lecture", "# check this", "# the main part", "# done here")
    out = []
    for index, line in enumerate(source.splitlines()):
        code, hash_, _ = _split_comment(line)
        stripped = code.rstrip()
        if hash_ and not stripped:
            continue  # a comment line of its own: dropped
        if stripped.lstrip().startswith("for "):
            indent = stripped[:len(stripped) - len(stripped.lstrip())]
            out.append(indent + notes[(seed + index) % len(notes)])
        out.append(stripped + ("  " + notes[(seed + index + 1) % len(notes)] if hash_ else ""))
    return "\n".join(out) + "\n"


def _reindent(source: str) -> str:
    """Indentation of two spaces per level instead of four (continuation lines keep their alignment relative to it)."""
    return "\n".join(re.sub(r"^((?:    )+)", lambda m: "  " * (len(m.group(1)) // 4), line) for line in source.splitlines()) + "\n"
