"""The app's browser tests: ``smsp app`` started as a user starts it, and Debian's chromium.

Playwright (Python) with ``/usr/bin/chromium`` (never ``playwright install``): a missing
browser FAILS, it does not skip. The app runs on its own sandbox (no API key: seed 0); the
expected numbers come from an independent ``Client()`` whose sandbox has the same seed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import pytest
import requests
from playwright.sync_api import sync_playwright

from smsp_analytics import app
from smsp_analytics.app.explorer import ACK_WAIT_ENV
from smsp_analytics.client.facade import Client

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

# What webpack says when a front-end extension was built against other versions of
# JupyterLab's packages than the page has (issue 18: none may be logged).
VERSION_WARNING = "Unsatisfied version"

# Where the running apps write (Voila and its kernels): quoted when a browser check fails.
app_logs: list[Path] = []

#: Seconds the shared app's panel waits for a figure's view to acknowledge an update before
#: drawing it afresh (5 in use): a deaf figure is found sooner, a slow one costs a redraw.
ACK_WAIT_S = "2"


def app_log_tail(lines: int = 40) -> str:
    return (
        "\n".join(app_logs[-1].read_text(errors="replace").splitlines()[-lines:])
        if app_logs
        else "(no app log)"
    )


def kill_tree(proc: subprocess.Popen) -> None:
    """Stop the app, Voila and its kernels (kernels run in their own session)."""
    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    for p in family:
        try:
            p.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(family, timeout=5)
    for p in alive:
        p.kill()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@contextmanager
def running_app(log_path: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``smsp app --port N [options]`` running until the block ends, with ``env`` added to
    its environment; yields its URL."""
    port = app.free_port()
    env = {k: v for k, v in {**os.environ, **(env or {})}.items() if k != "SMSPARTNER_API_KEY"}
    smsp = Path(sys.executable).with_name("smsp")
    cmd = [str(smsp)] if smsp.exists() else [sys.executable, "-m", "smsp_analytics.cli.main"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [*cmd, "app", "--port", str(port), *options],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        # Readiness: any HTTP answer on a static path (polling "/" would start a kernel).
        deadline = time.monotonic() + 40
        while True:
            assert proc.poll() is None, f"smsp app exited: {log_path.read_text()}"
            try:
                requests.get(url + "voila/static/x.js", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, f"app not up: {log_path.read_text()}"
                time.sleep(0.2)
        assert f"serving the audience explorer at {url}" in log_path.read_text()
        app_logs.append(log_path)
        yield url
    finally:
        kill_tree(proc)


class Page:
    """A chromium page and what it reported: script errors (``errors``) and console
    warnings and errors (``console``), filled as they come."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.console: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on(
            "console",
            lambda m: (
                self.console.append(f"{m.type}: {m.text}")
                if m.type in ("warning", "error")
                else None
            ),
        )

    def version_warnings(self) -> list[str]:
        return [c for c in self.console if VERSION_WARNING in c]


@contextmanager
def open_page() -> Iterator[Page]:
    """A page in Debian's chromium."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield Page(browser.new_page(viewport={"width": 1280, "height": 2000}))
        finally:
            browser.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """One app for the module's tests (the first page takes the kernel Voila prepared at its
    start, the next one the kernel it prepares a few seconds later)."""
    log = tmp_path_factory.mktemp("app") / "app.log"
    with running_app(log, env={ACK_WAIT_ENV: ACK_WAIT_S}) as url:
        yield url


@pytest.fixture(scope="module")
def oracle():
    c = Client(announce=False, memo=False, cache=False)
    yield c
    c.close()


@pytest.fixture
def browser_page():
    """``with browser_page() as tab:`` a :class:`Page` in Debian's chromium."""
    return open_page


@pytest.fixture
def log_tail():
    """The end of the running app's log, to quote when a check fails."""
    return app_log_tail


@pytest.fixture
def start_app():
    """``with start_app(log_path, *options) as url:`` another ``smsp app`` running."""
    return running_app
