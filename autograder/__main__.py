"""Command line: ``python -m autograder {build,check,grade}``."""
from __future__ import annotations

import argparse
import sys

from . import paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="regenerate lessons/ from solutions/ with nbgrader")
    build.add_argument("lessons", nargs="*", help="lesson ids (default: all)")

    check = commands.add_parser(
        "check", help="lessons in sync, solutions at full marks, shipped lessons at zero"
    )
    check.add_argument("lessons", nargs="*", help="lesson ids (default: all)")

    grade = commands.add_parser("grade", help="grade notebooks against their lesson's tests, hidden ones included")
    grade.add_argument("notebooks", nargs="+", help="student notebooks (.ipynb)")
    grade.add_argument("--json", action="store_true", help="print one JSON object per notebook")
    grade.add_argument("--lesson", help="the lesson id (default: from the file name or its cells)")
    grade.add_argument("--timeout", type=int, help="seconds each cell may run")

    args = parser.parse_args(argv)
    unknown = [lid for lid in getattr(args, "lessons", None) or [] if lid not in paths.lesson_ids()]
    if unknown:
        parser.error(f"unknown lesson(s) {', '.join(unknown)}; the lessons are: {', '.join(paths.lesson_ids())}")

    if args.command == "build":
        from .build import build_lessons

        for notebook in build_lessons(args.lessons or None):
            print(f"wrote {notebook.relative_to(paths.COURSE_ROOT)}")
        return 0
    if args.command == "check":
        from .check import check_course

        return 0 if check_course(args.lessons or None) else 1
    return _grade(args)


def _grade(args: argparse.Namespace) -> int:
    from .grading import GradingError, grade_notebook
    from .report import format_json, format_table

    failures = 0
    for notebook in args.notebooks:
        try:
            report = grade_notebook(notebook, lesson=args.lesson, timeout=args.timeout)
        except GradingError as error:
            print(f"error: {error}", file=sys.stderr)
            failures += 1
            continue
        print(format_json(report) if args.json else format_table(report), flush=True)
    return 2 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
