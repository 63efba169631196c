"""A submission's own process, seen from the grader.

:class:`Sandbox` starts ``autograder.sandbox_child`` in a fresh temporary directory (with a
scratch copy of ``data/``), a minimal environment, memory and file-size limits and, where Linux
allows, no network and no access to the course's files; runs cells there; looks names up there
(as proxies, :mod:`autograder.bridge`); and kills and restarts it when it hangs or dies.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cnncourse.data import DATA_DIR

from . import paths
from .bridge import Endpoint, PeerGone, PeerTimeout
from .selfcheck import SKIP_VARIABLE

#: Default limits of a sandbox.
MEMORY_LIMIT_MB = 4096
FILE_LIMIT_MB = 2048
START_TIMEOUT = 120.0

#: Environment variables passed through to the submission (nothing else: no tokens, no secrets).
_PASSED_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "TZ", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


class SandboxFailure(BaseException):
    """The submission's process hung or died; ``reason`` says which and, if known, why.

    The reason reads after a subject: "the student's code crashed (SIGSEGV)".

    A ``BaseException``: a test cell's ``except Exception`` must not swallow it.
    """

    def __init__(self, reason: str, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


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
    memory_mb : int
        Address-space limit of the process.
    """

    def __init__(self, memory_mb: int = MEMORY_LIMIT_MB) -> None:
        self.memory_mb = memory_mb
        self.protections: list[str] = []
        self.workdir = Path(tempfile.mkdtemp(prefix="autograder-"))
        self.shared = self.workdir / "shared"  # files a test writes for the submission to read
        self.shared.mkdir()
        if DATA_DIR.is_dir():
            shutil.copytree(DATA_DIR, self.workdir / "data")
        self._process: subprocess.Popen | None = None
        self.endpoint: Endpoint | None = None

    def start(self) -> None:
        """Start (or restart) the process and wait until it is ready."""
        self.stop()
        ours, theirs = socket.socketpair()
        settings = {
            "workdir": str(self.workdir),
            "readable": [str(p) for p in _course_packages()],
            "memory_bytes": self.memory_mb << 20,
            "file_bytes": FILE_LIMIT_MB << 20,
        }
        (self.workdir / "tmp").mkdir(exist_ok=True)
        log = open(self.workdir / "output.log", "ab")  # noqa: SIM115  (the child keeps it open)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "autograder.sandbox_child", str(theirs.fileno()), json.dumps(settings)],
                pass_fds=[theirs.fileno()], cwd=self.workdir, env=self._environment(),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        finally:
            theirs.close()
            log.close()
        self.endpoint = Endpoint(ours, trusts_peer=False)
        try:
            self.protections = self.call("protections", timeout=START_TIMEOUT)
        except SandboxFailure as failure:
            raise RuntimeError(f"the sandbox did not start: the process {failure.reason}\n{self.log_tail()}") from None

    def _environment(self) -> dict[str, str]:
        environment = {k: os.environ[k] for k in _PASSED_ENVIRONMENT if k in os.environ}
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

    def failure(self, error: BaseException) -> SandboxFailure:
        """Turn a broken or silent connection into a :class:`SandboxFailure` with the likely cause."""
        if isinstance(error, PeerTimeout):
            self.stop()
            return SandboxFailure("ran past the time limit and was stopped (an endless loop?)", timed_out=True)
        try:  # the connection broke: let the process finish dying to learn how it ended
            self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.stop()
            return SandboxFailure(f"broke the grading protocol ({error}) and was stopped")
        reason = self._death_reason()
        self.stop()
        return SandboxFailure(reason)

    def _death_reason(self) -> str:
        process = self._process
        code = process.returncode if process is not None else None
        log_tail = self.log_tail()
        if "MemoryError" in log_tail:
            return f"ran out of memory (the limit is {self.memory_mb} MiB)"
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            if -code == signal.SIGKILL:
                return f"was killed ({name}; out of memory? the limit is {self.memory_mb} MiB)"
            if -code == signal.SIGXFSZ:
                return f"wrote a file larger than {FILE_LIMIT_MB} MiB ({name})"
            return f"crashed ({name})"
        if code is not None:
            return f"ended its process (exit status {code}: sys.exit or os._exit?)"
        return "stopped answering"

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
        """Kill the process and everything it started."""
        if self.endpoint is not None:
            self.endpoint.sock.close()
            self.endpoint = None
        if self._process is not None:
            if self._process.poll() is None:
                try:
                    os.killpg(self._process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self._process.wait()

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
            raise self.sandbox.failure(error) from None
        return False


def _course_packages() -> list[Path]:
    """The course's own packages, which the submission imports (not the rest of the course)."""
    return [paths.COURSE_ROOT / "cnncourse", paths.COURSE_ROOT / "autograder"]
