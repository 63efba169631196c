"""Objects across a process boundary, as plain data and proxies.

The grader and a sandboxed submission each hold an :class:`Endpoint` on the two ends of a
socket. A request names an operation (call, getattr, ...) on an object of the other side;
arguments and results travel as plain data (:mod:`autograder.wire`); objects that are not plain
data stay where they are and the other side gets a :class:`Proxy`. While a side waits for its
reply it serves the requests that arrive, so a student's function can call back a function the
test passed to it (``numerical_gradient(lambda w: ..., x)``).

The grader's endpoint is strict with the submission: the submission may call what the grader
handed it and read its public attributes (as copies), nothing else, so it can neither reach the
grader's modules through ``__globals__`` nor alter a test's objects. The submission's endpoint
serves the grader fully.

What the student's code asks of an argument answers as in the student's own kernel: an object
of the submission that comes back is the object itself, and a function of the grader (a
callback such as ``lambda w: loss(w)``) arrives as a real function that calls back, so that
``type``, ``isinstance(f, types.FunctionType)`` and ``callable`` see what they would see there.
"""
from __future__ import annotations

import builtins
import contextlib
import io
import socket
import struct
import sys
import time
import traceback
import types
from typing import Any, Callable

import numpy as np

from . import wire
from .text import short_call


#: Argument types whose in-place changes by a call are copied back to the caller, as in one process.
_MUTABLE = (np.ndarray, list, dict)

#: Attributes of the other side's objects that may be read although they are dunder names.
_PUBLIC_DUNDERS = frozenset({"__name__", "__qualname__", "__doc__", "__module__"})

#: Types of the grader's callables that reach the submission as real functions.
_FUNCTION_TYPES = frozenset({"builtins.function", "builtins.method", "builtins.builtin_function_or_method"})


class PeerGone(BaseException):
    """The other side closed the connection or broke the protocol (a crash, os._exit, ...).

    ``call`` is the call of the other side's code that was running, in short form, and
    ``function`` the name of the function called ("" if none).
    """

    call = function = ""


class PeerTimeout(BaseException):
    """The other side did not answer before the deadline; ``call`` and ``function`` as in :class:`PeerGone`."""

    call = function = ""


class SubmissionError(Exception):
    """An exception of the other side that has no counterpart here (its type is in the message)."""


def type_path(cls: type) -> str:
    """Return ``module.qualname`` of a class."""
    return f"{getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', '?')}"


def resolve_class(path: str) -> type | None:
    """Find the class named ``module.qualname`` among the modules already imported here.

    Nothing is imported: the other side cannot make this side load a module.
    """
    module_name, _, qualname = path.rpartition(".")
    if module_name.partition(".")[0] == "__main__":  # the submission's own classes are not ours
        return None
    while module_name:
        module = sys.modules.get(module_name)
        if module is not None:
            found: Any = module
            for part in qualname.split("."):
                found = getattr(found, part, None) if not part.startswith("<") else None
            return found if isinstance(found, type) else None
        module_name, _, head = module_name.rpartition(".")
        qualname = f"{head}.{qualname}"
    return None


class Endpoint:
    """One end of the bridge.

    Parameters
    ----------
    sock : socket.socket
        A connected stream socket.
    trusts_peer : bool
        Whether the other side may do anything with this side's objects (the submission's
        endpoint trusts the grader; the grader's endpoint does not trust the submission).
    handlers : dict, optional
        Extra operations this side serves, ``{op: function(header, blobs) -> value}``.
    max_message : int, optional
        Largest message read from the other side, in bytes (no limit by default).
    max_printed : int, optional
        Characters of printed output sent back with a reply (none by default).
    """

    def __init__(self, sock: socket.socket, *, trusts_peer: bool,
                 handlers: dict[str, Callable[[dict, list[bytes]], Any]] | None = None,
                 max_message: int | None = None, max_printed: int = 0) -> None:
        self.sock = sock
        self.trusts_peer = trusts_peer
        self.handlers = handlers or {}
        self.max_message = max_message
        self.max_printed = max_printed
        self.deadline: float | None = None  # time.monotonic() by which a reply must come
        self._objects: dict[int, Any] = {}
        self._ids: dict[int, int] = {}
        self._proxies: dict[int, Any] = {}  # the other side's objects: proxies, or functions that call back
        self._callbacks: dict[int, wire.Ref] = {}  # id of such a function -> the reference it stands for

    # -- encoding -------------------------------------------------------------------------
    def encode(self, value: Any, blobs: list[bytes]) -> Any:
        return wire.encode(value, blobs, self._reference)

    def decode(self, data: Any, blobs: list[bytes]) -> Any:
        try:
            return wire.decode(data, blobs, self._dereference)
        except wire.WireError as error:
            raise PeerGone(str(error)) from None
        except (KeyError, IndexError, TypeError, ValueError, RecursionError) as error:
            raise PeerGone(f"malformed message ({type(error).__name__})") from None

    def export(self, obj: Any) -> dict:
        """Encode ``obj`` as a reference even if it is plain data (a dict or list to mutate)."""
        return wire.reference_data(self._reference(obj))

    def _reference(self, obj: Any) -> wire.Ref:
        if type(obj) is Proxy:
            return object.__getattribute__(obj, "_ref")
        if id(obj) in self._callbacks:
            return self._callbacks[id(obj)]
        key = id(obj)
        if key not in self._ids:
            self._ids[key] = len(self._objects) + 1
            self._objects[self._ids[key]] = obj
        is_class = isinstance(obj, type)
        return wire.Ref(self._ids[key], "local", type_path(obj if is_class else type(obj)), is_class, _name_of(obj))

    def _dereference(self, ref: wire.Ref) -> Any:
        if ref.owner == "local":
            if ref.id not in self._objects:
                raise wire.WireError(f"reference to an unknown object #{ref.id}")
            return self._objects[ref.id]
        if ref.is_class and self.trusts_peer:  # the grader's numpy.float64 is the submission's too
            local = resolve_class(ref.type_path)
            if local is not None:
                return local
        if ref.id not in self._proxies:
            proxy = Proxy(self, ref)
            if self.trusts_peer and ref.type_path in _FUNCTION_TYPES:
                proxy = _calling_back(proxy, ref.name)
                self._callbacks[id(proxy)] = ref
            self._proxies[ref.id] = proxy
        return self._proxies[ref.id]

    # -- requests -------------------------------------------------------------------------
    def request(self, op: str, target: Any = None, *args: Any, **fields: Any) -> Any:
        """Ask the other side to perform ``op`` and return its result (or raise its error).

        When the other side's code raises, hangs or dies during a ``call``, the exception says
        which call it was, in short form (``remote_call`` of the exception it raised, ``call``
        of :class:`PeerTimeout` and :class:`PeerGone`).
        """
        try:
            return self._request(op, target, args, fields)
        except Exception as error:
            if op == "call" and hasattr(error, "remote_type") and not getattr(error, "remote_call", ""):
                error.remote_call = self._describe_call(target, args, fields)  # type: ignore[attr-defined]
            raise
        except (PeerGone, PeerTimeout) as error:
            if op == "call" and not error.call:  # the innermost call is the one that hung or crashed
                error.call = self._describe_call(target, args, fields)
                error.function = _target_name(target)
            raise

    def _request(self, op: str, target: Any, args: tuple, fields: dict) -> Any:
        blobs: list[bytes] = []
        header = {"kind": "request", "op": op, "args": [self.encode(a, blobs) for a in args]}
        if target is not None:
            header["target"] = self.encode(target, blobs)
        for name, value in fields.items():
            header[name] = self.encode(value, blobs)
        self._send(header, blobs)
        while True:
            message, blobs = self._receive()
            if message.get("kind") == "request":
                self._serve(message, blobs)
                continue
            if "error" in message:
                raise self._exception(message["error"])
            for position, changed in self.decode(message.get("mutated", {"t": "list", "v": []}), blobs):
                _copy_back(args, fields.get("kwargs") or {}, position, changed)
            if isinstance(message.get("stdout"), str):
                sys.stdout.write(message["stdout"])
            return self.decode(message.get("result"), blobs)

    @staticmethod
    def _describe_call(target: Any, args: tuple, fields: dict) -> str:
        return short_call(_target_name(target) or "a function", args, fields.get("kwargs") or {})

    def serve_forever(self) -> None:
        """Serve requests until the other side closes the connection."""
        while True:
            try:
                message, blobs = self._receive()
            except PeerGone:
                return
            self._serve(message, blobs)

    def _serve(self, message: dict, blobs: list[bytes]) -> None:
        reply_blobs: list[bytes] = []
        printed = io.StringIO()
        # What the grader's calls print goes back with the reply, for a test that checks it.
        capture = self.trusts_peer and message.get("op") not in self.handlers
        try:
            with contextlib.redirect_stdout(printed) if capture else contextlib.nullcontext():
                result, mutated = self._perform(message, blobs)
            reply = {"kind": "reply", "result": self._encode_result(message.get("op"), result, reply_blobs)}
            if mutated:
                reply["mutated"] = self.encode(mutated, reply_blobs)
            if capture and printed.tell() and self.max_printed:
                reply["stdout"] = printed.getvalue()[-self.max_printed:]
        except BaseException as error:
            if isinstance(error, (PeerGone, PeerTimeout)):
                raise
            reply_blobs = []  # the grader's tracebacks stay with the grader
            reply = {"kind": "reply", "error": describe_exception(error, with_traceback=self.trusts_peer)}
        self._send(reply, reply_blobs)

    def _encode_result(self, op: str | None, result: Any, blobs: list[bytes]) -> Any:
        # A dict or list read from an object stays there, so that the grader's writes reach it
        # (``model.params[name] = value``); results of calls come back as copies.
        if self.trusts_peer and op in ("getattr", "getitem", "lookup") and type(result) in (dict, list):
            return self.export(result)
        return self.encode(result, blobs)

    def _perform(self, message: dict, blobs: list[bytes]) -> tuple[Any, list]:
        op = message.get("op")
        if op in self.handlers:
            return self.handlers[op](message, blobs), []
        target = self.decode(message.get("target"), blobs)
        args = [self.decode(a, blobs) for a in message.get("args", [])]
        if not self.trusts_peer and (isinstance(target, Proxy) or op not in (
                "call", "getattr", "len", "iter", "contains", "bool", "repr", "str")):
            raise PermissionError(f"the grader's objects are read-only for the submission ({op} refused)")
        if op == "call":
            kwargs = self.decode(message.get("kwargs"), blobs) or {}
            passed = dict(enumerate(args)) | kwargs
            before = {key: self._snapshot(value) for key, value in passed.items() if type(value) in _MUTABLE}
            result = target(*args, **kwargs)
            mutated = [[key, passed[key]] for key, old in before.items() if self._snapshot(passed[key]) != old]
            return result, mutated
        if op == "getattr":
            name = str(args[0])
            if not self.trusts_peer and name.startswith("_"):
                raise AttributeError(f"the submission may not read {name!r} of the grader's objects")
            return getattr(target, name), []
        operations: dict[str, Callable[[], Any]] = {
            "setattr": lambda: setattr(target, str(args[0]), args[1]),
            "delattr": lambda: delattr(target, str(args[0])),
            "getitem": lambda: target[args[0]],
            "setitem": lambda: target.__setitem__(args[0], args[1]),
            "delitem": lambda: target.__delitem__(args[0]),
            "len": lambda: len(target),
            "iter": lambda: list(target),
            "contains": lambda: args[0] in target,
            "bool": lambda: bool(target),
            "repr": lambda: repr(target),
            "str": lambda: str(target),
            "isinstance": lambda: isinstance(args[0], target),
            "issubclass": lambda: issubclass(args[0], target),
        }
        if op not in operations:
            raise wire.WireError(f"unknown operation {op!r}")
        return operations[op](), []

    def _snapshot(self, value: Any) -> tuple:
        """The plain-data form of ``value``, to tell whether a call changed it."""
        blobs: list[bytes] = []
        return self.encode(value, blobs), blobs

    def _exception(self, error: dict) -> BaseException:
        """Rebuild the other side's exception as the nearest exception class known here."""
        message = str(error.get("message", ""))
        for path in error.get("mro", []):
            name = path.rpartition(".")[2]
            cls = getattr(builtins, name, None) if path.startswith("builtins.") else resolve_class(path)
            if isinstance(cls, type) and issubclass(cls, Exception) and cls is not Exception:
                try:
                    exception = cls(message)
                except Exception:  # noqa: BLE001  (a constructor with other arguments)
                    continue
                break
        else:
            exception = SubmissionError(f"{error.get('type', '?').rpartition('.')[2]}: {message}".rstrip(": "))
        exception.remote_type = str(error.get("type", ""))  # type: ignore[attr-defined]
        exception.remote_traceback = str(error.get("traceback", ""))  # type: ignore[attr-defined]
        return exception

    # -- transport ------------------------------------------------------------------------
    def _send(self, header: dict, blobs: list[bytes]) -> None:
        try:
            wire.send(self.sock, header, blobs)
        except OSError as error:
            raise PeerGone(f"the connection broke ({error})") from None

    def _receive(self) -> tuple[dict, list[bytes]]:
        timeout = None if self.deadline is None else max(self.deadline - time.monotonic(), 0.001)
        self.sock.settimeout(timeout)
        try:
            return wire.receive(self.sock, self.max_message)
        except socket.timeout:
            raise PeerTimeout("no answer before the time limit") from None
        except (OSError, wire.WireError, struct.error) as error:
            raise PeerGone(str(error) or type(error).__name__) from None


def _target_name(target: Any) -> str:
    """The name of the other side's function that a proxy stands for ("" if it is not one)."""
    return object.__getattribute__(target, "_ref").name if type(target) is Proxy else ""


def _name_of(obj: Any) -> str:
    """The qualified name of a function, method or class; "" for other objects."""
    if isinstance(obj, (types.FunctionType, types.MethodType, types.BuiltinFunctionType, type)):
        name = getattr(obj, "__qualname__", "")
        return name if type(name) is str else ""
    return ""


def _calling_back(proxy: "Proxy", name: str) -> types.FunctionType:
    """A real function that calls the other side's function ``proxy`` (named ``name`` there)."""

    def call_back(*args: Any, **kwargs: Any) -> Any:
        return proxy(*args, **kwargs)

    call_back.__qualname__ = name or "function"
    call_back.__name__ = call_back.__qualname__.rpartition(".")[2]
    return call_back


def describe_exception(error: BaseException, with_traceback: bool = True) -> dict:
    """Describe an exception as plain data: its type, the types it derives from, message, traceback."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__)) if with_traceback else ""
    return {
        "type": type_path(type(error)),
        "mro": [type_path(c) for c in type(error).__mro__],
        "message": _safe_str(error),
        "traceback": text[-4000:],
    }


def _safe_str(error: BaseException) -> str:
    try:
        return str(error)
    except Exception:  # noqa: BLE001  (a hostile __str__)
        return f"<{type(error).__name__} whose message cannot be printed>"


def _copy_back(args: tuple, kwargs: dict, position: Any, changed: Any) -> None:
    """Apply to the caller's argument the change the other side made to its copy of it."""
    if type(position) is int and 0 <= position < len(args):
        original = args[position]
    elif type(position) is str:
        original = kwargs.get(position)
    else:
        return
    if type(original) is not type(changed):
        return
    if type(original) is np.ndarray and original.shape == changed.shape and original.flags.writeable:
        np.copyto(original, changed, casting="unsafe")
    elif type(original) is list:
        original[:] = changed
    elif type(original) is dict:
        original.clear()
        original.update(changed)


class Proxy(wire.ByReference):
    """Stands for an object of the other side; every use is a request to that side."""

    __slots__ = ("_endpoint", "_ref")

    def __init__(self, endpoint: Endpoint, ref: wire.Ref) -> None:
        object.__setattr__(self, "_endpoint", endpoint)
        object.__setattr__(self, "_ref", ref)

    def _ask(self, op: str, *args: Any, **fields: Any) -> Any:
        return object.__getattribute__(self, "_endpoint").request(op, self, *args, **fields)

    def short_type(self) -> str:
        ref = object.__getattribute__(self, "_ref")
        return ref.type_path.rpartition(".")[2] if not ref.is_class else "class " + ref.name

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # lets isinstance(proxy, cv2.dnn.Net) see the class it stands for
        ref = object.__getattribute__(self, "_ref")
        found = None if ref.is_class else resolve_class(ref.type_path)
        return found if found is not None else type(self)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__") and name not in _PUBLIC_DUNDERS:
            raise AttributeError(name)
        return self._ask("getattr", name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._ask("setattr", name, value)

    def __delattr__(self, name: str) -> None:
        self._ask("delattr", name)

    def __getitem__(self, key: Any) -> Any:
        return self._ask("getitem", key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._ask("setitem", key, value)

    def __delitem__(self, key: Any) -> None:
        self._ask("delitem", key)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._ask("call", *args, kwargs=kwargs)

    def __len__(self) -> int:
        return int(self._ask("len"))

    def __iter__(self):
        return iter(self._ask("iter"))

    def __contains__(self, value: Any) -> bool:
        return bool(self._ask("contains", value))

    def __bool__(self) -> bool:
        return bool(self._ask("bool"))

    def __repr__(self) -> str:
        return str(self._ask("repr"))

    def __str__(self) -> str:
        return str(self._ask("str"))

    def __instancecheck__(self, instance: Any) -> bool:
        return bool(self._ask("isinstance", instance))

    def __subclasscheck__(self, subclass: Any) -> bool:
        return bool(self._ask("issubclass", subclass))
