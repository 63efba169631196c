"""Render grade reports for people (a table) and for programs (JSON)."""
from __future__ import annotations

import json
import textwrap

from .grading import GradeReport
from .status import Status
from .text import first_line


def format_table(report: GradeReport, width: int = 100) -> str:
    """Return a table with one row per test (id, points, result, hint) and the total."""
    id_width = max([len("test")] + [len(t.id) for t in report.tests])
    header = f"{'test':<{id_width}}  points  result"
    if not report.tests:
        header = "This lesson has no graded exercises: nothing to score."
    lines = [f"{report.lesson}: {report.notebook}", header]
    indent = " " * 6
    for test in report.tests:
        points = f"{number(test.score)}/{number(test.max_score)}"
        lines.append(f"{test.id:<{id_width}}  {points:>6}  {test.status.label}")
        for paragraph in test.message.splitlines() if test.status is not Status.PASSED else []:
            lines.extend(textwrap.wrap(paragraph, width, initial_indent=indent, subsequent_indent=indent) or [indent])
    lines.append(total_line(report))
    if report.timings:
        phases = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in report.timings.items() if phase != "total")
        lines.append(f"Graded in {report.timings.get('total', 0.0):.1f} s ({phases})")
    if report.solution_errors:
        lines.append("Solution cells that failed (the tests of what they define fail with them):")
        lines.extend(f"  {first_line(error)}" for error in report.solution_errors)
    others = [error for error in report.cell_errors if error not in report.solution_errors]
    if others:
        lines.append("Other cells outside the tests (no points depend on them):")
        lines.extend(f"  {first_line(error)}" for error in others)
    return "\n".join(lines)


def total_line(report: GradeReport) -> str:
    """``Total: 14 / 16``, and what is graded by hand apart: ``... automatic; 2 points graded by hand (written_x)``."""
    total = f"Total: {number(report.score)} / {number(report.max_score)}"
    if not report.by_hand:
        return total
    return f"{total} automatic; {by_hand_text(report)}"


def by_hand_text(report: GradeReport) -> str:
    """``2 points graded by hand (written_why_correlation)``; an answer left as released says so."""
    points = report.by_hand_max_score
    names = ", ".join(h.id + ("" if h.answered else ": not answered, 0") for h in report.by_hand)
    return f"{number(points)} point{'' if points == 1 else 's'} graded by hand ({names})"


def format_json(report: GradeReport) -> str:
    """Return the report as one line of JSON."""
    return json.dumps(report.to_dict())


def number(value: float) -> str:
    """A score as people write it: 3, 2.5."""
    return f"{value:g}"
