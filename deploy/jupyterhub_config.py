"""JupyterHub configuration for the course: one instructor, students, nbgrader's exchange.

The instructor gets formgrader and the course directory (a clone of this repository);
students get the Assignments tab (fetch, submit, fetch feedback) and no instructor tools.
Before each server starts, ``configure_user`` writes the user's own Jupyter configuration
folder (nbgrader settings, extensions switched off for students) and points
``JUPYTER_CONFIG_DIR`` at it, so it works with any spawner.

Settings, from the environment of the hub:

``CNN_COURSE_INSTRUCTOR``
    The instructor's hub user name (default ``instructor``); also a hub admin.
``CNN_COURSE_STUDENTS``
    Comma-separated hub user names allowed in; empty lets in anyone the authenticator accepts.
``CNN_COURSE_DIR``
    The instructor's course directory, a clone of this repository (default ``/srv/cnn-course``).
``CNN_COURSE_EXCHANGE``
    nbgrader's exchange folder, writable by every user (default ``/srv/nbgrader/exchange``).
``CNN_COURSE_USER_CONFIG``
    Where the per-user configuration folders go (default ``/srv/nbgrader/users``).

Authenticator, spawner and proxy are the deployment's choice (TLJH sets them); see README.md.
"""
import json
import os
from pathlib import Path

c = get_config()  # noqa: F821

COURSE_ID = "cnn-course"
INSTRUCTOR = os.environ.get("CNN_COURSE_INSTRUCTOR", "instructor")
STUDENTS = {name.strip() for name in os.environ.get("CNN_COURSE_STUDENTS", "").split(",") if name.strip()}
COURSE_DIR = Path(os.environ.get("CNN_COURSE_DIR", "/srv/cnn-course"))
EXCHANGE = Path(os.environ.get("CNN_COURSE_EXCHANGE", "/srv/nbgrader/exchange"))
USER_CONFIG = Path(os.environ.get("CNN_COURSE_USER_CONFIG", "/srv/nbgrader/users"))

#: nbgrader's instructor tools, switched off in students' servers and JupyterLab.
INSTRUCTOR_SERVER_EXTENSIONS = ["nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list"]
INSTRUCTOR_LAB_EXTENSIONS = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
]

c.Authenticator.admin_users = {INSTRUCTOR}
if STUDENTS:
    c.Authenticator.allowed_users = STUDENTS | {INSTRUCTOR}
c.Spawner.default_url = "/lab"


def nbgrader_settings(user: str) -> str:
    """The user's nbgrader_config.py: the shared exchange, and the course or the student id."""
    lines = [
        "c = get_config()  # noqa: F821",
        f"c.Exchange.root = {str(EXCHANGE)!r}",
        f"c.CourseDirectory.course_id = {COURSE_ID!r}",
    ]
    if user == INSTRUCTOR:
        lines.insert(1, f"load_subconfig({str(COURSE_DIR / 'autograder' / 'nbgrader_config.py')!r})  # noqa: F821")
        lines.append(f"c.CourseDirectory.root = {str(COURSE_DIR)!r}")
    else:
        # nbgrader names a submission after the OS user; servers of one OS user (or TLJH's
        # "jupyter-<name>" users) need the hub name set explicitly.
        lines.append(f"c.CourseDirectory.student_id = {user!r}")
    return "\n".join(lines) + "\n"


def configure_user(spawner) -> None:
    """Write the user's Jupyter configuration folder and point the server at it."""
    user = spawner.user.name
    folder = USER_CONFIG / user
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text(nbgrader_settings(user))
    student = user != INSTRUCTOR
    server = {"ServerApp": {"jpserver_extensions": {name: not student for name in INSTRUCTOR_SERVER_EXTENSIONS}}}
    (folder / "jupyter_server_config.json").write_text(json.dumps(server, indent=2))
    lab = {"disabledExtensions": {name: student for name in INSTRUCTOR_LAB_EXTENSIONS}}
    (folder / "labconfig" / "page_config.json").write_text(json.dumps(lab, indent=2))
    for path in [folder, folder / "labconfig", *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    spawner.environment["JUPYTER_CONFIG_DIR"] = str(folder)
    if user == INSTRUCTOR:
        spawner.environment["CNN_COURSE_ROOT"] = str(COURSE_DIR)


c.Spawner.pre_spawn_hook = configure_user
