"""Command line: ``python -m autograder {build,check,grade,progress}``."""
from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from traitlets import TraitError

from . import paths
from .limits import OPTIONS, Autograder, limits
from .similarity import Settings
from .startup import skip_iri_checker

skip_iri_checker()

#: Signals that stop grading: the grader kills its workers and their sandboxes, then exits 128 + N.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Stopped(BaseException):
    """Grading was stopped by a signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="copy the oracles into solutions/, regenerate lessons/ from it with nbgrader")
    build.add_argument("lessons", nargs="*", help="lesson ids (default: all)")

    check = commands.add_parser(
        "check", help="lessons in sync, solutions at full marks, shipped lessons at zero"
    )
    check.add_argument("lessons", nargs="*", help="lesson ids (default: all)")

    grade = commands.add_parser(
        "grade",
        help="grade notebooks against their lesson's tests, hidden ones included",
        description="Grade notebooks, or folders of them such as nbgrader's submitted/<student>/<lesson>/.",
    )
    grade.add_argument("notebooks", nargs="+", help="student notebooks (.ipynb) or folders to search")
    grade.add_argument("--json", action="store_true", help="print one JSON object per notebook")
    grade.add_argument("--lesson", help="the lesson id (default: from the file name or its cells)")
    course = limits()
    grade.add_argument("--timeout", type=float, metavar="S",
                       help="sets both --cell-timeout and --test-timeout (seconds)")
    for name, option in OPTIONS.items():
        trait = Autograder.class_traits()[name]
        choices = getattr(trait, "values", None)
        grade.add_argument(option, dest=name, type=type(trait.default_value), choices=choices,
                           metavar=None if choices else "N",
                           help=f"{trait.help.rstrip('.')} (default {getattr(course, name)}: c.Autograder.{name})")
    grade.add_argument("-j", "--jobs", type=int, default=1, help="notebooks graded in parallel (default 1)")
    grade.add_argument("--sheet", help="write a grade sheet: FILE.csv or FILE.json (with the class summary)")
    grade.add_argument("--gradebook", metavar="DB_URL",
                       help="also record the scores in nbgrader's gradebook, e.g. sqlite:///gradebook.db, "
                            "and read the grades given by hand there (for feedback and LMS files)")
    files = grade.add_argument_group("instructor files (all from the same run)")
    files.add_argument("--out", metavar="DIR", type=Path,
                       help="write everything below: grade sheets, feedback/, report.html, lms/, similarity.html")
    files.add_argument("--feedback", metavar="DIR", type=Path,
                       help="one HTML feedback page per student and lesson: DIR/<student>/<lesson>.html")
    files.add_argument("--report", metavar="FILE.html", type=Path, help="the class report")
    files.add_argument("--lms", metavar="DIR", type=Path,
                       help="gradebook-import files for Canvas and Moodle: DIR/canvas.csv, DIR/moodle.csv")
    files.add_argument("--lms-ids", metavar="FILE.csv", type=Path,
                       help="map student ids to LMS users: columns student_id and any of lms_id, email, name, section")
    files.add_argument("--similarity", metavar="FILE.html", type=Path,
                       help="pairs of students whose code is alike, side by side (and FILE.json)")
    files.add_argument("--similarity-threshold", type=float, default=Settings.threshold, metavar="SHARE",
                       help=f"share of code fragments two versions of a function must share (default {Settings.threshold})")

    progress = commands.add_parser(
        "progress", help="your progress: grade every lesson notebook of a folder as saved",
        description="Grade each <id>/<id>.ipynb of a folder (lessons/ by default) as saved: points, state, tests left.")
    progress.add_argument("folder", nargs="?", default=str(paths.LESSONS_DIR), help="default: lessons/")
    progress.add_argument("--json", action="store_true", help="print one JSON object")

    args = parser.parse_args(argv)
    unknown = [lid for lid in getattr(args, "lessons", None) or [] if lid not in paths.lesson_ids()]
    if unknown:
        parser.error(f"unknown lesson(s) {', '.join(unknown)}; the lessons are: {', '.join(paths.lesson_ids())}")
    if args.command == "grade":
        args.settings = _settings(parser, args, course)
        if args.jobs < 1:
            parser.error(f"-j/--jobs must be at least 1, got {args.jobs}")

    if args.command == "build":
        from .build import build_lessons
        from .oracles import OracleError, inject_oracles

        try:
            filled = inject_oracles([paths.solution_notebook(lesson) for lesson in args.lessons or paths.lesson_ids()])
        except OracleError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        for notebook in filled + build_lessons(args.lessons or None):
            print(f"wrote {paths.relative(notebook)}")
        return 0
    if args.command == "check":
        from .check import check_course

        return 0 if check_course(args.lessons or None) else 1
    if args.command == "progress":
        return _progress(args)
    return _grade(args)


def _progress(args: argparse.Namespace) -> int:
    from .progress import folder_progress, format_progress, progress_json

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return 2
    grades = folder_progress(folder, say=lambda line: print(line, file=sys.stderr, flush=True))
    print(progress_json(grades, folder) if args.json else format_progress(grades, folder))
    return 0


def _settings(parser: argparse.ArgumentParser, args: argparse.Namespace, course: Autograder) -> Autograder:
    """The course's limits with those given on the command line; exit 2 naming a bad one."""
    given = [(option, name, getattr(args, name)) for name, option in OPTIONS.items() if getattr(args, name) is not None]
    if args.timeout is not None:
        given = [("--timeout", name, args.timeout) for name in ("cell_timeout", "test_timeout")] + given
    settings = limits(course.config)
    for option, name, value in given:
        try:
            setattr(settings, name, value)
        except TraitError as error:
            parser.error(f"{option} {error}")
    return settings


def _grade(args: argparse.Namespace) -> int:
    from .batch import find_submissions, format_summary, grade_class
    from .gradebook import read_hand_grades, record_in_gradebook
    from .grading import GradingError
    from .instructor_files import write_instructor_files
    from .lms import read_mapping
    from .report import format_json, format_table

    try:
        targets = _targets(args)
        if targets.lms_ids:
            read_mapping(targets.lms_ids)  # a malformed mapping is found before grading, not after
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    submissions = find_submissions(args.notebooks)
    if not submissions:
        print("error: no notebooks found in " + ", ".join(args.notebooks), file=sys.stderr)
        return 2
    single = len(submissions) == 1

    def progress(done: int, total: int, graded) -> None:
        if graded.error:
            print(f"error: {graded.error}", file=sys.stderr, flush=True)
        elif not single:
            report = graded.report
            print(f"[{done}/{total}] {graded.student}: {graded.notebook}: {report.score:g} / {report.max_score:g}",
                  file=sys.stderr, flush=True)

    def stop(signum: int, frame: object) -> None:
        raise Stopped(signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    started = time.perf_counter()
    try:
        graded = grade_class(submissions, args.settings, jobs=args.jobs, lesson=args.lesson, progress=progress)
    except Stopped as stopped:
        print(f"error: grading stopped by {stopped}; its processes were ended", file=sys.stderr)
        return 128 + stopped.signum
    seconds = time.perf_counter() - started
    for item in graded:
        if item.report and (args.json or single):
            print(format_json(item.report) if args.json else format_table(item.report), flush=True)
    if not single and not args.json:
        print(format_summary(graded))
    hand_grades = None
    if args.gradebook:
        try:
            recorded = record_in_gradebook(graded, args.gradebook)
            hand_grades = read_hand_grades(graded, args.gradebook)
        except GradingError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"recorded {recorded} submission(s) in {args.gradebook}", file=sys.stderr)
    started = time.perf_counter()
    written, warnings = write_instructor_files(graded, targets, seconds, args.jobs, hand_grades)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in _summarised(written):
        print(f"wrote {path}", file=sys.stderr)
    if written:
        print(f"graded in {seconds:.1f} s; {len(written)} files written in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
    return 2 if any(item.error for item in graded) else 0


def _targets(args: argparse.Namespace):
    """The files asked for on the command line (``--out`` for all of them)."""
    from .instructor_files import Targets

    if args.lms_ids and not args.lms_ids.is_file():
        raise ValueError(f"--lms-ids {args.lms_ids}: no such file")
    if args.lms_ids and not (args.lms or args.out):
        raise ValueError("--lms-ids needs --lms DIR or --out DIR")
    Settings(threshold=args.similarity_threshold)  # rejects a threshold outside (0, 1]
    single = {"sheets": (Path(args.sheet),) if args.sheet else (), "feedback": args.feedback, "report": args.report,
              "lms": args.lms, "lms_ids": args.lms_ids, "similarity": args.similarity,
              "similarity_threshold": args.similarity_threshold}
    return Targets.under(args.out, **single) if args.out else Targets(**single)


def _summarised(paths_written: list[Path]) -> list[str]:
    """The files written, a folder of feedback pages as one line."""
    feedback = [p for p in paths_written if p.suffix == ".html" and p.parent.parent.name == "feedback"]
    lines = [str(p) for p in paths_written if p not in feedback]
    if feedback:
        lines.append(f"{feedback[0].parent.parent}/ ({len(feedback)} feedback pages)")
    return lines


if __name__ == "__main__":
    sys.exit(main())
