"""``smsp app --lang fr`` in a real browser: the page speaks French and writes French numbers."""

from __future__ import annotations

from playwright.sync_api import expect

from smsp_analytics import refdata
from smsp_analytics.targeting import Targeting

NNBSP, NBSP = "\u202f", "\u00a0"


def test_the_app_in_french(tmp_path, oracle, browser_page, start_app):
    everywhere = tuple(refdata.department_codes())
    nationwide = oracle.calcul(Targeting(interest=14, departments=everywhere))
    oise = oracle.calcul(Targeting(interest=14, departments=("60",)))
    with start_app(tmp_path / "app.log", "--lang", "fr") as url, browser_page() as tab:
        page = tab.page
        page.goto(url, timeout=60_000)
        expect(page.locator(".smsp-app-title")).to_have_text(
            "Explorateur d’audience SMS Partner", timeout=40_000
        )
        volume = page.locator(".smsp-volume")
        total = f"{int(nationwide.attrs['total_quantity']):,}".replace(",", NNBSP)
        expect(volume).to_have_text(total, timeout=40_000)
        expect(page.locator(".smsp-synthetic-banner")).to_contain_text("DONNÉES SYNTHÉTIQUES")
        expect(page.locator(".smsp-headline")).to_contain_text("Solde du compte")
        expect(page.locator(".smsp-unit-cost-eur")).to_have_text(f"0,090{NBSP}€")
        expect(page.locator(".smsp-bars g.point")).to_have_count(101, timeout=30_000)
        # The charts' words are French too, and the bars' values French numbers.
        expect(page.locator(".smsp-bars .gtitle")).to_contain_text("par département")
        page.locator(".widget-select-multiple select").select_option(label="60 Oise")
        expect(volume).to_have_text(
            f"{int(oise.attrs['total_quantity']):,}".replace(",", NNBSP), timeout=20_000
        )
        expect(page.locator(".smsp-bars text.bartext")).to_have_text(
            [f"{int(oise['volume'].sum()):,}".replace(",", NNBSP)], timeout=20_000
        )
        # A wrong zip code: the message names the field in French.
        zips = page.locator("input[placeholder='p. ex. 60200, 02200']")
        zips.fill("6020x")
        zips.press("Enter")
        message = page.locator(".smsp-error-field[data-field='zipcodes']")
        expect(message).to_contain_text("Codes postaux", timeout=20_000)
        assert "Traceback" not in page.content()
    assert tab.errors == [], tab.errors
