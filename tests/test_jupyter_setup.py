"""Jupyter's configuration for each kind of user: `make start` and hub students see no instructor tools."""
from __future__ import annotations

import html
import importlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from traitlets.config import Config

from autograder import jupyter_setup, paths
from autograder.selfcheck import NBGRADER_KERNEL_ARGUMENT

TOOLS = jupyter_setup.INSTRUCTOR_LAB_EXTENSIONS + jupyter_setup.EXCHANGE_LAB_EXTENSIONS


def _read(folder: Path) -> tuple[dict, dict, str]:
    server = json.loads((folder / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
    lab = json.loads((folder / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    return server, lab, (folder / "nbgrader_config.py").read_text()


def test_a_self_paced_student_gets_no_instructor_tool_and_no_exchange(tmp_path):
    assert jupyter_setup.main(["student", str(tmp_path / "student")]) == 0
    server, lab, nbgrader = _read(tmp_path / "student")
    assert server == dict.fromkeys(jupyter_setup.INSTRUCTOR_SERVER_EXTENSIONS + jupyter_setup.EXCHANGE_SERVER_EXTENSIONS, False)
    assert lab == dict.fromkeys(TOOLS, True)
    assert nbgrader == f"c = get_config()\nload_subconfig({str(jupyter_setup.COURSE_NBGRADER_CONFIG)!r})\n"


def test_the_instructor_gets_the_tools(tmp_path):
    assert jupyter_setup.main(["instructor", str(tmp_path / "instructor")]) == 0
    server, lab, _ = _read(tmp_path / "instructor")
    assert all(server[name] for name in jupyter_setup.INSTRUCTOR_SERVER_EXTENSIONS)
    assert not any(lab[name] for name in jupyter_setup.INSTRUCTOR_LAB_EXTENSIONS)
    assert jupyter_setup.main(["teacher", str(tmp_path / "x")]) == 2 and not (tmp_path / "x").exists()


def test_the_folder_keeps_the_users_own_settings(tmp_path):
    settings = tmp_path / "student" / "lab" / "user-settings" / "theme.jupyterlab-settings"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"theme": "JupyterLab Dark"}')
    jupyter_setup.main(["student", str(tmp_path / "student")])
    assert settings.read_text() == '{"theme": "JupyterLab Dark"}'


def test_the_tools_named_are_nbgraders():
    for name in jupyter_setup.INSTRUCTOR_SERVER_EXTENSIONS + jupyter_setup.EXCHANGE_SERVER_EXTENSIONS:
        importlib.import_module(name)
    import nbgrader

    static = Path(nbgrader.__file__).parent.parent.parent.parent.parent / "share" / "jupyter" / "labextensions"
    plugins = set().union(*(re.findall(r'"(@jupyter/nbgrader:[a-z-]+)"', p.read_text(errors="replace"))
                            for p in (static / "@jupyter" / "nbgrader" / "static").glob("*.js")))
    assert set(TOOLS) <= plugins, f"nbgrader's JupyterLab plugins are {sorted(plugins)}"


def _hub_config(tmp_path: Path, monkeypatch) -> dict:
    monkeypatch.setenv("CNN_COURSE_USER_CONFIG", str(tmp_path / "users"))
    monkeypatch.setenv("CNN_COURSE_DIR", "/srv/course")
    namespace = {"get_config": Config}
    exec(compile((paths.COURSE_ROOT / "deploy" / "jupyterhub_config.py").read_text(), "jupyterhub_config.py", "exec"),  # noqa: S102  (the course's own hub configuration)
         namespace)
    return namespace


def test_the_hub_gives_its_users_the_same_folders(tmp_path, monkeypatch):
    hub = _hub_config(tmp_path, monkeypatch)
    for user in ("alice", "instructor"):
        spawner = SimpleNamespace(user=SimpleNamespace(name=user), environment={})
        hub["configure_user"](spawner)
        folder = tmp_path / "users" / user
        assert spawner.environment["JUPYTER_CONFIG_DIR"] == str(folder)
        server, lab, nbgrader = _read(folder)
        instructor = user == "instructor"
        assert server == {**dict.fromkeys(jupyter_setup.INSTRUCTOR_SERVER_EXTENSIONS, instructor),
                          **dict.fromkeys(jupyter_setup.EXCHANGE_SERVER_EXTENSIONS, True)}
        assert lab == {**dict.fromkeys(jupyter_setup.INSTRUCTOR_LAB_EXTENSIONS, not instructor),
                       **dict.fromkeys(jupyter_setup.EXCHANGE_LAB_EXTENSIONS, False)}
        if instructor:
            assert "load_subconfig('/srv/course/autograder/nbgrader_config.py')" in nbgrader
        else:
            assert "c.CourseDirectory.student_id = 'alice'" in nbgrader and repr(NBGRADER_KERNEL_ARGUMENT) in nbgrader


def _start_lab(config_dir: Path, root: Path, log: Path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = secrets.token_hex(16)
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"],
        env={**_clean_environment(), "JUPYTER_CONFIG_DIR": str(config_dir)}, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/api/status", params={"token": token}, timeout=2).ok:
                return process, url, token
        except requests.ConnectionError:
            time.sleep(0.5)
    process.kill()
    pytest.fail(f"JupyterLab did not start:\n{log.read_text()[-3000:]}")


def _clean_environment() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_CONFIG")}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["student", "instructor"])
def test_jupyterlab_started_with_the_folder_shows_the_right_tools(kind, tmp_path):
    """What `make start` and `make instructor` run, checked on the server (the lead's browser test clicks)."""
    subprocess.run([sys.executable, "-m", "autograder.jupyter_setup", kind, str(tmp_path / kind)], check=True)
    process, url, token = _start_lab(tmp_path / kind, paths.COURSE_ROOT, tmp_path / "lab.log")
    try:
        page = requests.get(f"{url}/lab", params={"token": token}, timeout=30).text
        config = json.loads(html.unescape(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S)[1]))
        disabled = set(config["disabledExtensions"])
        formgrader = requests.get(f"{url}/formgrader", params={"token": token}, timeout=60).status_code
    finally:
        process.terminate()
        process.wait(timeout=30)
    if kind == "student":
        assert set(TOOLS) <= disabled and formgrader == 404
    else:
        assert not set(jupyter_setup.INSTRUCTOR_LAB_EXTENSIONS) & disabled and formgrader == 200
