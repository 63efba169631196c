"""Oracles: instructor-only code that ``python -m autograder build`` copies into hidden tests.

An oracle is a reference computation that hidden tests compare the student's results with
(a convolution by ``sliding_window_view`` and ``einsum``, a random network with its expected
rows, ...). Each is written once, as ``solutions/.oracles/<name>.py``, and used by any number
of test cells, inside their hidden block, between two marker lines::

    ### BEGIN HIDDEN TESTS
    # BEGIN ORACLE conv_forward_oracle
    # END ORACLE conv_forward_oracle
    rng = np.random.default_rng(503)
    ...

``python -m autograder build`` fills each marked block with the file's text (the solution
notebook is rewritten only when a copy changed); ``python -m autograder check`` and the test
suite fail when a copy differs from its file. The grader and nbgrader run the copies in the
notebooks, never the files.

The folder's name starts with a dot, so neither nbgrader (which lists the folders of
``solutions/`` as assignments) nor :func:`autograder.paths.lesson_ids` sees it, and it is not
part of the installed packages: students never get an oracle (the hidden blocks that hold the
copies are stripped from ``lessons/``).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import paths
from .cells import grade_id, is_test

#: Where the oracles live: instructor-only, next to the notebooks that use them.
ORACLES_DIR = paths.SOLUTIONS_DIR / ".oracles"

_BEGIN = re.compile(r"^# BEGIN ORACLE (?P<name>\S+)\s*$")
_END = re.compile(r"^# END ORACLE (?P<name>\S+)\s*$")
_NAME = re.compile(r"^[A-Za-z_]\w*$")
_HIDDEN_BEGIN, _HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


class OracleError(ValueError):
    """Oracle markers that cannot be filled: unbalanced, outside the hidden tests, or naming no file."""


@dataclass(frozen=True)
class OracleBlock:
    """One marked block of a cell: the oracle's name, the marker lines' indices, and the text between."""

    name: str
    begin: int
    end: int
    text: str


def oracle_blocks(source: str) -> list[OracleBlock]:
    """Return the oracle blocks of a cell's source, in order.

    Raises
    ------
    OracleError
        When a marker is indented or unbalanced, names no valid oracle, blocks nest, or a block
        is not inside ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS``.
    """
    lines = source.split("\n")
    blocks, open_block, hidden = [], None, False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped == _HIDDEN_BEGIN:
            hidden = True
        elif stripped == _HIDDEN_END:
            if open_block is not None:
                raise OracleError(f"line {index + 1}: the hidden tests end inside oracle {open_block[0]!r}")
            hidden = False
        if "ORACLE" not in stripped or not (_BEGIN.match(stripped) or _END.match(stripped)):
            continue
        if line != stripped:
            raise OracleError(f"line {index + 1}: oracle markers start at the beginning of the line: {stripped!r}")
        begin, end = _BEGIN.match(line), _END.match(line)
        name = (begin or end)["name"]
        if not _NAME.match(name):
            raise OracleError(f"line {index + 1}: {name!r} is not an oracle name (a Python identifier, its file's name)")
        if begin:
            if open_block is not None:
                raise OracleError(f"line {index + 1}: oracle {name!r} begins inside oracle {open_block[0]!r}")
            if not hidden:
                raise OracleError(f"line {index + 1}: oracle {name!r} is outside the hidden tests: students would see it")
            open_block = (name, index)
        elif open_block is None or open_block[0] != name:
            raise OracleError(f"line {index + 1}: '# END ORACLE {name}' without its '# BEGIN ORACLE {name}'")
        else:
            blocks.append(OracleBlock(name, open_block[1], index, "\n".join(lines[open_block[1] + 1:index])))
            open_block = None
    if open_block is not None:
        raise OracleError(f"line {open_block[1] + 1}: oracle {open_block[0]!r} has no '# END ORACLE {open_block[0]}'")
    return blocks


def load_oracles(directory: Path = ORACLES_DIR) -> dict[str, str]:
    """Return every oracle's text by name (the file's text without its final newline)."""
    return {path.stem: path.read_text(encoding="utf-8").rstrip("\n") for path in sorted(directory.glob("*.py"))}


def fill(source: str, oracles: Mapping[str, str]) -> str:
    """Return ``source`` with every oracle block holding its oracle's current text.

    Raises
    ------
    OracleError
        For bad markers (see :func:`oracle_blocks`) and for a block whose oracle has no file.
    """
    lines = source.split("\n")
    for block in reversed(oracle_blocks(source)):
        if block.name not in oracles:
            raise OracleError(f"oracle {block.name!r} has no file {paths.relative(ORACLES_DIR / (block.name + '.py'))}")
        lines[block.begin + 1:block.end] = oracles[block.name].split("\n")
    return "\n".join(lines)


def inject_oracles(notebooks: list[Path] | None = None, oracles: Mapping[str, str] | None = None) -> list[Path]:
    """Fill the oracle blocks of notebooks (all solution notebooks by default); return those rewritten.

    Raises
    ------
    OracleError
        Naming the notebook and cell whose markers are wrong; no notebook is written then.
    """
    oracles = load_oracles() if oracles is None else oracles
    changed = []
    for path in paths.solution_notebooks() if notebooks is None else notebooks:
        notebook = nbformat.read(path, as_version=4)
        edits = [(cell, _filled(path, cell, oracles)) for cell in notebook.cells if cell.cell_type == "code"]
        edits = [(cell, new) for cell, new in edits if new != cell.source]
        for cell, new in edits:
            cell.source = new
        if edits:
            changed.append((path, notebook))
    for path, notebook in changed:
        nbformat.write(notebook, path)
    return [path for path, _ in changed]


def drifted_oracles(notebooks: list[Path] | None = None, oracles: Mapping[str, str] | None = None) -> list[str]:
    """Say which oracle copies differ from their files, and which markers are wrong, one line each.

    Parameters
    ----------
    notebooks : list of Path, optional
        The notebooks to compare; all solution notebooks by default.
    oracles : mapping of str to str, optional
        The oracles' texts by name; :func:`load_oracles` by default.
    """
    oracles = load_oracles() if oracles is None else oracles
    problems = []
    for path in paths.solution_notebooks() if notebooks is None else notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                _filled(path, cell, oracles)
            except OracleError as error:
                problems.append(str(error))
                continue
            problems += [f"{paths.relative(path)}: {grade_id(cell)}: its copy of oracle {b.name!r} differs from "
                         f"{paths.relative(ORACLES_DIR / (b.name + '.py'))}: run `python -m autograder build`"
                         for b in oracle_blocks(cell.source) if b.text != oracles[b.name]]
    return problems



def _filled(path: Path, cell: nbformat.NotebookNode, oracles: Mapping[str, str]) -> str:
    where = f"{paths.relative(path)}: {grade_id(cell) or 'a code cell'}"
    try:
        if oracle_blocks(cell.source) and not is_test(cell):
            raise OracleError("oracles belong in the hidden block of a test cell")
        return fill(cell.source, oracles)
    except OracleError as error:
        raise OracleError(f"{where}: {error}") from None
