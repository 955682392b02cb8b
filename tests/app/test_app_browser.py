"""``smsp app`` end to end: Voila serving the explorer, driven in Debian's chromium.

Playwright (Python) with ``/usr/bin/chromium`` (never ``playwright install``): a missing
browser FAILS, it does not skip. The app runs on its own sandbox (no API key: seed 0);
the expected numbers come from an independent ``Client()`` whose sandbox has the same seed.
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
from urllib.parse import urlparse

import psutil
import pytest
import requests
from playwright.sync_api import expect, sync_playwright

from smsp_analytics import app, refdata
from smsp_analytics.client.facade import Client
from smsp_analytics.display import department_label
from smsp_analytics.targeting import Targeting

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_app_command_line():
    cmd = app.voila_command(9123)
    assert cmd[:3] == [sys.executable, "-m", "voila"]
    assert Path(cmd[3]) == app.notebook_path() and app.notebook_path().is_file()
    assert "--port=9123" in cmd and "--Voila.ip=127.0.0.1" in cmd and "--no-browser" in cmd
    source = app.notebook_path().read_text(encoding="utf-8")
    assert "from smsp_analytics.panel import panel" in source and "panel()" in source


def _kill_tree(proc: subprocess.Popen) -> None:
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


# Where the running app writes (Voila and its kernel): quoted when a browser check fails.
app_logs: list[Path] = []

# anywidget drops every kernel message to a model whose module took over 2 s to load, and
# says so in the page; the panel then redraws that figure (panel/_live.py). Expected on a
# busy machine, and forced by test_a_figure_that_stops_listening_is_drawn_afresh.
ANYWIDGET_SLOW = "[anywidget] Failed to initialize model."

# Makes the page take 2.5 s to load each of the first ``n`` big modules (plotly's figure
# module is 5 MB, loaded once per figure), as a busy machine does.
SLOW_MODULES = """
  const make = URL.createObjectURL;
  let slowed = 0;
  URL.createObjectURL = function (blob) {
    if (blob && blob.size > 1000000 && slowed < %d) {
      slowed += 1;
      const until = Date.now() + 2500;
      while (Date.now() < until) {}
    }
    return make.apply(this, arguments);
  };
"""


def app_log_tail(lines: int = 40) -> str:
    return (
        "\n".join(app_logs[-1].read_text(errors="replace").splitlines()[-lines:])
        if app_logs
        else "(no app log)"
    )


def assert_two_departments_coloured(page, seconds: float, errors: list[str]) -> None:
    """Within ``seconds``: the map colours exactly Oise and Paris (Paris twice: map and
    inset), in two colours (different volumes); every other department is grey."""
    coloured = """() => [...document.querySelectorAll('.smsp-map path.js-fill')]
        .map(e => e.style.fill).filter(f => f && f !== 'rgb(217, 217, 217)')"""
    deadline = time.monotonic() + seconds
    fills = page.evaluate(coloured)
    while not (len(fills) == 3 and len(set(fills)) == 2) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        fills = page.evaluate(coloured)
    assert len(fills) == 3 and len(set(fills)) == 2, (
        f"map fills: {len(fills)} coloured, {sorted(set(fills))[:4]}...\n"
        f"page errors: {errors}\napp log:\n{app_log_tail()}"
    )


@contextmanager
def browser_page() -> Iterator[tuple[Any, list[str]]]:
    """A page in Debian's chromium, and the script errors it raises (filled as they come)."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 2000})
            page.on("pageerror", lambda e: errors.append(str(e)))
            yield page, errors
        finally:
            browser.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    port = app.free_port()
    log_path = tmp_path_factory.mktemp("app") / "app.log"
    env = {k: v for k, v in os.environ.items() if k != "SMSPARTNER_API_KEY"}
    smsp = Path(sys.executable).with_name("smsp")
    cmd = [str(smsp)] if smsp.exists() else [sys.executable, "-m", "smsp_analytics.cli.main"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [*cmd, "app", "--port", str(port)],
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
        _kill_tree(proc)


def count(frame) -> str:
    """The headline's text for a calcul frame: total contacts with thousands separators."""
    return f"{int(frame.attrs['total_quantity']):,}"


@pytest.fixture(scope="module")
def oracle():
    c = Client(announce=False, memo=False, cache=False)
    yield c
    c.close()


def test_app_in_a_real_browser(app_url, oracle, tmp_path):
    base = dict(interest=14)
    # No department picked: the panel asks for all 101 departments (bars and map filled).
    everywhere = tuple(refdata.department_codes())
    nationwide = oracle.calcul(Targeting(age=(18, 98), departments=everywhere, **base))
    older = oracle.calcul(Targeting(age=(19, 98), departments=everywhere, **base))
    oise = oracle.calcul(Targeting(age=(19, 98), departments=("60",), **base))
    two = oracle.calcul(Targeting(age=(19, 98), departments=("60", "75"), **base))
    with browser_page() as (page, errors):
        outside: list[str] = []
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
                and urlparse(r.url).hostname not in ("127.0.0.1", "localhost")
                else None
            ),
        )
        page.goto(app_url, timeout=60_000)
        volume = page.locator(".smsp-volume")
        expect(volume).to_have_count(1, timeout=40_000)
        expect(volume).to_have_text(count(nationwide))
        expect(page.locator(".smsp-synthetic-banner")).to_have_count(1)
        bars = page.locator(".smsp-bars")
        expect(bars.locator("g.point")).to_have_count(101, timeout=20_000)
        # The page is ready when the map is drawn too (every department, plus Paris and
        # its inner ring again in the inset): only then does the analyst act on it. Under
        # load the map's view renders seconds after the bars'.
        expect(page.locator(".smsp-map path.js-fill")).to_have_count(101 + 4, timeout=40_000)

        # Age slider: lower handle one step right -> 19-98.
        handle = page.locator(".widget-slider .noUi-handle").first
        handle.focus()
        handle.press("ArrowRight")
        expect(volume).to_have_text(count(older), timeout=20_000)
        assert older.attrs["total_quantity"] != nationwide.attrs["total_quantity"]

        # One department, then two: headline and bars follow.
        select = page.locator(".widget-select-multiple select")
        select.select_option(label="60 Oise")
        expect(volume).to_have_text(count(oise), timeout=20_000)
        expect(bars.locator(".xtick text")).to_have_text(["60 Oise"], timeout=20_000)
        expect(bars.locator("text.bartext")).to_have_text([f"{int(oise['volume'].sum()):,}"])

        select.select_option(label=["60 Oise", "75 Paris"])
        expect(volume).to_have_text(count(two), timeout=20_000)
        rows = two.set_index("locality")["volume"].astype(int)
        order = list(rows.sort_values(ascending=False).index)
        expect(bars.locator(".xtick text")).to_have_text(
            [department_label(c) for c in order], timeout=20_000
        )
        expect(bars.locator("text.bartext")).to_have_text([f"{rows[c]:,}" for c in order])
        cost = page.locator(".smsp-cost-eur")
        expect(cost).to_have_text(f"€{two.attrs['total_cost_eur']:,.2f}")
        # The map drew every department shape (no network needed), plus Paris and its
        # inner ring again in the inset, and coloured exactly the two targeted ones, in
        # different colours (different volumes); Paris twice (map and inset).
        expect(page.locator(".smsp-map path.js-fill")).to_have_count(101 + 4)
        assert_two_departments_coloured(page, 20, errors)

        # An invalid zip code typed in the browser: inline message naming the field,
        # headline unchanged.
        zips = page.locator("input[placeholder='e.g. 60200, 02200']")
        zips.fill("6020x")
        zips.press("Enter")
        message = page.locator(".smsp-error-field[data-field='zipcodes']")
        expect(message).to_have_count(1, timeout=20_000)
        expect(message).to_contain_text("Zip codes")
        expect(volume).to_have_text(count(two))
        assert "Traceback" not in page.content()

        ARTIFACTS.mkdir(exist_ok=True)
        shot = page.screenshot(full_page=True)
        (ARTIFACTS / "app_browser.png").write_bytes(shot)
        (tmp_path / "app_browser.png").write_bytes(shot)
    assert [e for e in errors if ANYWIDGET_SLOW not in e] == [], (
        f"script errors in the page: {errors}"
    )
    # Nothing leaves the machine: the map needs no CDN, and the app's Voila template drops
    # the Font Awesome links of Voila's lab template (the fonts are bundled in voila.js).
    assert outside == [], f"requests to non-loopback hosts: {outside}"


def test_a_figure_that_stops_listening_is_drawn_afresh(app_url, oracle):
    """The page loads both figures' modules slowly, so anywidget stops passing the kernel's
    updates to them (it says so in the page): the bars and the map still follow the
    targeting, drawn afresh by the panel, and the browser shows no other error."""
    two = oracle.calcul(Targeting(age=(18, 98), departments=("60", "75"), interest=14))
    rows = two.set_index("locality")["volume"].astype(int)
    order = list(rows.sort_values(ascending=False).index)
    with browser_page() as (page, errors):
        page.add_init_script(SLOW_MODULES % 2)
        page.goto(app_url, timeout=60_000)
        bars = page.locator(".smsp-bars")
        expect(bars.locator("g.point")).to_have_count(101, timeout=60_000)
        expect(page.locator(".smsp-map path.js-fill")).to_have_count(101 + 4, timeout=60_000)
        # Both figures were slow to load: the kernel's updates no longer reach them.
        deadline = time.monotonic() + 20
        while errors.count(ANYWIDGET_SLOW) < 2 and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert errors.count(ANYWIDGET_SLOW) == 2, errors

        page.locator(".widget-select-multiple select").select_option(label=["60 Oise", "75 Paris"])
        expect(page.locator(".smsp-volume")).to_have_text(count(two), timeout=20_000)
        # Within the panel's wait for an acknowledgement (5 s) plus a redraw.
        expect(bars.locator(".xtick text")).to_have_text(
            [department_label(c) for c in order], timeout=30_000
        )
        assert_two_departments_coloured(page, 30, errors)
        # One map and one bar chart on the page: the deaf ones were removed.
        expect(page.locator(".smsp-map")).to_have_count(1)
        expect(page.locator(".smsp-bars")).to_have_count(1)
    assert [e for e in errors if ANYWIDGET_SLOW not in e] == [], errors
