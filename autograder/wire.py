"""Plain data on a socket: the only thing the grader and a sandboxed submission exchange.

A message is a JSON header followed by binary blobs (NumPy arrays in ``.npy`` format, bytes).
Nothing is ever unpickled: arrays are read with ``allow_pickle=False``, so a message can carry
numbers, strings, lists, tuples, dicts, paths, bytes and NumPy arrays of plain dtypes, and
nothing that runs code when it is read. Objects that are not plain data travel as references
(:class:`Ref`), which the receiving side turns into proxies (see :mod:`autograder.bridge`).

Frame layout: ``u64 header length, header, u32 blob count, (u64 length, bytes) * count``.
"""
from __future__ import annotations

import io
import json
import socket
import struct
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, Callable

import numpy as np

#: Containers nested deeper than this are sent as references.
MAX_DEPTH = 32

#: Characters of a type's or a function's name read from a reference.
MAX_NAME = 200


#: The types of ``d.keys()``, ``d.values()`` and ``d.items()``: sent as lists.
_DICT_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))


class WireError(Exception):
    """The other side broke the protocol or went away."""


class ByReference:
    """Base class of objects that :func:`encode` always sends as references (proxies).

    Tested by type, never with ``isinstance``: a proxy's ``__class__`` names the class it stands for.
    """

    __slots__ = ()

    def short_type(self) -> str:
        """The name of the type of the object it stands for, known without asking the other side."""
        raise NotImplementedError


@dataclass(frozen=True)
class Ref:
    """An object that stays on one side, named by its id there.

    ``owner`` is ``"local"`` for an object of this side's table and ``"remote"`` for one of the
    peer's (a proxy being sent back). ``type_path`` is ``module.qualname`` of the object's type
    (of the object itself for a class), and ``name`` the qualified name of a function, method or
    class (empty for other objects), as the side that holds it reports them.
    """

    id: int
    owner: str
    type_path: str = ""
    is_class: bool = False
    name: str = ""


def send(sock: socket.socket, header: dict, blobs: list[bytes]) -> None:
    """Send one message."""
    raw = json.dumps(header, allow_nan=True).encode()
    parts = [struct.pack("<Q", len(raw)), raw, struct.pack("<I", len(blobs))]
    for blob in blobs:
        parts += [struct.pack("<Q", len(blob)), blob]
    sock.sendall(b"".join(parts))


def receive(sock: socket.socket, limit: int | None = None) -> tuple[dict, list[bytes]]:
    """Receive one message, refusing one larger than ``limit`` bytes in all (None: no limit)."""
    budget = [float("inf") if limit is None else limit]

    def take(size: int) -> bytes:
        if size > budget[0]:
            raise WireError(f"the submission sent a message larger than {limit / (1 << 20):g} MiB")
        budget[0] -= size
        chunks, left = [], size
        while left:
            chunk = sock.recv(min(left, 1 << 22))
            if not chunk:
                raise WireError("the connection closed in the middle of a message")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    (length,) = struct.unpack("<Q", take(8))
    try:
        header = json.loads(take(length))
    except (ValueError, RecursionError) as error:
        raise WireError(f"unreadable message header ({error})") from None
    (count,) = struct.unpack("<I", take(4))
    blobs = [take(struct.unpack("<Q", take(8))[0]) for _ in range(count)]
    if not isinstance(header, dict):
        raise WireError("a message header is not a JSON object")
    return header, blobs


def encode(value: Any, blobs: list[bytes], reference: Callable[[Any], Ref], depth: int = 0) -> Any:
    """Turn ``value`` into JSON-able data, appending binary parts to ``blobs``.

    ``reference(obj)`` is called for every object that is not plain data; it returns the
    :class:`Ref` to send in its place.
    """
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return {"t": "float", "v": repr(value)}
    if depth > MAX_DEPTH or issubclass(type(value), ByReference):
        return reference_data(reference(value))
    if isinstance(value, np.ndarray) and not value.dtype.hasobject:  # a subclass goes as a plain array
        return {"t": "nd", "b": _blob(blobs, _npy(np.asarray(value)))}
    if isinstance(value, np.generic) and not isinstance(value, np.object_):
        return {"t": "np", "b": _blob(blobs, _npy(np.asarray(value)))}
    if type(value) in (bytes, bytearray):
        return {"t": "bytes", "b": _blob(blobs, bytes(value))}
    if type(value) in (tuple, list) or type(value) in _DICT_VIEWS:
        kind = "tuple" if type(value) is tuple else "list"
        return {"t": kind, "v": [encode(v, blobs, reference, depth + 1) for v in value]}
    if type(value) is dict:
        return {"t": "dict", "v": [[encode(k, blobs, reference, depth + 1), encode(v, blobs, reference, depth + 1)]
                                   for k, v in value.items()]}
    if isinstance(value, PurePath) and type(value).__module__ == "pathlib":
        return {"t": "path", "v": str(value)}
    return reference_data(reference(value))


def decode(data: Any, blobs: list[bytes], dereference: Callable[[Ref], Any]) -> Any:
    """Invert :func:`encode`; ``dereference(ref)`` turns a reference into an object or proxy."""
    if data is None or type(data) in (bool, int, str):
        return data
    if type(data) is not dict or "t" not in data:
        raise WireError(f"malformed value {str(data)[:80]!r}")
    kind = data["t"]
    if kind == "float":
        return float(data["v"])
    if kind == "nd":
        return _array(blobs[data["b"]])
    if kind == "np":
        return _array(blobs[data["b"]])[()]
    if kind == "bytes":
        return blobs[data["b"]]
    if kind == "tuple":
        return tuple(decode(v, blobs, dereference) for v in data["v"])
    if kind == "list":
        return [decode(v, blobs, dereference) for v in data["v"]]
    if kind == "dict":
        return {decode(k, blobs, dereference): decode(v, blobs, dereference) for k, v in data["v"]}
    if kind == "path":
        return Path(data["v"])
    if kind == "ref":
        owner = "remote" if data["owner"] == "sender" else "local"
        return dereference(Ref(int(data["id"]), owner, str(data.get("type", ""))[:MAX_NAME],
                               bool(data.get("class")), str(data.get("name", ""))[:MAX_NAME]))
    raise WireError(f"unknown value kind {kind!r}")


def reference_data(ref: Ref) -> dict:
    """The encoded form of a reference (``owner`` as the receiver will read it)."""
    owner = "sender" if ref.owner == "local" else "receiver"
    return {"t": "ref", "id": ref.id, "owner": owner, "type": ref.type_path, "class": ref.is_class, "name": ref.name}


def _blob(blobs: list[bytes], blob: bytes) -> int:
    blobs.append(blob)
    return len(blobs) - 1


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _array(blob: bytes) -> np.ndarray:
    try:
        return np.load(io.BytesIO(blob), allow_pickle=False)
    except ValueError as error:
        raise WireError(f"unreadable array ({error})") from None
