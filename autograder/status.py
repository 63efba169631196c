"""The outcome of a test: one enumeration for the runner, the scores, the reports and the class summary."""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """How a test ended. The value is what ``--json`` and the grade sheet show."""

    PASSED = "passed"
    FAILED = "failed"  # a check failed or the student's code raised an exception
    TIMEOUT = "timeout"  # the student's code ran past the time limit
    CRASHED = "crashed"  # the student's process died (a crash, os._exit, out of memory)
    MISSING = "missing"  # the test cell was deleted from the notebook
    NOT_RUN = "not_run"  # the notebook's time budget was spent, or its cells no longer run

    @property
    def label(self) -> str:
        """The word a grade table shows: "pass", "FAIL", "TIMEOUT", "CRASHED", "MISSING", "NOT RUN"."""
        if self is Status.PASSED:
            return "pass"
        return "FAIL" if self is Status.FAILED else self.value.replace("_", " ").upper()

    @property
    def stops_the_submission(self) -> bool:
        """Whether the student's process had to be stopped (it hung or died) and restarted."""
        return self in (Status.TIMEOUT, Status.CRASHED)
