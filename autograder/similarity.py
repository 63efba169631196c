"""Similarity of the students' code, per graded function: pairs worth a look, side by side.

Each student's code of each graded function is normalised (:mod:`autograder.normalise`: names,
comments, docstrings, whitespace, order of independent statements and helpers, the lesson's
scaffold removed) and cut into fragments of :data:`FRAGMENT` consecutive tokens. Two students'
versions of a function are alike when the Jaccard index of their fragment sets (shared / all)
reaches ``threshold``. Fragments that many students share (more than ``common_share`` of the
class, and more than :data:`COMMON_MIN` students) are the lesson's own idiom or a widely known
solution: they count towards "alike" but are no evidence that two students share code. A pair of
students is listed for a lesson when the functions they wrote alike share, in all, at least
``min_evidence`` fragments that few others have, or half as many when they are alike in two
functions or more and in at least half of the functions both wrote. A short function alone
(``same_padding``) is too small to tell copying from coincidence; several alike at once are not.

The report flags; it does not accuse. Similar code also comes from allowed collaboration, a
common tutorial, or a function with few ways to write it.
"""
from __future__ import annotations

import collections
import difflib
import itertools
import json
from dataclasses import asdict, dataclass, field

from . import htmlpage
from .batch import Graded
from .lesson_code import cell_sources, lesson_code
from .normalise import normalise_functions, tokens

#: Tokens per fragment.
FRAGMENT = 5
#: A fragment shared by this many students or fewer is never common, however small the class.
COMMON_MIN = 3
THRESHOLD = 0.8
COMMON_SHARE = 0.25
MIN_EVIDENCE = 60

_ABOUT = (
    "This report lists pairs of students whose code for the same functions is alike once the cheap "
    "disguises of copying are undone: other names, comments, docstrings and whitespace, independent "
    "statements or helper functions in another order; the code the lesson gives is removed first. "
    "<strong>It flags; it does not accuse.</strong> Alike code also comes from allowed collaboration, "
    "the same tutorial or textbook, or a function with few ways to write it. Read the evidence, and talk "
    "with the students before drawing any conclusion."
)


@dataclass(frozen=True)
class Unit:
    """One student's code of one graded function."""

    student: str
    lesson: str
    function: str
    cell: str  # the student's cell as written
    normalised: str
    fragments: frozenset[tuple[str, ...]]


@dataclass(frozen=True)
class FunctionMatch:
    """Two students' versions of one function that are alike."""

    function: str
    score: float  # Jaccard index of their fragments
    evidence: int  # shared fragments that few students have


@dataclass
class Pair:
    """Two students flagged for one lesson, with the functions they wrote alike."""

    lesson: str
    students: tuple[str, str]
    matches: list[FunctionMatch] = field(default_factory=list)

    @property
    def evidence(self) -> int:
        return sum(m.evidence for m in self.matches)


@dataclass(frozen=True)
class Settings:
    """The thresholds of a comparison (see the module's docstring)."""

    threshold: float = THRESHOLD
    common_share: float = COMMON_SHARE
    min_evidence: int = MIN_EVIDENCE

    def __post_init__(self):
        if not 0 < self.threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if not 0 < self.common_share <= 1:
            raise ValueError(f"common_share must be in (0, 1], got {self.common_share}")
        if self.min_evidence < 1:
            raise ValueError(f"min_evidence must be at least 1, got {self.min_evidence}")


@dataclass
class Comparison:
    """Everything compared, and the pairs flagged."""

    settings: Settings
    units: list[Unit]
    pairs: list[Pair]
    #: Per lesson: students compared and pairs of students compared.
    compared: dict[str, tuple[int, int]]

    def to_dict(self) -> dict:
        """Plain data: the settings, what was compared and the flagged pairs (the ``.json`` next to the report)."""
        return {
            "settings": asdict(self.settings),
            "compared": {lesson: {"students": n, "pairs": p} for lesson, (n, p) in self.compared.items()},
            "pairs": [{"lesson": p.lesson, "students": list(p.students), "evidence": p.evidence,
                       "functions": [asdict(m) for m in p.matches]} for p in self.pairs],
        }


def collect_units(graded: list[Graded]) -> list[Unit]:
    """The graded functions of every graded submission, normalised (code that does not parse is left out)."""
    units = []
    for item in sorted((g for g in graded if g.report), key=lambda g: (g.report.lesson, g.student, g.notebook)):
        code = lesson_code(item.report.lesson)
        cells = cell_sources(item.notebook) or {}
        for cell_id, scaffold in code.scaffolds.items():
            if cell_id not in cells:
                continue
            for function, normalised in normalise_functions(cells[cell_id], code.functions_of(cell_id), scaffold).items():
                units.append(Unit(item.student, item.report.lesson, function, cells[cell_id], normalised,
                                  fragments(normalised)))
    return units


def fragments(normalised: str) -> frozenset[tuple[str, ...]]:
    """The set of :data:`FRAGMENT`-token windows of normalised code."""
    words = tokens(normalised)
    return frozenset(tuple(words[i:i + FRAGMENT]) for i in range(max(1, len(words) - FRAGMENT + 1)))


def compare(graded: list[Graded], settings: Settings | None = None) -> Comparison:
    """Compare every pair of students, per lesson and graded function, and flag the pairs alike."""
    settings = settings or Settings()
    units = collect_units(graded)
    groups: dict[tuple[str, str], list[Unit]] = collections.defaultdict(list)
    for unit in units:
        groups[(unit.lesson, unit.function)].append(unit)
    pairs: dict[tuple[str, str, str], Pair] = {}
    for (lesson, function), group in sorted(groups.items()):
        counts = collections.Counter(f for unit in group for f in unit.fragments)
        common_above = max(COMMON_MIN, settings.common_share * len(group))
        for a, b in itertools.combinations(sorted(group, key=lambda u: u.student), 2):
            if a.student == b.student:
                continue
            shared = a.fragments & b.fragments
            score = len(shared) / len(a.fragments | b.fragments)
            if score < settings.threshold:
                continue
            evidence = sum(counts[f] <= common_above for f in shared)
            pair = pairs.setdefault((lesson, a.student, b.student), Pair(lesson, (a.student, b.student)))
            pair.matches.append(FunctionMatch(function, round(score, 3), evidence))
    written = collections.defaultdict(set)
    for unit in units:
        written[(unit.lesson, unit.student)].add(unit.function)
    flagged = [p for p in pairs.values()
               if _listed(p, len(written[(p.lesson, p.students[0])] & written[(p.lesson, p.students[1])]), settings)]
    flagged.sort(key=lambda p: (p.lesson, -len(p.matches), -p.evidence, p.students))
    compared = {}
    for lesson in sorted({u.lesson for u in units}):
        students = len({u.student for u in units if u.lesson == lesson})
        compared[lesson] = (students, students * (students - 1) // 2)
    return Comparison(settings, units, flagged, compared)


def _listed(pair: Pair, both_wrote: int, settings: Settings) -> bool:
    """Whether a pair has enough evidence to be listed (see the module's docstring)."""
    if pair.evidence >= settings.min_evidence:
        return True
    alike = len(pair.matches)
    return alike >= 2 and 2 * alike >= both_wrote and 2 * pair.evidence >= settings.min_evidence


def similarity_json(comparison: Comparison) -> str:
    """The comparison as JSON text."""
    return json.dumps(comparison.to_dict(), indent=1) + "\n"


def similarity_report(comparison: Comparison) -> str:
    """The comparison as an HTML page: the pairs, each function side by side as written and normalised."""
    settings = comparison.settings
    body = [f"<p class=\"note\">{_ABOUT}</p>",
            f"<p>Settings: two versions of a function are alike from {100 * settings.threshold:.0f}% shared code "
            f"fragments ({FRAGMENT} tokens each); fragments found in more than {100 * settings.common_share:.0f}% of "
            f"the submissions are not evidence; a pair is listed from {settings.min_evidence} shared fragments "
            f"that few others have, or from {settings.min_evidence / 2:g} when at least two functions, and half of "
            "those both wrote, are alike.</p>"]
    rows = [[htmlpage.escape(lesson), str(students), str(pairs), str(sum(p.lesson == lesson for p in comparison.pairs))]
            for lesson, (students, pairs) in comparison.compared.items()]
    body.append(htmlpage.table(["lesson", "students compared", "pairs compared", "pairs to look at"], rows, numeric=[1, 2, 3]))
    if not comparison.pairs:
        body.append("<p>No pair of submissions is alike enough to look at.</p>")
    units = {(u.lesson, u.student, u.function): u for u in comparison.units}
    for pair in comparison.pairs:
        a, b = pair.students
        total = len(lesson_code(pair.lesson).cell_of)
        body.append(f"<h2>{htmlpage.escape(pair.lesson)}: {htmlpage.escape(a)} and {htmlpage.escape(b)}</h2>")
        body.append(f"<p>{len(pair.matches)} of {total} functions alike; {pair.evidence} shared fragments that few "
                    "other submissions have.</p>")
        for match in pair.matches:
            left, right = units[(pair.lesson, a, match.function)], units[(pair.lesson, b, match.function)]
            body.append(_side_by_side(match, left, right))
    return htmlpage.page("Similarity report", "\n".join(body))


def _side_by_side(match: FunctionMatch, left: Unit, right: Unit) -> str:
    marked_left, marked_right = _mark_common_lines(left.normalised, right.normalised)
    return (
        f"<h3><code>{match.function}</code>: {100 * match.score:.0f}% alike</h3>\n"
        f"<div class=\"pair\"><div><p>{htmlpage.escape(left.student)}, as written</p>{htmlpage.code(left.cell)}</div>"
        f"<div><p>{htmlpage.escape(right.student)}, as written</p>{htmlpage.code(right.cell)}</div></div>\n"
        "<div class=\"pair\"><div><p>normalised (lines both have are marked)</p>"
        f"<pre>{marked_left}</pre></div><div><p>normalised</p><pre>{marked_right}</pre></div></div>"
    )


def _mark_common_lines(left: str, right: str) -> tuple[str, str]:
    """Both normalised texts as HTML, the lines of their longest common runs marked."""
    a, b = left.splitlines(), right.splitlines()
    in_a, in_b = set(), set()
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        in_a.update(range(block.a, block.a + block.size))
        in_b.update(range(block.b, block.b + block.size))

    def render(lines: list[str], marked: set[int]) -> str:
        return "\n".join(f"<mark>{htmlpage.escape(line)}</mark>" if i in marked else htmlpage.escape(line)
                         for i, line in enumerate(lines))

    return render(a, in_a), render(b, in_b)
