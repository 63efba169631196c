"""The Jupyter configuration folder of each kind of user: students see no instructor tools.

One folder per user, pointed at by ``JUPYTER_CONFIG_DIR`` (never the user's home configuration):
``jupyter_server_config.json`` switches nbgrader's server extensions on or off,
``labconfig/page_config.json`` its JupyterLab plugins, and ``nbgrader_config.py`` holds the
user's nbgrader settings. Two users of it:

- the Makefile: ``make start`` (a self-paced student: no instructor tools) and ``make instructor``
  (the instructor tools), neither with the exchange's Assignments tab (no classroom), through ``python -m autograder.jupyter_setup {student,instructor} FOLDER``;
- ``deploy/jupyterhub_config.py``: each hub user's folder (students with the exchange).

It imports only the standard library, so the hub's own Python can import it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .selfcheck import NBGRADER_KERNEL_ARGUMENT

#: nbgrader's instructor tools: formgrader, the course list, and Create Assignment in JupyterLab.
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
INSTRUCTOR_LAB_EXTENSIONS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
#: nbgrader's exchange for students (fetch, submit, feedback): only a classroom has one.
EXCHANGE_SERVER_EXTENSIONS = ("nbgrader.server_extensions.assignment_list",)
EXCHANGE_LAB_EXTENSIONS = ("@jupyter/nbgrader:assignment-list",)

#: The course's nbgrader configuration, which ``make instructor`` and a self-paced student load.
COURSE_NBGRADER_CONFIG = Path(__file__).resolve().parent / "nbgrader_config.py"


def write_config_dir(folder: Path, *, instructor: bool, exchange: bool, nbgrader_config: str) -> Path:
    """Write a user's Jupyter configuration folder and return it.

    Parameters
    ----------
    folder : Path
        The folder (created if needed); other files in it (JupyterLab's settings) are kept.
    instructor : bool
        Whether nbgrader's instructor tools are on.
    exchange : bool
        Whether the students' Assignments tab is on (a classroom with an exchange).
    nbgrader_config : str
        The text of the folder's ``nbgrader_config.py`` (see :func:`nbgrader_config_text`).
    """
    folder = Path(folder)
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    server = {name: instructor for name in INSTRUCTOR_SERVER_EXTENSIONS}
    server.update({name: exchange for name in EXCHANGE_SERVER_EXTENSIONS})
    lab = {name: not instructor for name in INSTRUCTOR_LAB_EXTENSIONS}
    lab.update({name: not exchange for name in EXCHANGE_LAB_EXTENSIONS})
    _write(folder / "jupyter_server_config.json", json.dumps({"ServerApp": {"jpserver_extensions": server}}, indent=2))
    _write(folder / "labconfig" / "page_config.json", json.dumps({"disabledExtensions": lab}, indent=2))
    _write(folder / "nbgrader_config.py", nbgrader_config)
    return folder


def nbgrader_config_text(*settings: str, course_config: Path | None = None) -> str:
    """The text of an ``nbgrader_config.py``: the course's configuration if given, then ``settings``.

    Without the course's configuration, the line that marks nbgrader's kernels (so that a
    lesson's self-check does nothing while nbgrader runs the notebook) is added; the course's
    configuration has it.
    """
    lines = ["c = get_config()"]
    if course_config is not None:
        lines.append(f"load_subconfig({str(course_config)!r})")
    lines += settings
    if course_config is None:
        lines.append(f"c.Execute.extra_arguments = [{NBGRADER_KERNEL_ARGUMENT!r}]")
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)


def main(argv: list[str]) -> int:
    """``python -m autograder.jupyter_setup {student,instructor} FOLDER``: a folder for ``make start`` or ``make instructor``."""
    if len(argv) != 2 or argv[0] not in ("student", "instructor"):
        print("usage: python -m autograder.jupyter_setup {student,instructor} FOLDER", file=sys.stderr)
        return 2
    write_config_dir(Path(argv[1]), instructor=argv[0] == "instructor", exchange=False,
                     nbgrader_config=nbgrader_config_text(course_config=COURSE_NBGRADER_CONFIG))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
