"""The HTML report in a real headless browser, with the network blocked.

Debian's chromium driven by Playwright (never ``playwright install``): a missing browser
FAILS these tests, it does not skip them. Every request other than the report's own
``file://`` URL is aborted and recorded; the test asserts none was attempted, that every
plotly chart drew (an SVG with drawn paths), that every scenario's map draws its
departments, that the synthetic-data mark is visible (banner and every figure), that every
chart can be seen (a screenshot each) and that no bar label or axis tick is drawn below a
readable size.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from smsp_analytics.client.facade import Client
from smsp_analytics.history import QuoteHistory, key_hash
from smsp_analytics.report import EXAMPLE_SCENARIOS, build_report, load_scenarios
from smsp_analytics.sandbox import Sandbox

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
#: The smallest text a chart may draw on its bars or axes, in CSS pixels (the charts hide
#: bar labels that would be smaller).
MIN_FONT_PX = 10


def _earlier_quotes(scenarios, folder: Path):
    """The scenarios quoted on a sandbox whose clock reads two months earlier, recorded in a
    SQLite quote history: the report then draws its "What changed since ..." charts."""
    sb = Sandbox(seed=0, rental_delay=0.0, date="2026-09-01")
    sb.start()
    try:
        store = QuoteHistory.open(folder / "history.sqlite")
        # No history of its own (once clients keep one): the quotes go to the store above.
        no_history = {"history": False} if "history" in inspect.signature(Client).parameters else {}
        with Client(sb.api_key, base_url=sb.base_url, cache=False, **no_history) as c:
            for s in scenarios:
                store.record(
                    c.calcul(s.targeting),
                    op="calcul",
                    targeting_params=s.targeting,
                    volumes=None,
                    key_hash=key_hash(sb.api_key),
                    source="sandbox:seed=0",
                )
        return store.frame()
    finally:
        sb.stop()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    path = folder / "report.html"
    title, scenarios = load_scenarios(EXAMPLE_SCENARIOS)
    history = _earlier_quotes(scenarios, folder)
    build_report(scenarios=scenarios, title=title, seed=0, history=history).to_html(path)
    return path


@pytest.fixture(scope="module")
def page_state(report_file):
    """Load the page once offline; yield (page, attempted requests, all requests, errors)."""
    url = report_file.resolve().as_uri()
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    attempted: list[str] = []  # aborted by the route (anything but the report itself)
    seen: list[str] = []  # every request the page made, whatever the scheme
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, service_workers="block"
        )

        def handler(route):
            if route.request.url == url:
                route.continue_()
            else:
                attempted.append(route.request.url)
                route.abort()

        context.route("**/*", handler)
        page = context.new_page()
        page.on("request", lambda r: seen.append(r.url))
        page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
        page.on(
            "console",
            lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.goto(url, wait_until="load")
        page.wait_for_function(
            """() => {
                const divs = [...document.querySelectorAll('.plotly-graph-div')];
                return divs.length > 0 && divs.every(d => d.querySelector('.main-svg'));
            }""",
            timeout=60_000,
        )
        page.wait_for_timeout(500)  # let responsive relayouts settle
        yield page, attempted, seen, errors
        context.close()
        browser.close()


def test_no_request_but_the_file(page_state, report_file):
    page, attempted, seen, errors = page_state
    url = report_file.resolve().as_uri()
    assert attempted == [], f"the page tried the network: {attempted}"
    others = [u for u in seen if u != url]
    assert others == [], f"requests other than the report file: {others}"


def test_no_script_errors(page_state):
    _, _, _, errors = page_state
    assert errors == []


def _figure_stats(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.plotly-graph-div')].map(d => {
            const drawn = [...d.querySelectorAll('.main-svg .trace path, .main-svg .slice path')]
                .filter(p => { const s = p.getAttribute('d') || '';
                               return s.length > 4 && s !== 'M0,0Z'; });
            const marks = [...d.querySelectorAll('.annotation-text')]
                .filter(t => t.textContent.includes('SYNTHETIC DATA'))
                .map(t => { const r = t.getBoundingClientRect();
                            return r.width > 0 && r.height > 0; });
            return {id: d.id, svgs: d.querySelectorAll('.main-svg').length,
                    paths: drawn.length, marks: marks};
        })"""
    )


def test_every_chart_rendered(page_state):
    page = page_state[0]
    stats = _figure_stats(page)
    ids = [s["id"] for s in stats]
    expected = {
        "fig-summary",
        "fig-map_1",
        "fig-map_2",
        "fig-map_3",
        "fig-by_department",
        "fig-by_age",
        "fig-by_gender",
        "fig-by_interest",
        "fig-by_csp",
        "fig-budget_plan",
        "fig-campaign_cost",
        "fig-sending_costs",
        "fig-send_windows",
        "fig-drift",
        "fig-drift_map",
    }
    assert expected == set(ids), ids
    for s in stats:
        assert s["svgs"] >= 1, s
        assert s["paths"] > 0, f"chart {s['id']} drew nothing: {s}"


def test_every_chart_carries_a_visible_synthetic_mark(page_state):
    page = page_state[0]
    for s in _figure_stats(page):
        assert s["marks"] == [True], f"chart {s['id']}: synthetic mark missing or hidden"


def test_each_scenario_map_draws_its_departments_and_names_it(page_state):
    page = page_state[0]
    title, scenarios = load_scenarios(EXAMPLE_SCENARIOS)
    for i, s in enumerate(scenarios, start=1):
        filled = page.evaluate(
            """(id) => [...document.querySelectorAll(`#${id} .main-svg path.js-fill`)]
                  .filter(p => { const d = p.getAttribute('d') || '';
                                 const f = getComputedStyle(p).fill || p.style.fill;
                                 return d.length > 10 && f && f !== 'none'; }).length""",
            f"fig-map_{i}",
        )
        # its departments, and France around them as context
        assert filled > len(s.targeting.departments), (s.name, filled)
        heading = page.locator(f"#fig-map_{i} .gtitle").text_content()
        assert s.name in heading, heading


def test_a_screenshot_of_every_chart(page_state, tmp_path):
    page = page_state[0]
    divs = page.locator(".plotly-graph-div")
    assert divs.count() == 15  # with the sending history (issue 19)
    for k in range(divs.count()):
        div = divs.nth(k)
        name = div.get_attribute("id")
        box = div.bounding_box()
        assert box and box["width"] >= 600 and box["height"] >= 300, (name, box)
        shot = tmp_path / f"{name}.png"
        div.screenshot(path=str(shot))
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, (name, len(data))


def test_bar_labels_and_ticks_are_never_below_a_readable_size(page_state):
    page = page_state[0]
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.plotly-graph-div')].map(d => {
            const shown = (sel) => [...d.querySelectorAll(sel)].filter(t => {
                const r = t.getBoundingClientRect();
                const s = getComputedStyle(t);
                return r.width > 0 && r.height > 0 && s.display !== 'none'
                       && s.visibility !== 'hidden' && s.opacity !== '0'
                       && t.textContent.trim() !== '';
            }).map(t => parseFloat(getComputedStyle(t).fontSize));
            return {id: d.id, bars: shown('.bartext, .textpoint text'),
                    ticks: shown('.xtick text, .ytick text')};
        })"""
    )
    bar_labels = 0
    for fig in sizes:
        if not fig["id"].startswith(("fig-map", "fig-drift_map")):
            assert fig["ticks"], f"{fig['id']}: no axis ticks drawn"
        for kind in ("bars", "ticks"):
            small = [x for x in fig[kind] if x < MIN_FONT_PX]
            assert not small, f"{fig['id']}: {kind} drawn at {small} px"
        bar_labels += len(fig["bars"])
    assert bar_labels > 0, "no bar label at all: the check above checked nothing"


def test_synthetic_banner_visible_everywhere(page_state):
    page = page_state[0]
    banner = page.locator("#synthetic-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("SYNTHETIC DATA")
    # Sticky: still on screen at the bottom of the page.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(100)
    box = banner.bounding_box()
    assert box is not None and box["y"] >= -1 and box["height"] > 0
    assert page.evaluate("document.elementFromPoint(640, 5).closest('#synthetic-banner') !== null")
    page.evaluate("window.scrollTo(0, 0)")


def test_tables_and_method_present(page_state):
    page = page_state[0]
    for key in (
        "summary",
        "by_department",
        "by_age",
        "by_gender",
        "by_interest",
        "by_csp",
        "budget_plan",
        "campaign",
        "send_windows",
        "drift",
        "about",
    ):
        expect(page.locator(f"#table-{key}")).to_have_count(1)
    expect(page.locator("#method")).to_contain_text("calcul")
    expect(page.locator("#method")).to_contain_text("rounded half-up")
    expect(page.locator("#source")).to_contain_text("seed 0")


def test_the_network_guard_records_and_blocks(page_state):
    """The guard itself works: a request the page makes is recorded and fails."""
    page, attempted, seen, errors = page_state
    before, errors_before = list(attempted), len(errors)
    try:
        failed = page.evaluate(
            """() => fetch('https://cdn.plot.ly/plotly-latest.min.js')
                      .then(() => false, () => true)"""
        )
        assert failed is True
        assert attempted[len(before) :] == ["https://cdn.plot.ly/plotly-latest.min.js"]
    finally:
        del attempted[len(before) :]
        del errors[errors_before:]  # the failed fetch logs a console error
        seen[:] = [u for u in seen if "cdn.plot.ly" not in u]


def test_the_french_report_draws_french_numbers(page_state, tmp_path):
    """In the browser, the French page's charts draw their amounts the French way: plotly
    groups thousands with the figure's separators and puts the euro sign after them."""
    import re

    from smsp_analytics.report import Scenario

    path = tmp_path / "rapport.html"
    scen = [Scenario.of("Oise et Aisne", interest=14, departments=["60", "02"])]
    build_report(scenarios=scen, interests=[14], seed=0, lang="fr").to_html(path)
    # a page of the browser the module already drives (one Playwright per thread)
    browser = page_state[0].context.browser
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.plotly-graph-div')]"
            ".every(d => d.querySelector('.main-svg'))",
            timeout=60_000,
        )
        texts = page.locator("#fig-summary text").all_text_contents()
        lang = page.evaluate("document.documentElement.lang")
    finally:
        page.close()
    assert lang == "fr"
    amounts = [t for t in texts if "€" in t and re.search(r"\d", t)]  # not "Coût (€)"
    assert amounts, texts
    # tick labels and bar labels: "7 000 €", "5 965,29 €"; never "€7,000" nor "7,000"
    assert all(re.fullmatch(r"-?[\d\u202f\u00a0 ]+(,\d+)?\s?€", t.strip()) for t in amounts), (
        amounts
    )
    assert any(re.search(r"\d[\u202f\u00a0 ]\d{3}", t) for t in amounts), amounts
