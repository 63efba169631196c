"""Generate the student notebooks in ``lessons/`` from the instructor notebooks in ``solutions/``."""
from __future__ import annotations

import copy
import fnmatch
import logging
import tempfile
from pathlib import Path

import nbformat

from . import paths
from .config import course_config


def build_lessons(lesson_ids: list[str] | None = None, release_dir: Path | None = None) -> list[Path]:
    """Run nbgrader's ``generate_assignment`` for each lesson, without a gradebook database.

    Parameters
    ----------
    lesson_ids : list of str, optional
        The lessons to build; all by default.
    release_dir : Path, optional
        Where to write ``<id>/<id>.ipynb``; ``lessons/`` by default.

    Returns
    -------
    list of Path
        The notebooks written.
    """
    from nbgrader.converters import GenerateAssignment  # slow import: only when building
    from nbgrader.coursedir import CourseDirectory

    release_dir = Path(release_dir or paths.LESSONS_DIR).resolve()
    written = []
    for lesson_id in lesson_ids or paths.lesson_ids():
        config = copy.deepcopy(course_config())
        config.CourseDirectory.root = str(paths.COURSE_ROOT)
        config.CourseDirectory.source_directory = str(paths.SOLUTIONS_DIR)
        config.CourseDirectory.release_directory = str(release_dir)
        config.CourseDirectory.assignment_id = lesson_id
        config.GenerateAssignment.no_database = True
        config.SaveCells.enabled = False
        config.BaseConverter.force = True
        coursedir = CourseDirectory(config=config)
        converter = GenerateAssignment(coursedir=coursedir, config=config)
        converter.log.setLevel(logging.WARNING)
        converter.start()
        notebook = release_dir / lesson_id / f"{lesson_id}.ipynb"
        normalise(notebook)
        written.append(notebook)
    return written


def normalise(path: Path) -> None:
    """Strip what would make a generated notebook differ between runs or machines."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(notebook, path)


def drifted_lessons(lesson_ids: list[str] | None = None) -> list[str]:
    """Return the files of ``lessons/`` that differ from what ``solutions/`` generates now.

    Files that nbgrader never releases (:func:`is_ignored`: a student's network saved by lesson
    07, JupyterLab's checkpoints) are not drift: a student who works in ``lessons/`` makes them.
    """
    ids = lesson_ids or paths.lesson_ids()
    drift = []
    with tempfile.TemporaryDirectory(prefix="lessons-") as tmp:
        build_lessons(ids, Path(tmp))
        for lesson_id in ids:
            fresh_dir, shipped_dir = Path(tmp) / lesson_id, paths.LESSONS_DIR / lesson_id
            fresh = {p.relative_to(fresh_dir) for p in fresh_dir.rglob("*") if p.is_file()}
            shipped = {p.relative_to(shipped_dir) for p in shipped_dir.rglob("*")
                       if p.is_file() and not is_ignored(p.relative_to(shipped_dir))}
            for name in sorted(fresh | shipped):
                a, b = fresh_dir / name, shipped_dir / name
                if not (a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes()):
                    drift.append(f"lessons/{lesson_id}/{name}")
    return drift


def is_ignored(relative: Path) -> bool:
    """Return True if nbgrader leaves this file of a lesson folder out of a release.

    Parameters
    ----------
    relative : Path
        The file's path inside the lesson's folder.

    Returns
    -------
    bool
        Whether one of its parts matches a pattern of the course's ``CourseDirectory.ignore``
        (``my_digits_cnn.npz``, ``.ipynb_checkpoints``, ...).
    """
    patterns = course_config().CourseDirectory.ignore
    return any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in patterns)
