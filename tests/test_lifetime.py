"""Nothing outlives the grader: after SIGTERM, SIGINT, SIGHUP or SIGKILL of ``python -m autograder grade``
(one notebook, and a class with ``-j 2``), none of its processes is left a few seconds later: not its
workers, not the zygotes, not the sandboxed processes, not what the student's code started.

The submission starts ``sleep`` and then loops forever in its first solution cell, so that at the
moment of the signal the grader, a worker, a zygote, a sandbox and the student's own process
all exist and one of them is busy. Their temporary folders are gone too.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder import paths
from autograder.cells import grade_id
from tests.test_cli import LESSON

pytestmark = pytest.mark.slow

#: The student's code: a process of its own, then a loop that never ends.
FOREVER = "import subprocess\nsubprocess.Popen(['sleep', '1000'])\nwhile True:\n    pass\n"

#: Seconds the processes have to disappear after the signal.
GRACE = 10


def looping_notebook(path: Path) -> Path:
    """The lesson's graded cells, with the student's code of :data:`FOREVER` as its first solution cell."""
    notebook = nbformat.read(paths.solution_notebook(LESSON), as_version=4)
    notebook.cells = [c for c in notebook.cells if grade_id(c)]
    first = next(c for c in notebook.cells if c.metadata["nbgrader"].get("solution") and c.cell_type == "code")
    first.source = FOREVER + first.source
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def process_table() -> dict[int, tuple[int, str, str]]:
    """Every process: pid -> (parent pid, start time, command line)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()  # after "pid (name)": state, ppid, ..., starttime is field 22
        if fields[0] != "Z":  # a zombie has ended; it only waits to be reaped
            table[int(entry.name)] = (int(fields[1]), fields[19], command)
    return table


def descendants(root: int) -> dict[int, tuple[str, str]]:
    """The processes below ``root``: pid -> (start time, command line)."""
    table = process_table()
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, started, command) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = (started, command)
                frontier.append(pid)
    return found


def alive(processes: dict[int, tuple[str, str]]) -> list[str]:
    """Those of ``processes`` that still run (the same pid with the same start time)."""
    table = process_table()
    return [f"{pid} {command}" for pid, (started, command) in processes.items()
            if pid in table and table[pid][1] == started]


#: Each signal with one notebook; with two in parallel, the two ways the grader's processes end:
#: its handler (SIGINT and SIGHUP take the same path as SIGTERM) and the kernel's parent-death signal.
CASES = [(signum, 1) for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL)]
CASES += [(signal.SIGTERM, 2), (signal.SIGKILL, 2)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum, jobs", CASES, ids=[f"{signal.Signals(s).name}-j{j}" for s, j in CASES])
def test_no_process_outlives_the_grader(tmp_path, signum, jobs):
    notebooks = [looping_notebook(tmp_path / "submitted" / f"student{i}" / LESSON / f"{LESSON}.ipynb")
                 for i in range(jobs)]
    grader = subprocess.Popen(
        [sys.executable, "-m", "autograder", "grade", *map(str, notebooks), "-j", str(jobs)],
        cwd=paths.COURSE_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while sum("sleep 1000" in command for _, command in descendants(grader.pid).values()) < jobs:
            assert grader.poll() is None, f"the grader ended early: {grader.communicate()}"
            assert time.monotonic() < deadline, "the student's code never started"
            time.sleep(0.2)
        time.sleep(1)  # the loops run
        processes = descendants(grader.pid)
        kinds = {"autograder.zygote": 0, "sleep 1000": 0}
        for _, command in processes.values():
            for kind in kinds:
                kinds[kind] += kind in command
        # for each job: a worker, a zygote and the sandbox it forked (with the zygote's command line), a sleep
        assert kinds == {"autograder.zygote": 2 * jobs, "sleep 1000": jobs}, processes
        assert len(processes) >= 4 * jobs, processes
        folders = {os.readlink(f"/proc/{pid}/cwd") for pid, (_, command) in processes.items()
                   if "autograder.zygote" in command}  # each zygote's folder and each sandbox's
        os.kill(grader.pid, signum)
        _, stderr = grader.communicate(timeout=GRACE)
        if signum != signal.SIGKILL:
            assert grader.returncode == 128 + signum and f"stopped by {signal.Signals(signum).name}" in stderr, stderr
        deadline = time.monotonic() + GRACE
        while alive(processes) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(processes), f"left running after {signal.Signals(signum).name}: {alive(processes)}"
        assert not [folder for folder in folders if os.path.exists(folder)], folders
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()
