"""Where the course's folders are, and which lessons exist.

The data folder is the lesson helpers' own: :data:`cnncourse.data.DATA_DIR`.
"""
from __future__ import annotations

import os
from pathlib import Path

#: The repository root. ``CNN_COURSE_ROOT`` overrides it for a copy installed elsewhere.
COURSE_ROOT = Path(os.environ.get("CNN_COURSE_ROOT", Path(__file__).resolve().parent.parent))
SOLUTIONS_DIR = COURSE_ROOT / "solutions"
LESSONS_DIR = COURSE_ROOT / "lessons"
NBGRADER_CONFIG = Path(__file__).resolve().parent / "nbgrader_config.py"


def lesson_ids() -> list[str]:
    """Return the ids of all lessons, in course order.

    A lesson is a folder ``solutions/<id>/`` that holds ``<id>.ipynb``.
    """
    return sorted(p.parent.name for p in SOLUTIONS_DIR.glob("*/*.ipynb") if p.stem == p.parent.name)


def solution_notebook(lesson_id: str) -> Path:
    """Return the instructor (source) notebook of a lesson."""
    return SOLUTIONS_DIR / lesson_id / f"{lesson_id}.ipynb"


def lesson_notebook(lesson_id: str) -> Path:
    """Return the student (release) notebook of a lesson."""
    return LESSONS_DIR / lesson_id / f"{lesson_id}.ipynb"
