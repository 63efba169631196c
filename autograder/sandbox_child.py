"""The sandboxed process: runs a submission's cells and serves the grader's requests.

Started by :class:`autograder.sandbox.Sandbox` as
``python -m autograder.sandbox_child <socket fd> <settings JSON>``. It confines itself first
(:mod:`autograder.confine`), then runs each cell it is sent in an IPython shell (magics work,
displays are reduced to text) and answers the grader's requests on the objects the cells made.
"""
from __future__ import annotations

import json
import socket
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    fd, settings = int(argv[1]), json.loads(argv[2])
    from .confine import confine  # before anything starts a thread

    protections = confine(Path(settings["workdir"]), [Path(p) for p in settings["readable"]],
                          int(settings["memory_bytes"]), int(settings["file_bytes"]))

    from IPython.core.interactiveshell import InteractiveShell

    from .bridge import Endpoint, describe_exception

    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):  # ``%matplotlib inline`` asks for it; there is no GUI here
            pass

    shell = Shell.instance(history_length=0, colors="NoColor")
    shell.display_formatter.active_types = ["text/plain"]  # figures are not rendered to PNG

    def run_cell(message: dict, blobs: list[bytes]) -> dict | None:
        result = shell.run_cell(str(message.get("source", "")), store_history=False)
        error = result.error_before_exec or result.error_in_exec
        return None if error is None else describe_exception(error)

    def lookup(message: dict, blobs: list[bytes]):
        name = str(message.get("name", ""))
        if name not in shell.user_ns:
            raise NameError(f"name {name!r} is not defined")
        return shell.user_ns[name]

    def import_module(message: dict, blobs: list[bytes]):
        import importlib

        return importlib.import_module(str(message.get("name", "")))

    handlers = {"exec": run_cell, "lookup": lookup, "import": import_module,
                "protections": lambda message, blobs: protections}
    sock = socket.socket(fileno=fd)
    Endpoint(sock, trusts_peer=True, handlers=handlers).serve_forever()


if __name__ == "__main__":
    main(sys.argv)
