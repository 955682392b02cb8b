"""The map really renders with no network: self-contained HTML in Debian's chromium.

Every non-file request is aborted and recorded; plotly.js would ask its CDN for topojson
if any geo trace slipped in. See /work/shared/NOTES.md "The panel in a real browser".
"""

from __future__ import annotations

import pandas as pd
import pytest
from playwright.sync_api import sync_playwright

from smsp_analytics import refdata
from smsp_analytics.charts import CONFIG, bar_departments, map_departments

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

CENTRE_JS = """(code) => {
  const gd = document.querySelector('.js-plotly-plot'); const fl = gd._fullLayout;
  const t = gd.data.find(d => d.name === code);
  const xs = t.x.filter(v => v !== null), ys = t.y.filter(v => v !== null);
  const cx = xs.reduce((a, b) => a + b) / xs.length, cy = ys.reduce((a, b) => a + b) / ys.length;
  const r = gd.getBoundingClientRect();
  return [r.left + fl._size.l + fl.xaxis.l2p(cx), r.top + fl._size.t + fl.yaxis.l2p(cy)];
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, fig, tmp_path, width=1000):
    path = tmp_path / "figure.html"
    path.write_text(
        fig.to_html(include_plotlyjs=True, full_html=True, config=CONFIG), encoding="utf-8"
    )
    page = browser.new_page(viewport={"width": width, "height": 700})
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .scatterlayer, .js-plotly-plot .barlayer")
    return page, outside, errors


def test_map_renders_offline_with_hover(browser, tmp_path):
    df = pd.DataFrame(
        {
            "department": ["60", "75", "971"],
            "volume": [12345, 250000, 3000],
            "cost_eur": [1234.5, 22500.0, 360.0],
        }
    )
    df.attrs["synthetic"] = True
    page, outside, errors = _open(browser, map_departments(df), tmp_path)
    # 96 + 5 overseas, plus Paris and its inner ring again in the inset (75 is in the frame).
    assert page.locator(".scatterlayer .js-fill").count() == 96 + 5 + 4
    assert "Paris and inner ring" in page.locator(".annotation").all_text_contents()
    page.mouse.move(*page.evaluate(CENTRE_JS, "60"))
    page.wait_for_timeout(300)
    assert page.locator(".hoverlayer").all_text_contents() == [
        "60 OiseVolume: 12,345 contactsCost: €1,234.50"
    ]
    assert "SYNTHETIC DATA (sandbox)" in page.locator(".annotation").all_text_contents()
    assert "971 Guadeloupe" in page.locator(".annotation").all_text_contents()
    assert page.locator(".colorbar").count() == 1
    assert outside == [] and errors == []
    page.close()


def test_bars_render_offline(browser, tmp_path):
    df = pd.DataFrame({"department": ["60", "75"], "volume": [100, 300], "cost_eur": [9.0, 27.0]})
    page, outside, errors = _open(browser, bar_departments(df), tmp_path)
    assert page.locator(".barlayer .point").count() == 2
    assert outside == [] and errors == []
    page.close()


FONT_SIZES_JS = """() => Array.from(document.querySelectorAll('.bartext'))
  .filter(t => t.getAttribute('display') !== 'none' && t.textContent)
  .map(t => parseFloat(getComputedStyle(t).fontSize))"""


@pytest.mark.parametrize("width", [360, 1000])
def test_bar_labels_never_below_ten_pixels_and_no_logo(browser, tmp_path, width):
    codes = list(refdata.departments().index[:12])
    df = pd.DataFrame(
        {
            "department": codes,
            "volume": [10_000 * (i + 1) for i in range(12)],
            "cost_eur": [900.0 * (i + 1) for i in range(12)],
        }
    )
    page, outside, errors = _open(browser, bar_departments(df), tmp_path, width=width)
    sizes = page.evaluate(FONT_SIZES_JS)
    assert all(size >= 10 for size in sizes), sizes
    if width == 1000:
        assert sizes  # room enough: the labels are shown
    ticks = page.locator(".xtick text").all_text_contents()
    assert "01 Ain" in ticks
    assert page.locator(".modebar-btn--logo").count() == 0
    assert outside == [] and errors == []
    page.close()
