"""Submissions per minute: the course's grader against ``nbgrader autograde``, on the same files.

Run by hand from the repository root (it is not a test):

    python benchmarks/grader_benchmark.py --count 100 --jobs 2 --timeout 10

It builds an nbgrader course directory in a temporary folder: ``source/01_convolution/`` (a copy
of the solution notebook), an ``nbgrader_config.py`` (the course's configuration with its own
gradebook and the per-cell time limit ``--timeout``), ``nbgrader generate_assignment``, the
students in the gradebook and ``submitted/<student>/01_convolution/01_convolution.ipynb`` for
each of ``--count`` students. A submission is the whole lesson notebook (demonstrations included)
completed as a student would, then

- left correct (about 45%),
- made wrong with one mutant of ``course_catalogue/lesson01.py`` (about 40%), or
- made hostile (about 15%), cycling through :data:`HOSTILE`.

Two copies of that directory are graded, one by each grader, timed with ``time.perf_counter``:
``python -m autograder grade submitted -j JOBS`` (which writes a JSON grade sheet), and
``nbgrader autograde 01_convolution --force`` (serial) followed by ``nbgrader export`` (not timed).
It prints the rates, their ratio and, for each kind of submission, the mean score each grader
gave, with the submissions given points they did not earn and those given no score at all.
"""
from __future__ import annotations

import argparse
import copy
import csv
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
import nbgrader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root, for course_catalogue

from autograder import paths
from autograder.cells import grade_id, is_test
from course_catalogue import Mutant
from course_catalogue.lesson01 import LESSON, MUTANTS
from course_catalogue.notebooks import apply_change, completed_copy

#: Share of correct and wrong submissions; the rest are hostile.
CORRECT_SHARE, WRONG_SHARE = 0.45, 0.40

_FLIPPED = next(m for m in MUTANTS if m.hint == "flipped")
_PAD2D = "def pad2d(image, pad):\n"
_CORRELATE2D = "def correlate2d("


@dataclass(frozen=True)
class Hostile:
    """A hostile submission: a change of one solution cell, and the tests it cannot honestly pass.

    Attributes
    ----------
    mutant : Mutant
        The change, in the catalogue's form (its ``name`` is the kind of attack).
    sabotaged : tuple of str
        Test ids whose points the submission does not earn: the tests of the function the
        attack breaks. The most it can earn is the lesson's total less their points.
    """

    mutant: Mutant
    sabotaged: tuple[str, ...]


def _before_pad2d(name: str, code: str) -> Hostile:
    """A hostile kind that runs ``code`` at the top of the pad2d cell, before its definition."""
    return Hostile(Mutant("pad2d", name, replace=((_PAD2D, code + "\n" + _PAD2D),)), ("test_pad2d",))


HOSTILE = (
    Hostile(Mutant("pad2d", "infinite loop in pad2d", replace=((_PAD2D, _PAD2D + "    while True:\n        pass\n"),)),
            ("test_pad2d",)),
    _before_pad2d("loop swallowing KeyboardInterrupt",
                  "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except KeyboardInterrupt:\n        pass\n"),
    _before_pad2d("os._exit(1)", "import os\nos._exit(1)\n"),
    Hostile(Mutant("correlate2d", "monkeypatched np.allclose/array_equal + flipped correlate2d",
                   replace=_FLIPPED.replace + ((_CORRELATE2D, "import numpy\n"
                                                "numpy.allclose = lambda *a, **k: True\n"
                                                "numpy.array_equal = lambda *a, **k: True\n\n" + _CORRELATE2D),)),
            ("test_correlate2d_slide_example",)),
    Hostile(Mutant("pad2d", "ndarray subclass whose == lies", source=(
        "import numpy as np\n\n"
        "class Agreeable(np.ndarray):\n"
        "    def __eq__(self, other):\n        return True\n\n"
        "    def __ne__(self, other):\n        return False\n\n"
        "def pad2d(image, pad):\n"
        "    height, width = np.shape(image)\n"
        "    return np.zeros((height + 2 * pad, width + 2 * pad)).view(Agreeable)\n")),
        ("test_pad2d",)),
    Hostile(Mutant("pad2d", "memory hog (+256 MiB a call, up to 6 GiB)", replace=((_PAD2D, (
        "import numpy as np\n\n"
        "blocks = []  # held by the kernel; bounded, so that a grader without a memory limit survives it\n\n"
        + _PAD2D + "    if len(blocks) < 24:\n        blocks.append(np.ones(2**25))\n")),)),
        ()),
    _before_pad2d("segfault (ctypes.string_at(0))", "import ctypes\nctypes.string_at(0)\n"),
)


@dataclass(frozen=True)
class Submission:
    """One student's submission and what it is."""

    student: str
    category: str  # "correct", "wrong" or the hostile kind
    label: str  # "correct", the mutant's name or the hostile kind
    mutant: Mutant | None = None


@dataclass
class Run:
    """One grader's run over the class: how long it took and the score of each student."""

    grader: str
    seconds: float
    returncode: int
    scores: dict[str, float | None]  # None: the grader gave no score


def plan_class(count: int) -> list[Submission]:
    """Decide what each of ``count`` students submits, the kinds spread evenly over the class.

    Wrong submissions cycle through the catalogue of lesson 01, hostile ones through
    :data:`HOSTILE`. The plan depends on ``count`` only.
    """
    wrong, hostile = round(WRONG_SHARE * count), round((1 - CORRECT_SHARE - WRONG_SHARE) * count)
    kinds = interleave({"correct": count - wrong - hostile, "wrong": wrong, "hostile": hostile})
    used: Counter = Counter()
    plan = []
    for index, kind in enumerate(kinds):
        student = f"student{index:03d}"
        if kind == "correct":
            plan.append(Submission(student, "correct", "correct"))
        elif kind == "wrong":
            mutant = MUTANTS[used[kind] % len(MUTANTS)]
            plan.append(Submission(student, "wrong", mutant.name, mutant))
        else:
            mutant = HOSTILE[used[kind] % len(HOSTILE)].mutant
            plan.append(Submission(student, mutant.name, mutant.name, mutant))
        used[kind] += 1
    return plan


def interleave(counts: dict[str, int]) -> list[str]:
    """Return the keys of ``counts``, each repeated its count times, spread as evenly as possible."""
    total = sum(counts.values())
    used = dict.fromkeys(counts, 0)
    order = []
    for step in range(1, total + 1):
        key = max(counts, key=lambda k: counts[k] * step / total - used[k])
        used[key] += 1
        order.append(key)
    return order


def build_course(course: Path, plan: list[Submission], timeout: int) -> None:
    """Create an nbgrader course directory in ``course`` with the lesson and the class's submissions."""
    source = course / "source" / LESSON
    source.mkdir(parents=True)
    shutil.copy(paths.solution_notebook(LESSON), source / f"{LESSON}.ipynb")
    (course / "nbgrader_config.py").write_text(nbgrader_config(timeout))
    call_nbgrader(course, "generate_assignment", LESSON, "--force")
    (course / "students.csv").write_text("id\n" + "".join(f"{s.student}\n" for s in plan))
    call_nbgrader(course, "db", "student", "import", "students.csv")
    with tempfile.TemporaryDirectory() as scratch:
        completed = nbformat.read(completed_copy(Path(scratch), LESSON), as_version=4)
    for submission in plan:
        folder = course / "submitted" / submission.student / LESSON
        folder.mkdir(parents=True)
        notebook = copy.deepcopy(completed)
        if submission.mutant:
            apply_change(notebook, submission.mutant)
        nbformat.write(notebook, folder / f"{LESSON}.ipynb")


def nbgrader_config(timeout: int) -> str:
    """The course directory's ``nbgrader_config.py``: the course's configuration, its own folders and gradebook."""
    return f"""import os

c = get_config()
load_subconfig({str(paths.NBGRADER_CONFIG)!r})
here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "grader-benchmark"
c.CourseDirectory.root = here
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
c.Execute.timeout = {timeout}
c.ExecutePreprocessor.timeout = {timeout}
"""


def call_nbgrader(course: Path, *args: str, log: Path | None = None) -> int:
    """Run ``nbgrader ARGS`` in ``course``; raise unless it succeeds, or, with ``log``, write its output there."""
    command = [sys.executable, "-m", "nbgrader", *args]
    if log is None:
        result = subprocess.run(command, cwd=course, env=_environment(), capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return 0
    with log.open("w") as out:
        return subprocess.run(command, cwd=course, env=_environment(), stdout=out, stderr=subprocess.STDOUT).returncode


def _environment() -> dict[str, str]:
    """This environment with the venv's ``bin`` first on PATH (nbgrader's gradebook runs ``alembic``)."""
    return {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}


def run_ours(course: Path, jobs: int, timeout: int) -> Run:
    """Grade ``course/submitted`` with ``python -m autograder grade``; its output goes to ``course/grade.log``."""
    sheet = course / "sheet.json"
    command = [sys.executable, "-m", "autograder", "grade", str(course / "submitted"), "--lesson", LESSON,
               "-j", str(jobs), "--timeout", str(timeout), "--sheet", str(sheet)]
    with (course / "grade.log").open("w") as log:
        started = time.perf_counter()
        result = subprocess.run(command, cwd=paths.COURSE_ROOT, env=_environment(), stdout=log, stderr=subprocess.STDOUT)
        seconds = time.perf_counter() - started
    scores = {}
    if sheet.exists():
        for item in json.loads(sheet.read_text())["submissions"]:
            scores[item["student"]] = item["report"]["score"] if item["report"] else None
    return Run("python -m autograder grade", seconds, result.returncode, scores)


def run_nbgrader(course: Path) -> Run:
    """Grade ``course`` with ``nbgrader autograde`` (log in ``course/autograde.log``) and export its scores.

    A submission nbgrader failed on (it logs the error and removes the autograded notebook)
    has no score, whatever the export says.
    """
    started = time.perf_counter()
    returncode = call_nbgrader(course, "autograde", LESSON, "--force", log=course / "autograde.log")
    seconds = time.perf_counter() - started
    call_nbgrader(course, "export", "--to", "grades.csv")
    with (course / "grades.csv").open() as export:
        rows = {row["student_id"]: row for row in csv.DictReader(export)}
    scores = {
        student: float(row["score"]) if (course / "autograded" / student / LESSON / f"{LESSON}.ipynb").exists() else None
        for student, row in rows.items()
    }
    return Run("nbgrader autograde", seconds, returncode, scores)


def lesson_points() -> dict[str, float]:
    """Points of each test cell of the lesson, from the solution notebook."""
    notebook = nbformat.read(paths.solution_notebook(LESSON), as_version=4)
    return {grade_id(c): float(c.metadata["nbgrader"]["points"]) for c in notebook.cells if is_test(c)}


def ceilings(points: dict[str, float]) -> dict[str, float]:
    """The most each category of submission can honestly earn.

    Every mutant of the catalogue fails at least one test (``tests/test_catalogue.py``), so a
    wrong submission earns at most the total less the smallest test's points.
    """
    total = sum(points.values())
    limits = {"correct": total, "wrong": total - min(points.values())}
    limits.update({h.mutant.name: total - sum(points[t] for t in h.sabotaged) for h in HOSTILE})
    return limits


def machine() -> str:
    """The machine in one line: CPU model and count, Python, nbgrader."""
    model = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        model = models[0] if models else model
    return (f"{os.cpu_count()} CPUs, {model or platform.machine()}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, nbgrader {nbgrader.__version__}")


def rate_table(runs: list[Run], count: int) -> list[str]:
    """Markdown lines: each grader's time and submissions per minute, and the ratio of the rates."""
    lines = ["| grader | submissions | seconds | submissions/minute | exit status |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r.grader} | {count} | {r.seconds:.1f} | {60 * count / r.seconds:.2f} | {r.returncode} |" for r in runs]
    if len(runs) == 2:
        lines.append(f"\nratio ours / nbgrader: {runs[1].seconds / runs[0].seconds:.2f}x the submissions per minute")
    return lines


def score_table(plan: list[Submission], runs: list[Run], limits: dict[str, float], total: float) -> list[str]:
    """Markdown lines: per category, each grader's mean score, and what it gave that was not earned or nothing."""
    header = "| category | n | most earnable | " + " | ".join(f"{r.grader}: mean / {total:g}" for r in runs) + " | notes |"
    lines = [header, "|---|---:|---:|" + "---:|" * len(runs) + "---|"]
    for category in dict.fromkeys(s.category for s in plan):
        students = [s.student for s in plan if s.category == category]
        means, notes = [], []
        for run in runs:
            given = [run.scores.get(s) for s in students]
            graded = [g for g in given if g is not None]
            means.append(f"{sum(graded) / len(graded):.2f}" if graded else "no score")
            over = [g for g in graded if g > limits[category]]
            if over:
                notes.append(f"**{run.grader}: {len(over)} given more than earnable ({max(over):g})**")
            if len(graded) < len(given):
                notes.append(f"**{run.grader}: {len(given) - len(graded)} of {len(given)} given no score**")
        lines.append(f"| {category} | {len(students)} | {limits[category]:g} | " + " | ".join(means)
                     + f" | {'; '.join(notes)} |")
    return lines


def results(plan: list[Submission], runs: list[Run], args: argparse.Namespace, about: dict[str, str]) -> dict:
    """The raw results: settings, machine, each run and each submission's scores."""
    return {
        **about,
        "count": args.count, "jobs": args.jobs, "timeout": args.timeout,
        "runs": [{"grader": r.grader, "seconds": r.seconds, "returncode": r.returncode} for r in runs],
        "submissions": [
            {"student": s.student, "category": s.category, "label": s.label,
             **{r.grader: r.scores.get(s.student) for r in runs}}
            for s in plan
        ],
    }


@contextmanager
def workspace(keep: str | None) -> Iterator[Path]:
    """The folder to work in: ``keep`` (created, must be empty) or a temporary one, removed afterwards."""
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="grader-benchmark-") as folder:
            yield Path(folder)
        return
    folder = Path(keep)
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise SystemExit(f"error: --keep {keep}: the folder is not empty")
    yield folder


def positive(text: str) -> int:
    """An argparse type: an integer >= 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not >= 1")
    return value


def parse_args(argv: Iterable[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=positive, default=100, help="submissions (default 100)")
    parser.add_argument("--jobs", type=positive, default=2, help="parallel notebooks for our grader (default 2)")
    parser.add_argument("--timeout", type=positive, default=10, help="seconds each cell may run, both graders (default 10)")
    parser.add_argument("--skip-nbgrader", action="store_true", help="time our grader only")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR (kept, with the logs and results.json)")
    return parser.parse_args(None if argv is None else list(argv))


def main(argv: Iterable[str] | None = None) -> int:
    """Build the class, grade it with both graders (or ours only) and print the tables; return 0."""
    args = parse_args(argv)
    about = {"machine": machine(), "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds")}
    plan = plan_class(args.count)
    points = lesson_points()
    with workspace(args.keep) as work:
        build_course(work / "course", plan, args.timeout)
        print(f"{about['date']}; {about['machine']}")
        print(f"{args.count} submissions of {LESSON} ({dict(Counter(s.category for s in plan))}), "
              f"{args.timeout} s per cell, our grader with -j {args.jobs}; work folder {work}\n", flush=True)
        copies = ["ours"] + ([] if args.skip_nbgrader else ["nbgrader"])
        for name in copies:
            shutil.copytree(work / "course", work / name)
        runs = [run_ours(work / "ours", args.jobs, args.timeout)]
        print(f"ours: {runs[0].seconds:.1f} s", flush=True)
        if not args.skip_nbgrader:
            runs.append(run_nbgrader(work / "nbgrader"))
            print(f"nbgrader: {runs[1].seconds:.1f} s", flush=True)
        table = rate_table(runs, args.count) + [""] + score_table(plan, runs, ceilings(points), sum(points.values()))
        print("\n" + "\n".join(table))
        if args.keep:
            (work / "results.json").write_text(json.dumps(results(plan, runs, args, about), indent=1) + "\n")
            (work / "table.md").write_text("\n".join(table) + "\n")
            print(f"\nraw results: {work / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
