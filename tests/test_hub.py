"""A real JupyterHub classroom round trip with nbgrader's exchange.

A hub on 127.0.0.1 with configurable-http-proxy and ``deploy/jupyterhub_config.py``; an
instructor and two students. The instructor releases lesson 01; through their own servers'
nbgrader API (what the Assignments tab calls) both students fetch it, alice completes it, bob
submits it untouched; the instructor collects, autogrades, grades alice's written answer by hand
through formgrader's HTTP API and exports grades; students fetch their feedback. The instructor
also runs the course's grader on the collected submissions: its feedback pages and LMS files
carry the grade given by hand.
"""
from __future__ import annotations

import csv
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import requests

from autograder import paths
from autograder.lesson_code import lesson_code
from course_catalogue.notebooks import completed_copy
from tests.pages import visible_text

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.xdist_group("hub")]

LESSON = "01_convolution"
PROXY = paths.COURSE_ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
STUDENTS = ("alice", "bob")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Hub:
    """A running hub and the calls the test makes to it."""

    def __init__(self, root: Path):
        if not PROXY.exists():
            pytest.fail(f"{PROXY} is missing: run `npm ci` in the repository (make test does it)")
        self.root, self.token = root, secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.course_dir = root / "home" / "instructor" / "cnn-course"
        self.exchange = root / "exchange"
        for name in ("solutions", "lessons", "autograder", "data"):
            shutil.copytree(paths.COURSE_ROOT / name, self.course_dir / name, ignore=shutil.ignore_patterns("__pycache__"))
        self.env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            "CNN_COURSE_INSTRUCTOR": "instructor",
            "CNN_COURSE_STUDENTS": ",".join(STUDENTS),
            "CNN_COURSE_DIR": str(self.course_dir),
            "CNN_COURSE_EXCHANGE": str(self.exchange),
            "CNN_COURSE_USER_CONFIG": str(root / "user-config"),
        }
        self.env.pop("JUPYTER_CONFIG_DIR", None)
        config = root / "jupyterhub_config.py"
        config.write_text(
            f"""
c = get_config()
load_subconfig({str(paths.COURSE_ROOT / 'deploy' / 'jupyterhub_config.py')!r})
c.JupyterHub.bind_url = {self.url!r}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {_free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.JupyterHub.db_url = "sqlite:///{root / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(root / 'cookie_secret')!r}
c.JupyterHub.pid_file = {str(root / 'hub.pid')!r}
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {secrets.token_hex(16)!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(root / 'home' / '{username}')!r}
c.Spawner.args = ["--allow-root"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.services = [{{"name": "course-test", "api_token": {self.token!r}}}]
c.JupyterHub.load_roles = [{{"name": "course-test",
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"],
    "services": ["course-test"]}}]
"""
        )
        self.log = open(root / "hub.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=root, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self._wait(lambda: requests.get(f"{self.url}/hub/api", timeout=2).ok, 60, "the hub did not start")

    def _wait(self, ready, seconds, what):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{what}: the hub exited\n{(self.root / 'hub.log').read_text()[-3000:]}")
            try:
                if ready():
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        pytest.fail(f"{what} within {seconds} s\n{(self.root / 'hub.log').read_text()[-3000:]}")

    def api(self, method, path, **kwargs):
        response = requests.request(
            method, f"{self.url}{path}", headers={"Authorization": f"token {self.token}"}, timeout=120, **kwargs
        )
        return response

    def start_server(self, user):
        response = self.api("POST", f"/hub/api/users/{user}/server")
        assert response.status_code in (201, 202), response.text
        self._wait(lambda: self.api("GET", f"/hub/api/users/{user}").json()["servers"][""]["ready"], 120,
                   f"{user}'s server did not start")

    def assignment_action(self, user, action):
        response = self.api("POST", f"/user/{user}/assignments/{action}",
                            data={"course_id": "cnn-course", "assignment_id": LESSON})
        assert response.ok, response.text
        reply = response.json()
        assert reply.get("success"), reply
        return reply["value"]

    def instructor(self, *args):
        """Run an nbgrader command as the instructor would in a terminal of their server."""
        env = {**self.env, "JUPYTER_CONFIG_DIR": str(self.root / "user-config" / "instructor")}
        result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.course_dir, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"nbgrader {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    def course_grader(self, *args):
        """Run the course's grader (``python -m autograder``) with the instructor's environment.

        It runs from the repository, whose lessons the course directory copies: the sandbox
        lets the student's process read the grader's own package, and the one installed in this
        environment (editable) is the repository's, not the copy's.
        """
        result = subprocess.run([sys.executable, "-m", "autograder", *args], cwd=paths.COURSE_ROOT, env=self.env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"autograder {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    def formgrader(self, method, path, **kwargs):
        """Call the instructor's formgrader API (what its grading page calls)."""
        response = self.api(method, f"/user/instructor/formgrader/api/{path}", **kwargs)
        assert response.ok, f"{method} {path}: {response.status_code} {response.text[:300]}"
        return response.json()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture
def hub(tmp_path):
    running = Hub(tmp_path)
    yield running
    running.stop()


def _hidden_test_lines() -> list[str]:
    """Lines of the lesson's hidden tests that its released notebook does not have, whitespace collapsed."""
    released = {line.strip() for cell in nbformat.read(paths.lesson_notebook(LESSON), as_version=4).cells
                for line in cell.source.splitlines()}
    return [re.sub(r"\s+", " ", line) for line in lesson_code(LESSON).hidden_lines if line not in released]


def test_release_fetch_submit_collect_autograde_export_feedback(hub, tmp_path):
    for user in ("instructor", *STUDENTS):
        hub.start_server(user)

    # tools: formgrader for the instructor only
    assert hub.api("GET", "/user/instructor/formgrader").status_code == 200
    assert hub.api("GET", "/user/alice/formgrader").status_code == 404

    hub.instructor("generate_assignment", LESSON, "--force")
    hub.instructor("release_assignment", LESSON, "--force")

    homes = {user: tmp_path / "home" / user for user in STUDENTS}
    for user in STUDENTS:
        listing = hub.assignment_action(user, "fetch")
        assert any(a["assignment_id"] == LESSON and a["status"] == "fetched" for a in listing), listing
    fetched = homes["alice"] / LESSON / f"{LESSON}.ipynb"
    assert fetched.exists()

    # alice completes her copy in her server (written through the contents API); bob does nothing
    completed = nbformat.read(completed_copy(tmp_path, LESSON), as_version=4)
    response = hub.api("PUT", f"/user/alice/api/contents/{LESSON}/{LESSON}.ipynb",
                       json={"type": "notebook", "format": "json", "content": completed})
    assert response.ok, response.text
    for user in STUDENTS:
        hub.assignment_action(user, "submit")

    hub.instructor("collect", LESSON)
    hub.instructor("autograde", LESSON, "--force")
    grades = _export(hub, tmp_path)
    max_score = float(grades["alice"]["max_score"])
    assert max_score == 18, grades["alice"]  # 16 points of tests, 2 of the written answer graded by hand
    assert float(grades["alice"]["score"]) == 16, grades["alice"]  # her written answer is not graded yet
    assert float(grades["bob"]["score"]) == 0, grades["bob"]

    # the instructor grades alice's written answer in formgrader (the calls its grading page makes)
    comment = "Right: the kernels are rotated by 180 degrees, and the network learns them either way."
    notebooks = hub.formgrader("GET", f"submitted_notebooks/{LESSON}/{LESSON}")
    submission = next(n["id"] for n in notebooks if n["student"] == "alice")
    written = next(g for g in hub.formgrader("GET", "grades", params={"submission_id": submission})
                   if g["name"] == "written_why_correlation")
    assert written["max_score"] == 2 and written["manual_score"] is None and written["needs_manual_grade"]
    hub.formgrader("PUT", f"grade/{written['id']}", json={"manual_score": 2, "extra_credit": 0})
    remark = next(c for c in hub.formgrader("GET", "comments", params={"submission_id": submission})
                  if c["name"] == "written_why_correlation")
    hub.formgrader("PUT", f"comment/{remark['id']}", json={"manual_comment": comment})
    grades = _export(hub, tmp_path)
    assert float(grades["alice"]["score"]) == max_score, grades["alice"]

    hub.instructor("generate_feedback", LESSON, "--force")
    hub.instructor("release_feedback", LESSON)
    received = {}
    for user in STUDENTS:
        hub.assignment_action(user, "fetch_feedback")
        feedback = list((homes[user] / LESSON / "feedback").rglob(f"{LESSON}.html"))
        assert len(feedback) == 1, f"{user} has no feedback"
        text = visible_text(feedback[0].read_text())
        received[f"{user} feedback"] = text
        received[f"{user} notebook"] = (homes[user] / LESSON / f"{LESSON}.ipynb").read_text()
    assert f"{LESSON} (Score: {max_score} / {max_score})" in received["alice feedback"]
    assert comment in received["alice feedback"]
    assert f"{LESSON} (Score: 0.0 / {max_score})" in received["bob feedback"]

    # the course's grader on the collected submissions: the grade given by hand in its feedback and LMS files
    ours = tmp_path / "ours"
    hub.course_grader("grade", str(hub.course_dir / "submitted"), "--gradebook", f"sqlite:///{hub.course_dir / 'gradebook.db'}",
                      "--feedback", str(ours / "feedback"), "--lms", str(ours / "lms"))
    alice, bob = (visible_text((ours / "feedback" / user / f"{LESSON}.html").read_text()) for user in STUDENTS)
    assert "Automatic score 16 / 16" in alice and "Grade: 2 / 2" in alice and comment in alice
    assert "Automatic score 0 / 16" in bob and "Grade: 0 / 2 (not answered)" in bob
    received.update({"alice's page from the course grader": alice, "bob's page from the course grader": bob})
    canvas = list(csv.reader((ours / "lms" / "canvas.csv").open()))
    assert canvas[1][-1] == "18" and ["alice", "", "", "alice", "", "18"] in canvas and ["bob", "", "", "bob", "", "0"] in canvas
    assert float(_export(hub, tmp_path)["alice"]["score"]) == max_score  # the course grader kept the grade given by hand

    hidden = _hidden_test_lines()
    assert len(hidden) >= 20
    for name, text in received.items():
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"hidden tests appear in {name}: {leaked[:3]}"


def _export(hub: Hub, tmp_path: Path) -> dict[str, dict]:
    """``nbgrader export``: each student's row."""
    grades_csv = tmp_path / "grades.csv"
    hub.instructor("export", "--to", str(grades_csv))
    return {row["student_id"]: row for row in csv.DictReader(grades_csv.open())}

