"""Tables for the lessons: lists of dicts shown as HTML in Jupyter and as aligned text elsewhere.

Nothing here computes a layer's statistics: the tables show whatever rows the student's
functions return.
"""
from __future__ import annotations

import html
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

#: The columns of a layer table: (row key, header).
LAYER_COLUMNS = (
    ("name", "layer"),
    ("type", "type"),
    ("output_shape", "output (C×H×W)"),
    ("activations", "activations"),
    ("params", "parameters"),
    ("macs", "multiply-adds"),
)


class Table:
    """Rows of a table, rendered as HTML by Jupyter and as aligned text by ``print``.

    Parameters
    ----------
    rows : sequence of mappings
        One mapping per row.
    columns : sequence of (key, header)
        Which keys to show, in order, and their headers.
    total : sequence of str
        Keys whose column is summed into a last "total" row; none by default.
    """

    def __init__(self, rows: Sequence[Mapping[str, Any]], columns: Sequence[tuple[str, str]],
                 total: Sequence[str] = ()) -> None:
        self.columns = list(columns)
        self.body = [[format_value(row.get(key, "")) for key, _ in self.columns] for row in rows]
        self.footer = None
        if total:
            sums = {key: sum(table_column(rows, key).tolist()) for key in total}
            self.footer = [format_value(sums[key]) if key in sums else "" for key, _ in self.columns]
            self.footer[0] = "total"

    def _lines(self) -> list[list[str]]:
        return [[header for _, header in self.columns], *self.body, *([self.footer] if self.footer else [])]

    def __str__(self) -> str:
        lines = self._lines()
        widths = [max(len(line[i]) for line in lines) for i in range(len(self.columns))]

        def fmt(line: list[str]) -> str:
            return "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths)))

        rule = "-" * len(fmt(lines[0]))
        text = [fmt(lines[0]), rule, *(fmt(line) for line in self.body)]
        if self.footer:
            text += [rule, fmt(self.footer)]
        return "\n".join(text)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        def cells(line: list[str], tag: str, style: str = "") -> str:
            return "".join(
                f"<{tag} style='text-align:{'left' if i < 2 else 'right'};{style}'>{html.escape(cell)}</{tag}>"
                for i, cell in enumerate(line)
            )

        head = f"<tr>{cells(self._lines()[0], 'th')}</tr>"
        body = "".join(f"<tr>{cells(line, 'td')}</tr>" for line in self.body)
        foot = f"<tr>{cells(self.footer, 'td', 'font-weight:bold;border-top:2px solid #555')}</tr>" if self.footer else ""
        return f"<table style='font-variant-numeric:tabular-nums'>{head}{body}{foot}</table>"


def layer_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    """Show the rows of ``layer_stats`` with a total of activations, parameters and multiply-adds.

    Parameters
    ----------
    rows : sequence of mappings
        Rows with the keys of :data:`LAYER_COLUMNS`.

    Returns
    -------
    Table
    """
    return Table(rows, LAYER_COLUMNS, total=("activations", "params", "macs"))


def table_column(rows: Sequence[Mapping[str, Any]], key: str) -> np.ndarray:
    """Return one column of a list of rows as an array.

    Parameters
    ----------
    rows : sequence of mappings
        The rows, e.g. what ``layer_stats`` returned.
    key : str
        The column.

    Returns
    -------
    numpy.ndarray
        ``[row[key] for row in rows]``; integer counts stay exact (int64).

    Raises
    ------
    ValueError
        If ``rows`` is not a list of mappings or a row lacks ``key``; the message names the row.
    """
    if not isinstance(rows, Sequence) or isinstance(rows, (str, bytes)):
        raise ValueError(f"expected a list of rows (dicts), got {type(rows).__name__}")
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise ValueError(f"row {index} is a {type(row).__name__}, expected a dict")
        if key not in row:
            raise ValueError(f"row {index} ({row.get('name', '?')}) has no key {key!r}; its keys are {sorted(row)}")
    return np.array([row[key] for row in rows])


def format_value(value: Any) -> str:
    """Format a table cell: thousands separators for numbers, ``96×55×55`` for shapes."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return f"{float(value):,.4g}"
    if isinstance(value, (tuple, list)):
        return "×".join(str(v) for v in value)
    return str(value)


def format_bytes(count: float) -> str:
    """Format a number of bytes in binary units: ``'58.1 MiB'``, ``'1.55 GiB'``."""
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if abs(count) >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count:g} B"
