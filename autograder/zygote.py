"""A warm process that forks the students' processes (a zygote, or fork server).

Starting Python and importing NumPy, matplotlib, IPython and the lesson's libraries costs
seconds, for every notebook and again after every restart of a student's process that hung or
died. A zygote imports the third-party modules of a lesson's setup cells once, then forks a
fresh process for each sandbox. Every child is confined on its own
(:func:`autograder.confine.confine` runs in the child, which has a single thread), in its own
folder, environment, log and session (process group); the course's own packages are imported
afresh in each child, so that they read the child's environment.

On Linux the child goes on from the fork, warm. Elsewhere (macOS: system libraries that NumPy
loads must not be used after a fork) it executes a fresh Python at once: the grader still
talks to one zygote, and the process ends the same way, but starts cold.

The zygote never runs a student's code and never reads the course's solutions. It ends with
the process that started it: when that process ends (even by SIGKILL: Linux's
``PR_SET_PDEATHSIG``) or closes the control connection, the zygote kills the process group of
every child it forked, removes their folders and its own, and exits. A child ends with the zygote.

Control protocol: length-prefixed JSON messages on a Unix socket; a ``spawn`` request carries
the child's end of its bridge socket as a file descriptor (SCM_RIGHTS).
"""
from __future__ import annotations

import atexit
import gc
import importlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from .lifetime import die_with_parent, kill_group

#: Environment variables passed through to the zygote and its children (no tokens, no secrets).
PASSED_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "TZ", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

#: Always imported: what every sandbox runs on.
BASE_MODULES = ("numpy", "IPython.core.interactiveshell")

#: The course's own packages: imported afresh in each child (they read its environment).
COURSE_PACKAGES = ("autograder", "cnncourse")

#: Seconds the zygote waits for a child it has killed to be reaped.
REAP_TIMEOUT = 10.0

_SHUTDOWN_SIGNALS = {signal.SIGTERM, signal.SIGHUP}


class ZygoteGone(Exception):
    """The zygote did not answer: it died, or was killed."""


class Zygote:
    """The grader's handle on a zygote process.

    Parameters
    ----------
    preload : tuple of str
        Modules to import before forking (those of the lesson's setup cells).
    start_timeout : float
        Seconds the zygote may take to import them.
    """

    def __init__(self, preload: tuple[str, ...], start_timeout: float) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="autograder-zygote-"))
        (self.folder / "tmp").mkdir()
        ours, theirs = socket.socketpair()
        with open(self.folder / "zygote.log", "ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "autograder.zygote", str(theirs.fileno()), str(os.getpid()), json.dumps(preload)],
                pass_fds=[theirs.fileno()], cwd=self.folder, env=self.environment(), stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        theirs.close()
        self._sock = ours
        self.children: set[int] = set()  # forked and not yet reaped
        self._sock.settimeout(start_timeout)
        try:
            _receive(self._sock)  # "ready", once the modules are imported
        except (OSError, EOFError) as error:
            self.close()
            raise ZygoteGone(f"the zygote did not start ({error or type(error).__name__}): {self.log_tail()}") from None

    def environment(self) -> dict[str, str]:
        """The zygote's environment: a minimal one, with its own home, temporary and matplotlib folders."""
        environment = {k: os.environ[k] for k in PASSED_ENVIRONMENT if k in os.environ}
        environment.update(HOME=str(self.folder), TMPDIR=str(self.folder / "tmp"), MPLBACKEND="Agg",
                           MPLCONFIGDIR=str(self.folder / "tmp"), PYTHONDONTWRITEBYTECODE="1",
                           IPYTHONDIR=str(self.folder / "tmp" / "ipython"), OPENCV_LOG_LEVEL="ERROR")
        return environment

    @property
    def alive(self) -> bool:
        """Whether the zygote process is still running."""
        return self._process.poll() is None

    def spawn(self, sock: socket.socket, settings: dict[str, Any]) -> int:
        """Fork a sandbox that serves on ``sock`` (see :func:`autograder.sandbox_child.serve`); return its pid.

        ``settings`` holds the child's ``workdir``, ``environment`` and the confinement settings.
        """
        pid = int(self._request({"op": "spawn", "settings": settings}, REAP_TIMEOUT, [sock.fileno()])["pid"])
        self.children.add(pid)
        return pid

    def wait(self, pid: int, timeout: float) -> int | None:
        """Wait up to ``timeout`` seconds for child ``pid`` to end and reap it.

        Returns
        -------
        int or None
            Its exit status as :class:`subprocess.Popen` gives it (``-N`` for signal N), None if it still runs.
        """
        code = self._request({"op": "wait", "pid": pid, "timeout": timeout}, timeout + REAP_TIMEOUT)["returncode"]
        if code is not None:
            self.children.discard(pid)
        return code

    def _request(self, message: dict, timeout: float, fds: list[int] | None = None) -> dict:
        self._sock.settimeout(timeout)
        try:
            _send(self._sock, message, fds or [])
            return _receive(self._sock)[0]
        except (OSError, EOFError) as error:
            raise ZygoteGone(f"the zygote stopped answering ({error or type(error).__name__})") from None

    def log_tail(self, size: int = 2000) -> str:
        """The end of what the zygote printed."""
        try:
            return (self.folder / "zygote.log").read_bytes()[-size:].decode(errors="replace")
        except OSError:
            return ""

    def close(self) -> None:
        """End the zygote (it kills what it forked) and remove its folder."""
        self._sock.close()
        try:
            self._process.wait(timeout=REAP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_zygotes: dict[tuple[str, ...], Zygote] = {}


def zygote_for(preload: tuple[str, ...], start_timeout: float) -> Zygote:
    """Return this process's running zygote for ``preload``, starting one if there is none.

    Starting one ends the others that have no child left (a zygote holds hundreds of MiB: one
    per lesson would add up when a process grades every lesson in turn).
    """
    zygote = _zygotes.get(preload)
    if zygote is not None and zygote.alive:
        return zygote
    for key, other in list(_zygotes.items()):
        if other is zygote or not other.children:
            del _zygotes[key]
            other.close()
    zygote = _zygotes[preload] = Zygote(preload, start_timeout)
    return zygote


@atexit.register
def close_zygotes() -> None:
    """End every zygote this process started."""
    while _zygotes:
        _zygotes.popitem()[1].close()


# A forked grader process (a worker of ``-j N``) starts zygotes of its own: it must not use, nor
# keep alive, those of its parent.
os.register_at_fork(after_in_child=_zygotes.clear)


# -- the zygote process ------------------------------------------------------------------------

def main(argv: list[str]) -> None:
    """``python -m autograder.zygote <control fd> <parent pid> <modules JSON>``."""
    control = socket.socket(fileno=int(argv[1]))
    own_folder = os.getcwd()  # the folder the grader made for this zygote (see Zygote)
    children: dict[int, str] = {}  # pid -> folder, of the children not yet reaped

    def shutdown(*_: object) -> None:
        for pid in children:
            kill_group(pid)
        deadline = time.monotonic() + REAP_TIMEOUT
        for pid, folder in children.items():
            _reap(pid, max(deadline - time.monotonic(), 0.0))
            shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(own_folder, ignore_errors=True)  # its starter may be gone without removing it
        os._exit(0)

    for signum in _SHUTDOWN_SIGNALS:
        signal.signal(signum, shutdown)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the grader, which ends this process
    die_with_parent(signal.SIGTERM, int(argv[2]))
    from . import sandbox_child  # noqa: F401  (the sandbox's own machinery, imported before forking)

    _preload(json.loads(argv[3]))
    gc.freeze()  # keep the imported objects' pages shared with the children
    _send(control, {"ready": True}, [])
    zygote = os.getpid()
    while True:
        try:
            message, fds = _receive(control)
        except (OSError, EOFError):
            shutdown()
        if message.get("op") == "spawn":
            settings = message["settings"]
            signal.pthread_sigmask(signal.SIG_BLOCK, _SHUTDOWN_SIGNALS)
            pid = os.fork()
            if pid == 0:
                _become_sandbox(control, fds[0], settings, zygote)
            children[pid] = settings["workdir"]
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SHUTDOWN_SIGNALS)
            for fd in fds:
                os.close(fd)
            _send(control, {"pid": pid}, [])
        elif message.get("op") == "wait":
            pid = int(message["pid"])
            code = _reap(pid, float(message["timeout"])) if pid in children else None
            if code is not None:
                del children[pid]
            _send(control, {"returncode": code}, [])
        else:
            _send(control, {"error": f"unknown operation {message.get('op')!r}"}, [])


def _preload(modules: list[str]) -> None:
    """Import ``modules`` (and :data:`BASE_MODULES`), then forget those of the course's own packages."""
    for name in (*BASE_MODULES, *modules):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001  (the child imports it again, and its setup cell reports the error)
            continue
    for name in [m for m in sys.modules if m.partition(".")[0] in COURSE_PACKAGES]:
        if name not in _MACHINERY:
            del sys.modules[name]


def _reap(pid: int, timeout: float) -> int | None:
    """Wait up to ``timeout`` seconds for child ``pid`` to end; its Popen-style exit status, or None."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


def _become_sandbox(control: socket.socket, fd: int, settings: dict[str, Any], zygote: int) -> None:
    """In a freshly forked child: become a sandbox that serves on ``fd``; never returns."""
    code = 1
    try:
        for signum in _SHUTDOWN_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SHUTDOWN_SIGNALS)
        os.setsid()
        die_with_parent(signal.SIGKILL, zygote)
        control.close()
        workdir = settings["workdir"]
        log = os.open(os.path.join(workdir, "output.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.closerange(3, fd)
        os.closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
        zygote_folder = os.getcwd()
        os.chdir(workdir)
        sys.path[:] = [workdir if p == zygote_folder else p for p in sys.path]  # as a kernel started there
        os.environ.clear()
        os.environ.update(settings["environment"])
        tempfile.tempdir = None
        if not settings["warm"]:  # where a process must not go on after a fork once NumPy is loaded (macOS)
            os.set_inheritable(fd, True)
            os.execv(sys.executable, [sys.executable, "-m", "autograder.sandbox_child", str(fd), json.dumps(settings)])
        from .sandbox_child import serve

        serve(fd, settings)
        code = 0
    except BaseException:  # noqa: BLE001  (whatever ends the child is logged; nothing returns to the zygote's loop)
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


#: Modules of the course's packages that the zygote keeps: the machinery a sandbox runs on.
_MACHINERY = frozenset(sys.modules) | {"autograder.zygote", "autograder.sandbox_child", "autograder.confine",
                                       "autograder.bridge", "autograder.wire", "autograder.text",
                                       "autograder.lifetime"}


# -- framing -----------------------------------------------------------------------------------

def _send(sock: socket.socket, message: dict, fds: list[int]) -> None:
    data = json.dumps(message).encode()
    payload = struct.pack("<I", len(data)) + data
    sent = socket.send_fds(sock, [payload], fds) if fds else 0
    sock.sendall(payload[sent:])


def _receive(sock: socket.socket) -> tuple[dict, list[int]]:
    head, fds, _, _ = socket.recv_fds(sock, 4, 4)
    head += _exactly(sock, 4 - len(head)) if head else b""
    if not head:
        raise EOFError("the connection closed")
    (length,) = struct.unpack("<I", head)
    return json.loads(_exactly(sock, length)), list(fds)


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(size)
        if not chunk:
            raise EOFError("the connection closed in the middle of a message")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


if __name__ == "__main__":
    main(sys.argv)
