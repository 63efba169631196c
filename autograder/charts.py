"""Charts of the class report as inline SVG (matplotlib), the same bytes for the same data."""
from __future__ import annotations

import functools
import io
import math
import re
from collections.abc import Callable, Sequence

import matplotlib
from matplotlib.figure import Figure

#: Fixed ids inside the SVG and text kept as text: the file is small and the same run after run.
_SVG_SETTINGS = {"svg.hashsalt": "cnn-course", "svg.fonttype": "none", "font.size": 10}
_BAR, _PASS, _FAIL = "#4c72b0", "#2e8b57", "#c0392b"


def _in_settings(draw: Callable[..., str]) -> Callable[..., str]:
    """Draw and save under :data:`_SVG_SETTINGS`, whatever the caller's matplotlib settings."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs) -> str:
        with matplotlib.rc_context(_SVG_SETTINGS):
            return draw(*args, **kwargs)
    return wrapper


@_in_settings
def score_histogram(scores: Sequence[float], max_score: float, title: str) -> str:
    """A histogram of scores between 0 and ``max_score`` (one bar per point up to 20 points)."""
    if max_score <= 0:
        raise ValueError(f"max_score must be positive, got {max_score}")
    bins = min(int(math.ceil(max_score)), 20)
    edges = [max_score * i / bins for i in range(bins + 1)]
    figure = Figure(figsize=(6.4, 2.6))
    axes = figure.subplots()
    axes.hist(list(scores), bins=edges, color=_BAR, edgecolor="white")
    axes.set(xlim=(0, max_score), xlabel=f"automatic score (of {max_score:g})", ylabel="submissions", title=title)
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _svg(figure)


@_in_settings
def pass_rate_bars(tests: Sequence[str], rates: Sequence[float], title: str) -> str:
    """Horizontal bars: the share of submissions that passed each test, in the lesson's order."""
    if len(tests) != len(rates):
        raise ValueError(f"{len(tests)} tests but {len(rates)} pass rates")
    figure = Figure(figsize=(6.4, 0.45 * len(tests) + 0.9))
    axes = figure.subplots()
    positions = list(range(len(tests)))[::-1]
    colours = [_PASS if rate >= 0.5 else _FAIL for rate in rates]
    axes.barh(positions, [100 * rate for rate in rates], color=colours)
    for y, rate in zip(positions, rates):
        axes.text(min(100 * rate + 1, 92), y, f"{100 * rate:.0f}%", va="center")
    axes.set_yticks(positions, tests)
    axes.set(xlim=(0, 100), xlabel="passed (% of graded submissions)", title=title)
    figure.subplots_adjust(left=0.42, right=0.97)
    return _svg(figure)


def _svg(figure: Figure) -> str:
    """The figure as an ``<svg>`` element (no XML prologue, no date, fixed ids)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return re.sub(r"\A.*?(?=<svg)", "", text, flags=re.S)
