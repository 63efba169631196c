"""Everything an instructor gets from one grading run, written where the options say.

``--out DIR`` asks for all of it under one folder:

| file | what |
|---|---|
| ``DIR/grades.csv``, ``DIR/grades.json`` | the grade sheet (the JSON with the class summary) |
| ``DIR/feedback/<student>/<lesson>.html`` | each student's feedback |
| ``DIR/report.html`` | the class report |
| ``DIR/lms/canvas.csv``, ``DIR/lms/moodle.csv`` | the grades for the LMS's gradebook import |
| ``DIR/similarity.html``, ``DIR/similarity.json`` | the similarity report and its data |

Each file can also be asked for alone (``--sheet``, ``--feedback``, ``--report``, ``--lms``,
``--similarity``). Two runs on the same submissions write the same files, except the grading
times in the class report.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .batch import Graded, format_sheet
from .class_report import class_report
from .feedback import write_feedback
from .gradebook import HandGrades
from .lms import canvas_csv, lesson_grades, moodle_csv, read_mapping, unmapped
from .similarity import Settings, compare, similarity_json, similarity_report


@dataclass(frozen=True)
class Targets:
    """Where each file goes; None: not asked for."""

    sheets: tuple[Path, ...] = ()
    feedback: Path | None = None
    report: Path | None = None
    lms: Path | None = None
    lms_ids: Path | None = None
    similarity: Path | None = None
    similarity_threshold: float = Settings.threshold

    @classmethod
    def under(cls, folder: Path, **overrides) -> Targets:
        """Every file under ``folder`` (``--out``); ``overrides`` replace single paths (a sheet is added)."""
        defaults = {"sheets": (folder / "grades.csv", folder / "grades.json"), "feedback": folder / "feedback",
                    "report": folder / "report.html", "lms": folder / "lms", "similarity": folder / "similarity.html"}
        chosen = {**defaults, **{k: v for k, v in overrides.items() if v not in (None, ())}}
        chosen["sheets"] = tuple(dict.fromkeys(defaults["sheets"] + tuple(overrides.get("sheets", ()))))
        return cls(**chosen)


def write_instructor_files(graded: list[Graded], targets: Targets, seconds: float, jobs: int,
                           hand_grades: HandGrades | None = None) -> tuple[list[Path], list[str]]:
    """Write what ``targets`` asks for; return the files written and warnings for the instructor.

    Raises
    ------
    ValueError
        If the mapping file (``lms_ids``) is malformed.
    """
    written: list[Path] = []
    warnings: list[str] = []
    identities = read_mapping(targets.lms_ids) if targets.lms_ids else {}
    for sheet in targets.sheets:
        written.append(_write(sheet, format_sheet(graded, "json" if sheet.suffix == ".json" else "csv")))
    if targets.feedback:
        pages, problems = write_feedback(graded, targets.feedback, hand_grades)
        written += pages
        warnings += problems
    if targets.report:
        written.append(_write(targets.report, class_report(graded, seconds, jobs, hand_grades)))
    if targets.lms:
        grades = lesson_grades(graded, hand_grades, identities)
        warnings += grades.warnings
        if identities:
            missing = unmapped(grades, identities)
            if missing:
                warnings.append(f"not in {targets.lms_ids}, matched by their student id: {', '.join(missing)}")
        written.append(_write(targets.lms / "canvas.csv", canvas_csv(grades, identities)))
        written.append(_write(targets.lms / "moodle.csv", moodle_csv(grades, identities)))
    if targets.similarity:
        comparison = compare(graded, Settings(threshold=targets.similarity_threshold))
        written.append(_write(targets.similarity, similarity_report(comparison)))
        written.append(_write(targets.similarity.with_suffix(".json"), similarity_json(comparison)))
    return written, warnings


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
