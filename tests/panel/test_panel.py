"""The interactive panel in pure Python: set widget values, check what the callbacks drew.

``debounce=0`` makes every ``observe`` callback compute synchronously, so each assertion
sees the state produced by the change just made. Expected numbers come from an independent
client on its own sandbox (same seed): ``oracle.calcul(Targeting(...))``.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pandas as pd
import pytest

from smsp_analytics import refdata
from smsp_analytics.charts._style import MISSING_COLOR
from smsp_analytics.client.facade import Client
from smsp_analytics.display import department_label
from smsp_analytics.errors import InvalidRequestError
from smsp_analytics.panel import Panel, panel
from smsp_analytics.panel._controls import ALL
from smsp_analytics.sandbox import Sandbox
from smsp_analytics.targeting import Targeting


def figure_state(p: Panel) -> dict[str, Any]:
    bar = p.bars.data[0]
    return {
        "x": list(bar.x or ()),
        "y": list(bar.y or ()),
        "fills": {t.name: t.fillcolor for t in p.map.data if t.fill == "toself"},
        "headline": dict(p.headline),
    }


def per_department(frame: pd.DataFrame) -> pd.Series:
    rows = frame[frame["department"].notna()]
    s = rows.groupby(rows["department"].astype(str))["volume"].sum().astype(float)
    # The bars' order: largest first, ties by code.
    return s.sort_index().sort_values(ascending=False, kind="stable")


def assert_shows(p: Panel, expected: pd.DataFrame) -> None:
    """Headline, bars and map of ``p`` equal what the API answered in ``expected``."""
    assert p.message.value == ""
    assert p.headline["volume"] == int(expected.attrs["total_quantity"])
    assert p.headline["cost_eur"] == pytest.approx(float(expected.attrs["total_cost_eur"]))
    assert p.headline["unit_cost_eur"] == pytest.approx(float(expected.attrs["unit_cost_eur"]))
    assert f"{int(expected.attrs['total_quantity']):,}" in p.headline_html.value
    deps = per_department(expected)
    bar = p.bars.data[0]
    assert list(bar.x) == [department_label(c) for c in deps.index]
    assert list(bar.y) == list(deps.to_numpy())
    fills = {t.name: t.fillcolor for t in p.map.data if t.fill == "toself"}
    metro = set(fills)  # the drawn departments (metropolitan and overseas squares)
    for name in metro:
        code = name.removeprefix("inset-")  # Paris and its inner ring again, enlarged
        if code in deps.index:
            assert fills[name] != MISSING_COLOR, f"department {code} not coloured"
        else:
            assert fills[name] == MISSING_COLOR, f"department {code} coloured but not targeted"
    colorbar = p.map.data[-1].marker
    if len(deps):
        assert (colorbar.cmin, colorbar.cmax) == (deps.min(), deps.max())
        if deps.max() > deps.min():
            assert fills[deps.idxmax()] != fills[deps.idxmin()]


def test_synthetic_banner_in_sandbox_mode(p):
    assert p.client.synthetic
    assert "SYNTHETIC DATA" in p.banner.value
    assert p.banner in p.children
    assert isinstance(p.headline["balance_eur"], float) and p.headline["balance_eur"] > 0


ALL_DEPARTMENTS = tuple(refdata.department_codes())


def test_initial_state_shows_all_101_departments(p, oracle):
    """No department picked: bars and map show the whole country, not an empty chart."""
    expected = oracle.calcul(
        Targeting(gender="m", age=(18, 98), interest=14, departments=ALL_DEPARTMENTS)
    )
    assert_shows(p, expected)
    assert len(p.bars.data[0].x) == 101
    fills = {t.name: t.fillcolor for t in p.map.data if t.fill == "toself"}
    assert {n.removeprefix("inset-") for n in fills} == set(ALL_DEPARTMENTS)
    assert MISSING_COLOR not in fills.values()
    # The headline is the sum of what the bars show (and what "Rent" would rent).
    assert p.headline["volume"] == sum(p.bars.data[0].y)
    assert "All 101 departments" in p.hint.value
    assert p.targeting.departments == ALL_DEPARTMENTS
    assert p.controls["departments"].value == ()


def test_zip_codes_inside_selected_departments_are_refused(p):
    """60200 lies in the Oise: the API would count it twice (department row + zip row)."""
    p._controls.set_departments(["60", "02"])
    before = figure_state(p)
    p.controls["zipcodes"].value = "13001, 60200"
    assert "data-field='zipcodes'" in p.message.value
    assert "60200 is in department 60" in p.message.value
    assert figure_state(p) == before and p.rent.widgets["rent"].disabled
    p.controls["zipcodes"].value = "13001"
    assert p.message.value == ""
    assert set(p.bars.data[0].x) == {department_label(c) for c in ("60", "02", "13")}
    assert p.headline["volume"] == sum(p.bars.data[0].y)


def test_every_control_redraws_with_the_api_numbers(p, oracle):
    """Change one control at a time; after each, the panel equals oracle.calcul(...)."""
    want: dict[str, Any] = dict(gender="m", age=(18, 98), interest=14)
    steps = [
        ("departments", ("60", "02", "75"), dict(departments=("60", "02", "75"))),
        ("gender", "f", dict(gender="f")),
        ("age", (25, 44), dict(age=(25, 44))),
        ("interest", 10, dict(interest=10)),
        ("sub_interest", 30, dict(sub_interest=30)),
        ("category", 102, dict(category=102)),
        ("zipcodes", "13001, 33000", dict(zipcodes=("13001", "33000"))),
        ("category", 103, dict(category=103)),
        ("gender", "h", dict(gender="h")),
        ("sub_interest", ALL, dict(sub_interest=None)),
    ]
    previous = None
    for name, value, change in steps:
        if name == "departments":
            p._controls.set_departments(value)
        else:
            p.controls[name].value = value
        want.update(change)
        expected = oracle.calcul(Targeting(**want))
        assert_shows(p, expected)
        assert p.targeting == Targeting(**want)
        assert p.headline["volume"] != previous, f"{name} did not change the volume"
        previous = p.headline["volume"]
    assert p.hint.value == ""
    # The zip code 13001 brings department 13 into the bars and onto the map.
    assert "13 Bouches-du-Rhône" in list(p.bars.data[0].x)


def test_figures_are_updated_in_place(p):
    bars, map_, bar_trace = p.bars, p.map, p.bars.data[0]
    p._controls.set_departments(["59", "62"])
    p.controls["age"].value = (30, 50)
    assert p.bars is bars and p.map is map_ and p.bars.data[0] is bar_trace
    assert set(p.bars.data[0].x) == {"59 Nord", "62 Pas-de-Calais"}


def test_a_figure_whose_view_does_not_acknowledge_is_drawn_afresh(p):
    """No browser here: a shown view is declared by hand (``_view_count``), so the edits
    the panel sends stay unacknowledged, as with a view that stopped listening."""
    assert p.redraw_deaf_figures() == []  # no view shown: nothing is ever redrawn
    old_map, old_bars = p.map, p.bars
    old_map._view_count = 1
    p.apply(departments=("59", "62"))
    sent = p.map._last_trace_edit_id
    # A newer edit than the one waited for: its own check will judge it.
    assert p.redraw_deaf_figures({"map": sent - 1}) == []
    assert p.redraw_deaf_figures({"map": sent}) == ["map"]
    assert p.map is not old_map and old_map.comm is None  # the deaf widget is closed
    assert p.bars is old_bars
    assert p.map in p.children[p.children.index(p._figures["map"].box)].children
    assert "smsp-map" in p.map._dom_classes
    fills = {t.name: t.fillcolor for t in p.map.data if t.fill == "toself"}
    assert {n for n, c in fills.items() if c != MISSING_COLOR} == {"59", "62"}
    # The fresh widget has nothing waiting: no second redraw.
    p.map._view_count = 1
    assert p.redraw_deaf_figures() == []


def test_sub_interest_follows_interest(p, client):
    cats = client.categories()
    for interest in (10, 14, 12):
        p.controls["interest"].value = interest
        children = cats[cats["parent_id"] == interest]["id"].astype(int).tolist()
        values = [v for _, v in p.controls["sub_interest"].options]
        assert values == [ALL] + children
        assert p.controls["sub_interest"].value == ALL
    assert p.targeting.interest == 12 and p.targeting.sub_interest is None


def test_departments_by_region_and_by_search(p):
    c = p._controls
    region = "Hauts-de-France"
    p.controls["region"].value = region
    deps = refdata.departments()
    in_region = set(deps.index[deps["region_name"] == region])
    assert {v for _, v in p.controls["departments"].options} == in_region
    c.select_shown()
    assert set(p.controls["departments"].value) == in_region
    assert set(p.targeting.departments) == in_region
    # Search by name (accent/case-insensitive) and by code; the selection survives filtering.
    p.controls["region"].value = ALL
    p.controls["search"].value = "ARDECHE"
    shown = {v for _, v in p.controls["departments"].options}
    assert "07" in shown and set(p.controls["departments"].value) == in_region
    p.controls["search"].value = "2A"
    assert "2A" in {v for _, v in p.controls["departments"].options}
    p.controls["clear_departments"].click()
    assert p.controls["departments"].value == () and p.targeting.departments == ALL_DEPARTMENTS


@pytest.mark.parametrize("bad", ["99999", "abc", "60200, 6020"])
def test_invalid_zip_shows_inline_message_and_keeps_figures(p, bad):
    p._controls.set_departments(["60"])
    p.controls["zipcodes"].value = "02200"
    before = figure_state(p)
    good_frame = p.frame
    p.controls["zipcodes"].value = bad
    assert "Zip codes" in p.message.value
    assert "data-field='zipcodes'" in p.message.value
    assert "Traceback" not in p.message.value
    assert figure_state(p) == before
    assert p.frame is good_frame
    assert p.rent.widgets["rent"].disabled  # an invalid targeting cannot be rented
    p.controls["zipcodes"].value = "02200, 13001"
    assert p.message.value == ""
    assert p.targeting.zipcodes == ("02200", "13001")


class _FailingClient:
    """Proxy answering calcul with a vendor error once ``fail`` is set."""

    def __init__(self, inner: Client) -> None:
        self.inner, self.fail = inner, False
        self.synthetic = inner.synthetic

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def calcul(self, t: Targeting) -> pd.DataFrame:
        if self.fail:
            raise InvalidRequestError("La requête semble invalide", code=61, http_status=400)
        return self.inner.calcul(t)


def test_api_error_is_shown_inline_with_code_and_message(client):
    proxy = _FailingClient(client)
    p = panel(proxy, debounce=0)
    before = figure_state(p)
    proxy.fail = True
    p.controls["age"].value = (40, 50)
    assert "API error 61" in p.message.value and "invalide" in p.message.value
    assert figure_state(p) == before
    proxy.fail = False
    p.controls["age"].value = (41, 50)
    assert p.message.value == "" and p.targeting.age == (41, 50)
    p.close()


def test_a_field_error_is_named_by_its_controls_label_without_a_class_name():
    from smsp_analytics.errors import error_from_code
    from smsp_analytics.panel._view import error_html

    err = error_from_code(27, "Le volume demandé dépasse le volume disponible", http_status=400)
    shown = error_html("Rent", err)
    assert "<b>Volume to rent: </b>" in shown and "data-field='volumes'" in shown
    assert "volumes:" not in shown and "Error" not in shown
    assert "API error 27" in shown and "(HTTP 400)" in shown
    assert "Le volume demandé dépasse le volume disponible" in shown  # the vendor's, verbatim
    plain = error_html("Rent", ValueError("500 contacts asked, 300 available"))
    assert "<b>Rent: </b>500 contacts asked, 300 available" in plain and "Error" not in plain


def test_rent_disabled_against_real_api_without_allow_rent():
    # A client that believes it talks to the real API (a key, synthetic=False) but points at
    # a sandbox of ours: nothing real can be called.
    with Sandbox(api_key="not-a-real-key") as sb:
        real = Client(api_key="not-a-real-key", base_url=sb.base_url, synthetic=False, cache=False)
        locked = panel(real, debounce=0)
        assert not real.synthetic and locked.banner.value == ""
        locked._controls.set_departments(["60"])
        assert locked.rent.widgets["rent"].disabled
        assert "allow_rent=True" in locked.rent.widgets["prompt"].value
        assert locked.rent.ask_quote() is None  # even a programmatic click does nothing
        locked.close()
        allowed = panel(real, debounce=0, allow_rent=True)
        allowed._controls.set_departments(["60"])
        assert not allowed.rent.widgets["rent"].disabled
        allowed.close()
        real.close()


def test_real_api_without_a_categories_endpoint_offers_the_documented_ids(tmp_path):
    # The vendor documents no categories endpoint: against the real API the call may fail.
    # The panel must still open, say why its list is short, and take the user's own list.
    with Sandbox(api_key="not-a-real-key") as sb:
        sb.add_fault(kind="server_error", op="categories", status=500, count=100)
        real = Client(
            api_key="not-a-real-key", base_url=sb.base_url, synthetic=False, cache=False, retries=0
        )
        p = panel(real, debounce=0)
        offered = {v for _, v in p.controls["interest"].options}
        assert offered == {12, 14} and "load_categories_csv" in p.categories_note.value
        p._controls.set_departments(["60"])
        assert p.message.value == "" and p.headline["volume"] > 0
        p.close()
        csv = tmp_path / "cats.csv"
        csv.write_text("id,name,parent_id\n14,Habitation,\n35,Cuisine,14\n15,Jardin,\n")
        from smsp_analytics.frames import load_categories_csv

        mine = panel(real, debounce=0, categories=load_categories_csv(csv))
        assert {v for _, v in mine.controls["interest"].options} == {14, 15}
        assert mine.categories_note.value == ""
        mine.close()
        real.close()


def test_rent_needs_the_exact_typed_cost():
    with Client(announce=False) as c:
        p = panel(c, debounce=0)
        p._controls.set_departments(["60", "02"])
        rb = p.rent.widgets
        rb["volume"].value = 25
        rb["rent"].click()
        quote = p.rent.quote
        assert quote["volume"] == 25 and quote["volumes"] == {"60": 15, "02": 10}
        cost = f"{quote['cost_eur']:.2f}"
        assert cost in rb["prompt"].value and rb["confirm"].layout.display != "none"
        balance = c.credits().balance_eur
        for wrong in ("", "RENT", "2.2", f"{quote['cost_eur'] + 0.01:.2f}"):
            rb["confirm_text"].value = wrong
            rb["confirm"].click()
            assert "does not match" in rb["output"].value
            assert c.credits().balance_eur == balance, "rented without the exact confirmation"
        rb["confirm_text"].value = cost
        rb["confirm"].click()
        token = p.rent.result.token
        assert len(token) == 32 and token in rb["output"].value
        assert c.credits().balance_eur == pytest.approx(balance - quote["cost_eur"])
        assert p.headline["balance_eur"] == pytest.approx(balance - quote["cost_eur"])
        assert c.status(token).attrs["token"] == token
        # The quote is used up: confirming again does not rent twice.
        rb["confirm_text"].value = cost
        rb["confirm"].click()
        assert "quote first" in rb["output"].value
        assert c.credits().balance_eur == pytest.approx(balance - quote["cost_eur"])
        p.close()


def test_quote_is_voided_when_the_targeting_changes(p):
    p._controls.set_departments(["60"])
    p.rent.widgets["volume"].value = 10
    p.rent.widgets["rent"].click()
    assert p.rent.quote is not None
    p.controls["gender"].value = "f"
    assert p.rent.quote is None and p.rent.widgets["confirm"].layout.display == "none"
    p.rent.widgets["confirm_text"].value = "0.90"
    p.rent.widgets["confirm"].click()
    assert "quote first" in p.rent.widgets["output"].value


def test_rent_error_is_shown_inline():
    with Client(announce=False, sandbox={"credit_eur": 1}) as c:
        p = panel(c, debounce=0)
        p._controls.set_departments(["75"])
        p.rent.widgets["volume"].value = 100  # €9.00 > €1 balance
        p.rent.widgets["rent"].click()
        p.rent.widgets["confirm_text"].value = f"{p.rent.quote['cost_eur']:.2f}"
        p.rent.widgets["confirm"].click()
        out = p.rent.widgets["output"].value
        assert "Rent" in out and "11" in out and "Traceback" not in out
        assert p.rent.result is None
        p.close()


class _GatedClient:
    """Proxy whose calcul blocks for one targeting until released (a slow API answer)."""

    def __init__(self, inner: Client, slow_age: tuple[int, int]) -> None:
        self.inner, self.slow_age = inner, slow_age
        self.synthetic = inner.synthetic
        self.entered, self.release = threading.Event(), threading.Event()
        self.calls: list[tuple[int, int]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def calcul(self, t: Targeting) -> pd.DataFrame:
        self.calls.append(t.age)
        if t.age == self.slow_age:
            self.entered.set()
            assert self.release.wait(10)
        return self.inner.calcul(t)


def test_stale_result_never_overwrites_a_newer_one(client, oracle):
    proxy = _GatedClient(client, slow_age=(30, 40))
    p = panel(proxy, debounce=0)
    p._controls.set_departments(["60", "75"])
    old = threading.Thread(target=lambda: setattr(p.controls["age"], "value", (30, 40)))
    old.start()
    assert proxy.entered.wait(10)  # request A is in flight
    gen_old = p.generation
    p.controls["age"].value = (50, 60)  # request B starts and finishes first
    assert p.generation == gen_old + 1 and p.applied_generation == p.generation
    proxy.release.set()  # now A's answer arrives, last
    old.join(10)
    assert not old.is_alive()
    expected = oracle.calcul(Targeting(age=(50, 60), interest=14, departments=("60", "75")))
    assert_shows(p, expected)
    assert p.targeting.age == (50, 60)
    # The stale answer is refused explicitly too.
    assert not p.apply_result(gen_old, Targeting(interest=14), p.frame)
    p.close()


def _wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the panel did not settle"
        time.sleep(0.02)


def test_debounce_coalesces_a_burst_into_one_request(client, oracle):
    proxy = _GatedClient(client, slow_age=(0, 0))
    # No asyncio loop here, so the threading.Timer mode; 0.5 s leaves a loaded CI machine
    # plenty of time to make ten changes within one debounce window.
    p = panel(proxy, debounce=0.5)
    p._controls.set_departments(["60"])
    _wait_for(lambda: p.targeting.departments == ("60",))
    assert p.applied_generation == p.generation
    del proxy.calls[:]
    for lo in range(20, 30):
        p.controls["age"].value = (lo, 70)
    assert proxy.calls == []  # nothing asked yet: the debounce is waiting
    _wait_for(lambda: p.targeting.age == (29, 70))
    time.sleep(0.6)  # a second request, if any, would have been sent by now
    assert proxy.calls == [(29, 70)]
    assert_shows(p, oracle.calcul(Targeting(age=(29, 70), interest=14, departments=("60",))))
    p.close()


def test_panel_without_client_uses_the_sandbox(monkeypatch):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    p = panel(debounce=0)
    try:
        assert p.client.synthetic and "SYNTHETIC" in p.banner.value
        assert p.headline["volume"] > 0
    finally:
        p.close()


def test_headline_spells_the_gender_out(p):
    """The vendor's "m" is men and women, never shown as "men" or a bare code."""
    assert "men and women" in p.headline_html.value and "all France" in p.headline_html.value
    p.controls["gender"].value = "h"
    assert "smsp-targeting'" in p.headline_html.value
    assert ">men, 18-98" in p.headline_html.value and "men and women" not in p.headline_html.value
    p.controls["gender"].value = "f"
    assert ">women, 18-98" in p.headline_html.value


# -- the campaign message box ---------------------------------------------------------------


def _sending_by_hand(frame: pd.DataFrame, parts: int, price: str) -> float:
    """contacts x parts x price per SMS, to the cent per locality, summed."""
    from decimal import ROUND_HALF_UP, Decimal

    cents = Decimal("0.01")
    return float(
        sum(
            (Decimal(int(v)) * parts * Decimal(price)).quantize(cents, rounding=ROUND_HALF_UP)
            for v in frame["volume"]
        )
    )


def test_message_box_counts_parts_and_costs_as_the_analyst_types(p, oracle):
    p._controls.set_departments(["60", "02"])
    expected = oracle.calcul(Targeting(interest=14, departments=["60", "02"]))
    box = p.campaign
    text = box.widgets["text"]
    assert box.widgets["price"].value == "0.038"  # the sandbox's documented price
    calls = []
    original = p.client.calcul
    p.client.calcul = lambda *a, **k: calls.append(a) or original(*a, **k)
    try:
        # 146 + " STOP au 36173" (14) = 160 positions: one SMS.
        text.value = "a" * 146
        st = box.state
        assert (st["chars"], st["length"], st["parts"], st["encoding"]) == (146, 160, 1, "GSM-7")
        assert st["contacts"] == int(expected["volume"].sum())
        assert st["sending_cost_eur"] == pytest.approx(_sending_by_hand(expected, 1, "0.038"))
        rental = float(expected["cost_eur"].sum())
        assert st["total_cost_eur"] == pytest.approx(st["sending_cost_eur"] + rental)
        assert "1 SMS" in box.counts.value and "160 positions" in box.counts.value
        # One more character: 161 positions, two SMS of 153.
        text.value = "a" * 147
        assert (box.state["length"], box.state["parts"], box.state["per_part"]) == (161, 2, 153)
        assert box.state["sending_cost_eur"] == pytest.approx(
            _sending_by_hand(expected, 2, "0.038")
        )
        assert "2 SMS" in box.counts.value
        # Replaced characters and the extension table.
        text.value = "Offre spéciale : 10€ – voir l’atelier 😀"
        st = box.state
        assert st["parts"] == 1 and st["replaced"] == (("’", "‘"),)  # the vendor's table
        assert st["unsupported"] == (("–", "-"), ("😀", ""))  # neither GSM-7 nor the table
        assert "😀 dropped" in box.counts.value and "’ → ‘" in box.counts.value
        assert "Unicode" in box.counts.value and "1 SMS per message" in box.counts.value
        # Unicode mode: 70 per SMS; the emoji is two UTF-16 units.
        box.widgets["unicode"].value = True
        assert box.state["encoding"] == "UCS-2" and box.state["parts"] == 1
        text.value = "é" * 56  # + " STOP au 36173" (14) = 70 units: one SMS
        assert (box.state["length"], box.state["parts"]) == (70, 1)
        text.value = "é" * 57  # 71: two SMS of 67
        assert (box.state["length"], box.state["parts"], box.state["per_part"]) == (71, 2, 67)
        box.widgets["unicode"].value = False
        # The price per SMS is the analyst's: the costs follow it.
        text.value = "a" * 100
        box.widgets["price"].value = "0,05"
        assert box.state["sending_cost_eur"] == pytest.approx(_sending_by_hand(expected, 1, "0.05"))
        assert f"{box.state['total_cost_eur']:,.2f}" in box.costs.value
    finally:
        p.client.calcul = original
    assert calls == []  # typing never asks the API again


def test_message_box_shows_codes_52_and_42_inline(p):
    box = p.campaign
    box.widgets["text"].value = "x" * 1600
    assert box.state["parts"] is None and box.state["sending_cost_eur"] is None
    assert "vendor error 52" in box.error.value and "at most 10" in box.error.value
    box.widgets["text"].value = "x" * 170
    assert box.state["parts"] == 2 and box.error.value == ""
    box.widgets["range"].value = "lowcost"
    assert "vendor error 42" in box.error.value and box.state["parts"] is None
    box.widgets["text"].value = "x" * 100
    assert box.error.value == "" and box.state["parts"] == 1
    box.widgets["price"].value = "abc"
    assert "Price per SMS: invalid value 'abc'" in box.state["error"]
    assert "Price per SMS: invalid value &#x27;abc&#x27;" in box.error.value
    assert box.state["sending_cost_eur"] is None
    # The panel's own targeting message stays free for targeting errors.
    assert p.message.value == ""


def test_message_box_follows_the_audience_shown(p, oracle):
    box = p.campaign
    box.widgets["text"].value = "Hello"
    p._controls.set_departments(["60"])
    first = box.state["contacts"]
    assert first == int(oracle.calcul(Targeting(interest=14, departments=["60"]))["volume"].sum())
    p._controls.set_departments(["60", "80"])
    assert box.state["contacts"] > first
    assert box.state["total_cost_eur"] == pytest.approx(
        box.state["rental_cost_eur"] + box.state["sending_cost_eur"]
    )


def test_message_box_asks_for_a_price_against_the_real_api():
    with Sandbox(api_key="not-a-real-key") as sb:
        real = Client(api_key="not-a-real-key", base_url=sb.base_url, synthetic=False, cache=False)
        live = panel(real, debounce=0)
        try:
            box = live.campaign
            box.widgets["text"].value = "Hello"
            assert box.widgets["price"].value == ""
            assert box.state["parts"] == 1 and box.state["sending_cost_eur"] is None
            assert "enter your price per SMS" in box.costs.value
            box.widgets["price"].value = "0.04"
            assert box.state["sending_cost_eur"] is not None
            assert "enter your price" not in box.costs.value
        finally:
            live.close()
            real.close()


def test_apply_sets_controls_and_updates_at_once_whatever_the_debounce(client, oracle):
    # A script drives a debounced panel (the default) and reads the result on its next
    # line: apply() computes in the caller's thread and cancels the armed debounce.
    slow = panel(client, debounce=30)
    try:
        gen = slow.generation
        slow.apply(gender="f", age=(25, 49), interest=14, departments=("60", "02"))
        want = oracle.calcul(
            Targeting(gender="f", age=(25, 49), interest=14, departments=("60", "02"))
        )
        assert slow.headline["volume"] == int(want["volume"].sum())
        assert slow.applied_generation == slow.generation == gen + 1
        assert "women, 25-49" in slow.summary()
        with pytest.raises(ValueError, match="^colour: not a control of the panel; allowed:"):
            slow.apply(colour="red")
    finally:
        slow.close()
