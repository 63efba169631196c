"""Processes that end with the process that started them, and process groups that end at once."""
from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(signum: int, parent: int) -> None:
    """Have the kernel send ``signum`` to this process when ``parent`` ends; end now if it already has.

    Linux only (``PR_SET_PDEATHSIG``); elsewhere only the check is made. The signal comes when the
    parent's *thread* that started this process ends: start children from a thread that lives as
    long as they should.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def kill_group(pid: int, *, reaped: bool = False) -> None:
    """Send SIGKILL to the process group that ``pid`` leads, and to ``pid`` (which may not lead one yet).

    Once ``pid`` is ``reaped`` only its group is killed: the pid may have been reused, but not
    as a process group's id while the group has members.
    """
    for kill in (os.killpg,) if reaped else (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
