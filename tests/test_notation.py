"""The course has one notation: the symbol table of lesson 00 is the README's, row for row."""
from __future__ import annotations

import nbformat

from autograder import paths

HEADER = "| symbol | meaning | in code |"


def _table_rows(markdown: str) -> list[str]:
    """The rows of the markdown table that starts with the symbol table's header."""
    lines = [line.strip() for line in markdown.splitlines()]
    start = lines.index(HEADER)
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return lines[start:end]


def test_lesson_00_shows_the_readme_symbol_table():
    readme = (paths.COURSE_ROOT / "README.md").read_text(encoding="utf-8")
    notation = readme.split("## Notation", 1)[1]
    lesson = nbformat.read(paths.solution_notebook("00_welcome"), as_version=4)
    tables = [_table_rows(c.source) for c in lesson.cells if c.cell_type == "markdown" and HEADER in c.source]
    assert len(tables) == 1, "lesson 00 must show the symbol table once"
    assert tables[0] == _table_rows(notation), "lesson 00's symbol table differs from the README's ## Notation table"
