"""Test set-up: a fast start, Jupyter's and matplotlib's files out of the home directory, the mutation score."""
from __future__ import annotations

import os
import tempfile

from autograder.startup import skip_iri_checker

skip_iri_checker()

_scratch = tempfile.mkdtemp(prefix="cnn-course-tests-")
for _name in ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
    os.environ.setdefault(_name, os.path.join(_scratch, _name.lower()))
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_terminal_summary(terminalreporter):
    """Print the catalogue's mutation score: wrong implementations killed / total."""
    reports = [
        r for key in ("passed", "failed") for r in terminalreporter.stats.get(key, [])
        if getattr(r, "when", "") == "call" and "test_wrong_implementation_loses_points" in r.nodeid
    ]
    if reports:
        killed = sum(r.passed for r in reports)
        terminalreporter.write_line(
            f"mutation score: {killed} / {len(reports)} wrong implementations lose points "
            f"({100 * killed / len(reports):.0f}%)"
        )
