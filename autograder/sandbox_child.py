"""The sandboxed process: runs a submission's cells and serves the grader's requests.

:mod:`autograder.zygote` forks it and calls :func:`serve` (or, where a fork must not go on,
executes ``python -m autograder.sandbox_child <socket fd> <settings JSON>``, which does). It confines itself first
(:mod:`autograder.confine`), then runs each cell it is sent in an IPython shell (magics work,
displays are reduced to text) and answers the grader's requests on the objects the cells made.
"""
from __future__ import annotations

import importlib
import json
import socket
import sys
from pathlib import Path
from typing import Any

from IPython.core.interactiveshell import InteractiveShell

from .bridge import Endpoint, describe_exception
from .confine import confine


class _Shell(InteractiveShell):
    def enable_gui(self, gui=None):  # ``%matplotlib inline`` asks for it; there is no GUI here
        pass


def serve(fd: int, settings: dict[str, Any]) -> None:
    """Confine this process, then serve the grader on socket ``fd`` until it closes the connection.

    ``settings`` holds ``workdir`` (the only folder it may write), ``readable`` (folders it may
    read besides Python and the system), ``memory_bytes``, ``file_bytes`` and ``printed_output``.
    """
    protections = confine(Path(settings["workdir"]), [Path(p) for p in settings["readable"]],
                          int(settings["memory_bytes"]), int(settings["file_bytes"]))
    shell = _Shell.instance(history_length=0, colors="NoColor")
    shell.display_formatter.active_types = ["text/plain"]  # figures are not rendered to PNG

    def run_cell(message: dict, blobs: list[bytes]) -> dict | None:
        result = shell.run_cell(str(message.get("source", "")), store_history=False)
        error = result.error_before_exec or result.error_in_exec
        return None if error is None else describe_exception(error)

    def lookup(message: dict, blobs: list[bytes]) -> Any:
        name = str(message.get("name", ""))
        if name not in shell.user_ns:
            raise NameError(f"name {name!r} is not defined")
        return shell.user_ns[name]

    def import_module(message: dict, blobs: list[bytes]) -> Any:
        return importlib.import_module(str(message.get("name", "")))

    handlers = {"exec": run_cell, "lookup": lookup, "import": import_module,
                "protections": lambda message, blobs: protections}
    endpoint = Endpoint(socket.socket(fileno=fd), trusts_peer=True, handlers=handlers,
                        max_printed=int(settings["printed_output"]))
    endpoint.serve_forever()


if __name__ == "__main__":
    serve(int(sys.argv[1]), json.loads(sys.argv[2]))
