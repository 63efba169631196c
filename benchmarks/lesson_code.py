"""The graded functions of a lesson, taken from its instructor notebook at run time.

The benchmarks time the lessons' reference solutions without copying them: they execute the
solution cells of ``solutions/<id>/<id>.ipynb``, found by their nbgrader grade ids. Plain JSON is
read (no nbformat), so that this also runs on a machine with only NumPy and the lesson's own
imports (a GPU machine without the course's environment).
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from autograder.paths import solution_notebook


def solution_namespace(lesson_id: str, grade_ids: Sequence[str],
                       preset: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Execute the named cells of a lesson's instructor notebook and return what they define.

    Parameters
    ----------
    lesson_id : str
        E.g. ``"07_train_cnn"``.
    grade_ids : sequence of str
        The nbgrader grade ids of the cells to run, in order (a setup cell's id runs its imports;
        IPython's ``%`` lines are left out).
    preset : mapping, optional
        Names the cells use without importing them.

    Returns
    -------
    dict
        The namespace the cells ran in.

    Raises
    ------
    ValueError
        If the notebook has no cell with one of the grade ids.
    """
    notebook = json.loads(solution_notebook(lesson_id).read_text(encoding="utf-8"))
    cells = {cell["metadata"].get("nbgrader", {}).get("grade_id"): "".join(cell["source"])
             for cell in notebook["cells"] if cell["cell_type"] == "code"}
    namespace: dict[str, Any] = dict(preset or {})
    for grade_id in grade_ids:
        if grade_id not in cells:
            raise ValueError(f"solutions/{lesson_id} has no cell with grade id {grade_id!r}")
        source = "\n".join(line for line in cells[grade_id].splitlines() if not line.lstrip().startswith("%"))
        exec(compile(source, f"{lesson_id}:{grade_id}", "exec"), namespace)  # noqa: S102
    return namespace
