"""Confine the current process before it runs a submission (Linux; best effort elsewhere).

What is applied, when the system allows it:

- resource limits: address space (memory), size of a written file, no core dumps;
- no network: a new, empty network namespace, and Landlock's TCP rules;
- no privileges: a grader run as root gives up every capability before the submission runs;
- Landlock (Linux >= 5.13, unprivileged): read-only access to Python and the system, read-write
  access to the sandbox's own directory, nothing else (the course's ``solutions/``, with the
  hidden tests, cannot be read), and no signal to processes outside the sandbox.

:func:`confine` must run while the process has a single thread: ``unshare`` refuses a
multithreaded one. A process forked by :mod:`autograder.zygote` has one, whatever its parent imported.
"""
from __future__ import annotations

import ctypes
import os
import resource
import sys
from collections.abc import Iterable
from pathlib import Path

_SYS_LANDLOCK_CREATE_RULESET, _SYS_LANDLOCK_ADD_RULE, _SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38
_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000
_SYS_CAPSET = {"x86_64": 126, "aarch64": 91}
_LINUX_CAPABILITY_VERSION_3 = 0x20080522

# Landlock filesystem rights (linux/landlock.h) and the ABI version that introduced each.
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_TRUNCATE, _IOCTL_DEV = 1 << 14, 1 << 15
_FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_FILE_RIGHTS = _EXECUTE | _WRITE_FILE | _READ_FILE | _TRUNCATE | _IOCTL_DEV  # the rights a file (not a folder) takes
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1

#: System paths a Python process reads (libraries, fonts, CPU information, devices).
SYSTEM_PATHS = ("/usr", "/lib", "/lib64", "/bin", "/etc", "/proc", "/sys", "/dev", "/var/cache/fontconfig")


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def confine(workdir: Path, readable: Iterable[Path], memory_bytes: int, file_bytes: int) -> list[str]:
    """Apply every protection available; return a description of each one in force.

    Parameters
    ----------
    workdir : Path
        The sandbox's own directory: the only place it may write.
    readable : iterable of Path
        Directories and files it may read besides :data:`SYSTEM_PATHS` and Python's own.
    memory_bytes : int
        Largest address space (``RLIMIT_AS``).
    file_bytes : int
        Largest file it may write (``RLIMIT_FSIZE``).
    """
    applied = []
    if _limit(resource.RLIMIT_AS, memory_bytes):  # macOS does not enforce RLIMIT_AS
        applied.append(f"memory limit {memory_bytes >> 20} MiB")
    if _limit(resource.RLIMIT_FSIZE, file_bytes):
        applied.append(f"file size limit {file_bytes >> 20} MiB")
    _limit(resource.RLIMIT_CORE, 0)
    if not sys.platform.startswith("linux"):
        return applied
    libc = ctypes.CDLL(None, use_errno=True)
    if _new_network_namespace(libc):
        applied.append("no network (empty network namespace)")
    python = {Path(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    python |= {Path(p) for p in sys.path if p and Path(p).is_dir() and Path(p).resolve() != Path.cwd().resolve()}
    landlock = _landlock(libc, workdir, [*map(Path, SYSTEM_PATHS), *python, *readable])
    if landlock:
        applied.append(landlock)
    if os.getuid() == 0 and _drop_capabilities(libc):
        applied.append("no root privileges (all capabilities dropped)")
    return applied


def _limit(which: int, value: int) -> bool:
    """Set a resource limit (soft and hard); False when the system refuses it."""
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        return False
    return True


def _new_network_namespace(libc: ctypes.CDLL) -> bool:
    """Move into a new network namespace (as root directly, otherwise inside a user namespace)."""
    if libc.unshare(_CLONE_NEWNET) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        return False
    try:  # keep our own uid and gid inside the user namespace
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    except OSError:
        pass
    return True


def _drop_capabilities(libc: ctypes.CDLL) -> bool:
    """Give up every capability (a grader run as root must not run the submission as root)."""
    number = _SYS_CAPSET.get(os.uname().machine)
    if number is None:
        return False
    header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: twice 32 bits, all zero
    return libc.syscall(number, ctypes.byref(header), ctypes.byref(data)) == 0


def _landlock(libc: ctypes.CDLL, workdir: Path, readable: list[Path]) -> str | None:
    """Restrict the filesystem, TCP and signals with Landlock; describe what was done, or None."""
    syscall = libc.syscall
    syscall.restype = ctypes.c_long
    abi = syscall(_SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION))
    if abi < 1:
        return None
    fs_rights = _FS_RIGHTS_BY_ABI[max(v for v in _FS_RIGHTS_BY_ABI if v <= abi)]
    attr = _RulesetAttr(fs_rights, (_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0,
                        (_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = syscall(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return None
    try:
        read_only = _EXECUTE | _READ_FILE | _READ_DIR
        for path in readable:
            _allow(syscall, ruleset, path, read_only)
        _allow(syscall, ruleset, Path("/dev/null"), _READ_FILE | _WRITE_FILE)
        _allow(syscall, ruleset, workdir, fs_rights)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return None
        if syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)) != 0:
            return None
    finally:
        os.close(ruleset)
    extras = ", no TCP" if abi >= 4 else ""
    extras += ", no signals to the grader" if abi >= 6 else ""
    return f"Landlock ABI {abi}: read-only system and Python, writes only in its own folder{extras}"


def _allow(syscall, ruleset: int, path: Path, rights: int) -> None:
    """Add a rule granting ``rights`` beneath ``path`` (skipped if the path does not exist)."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not path.is_dir():
            rights &= _FILE_RIGHTS
        rule = _PathBeneathAttr(rights, fd)
        syscall(_SYS_LANDLOCK_ADD_RULE, ruleset, _LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0))
    finally:
        os.close(fd)
