"""``smsp app`` end to end: Voila serving the explorer, driven in Debian's chromium.

The app, the browser and the oracle client are set up in ``tests/app/conftest.py``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import expect

from smsp_analytics import app, refdata
from smsp_analytics.app.explorer import FIGURE_MODULE
from smsp_analytics.display import department_label
from smsp_analytics.targeting import Targeting

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# anywidget drops every kernel message to a model whose module took over 2 s to load, and
# says so in the page; the panel then redraws that figure (panel/_live.py).
ANYWIDGET_SLOW = "[anywidget] Failed to initialize model."


def test_app_command_line():
    cmd = app.voila_command(9123)
    # Voila's own entry point, through the app's launcher (no slow optional import).
    assert cmd[:3] == [sys.executable, "-m", "smsp_analytics.app.launch"]
    assert Path(cmd[3]) == app.notebook_path() and app.notebook_path().is_file()
    assert "--port=9123" in cmd and "--Voila.ip=127.0.0.1" in cmd and "--no-browser" in cmd
    assert "--preheat_kernel=True" in cmd
    # Voila hands a second visitor the kernel it prepares next, waiting for it: prepared a
    # few seconds after the first visitor took theirs, not a minute.
    (refill,) = [float(a.split("=")[1]) for a in cmd if a.startswith("--VoilaKernelManager.fill")]
    assert 0 < refill <= 10
    source = app.notebook_path().read_text(encoding="utf-8")
    assert "from smsp_analytics.app.explorer import explorer" in source and "explorer()" in source
    # The app's kernels start from the app's own kernelspec, found first on JUPYTER_PATH.
    env = app.voila_env("fr")
    assert env["SMSP_LANG"] == "fr"
    first, second = env["JUPYTER_PATH"].split(os.pathsep)[:2]
    spec = json.loads((Path(first) / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][:3] == ["python", "-m", "smsp_analytics.app.kernel"]
    # plotly's figure module, served by the page at the URL the figures import it from.
    assert (Path(second) / "labextensions" / "widgetbundle.js").stat().st_size > 1_000_000
    template = Path(first) / "voila" / "templates" / "smsp-offline" / "index.html.j2"
    assert f'"{{{{ resources.base_url }}}}{FIGURE_MODULE}"' in template.read_text()
    # ... and runs it while the kernel builds the panel, not after the widgets arrive.
    assert f'import("{{{{ resources.base_url }}}}{FIGURE_MODULE}")' in template.read_text()


# anywidget gives a model 2 s (AbortSignal.timeout(2000)) to load its module, then drops
# every kernel message to it. As on a machine too busy to load plotly's module in time:
# the first ``n`` models get 1 ms instead.
DEAFEN_MODELS = """
  const timeout = AbortSignal.timeout.bind(AbortSignal);
  let deafened = 0;
  AbortSignal.timeout = (ms) => (ms === 2000 && deafened++ < %d ? timeout(1) : timeout(ms));
"""


def assert_two_departments_coloured(page, seconds: float, errors: list[str], log: str) -> None:
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
        f"page errors: {errors}\napp log:\n{log}"
    )


def count(frame) -> str:
    """The headline's text for a calcul frame: total contacts with thousands separators."""
    return f"{int(frame.attrs['total_quantity']):,}"


def test_app_in_a_real_browser(app_url, oracle, tmp_path, browser_page, log_tail):
    base = dict(interest=14)
    # No department picked: the panel asks for all 101 departments (bars and map filled).
    everywhere = tuple(refdata.department_codes())
    nationwide = oracle.calcul(Targeting(age=(18, 98), departments=everywhere, **base))
    older = oracle.calcul(Targeting(age=(19, 98), departments=everywhere, **base))
    oise = oracle.calcul(Targeting(age=(19, 98), departments=("60",), **base))
    two = oracle.calcul(Targeting(age=(19, 98), departments=("60", "75"), **base))
    with browser_page() as tab:
        page, errors = tab.page, tab.errors
        outside: list[str] = []
        bundles: list[str] = []
        page.on("request", lambda r: bundles.append(r.url) if FIGURE_MODULE in r.url else None)
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
        assert_two_departments_coloured(page, 20, errors, log_tail())

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
    # plotly's figure module (5 MB) was fetched once for the page, not carried by each figure.
    assert bundles == [app_url + FIGURE_MODULE], bundles
    # Every front-end extension the page loads agrees with the JupyterLab inside Voila.
    assert tab.version_warnings() == [], "\n".join(tab.version_warnings())


def test_a_figure_that_stops_listening_is_drawn_afresh(app_url, oracle, browser_page, log_tail):
    """anywidget gives up on both figures' models (their module took too long, as on a busy
    machine) and stops passing the kernel's updates to them (it says so in the page): the
    bars and the map still follow the targeting, drawn afresh by the panel, and the page
    shows no other error. (The app's map waits, blank, for the bars to be shown: the deaf
    blank misses its drawing, and is drawn afresh too.)"""
    two = oracle.calcul(Targeting(age=(18, 98), departments=("60", "75"), interest=14))
    rows = two.set_index("locality")["volume"].astype(int)
    order = list(rows.sort_values(ascending=False).index)
    with browser_page() as tab:
        page, errors = tab.page, tab.errors
        page.add_init_script(DEAFEN_MODELS % 2)
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
        # Within the panel's wait for an acknowledgement (ACK_WAIT_S) plus a redraw.
        expect(bars.locator(".xtick text")).to_have_text(
            [department_label(c) for c in order], timeout=30_000
        )
        assert_two_departments_coloured(page, 30, errors, log_tail())
        # One map and one bar chart on the page: the deaf ones were removed.
        expect(page.locator(".smsp-map")).to_have_count(1)
        expect(page.locator(".smsp-bars")).to_have_count(1)
    assert [e for e in errors if ANYWIDGET_SLOW not in e] == [], errors
