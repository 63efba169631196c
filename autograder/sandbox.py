"""A submission's own process, seen from the grader.

:class:`Sandbox` has a zygote (:mod:`autograder.zygote`) fork a process for the submission, in a
fresh temporary folder (with a scratch copy of ``data/``), a minimal environment, memory and
file-size limits and, where Linux allows, no network and no access to the course's files; runs
cells there; looks names up there (as proxies, :mod:`autograder.bridge`); and kills and restarts
it when it hangs or dies.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cnncourse.data import DATA_DIR

from . import paths
from .bridge import Endpoint, PeerGone, PeerTimeout
from .lifetime import kill_group
from .limits import Autograder
from .selfcheck import SKIP_VARIABLE
from .zygote import PASSED_ENVIRONMENT, Zygote, ZygoteGone, zygote_for

#: Seconds a process whose connection broke may take to finish dying (to learn how it ended).
DYING_TIME = 2.0

#: Whether a sandbox goes on from the zygote's fork (see :mod:`autograder.zygote`).
WARM = sys.platform.startswith("linux")


class SandboxFailure(BaseException):
    """The submission's process hung or died; ``reason`` says which and, if known, why.

    The reason reads after a subject: "the student's code crashed (SIGSEGV)".

    ``function`` names the student's function whose call hung or died, when that is known.
    A ``BaseException``: a test cell's ``except Exception`` must not swallow it.
    """

    def __init__(self, reason: str, timed_out: bool = False, function: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out
        self.function = function


@dataclass
class CellError:
    """An exception raised by a cell of the submission."""

    type: str
    message: str
    traceback: str


class Sandbox:
    """One submission's process; start it with :meth:`start`, end it with :meth:`close`.

    Parameters
    ----------
    limits : Autograder
        Memory, file and result sizes, and the start-up time limit.
    preload : tuple of str
        Modules imported once, before the process is forked (those of the lesson's setup cells).
    warm : bool
        Whether the process goes on from the zygote's fork with those modules loaded (Linux),
        or starts a fresh Python (elsewhere).
    """

    def __init__(self, limits: Autograder, preload: tuple[str, ...] = (), warm: bool = WARM) -> None:
        self.limits = limits
        self.preload = preload
        self.warm = warm
        self.protections: list[str] = []
        self.workdir = Path(tempfile.mkdtemp(prefix="autograder-"))
        self.shared = self.workdir / "shared"  # files a test writes for the submission to read
        self.shared.mkdir()
        if DATA_DIR.is_dir():
            shutil.copytree(DATA_DIR, self.workdir / "data")
        self._zygote: Zygote | None = None
        self._pid: int | None = None
        self.endpoint: Endpoint | None = None

    def start(self) -> None:
        """Start (or restart) the process and wait until it is ready."""
        self.stop()
        (self.workdir / "tmp").mkdir(exist_ok=True)
        ours, theirs = socket.socketpair()
        try:
            self._zygote = zygote_for(self.preload, self.limits.start_timeout)
            settings = {
                "workdir": str(self.workdir),
                "readable": [str(p) for p in (*_course_packages(), self._zygote.folder)],
                "memory_bytes": self.limits.memory_bytes,
                "file_bytes": self.limits.file_bytes,
                "printed_output": self.limits.printed_output,
                "environment": self._environment(),
                "warm": self.warm,
            }
            self._pid = self._zygote.spawn(theirs, settings)
        except ZygoteGone as error:
            ours.close()
            raise RuntimeError(f"the sandbox did not start: {error}") from None
        finally:
            theirs.close()
        self.endpoint = Endpoint(ours, trusts_peer=False, max_message=self.limits.result_bytes)
        try:
            self.protections = self.call("protections", timeout=self.limits.start_timeout)
        except SandboxFailure as failure:
            raise RuntimeError(f"the sandbox did not start: the process {failure.reason}\n{self.log_tail()}") from None

    def _environment(self) -> dict[str, str]:
        environment = {k: os.environ[k] for k in PASSED_ENVIRONMENT if k in os.environ}
        environment.update(
            HOME=str(self.workdir), TMPDIR=str(self.workdir / "tmp"), MPLBACKEND="Agg",
            MPLCONFIGDIR=str(self.workdir / "tmp"), IPYTHONDIR=str(self.workdir / "tmp" / "ipython"),
            CNN_COURSE_DATA=str(self.workdir / "data"), PYTHONDONTWRITEBYTECODE="1",
        )
        environment[SKIP_VARIABLE] = "the notebook is being graded"  # a self-check cell does nothing
        return environment

    def call(self, op: str, timeout: float, **fields: Any) -> Any:
        """Send one request with its own deadline; raise :class:`SandboxFailure` if it hangs or dies."""
        with self.deadline(timeout):
            return self.endpoint.request(op, None, **fields)

    def deadline(self, timeout: float) -> "_Deadline":
        """Context manager: every request inside must be answered within ``timeout`` seconds."""
        return _Deadline(self, timeout)

    def run_cell(self, source: str, timeout: float) -> CellError | None:
        """Run a cell; return its error, None if it ran cleanly."""
        error = self.call("exec", timeout, source=source)
        if error is None:
            return None
        return CellError(str(error.get("type", "")), str(error.get("message", "")), str(error.get("traceback", "")))

    def lookup(self, name: str) -> Any:
        """Return the submission's global ``name`` (plain data or a proxy); NameError if undefined."""
        return self.endpoint.request("lookup", None, name=name)

    def import_module(self, name: str) -> Any:
        """Return a proxy of module ``name`` as imported in the submission's process."""
        return self.endpoint.request("import", None, name=name)

    def failure(self, error: PeerGone | PeerTimeout, timeout: float) -> SandboxFailure:
        """Turn a broken or silent connection into a :class:`SandboxFailure` with the likely cause.

        ``timeout`` is the time limit that was in force; the reason names the call of the
        student's code that was running, when there was one.
        """
        if isinstance(error, PeerTimeout):
            self.stop()
            where = f" in {error.call}" if error.call else ""
            return SandboxFailure(f"ran past the time limit of {timeout:g} s{where} and was stopped (an endless loop?)",
                                  timed_out=True, function=error.function)
        code = self._end(grace=DYING_TIME)  # the connection broke: let the process finish dying
        reason = f"broke the grading protocol ({error}) and was stopped" if code is None else self._death_reason(code)
        return SandboxFailure(reason + (f" while running {error.call}" if error.call else ""), function=error.function)

    def _death_reason(self, code: int) -> str:
        log_tail = self.log_tail()
        if "MemoryError" in log_tail:
            return f"ran out of memory (the limit is {self.limits.memory} MiB)"
        if code < 0:
            name = signal.Signals(-code).name
            if -code == signal.SIGKILL:
                return f"was killed ({name}; out of memory? the limit is {self.limits.memory} MiB)"
            if -code == signal.SIGXFSZ:
                return f"wrote a file larger than {self.limits.file_size} MiB ({name})"
            return f"crashed ({name})"
        return f"ended its process (exit status {code}: sys.exit or os._exit?)"

    def log_tail(self, size: int = 2000) -> str:
        """The end of what the submission printed (its stdout and stderr)."""
        try:
            with open(self.workdir / "output.log", "rb") as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(log.tell() - size, 0))
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """Kill the process and everything in its process group."""
        self._end(grace=0.0)

    def _end(self, grace: float) -> int | None:
        """End the process: let it end by itself within ``grace`` seconds, else kill it; kill what is
        left in its process group; reap it. Return its exit status (None if it had to be killed).

        The connection stays open during the grace time: a process still writing a message the
        grader refused must not end because its peer went away (that would hide why it was stopped).
        """
        pid, self._pid = self._pid, None
        try:
            code = self._zygote.wait(pid, grace) if grace and pid is not None else None
        except ZygoteGone:  # the zygote killed it as it ended
            code = pid = None
        finally:
            if self.endpoint is not None:
                self.endpoint.sock.close()
                self.endpoint = None
        if pid is None:
            return code
        if code is None:
            kill_group(pid)
            with contextlib.suppress(ZygoteGone):
                self._zygote.wait(pid, DYING_TIME + 8)
        else:
            kill_group(pid, reaped=True)  # what it left running in its process group
        return code

    def close(self) -> None:
        """Stop the process and delete its directory."""
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _Deadline:
    """Sets the endpoint's deadline and turns a hang or a death into :class:`SandboxFailure`."""

    def __init__(self, sandbox: Sandbox, timeout: float) -> None:
        self.sandbox, self.timeout = sandbox, timeout

    def __enter__(self) -> None:
        if self.sandbox.endpoint is None:
            raise SandboxFailure("could not be run: its process is not running")
        self.sandbox.endpoint.deadline = time.monotonic() + self.timeout

    def __exit__(self, kind: type | None, error: BaseException | None, tb: object) -> bool:
        if self.sandbox.endpoint is not None:
            self.sandbox.endpoint.deadline = None
        if isinstance(error, (PeerGone, PeerTimeout)):
            raise self.sandbox.failure(error, self.timeout) from None
        return False


def _course_packages() -> list[Path]:
    """The course's own packages, which the submission imports (not the rest of the course)."""
    return [paths.COURSE_ROOT / "cnncourse", paths.COURSE_ROOT / "autograder"]
