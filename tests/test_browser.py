"""The lessons in a real browser: JupyterLab in headless Chromium, driven by Playwright.

For every solution notebook and for the shipped lesson 01: open it, run all cells, and check
that figures appear, that widgets render and respond to a slider moved with the keyboard, that a
folded answer opens when its summary is clicked, that the self-check (the last cell) gives a
solution full marks, and that the page logs no JavaScript error. Screenshots go to ``artifacts/browser/``.
Chromium is Debian's (``apt-get install chromium``); Playwright never downloads a browser.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from autograder import paths

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = paths.COURSE_ROOT / "artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: JupyterLab settings for a quiet, fully rendered page: no news pop-up, no virtual scrolling.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
#: Notebooks opened: every solution, and the lesson that students run before writing any code.
NOTEBOOKS = [f"solutions/{lesson}/{lesson}.ipynb" for lesson in paths.lesson_ids()] + [
    "lessons/01_convolution/01_convolution.ipynb"
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a scratch copy of lessons/ and solutions/ (running cells saves outputs)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium (`apt-get install chromium`; make test does it)")
    root = tmp_path_factory.mktemp("lab")
    for name in ("lessons", "solutions"):
        shutil.copytree(paths.COURSE_ROOT / name, root / name)
    settings = root / ".settings"
    for name, value in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(value))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = secrets.token_hex(16)
    log = open(root / "lab.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={root / '.workspaces'}"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/api/status", params={"token": token}, timeout=2).ok:
                break
        except requests.RequestException:
            time.sleep(0.5)
    else:
        pytest.fail(f"JupyterLab did not start:\n{(root / 'lab.log').read_text()[-3000:]}")
    yield url, token
    process.terminate()
    process.wait(30)
    log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium")), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000},
        )
        yield context
        context.close()


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab_with_figures_and_widgets(lab, browser, notebook):
    url, token = lab
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    workspace = notebook.replace("/", "-").removesuffix(".ipynb")  # a fresh workspace: this notebook alone
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    _wait_for_kernel(url, token, notebook)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)

    page.click("#jp-MainMenu >> text=Run")
    page.click("li.lm-Menu-item[data-command='runmenu:run-all']")
    _wait_for_all_cells(page, notebook)
    source = (paths.COURSE_ROOT / notebook).read_text()
    if notebook.startswith("solutions/") and ("plt." in source or "show_" in source):
        assert page.locator(".jp-RenderedImage img").count() > 0, "no matplotlib figure appeared"

    if notebook.startswith("solutions/") and f'self_check(\\"{Path(notebook).stem}\\")' in source:
        _expect_full_marks_from_the_self_check(page, Path(notebook).name)
    if "<details>" in source:
        _expect_an_answer_opens(page)

    sliders = page.locator(".widget-slider")
    if "widget" in source or "explorer" in source:
        page.wait_for_selector(".jupyter-widgets", timeout=30_000)
        assert sliders.count() > 0, "the notebook's widgets did not render"
    if sliders.count():
        output = sliders.first.locator("xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')]").first
        before = output.inner_html()
        handle = sliders.first.locator(".noUi-handle").first
        handle.focus()
        for _ in range(3):
            handle.press("ArrowRight")
        page.wait_for_timeout(800)
        assert output.inner_html() != before, "moving the slider did not change the widget's output"
        output.scroll_into_view_if_needed()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{notebook.replace('/', '_').removesuffix('.ipynb')}.png"))
    page.close()
    assert not errors, f"JavaScript console errors: {errors[:5]}"


def _expect_full_marks_from_the_self_check(page, name: str) -> None:
    """The last cell graded the saved solution: its table says full marks, e.g. "16 / 16 points"."""
    summary = page.locator(".jp-OutputArea-output", has_text=f"Self-check of {name}").last
    summary.wait_for(timeout=30_000)
    text = summary.inner_text()
    match = re.search(r"(\d+(?:\.\d+)?) / (\d+(?:\.\d+)?) points", text)
    assert match and match[1] == match[2] and float(match[2]) > 0, f"the self-check did not give full marks: {text[:500]}"


def _expect_an_answer_opens(page) -> None:
    """A "predict, then run" answer is folded until its summary is clicked."""
    answer = page.locator(".jp-RenderedMarkdown details").first
    answer.scroll_into_view_if_needed()
    assert answer.get_attribute("open") is None, "an answer is shown before the student asks for it"
    answer.locator("summary").first.click()
    page.wait_for_function("element => element.open", arg=answer.element_handle(), timeout=5_000)


def _wait_for_all_cells(page, notebook: str) -> None:
    """Wait until run-all has finished: the kernel idle and no cell waiting (``[*]``)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
                const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
                return prompts.some(p => /\\[\\d+\\]/.test(p.textContent))
                    && !prompts.some(p => p.textContent.includes('*'))
                    && indicator && indicator.dataset.status === 'idle';
            }""",
            timeout=180_000,
        )
    except PlaywrightTimeout:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"TIMEOUT_{notebook.replace('/', '_')}.png"))
        raise


def _wait_for_kernel(url: str, token: str, notebook: str, seconds: float = 120) -> None:
    """Wait until the notebook's kernel has started and is idle (run-all before that does nothing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sessions = requests.get(f"{url}/api/sessions", params={"token": token}, timeout=10).json()
        states = [s["kernel"]["execution_state"] for s in sessions if s.get("path", "").endswith(notebook)]
        if states == ["idle"]:
            return
        time.sleep(0.5)
    pytest.fail(f"the kernel of {notebook} did not become idle within {seconds} s")
