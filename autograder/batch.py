"""Grade a class: many submissions in parallel, a grade sheet, a summary of the common mistakes.

Submissions are found in nbgrader's layout, ``submitted/<student>/<lesson>/<lesson>.ipynb``
(the student is the folder above the lesson folder), or given as notebook files (the student is
then the file's folder name). One submission that cannot be graded is reported as such and
never stops the others.
"""
from __future__ import annotations

import collections
import csv
import io
import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .grading import GradeReport, GradingError, TestResult, grade_notebook
from .lifetime import die_with_parent
from .limits import Autograder
from .text import first_line, likely_mistake


@dataclass
class Graded:
    """One submission: its report, or why it could not be graded."""

    student: str
    notebook: str
    report: GradeReport | None = None
    error: str = ""
    #: Seconds the grading took (wall clock, in the worker).
    seconds: float = 0.0


def find_submissions(targets: Iterable[str | Path]) -> list[tuple[str, Path]]:
    """Return ``(student, notebook)`` pairs for notebook files and folders searched recursively."""
    found = []
    for target in map(Path, targets):
        notebooks = (
            sorted(p for p in target.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            if target.is_dir()
            else [target]
        )
        found += [(student_of(notebook), notebook) for notebook in notebooks]
    return sorted(found, key=lambda pair: (pair[0], str(pair[1])))


def student_of(notebook: Path) -> str:
    """The student a notebook belongs to: nbgrader's ``<student>/<lesson>/`` folder, else its folder."""
    folder = notebook.resolve().parent
    return folder.parent.name if folder.name in paths.lesson_ids() else folder.name


def grade_class(
    submissions: list[tuple[str, Path]],
    settings: Autograder,
    jobs: int = 1,
    lesson: str | None = None,
    progress: Callable[[int, int, Graded], None] | None = None,
) -> list[Graded]:
    """Grade submissions with ``jobs`` parallel workers, in the order given.

    The workers end with this process, however it ends (they get SIGKILL when it dies; each
    one's sandboxes end with it); an exception here (an interrupt) kills them at once.

    Parameters
    ----------
    submissions : list of (str, Path)
        ``(student, notebook)`` pairs, e.g. from :func:`find_submissions`.
    settings : Autograder
        The limits, passed to :func:`autograder.grading.grade_notebook`.
    jobs : int
        Worker processes; each grades one submission at a time.
    lesson : str, optional
        As in :func:`autograder.grading.grade_notebook`.
    progress : callable, optional
        Called as ``progress(done, total, graded)`` after each submission.
    """
    results: dict[int, Graded] = {}
    pool = ProcessPoolExecutor(max_workers=max(1, jobs), initializer=_worker_starts, initargs=(os.getpid(),))
    try:
        futures = {
            pool.submit(_grade_one, student, str(notebook), lesson, settings): index
            for index, (student, notebook) in enumerate(submissions)
        }
        for future in as_completed(futures):
            index = futures[future]
            try:
                graded = future.result()
            except Exception as error:  # noqa: BLE001  (the worker process itself died, e.g. killed for memory)
                student, notebook = submissions[index]
                graded = Graded(student, str(notebook), error=f"grader process failed: {type(error).__name__}: {error}")
            results[index] = graded
            if progress:
                progress(len(results), len(submissions), graded)
    except BaseException:
        for worker in multiprocessing.active_children():
            worker.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [results[index] for index in range(len(submissions))]


def _worker_starts(parent: int) -> None:
    """In a worker: end with the grader (SIGKILL when it dies); leave Ctrl-C to the grader."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(signal.SIGKILL, parent)


def _grade_one(student: str, notebook: str, lesson: str | None, settings: Autograder) -> Graded:
    started = time.perf_counter()
    try:
        graded = Graded(student, notebook, grade_notebook(notebook, lesson=lesson, settings=settings))
    except GradingError as error:
        graded = Graded(student, notebook, error=str(error))
    except Exception as error:  # noqa: BLE001  (a grader bug must not stop the class)
        graded = Graded(student, notebook, error=f"grader error: {type(error).__name__}: {error}")
    graded.seconds = time.perf_counter() - started
    return graded


def sheet_rows(graded: list[Graded]) -> list[dict]:
    """One row per submission: student, lesson, notebook, automatic score and maximum, the points graded
    by hand and their cells, error, and each test's score."""
    test_ids = list(dict.fromkeys(t.id for g in graded if g.report for t in g.report.tests))
    rows = []
    for item in graded:
        row = {"student": item.student, "lesson": "", "notebook": item.notebook, "score": "", "max_score": "",
               "by_hand_max_score": "", "by_hand": "", "error": item.error}
        if item.report:
            row.update(lesson=item.report.lesson, score=item.report.score, max_score=item.report.max_score,
                       by_hand_max_score=item.report.by_hand_max_score,
                       by_hand=" ".join(h.id for h in item.report.by_hand))
            row.update({t.id: t.score for t in item.report.tests})
        rows.append({**{tid: "" for tid in test_ids}, **row})
    return rows


def format_sheet(graded: list[Graded], fmt: str) -> str:
    """The grade sheet as ``csv`` or ``json`` text; the same submissions give the same text
    (the reports' ``timings`` are left out: the class report shows how long grading took)."""
    if fmt == "json":
        return json.dumps(
            {
                "submissions": [
                    {"student": g.student, "notebook": g.notebook, "error": g.error,
                     "report": _without_timings(g.report.to_dict()) if g.report else None}
                    for g in graded
                ],
                "summary": class_summary(graded),
                "graded_by_hand": graded_by_hand_summary(graded),
            },
            indent=1,
        )
    rows = sheet_rows(graded)
    out = io.StringIO()
    if rows:
        fields = ["student", "lesson", "notebook", "score", "max_score", "by_hand_max_score", "by_hand", "error"]
        writer = csv.DictWriter(out, fieldnames=fields + [k for k in rows[0] if k not in fields])
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def _without_timings(report: dict) -> dict:
    return {key: value for key, value in report.items() if key != "timings"}


def class_summary(graded: list[Graded]) -> list[dict]:
    """For each test: how many graded submissions failed it, and the most common diagnosed mistake."""
    failures: dict[str, list[TestResult]] = collections.defaultdict(list)
    totals: collections.Counter = collections.Counter()
    for item in graded:
        for test in item.report.tests if item.report else []:
            totals[test.id] += 1
            if test.score < test.max_score:
                failures[test.id].append(test)
    summary = []
    for test_id in totals:
        diagnoses = collections.Counter(diagnosis(t) for t in failures[test_id])
        common, count = diagnoses.most_common(1)[0] if diagnoses else ("", 0)
        summary.append({"test": test_id, "failed": len(failures[test_id]), "graded": totals[test_id],
                        "most_common": common, "most_common_count": count})
    return summary


def diagnosis(test: TestResult) -> str:
    """The mistake a failed test diagnosed ("Likely mistake: ..."), else the first line of its message."""
    return likely_mistake(test.message) or first_line(test.message) or test.status.value


def format_summary(graded: list[Graded]) -> str:
    """The class summary as text, e.g. "test_pad2d: 31 of 80 failed; most common (12): ..."."""
    ungradable = [g for g in graded if not g.report]
    lines = [f"{len(graded) - len(ungradable)} of {len(graded)} submissions graded"]
    lines += [f"  not graded: {g.notebook}: {g.error}" for g in ungradable]
    for row in class_summary(graded):
        line = f"{row['test']}: {row['failed']} of {row['graded']} failed"
        if row["failed"]:
            line += f"; most common ({row['most_common_count']}): {row['most_common']}"
        lines.append(line)
    for row in graded_by_hand_summary(graded):
        lines.append(f"{row['cell']}: graded by hand ({row['max_score']:g} points), {row['answers']} answers to grade")
    return "\n".join(lines)


def graded_by_hand_summary(graded: list[Graded]) -> list[dict]:
    """For each cell graded by hand: its points and how many graded submissions answered it (to grade)."""
    cells: dict[str, dict] = {}
    for item in (g for g in graded if g.report):
        for cell in item.report.by_hand:
            row = cells.setdefault(cell.id, {"cell": cell.id, "max_score": cell.max_score, "answers": 0})
            row["answers"] += cell.answered
    return list(cells.values())
