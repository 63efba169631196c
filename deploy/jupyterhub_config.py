"""JupyterHub configuration for the course: one instructor, students, nbgrader's exchange.

The instructor gets formgrader and the course directory (a clone of this repository);
students get the Assignments tab (fetch, submit, fetch feedback) and no instructor tools.
Before each server starts, ``configure_user`` writes the user's own Jupyter configuration
folder (nbgrader settings, instructor tools switched off for students: the lists are
``autograder.jupyter_setup``'s, shared with ``make start``) and points ``JUPYTER_CONFIG_DIR`` at
it, so it works with any spawner.

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
import os
from pathlib import Path

# The course's package, installed in the hub's Python too (README: "Quick start: classroom").
from autograder.jupyter_setup import nbgrader_config_text, write_config_dir

c = get_config()  # noqa: F821

COURSE_ID = "cnn-course"
INSTRUCTOR = os.environ.get("CNN_COURSE_INSTRUCTOR", "instructor")
STUDENTS = {name.strip() for name in os.environ.get("CNN_COURSE_STUDENTS", "").split(",") if name.strip()}
COURSE_DIR = Path(os.environ.get("CNN_COURSE_DIR", "/srv/cnn-course"))
EXCHANGE = Path(os.environ.get("CNN_COURSE_EXCHANGE", "/srv/nbgrader/exchange"))
USER_CONFIG = Path(os.environ.get("CNN_COURSE_USER_CONFIG", "/srv/nbgrader/users"))

c.Authenticator.admin_users = {INSTRUCTOR}
if STUDENTS:
    c.Authenticator.allowed_users = STUDENTS | {INSTRUCTOR}
c.Spawner.default_url = "/lab"


def nbgrader_settings(user: str) -> str:
    """The user's nbgrader_config.py: the shared exchange, and the course or the student id."""
    settings = [f"c.Exchange.root = {str(EXCHANGE)!r}", f"c.CourseDirectory.course_id = {COURSE_ID!r}"]
    if user == INSTRUCTOR:
        settings.append(f"c.CourseDirectory.root = {str(COURSE_DIR)!r}")
        return nbgrader_config_text(*settings, course_config=COURSE_DIR / "autograder" / "nbgrader_config.py")
    # nbgrader names a submission after the OS user; servers of one OS user (or TLJH's
    # "jupyter-<name>" users) need the hub name set explicitly.
    return nbgrader_config_text(*settings, f"c.CourseDirectory.student_id = {user!r}")


def configure_user(spawner) -> None:
    """Write the user's Jupyter configuration folder and point the server at it."""
    user = spawner.user.name
    folder = write_config_dir(USER_CONFIG / user, instructor=user == INSTRUCTOR, exchange=True,
                              nbgrader_config=nbgrader_settings(user))
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    spawner.environment["JUPYTER_CONFIG_DIR"] = str(folder)
    if user == INSTRUCTOR:
        spawner.environment["CNN_COURSE_ROOT"] = str(COURSE_DIR)


c.Spawner.pre_spawn_hook = configure_user
