"""Where the course's folders are, and which lessons exist.

The data folder is the lesson helpers' own: :data:`cnncourse.data.DATA_DIR`.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

#: The repository root. ``CNN_COURSE_ROOT`` overrides it for a copy installed elsewhere.
COURSE_ROOT = Path(os.environ.get("CNN_COURSE_ROOT", Path(__file__).resolve().parent.parent))
SOLUTIONS_DIR = COURSE_ROOT / "solutions"
LESSONS_DIR = COURSE_ROOT / "lessons"
NBGRADER_CONFIG = Path(__file__).resolve().parent / "nbgrader_config.py"


def lesson_ids() -> list[str]:
    """Return the ids of all lessons, in course order.

    A lesson is a folder ``solutions/<id>/`` that holds ``<id>.ipynb``; folders whose name starts
    with a dot (``solutions/.oracles/``) are the instructor's, never lessons.
    """
    return sorted(p.parent.name for p in SOLUTIONS_DIR.glob("*/*.ipynb")
                  if p.stem == p.parent.name and not p.stem.startswith("."))


def solution_notebook(lesson_id: str) -> Path:
    """Return the instructor (source) notebook of a lesson."""
    return SOLUTIONS_DIR / lesson_id / f"{lesson_id}.ipynb"


def lesson_notebook(lesson_id: str) -> Path:
    """Return the student (release) notebook of a lesson."""
    return LESSONS_DIR / lesson_id / f"{lesson_id}.ipynb"


def solution_notebooks() -> list[Path]:
    """Return the instructor notebooks of all lessons, in course order."""
    return [solution_notebook(lesson_id) for lesson_id in lesson_ids()]


def relative(path: Path) -> str:
    """Return ``path`` relative to the repository root when it is inside it, as given otherwise."""
    try:
        return str(Path(path).resolve().relative_to(COURSE_ROOT.resolve()))
    except ValueError:
        return str(path)


def in_course_order(ids: Iterable[str]) -> list[str]:
    """Lesson ids in the course's order, each once; ids the course does not have come last, sorted."""
    known = lesson_ids()
    return sorted(set(ids), key=lambda lid: (known.index(lid) if lid in known else len(known), lid))
