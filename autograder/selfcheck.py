"""Grade yourself from inside the notebook: the last cell of every lesson, and the progress cell.

The last cell of a lesson is::

    from autograder.selfcheck import self_check
    self_check("01_convolution")

It grades the notebook as last saved, with the course's isolated grader in a separate process
(hidden tests included where ``solutions/`` is at hand, the visible tests otherwise), and shows
a table: the score, then each test with its points, whether it passed and the hint.
:func:`show_progress` shows the same for every lesson of the course, one row each.

Both are a one-line no-op while the notebook is itself being graded, so that grading never
recurses: inside the course's grader (which sets :data:`SKIP_VARIABLE`), under nbgrader
(``autograde``, ``validate``, the Validate button: the course's nbgrader configuration starts
kernels with :data:`NBGRADER_KERNEL_ARGUMENT`), and wherever :data:`SKIP_VARIABLE` is set, such
as a test that runs the notebooks.

This module imports nothing but the standard library when it is imported (the nbgrader and
Jupyter configurations import it); IPython is imported when a table is shown.
"""
from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: When set (to the reason, e.g. "the notebook is being graded"), the self-check and the progress
#: cell do nothing but say so.
SKIP_VARIABLE = "CNN_COURSE_SKIP_SELF_CHECK"
#: The kernel argument nbgrader's ``Execute.extra_arguments`` passes: the kernel is nbgrader's.
NBGRADER_KERNEL_ARGUMENT = "--SelfCheck.grader=nbgrader"

_SAVE_FIRST = "Unsaved changes are not graded: save first (Ctrl+S, or Cmd+S on a Mac), then run this cell again."
_VISIBLE_ONLY = ("Only the visible tests ran: this copy of the course has no solutions/ folder with the hidden tests, "
                 "so your final grade may still lose points they find.")


def skip_reason() -> str | None:
    """Why the self-check must not run here (the notebook is being graded), or None."""
    reason = os.environ.get(SKIP_VARIABLE, "").strip()
    if reason:
        return reason
    grader = _kernel_config().get("SelfCheck", {}).get("grader")
    return f"the notebook is being run by {grader}" if grader else None


def self_check(lesson: str) -> None:
    """Grade this lesson's notebook as saved, and show the result as a table.

    Parameters
    ----------
    lesson : str
        The lesson id, e.g. ``"01_convolution"``: the notebook is the one this kernel was started
        for, else ``<lesson>.ipynb`` in the working directory (the notebook's folder).
    """
    reason = skip_reason()
    if reason:
        print(f"Self-check skipped: {reason}.")
        return
    notebook = current_notebook(lesson)
    if notebook is None:
        _show(_paragraph(f"Self-check: there is no {lesson}.ipynb in {Path.cwd()}. Run this cell in the lesson's "
                         "own notebook, saved under its own name."))
        return
    handle = _show(_paragraph(f"Grading {notebook.name} as saved {_when(notebook.stat().st_mtime)} ..."))
    outcome = _run([sys.executable, "-m", "autograder.progress", str(notebook), lesson])
    handle.update(_html(self_check_html(outcome)))


def show_progress(folder: str | Path | None = None) -> None:
    """Grade every lesson notebook of the course as saved and show one row per lesson.

    Parameters
    ----------
    folder : str or Path, optional
        The folder of the lessons' folders; by default the folder above this notebook's folder.
    """
    reason = skip_reason()
    if reason:
        print(f"Progress skipped: {reason}.")
        return
    folder = Path(folder) if folder is not None else Path.cwd().parent
    handle = _show(_paragraph(f"Grading every lesson in {folder} as saved (up to a few minutes) ..."))
    outcome = _run([sys.executable, "-m", "autograder", "progress", str(folder), "--json"])
    handle.update(_html(progress_html(outcome)))


def current_notebook(lesson: str) -> Path | None:
    """The notebook this kernel runs (``JPY_SESSION_NAME``, set by Jupyter), else ``<lesson>.ipynb`` here."""
    for candidate in (os.environ.get("JPY_SESSION_NAME", ""), f"{lesson}.ipynb"):
        path = Path(candidate) if candidate else None
        if path is not None and path.suffix == ".ipynb" and path.is_file():
            return path.resolve()
    return None


def _written_answers(outcome: Mapping[str, Any]) -> list[str]:
    """A note on the written answers, which the instructor grades: their points, answered or not yet."""
    answers = outcome.get("by_hand") or []
    if not answers:
        return []
    items = ", ".join(f"{a['id']} ({a['max_score']:g} points, {'answered' if a['answered'] else 'not answered yet'})"
                      for a in answers)
    return [f"Written answers, graded by your instructor and not counted here: {items}."]


def self_check_html(outcome: Mapping[str, Any]) -> str:
    """The self-check's table (or why there is none) for one notebook's grade, as plain data."""
    if "failure" in outcome:
        return _paragraph(f"The self-check could not run the grader: {outcome['failure']}")
    saved = f"as saved {_when(outcome['saved'])}"
    if outcome["error"]:
        return _paragraph(f"Self-check of {Path(outcome['notebook']).name} {saved}: {outcome['error']}")
    rows = "".join(
        f"<tr><td><code>{_e(t['id'])}</code></td><td>{t['score']:g} / {t['max_score']:g}</td>"
        f"<td>{'&#10004; passed' if t['score'] >= t['max_score'] else '&#10008; ' + _e(t['status'].replace('_', ' '))}</td>"
        f"<td>{_pre(t['message']) if t['score'] < t['max_score'] else ''}</td></tr>"
        for t in outcome["tests"])
    notes = [_SAVE_FIRST] + ([] if outcome["hidden_tests"] else [_VISIBLE_ONLY]) + _written_answers(outcome)
    return (f"<p><b>Self-check of {_e(Path(outcome['notebook']).name)} {saved}: "
            f"{outcome['score']:g} / {outcome['max_score']:g} points.</b></p>"
            + "".join(_paragraph(note) for note in notes)
            + _table(("test", "points", "result", "hint"), rows))


def progress_html(outcome: Mapping[str, Any]) -> str:
    """The progress table (or why there is none): one row per lesson, then the totals."""
    if "failure" in outcome:
        return _paragraph(f"The progress could not be graded: {outcome['failure']}")
    grades = outcome["lessons"]
    if not grades:
        return _paragraph(f"No lesson notebooks with tests in {outcome['folder']}.")
    rows = "".join(
        f"<tr><td>{_e(g['lesson'])}</td><td>{'-' if g['error'] else format(g['score'], 'g') + ' / ' + format(g['max_score'], 'g')}</td>"
        f"<td>{_e(g['state'])}</td><td>{_e(g['left'])}</td><td>{_when(g['saved'])}</td></tr>" for g in grades)
    done = sum(g["state"] == "done" for g in grades)
    notes = [f"{sum(g['score'] for g in grades):g} / {sum(g['max_score'] for g in grades):g} points; "
             f"{done} of {len(grades)} lessons done.", "Each notebook was graded as saved: save first."]
    notes += [] if all(g["hidden_tests"] for g in grades) else [_VISIBLE_ONLY]
    return (_table(("lesson", "points", "state", "left to do", "saved"), rows)
            + "".join(_paragraph(note) for note in notes))


def _run(command: list[str]) -> dict[str, Any]:
    """Run a grading command that prints JSON; never raise: a failure comes back as ``{"failure": reason}``."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError as error:
        return {"failure": f"{command[0]} could not be started ({error})"}
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        tail = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
        return {"failure": tail}


def _kernel_config() -> Mapping[str, Any]:
    """The configuration this IPython kernel was started with (empty outside IPython)."""
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return getattr(shell, "config", None) or {}


def _when(timestamp: float) -> str:
    if not timestamp:
        return "(never)"
    minutes = max(0, int((time.time() - timestamp) // 60))
    ago = "just now" if minutes == 0 else f"{minutes} minute{'s' * (minutes != 1)} ago"
    return f"at {time.strftime('%H:%M:%S', time.localtime(timestamp))} ({ago})"


def _e(text: Any) -> str:
    return html.escape(str(text))


def _pre(text: str) -> str:
    return f'<pre style="white-space: pre-wrap; margin: 0">{_e(text)}</pre>'


def _paragraph(text: str) -> str:
    return f"<p>{_e(text)}</p>"


def _table(header: tuple[str, ...], rows: str) -> str:
    head = "".join(f'<th style="text-align: left">{_e(h)}</th>' for h in header)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _html(markup: str) -> Any:
    from IPython.display import HTML

    return HTML(markup)


def _show(markup: str) -> Any:
    from IPython.display import display

    return display(_html(markup), display_id=True)
