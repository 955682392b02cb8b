"""GET /v1/statistics/cost-resume over HTTP: months of SMS sent and their cost (JSON and XML),
the intervals, the price per SMS, the clock, the seed and the codes (sandbox README
"Account data")."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import requests

from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox

from .conftest import Api, json_positions, parse_xml

PARIS = ZoneInfo("Europe/Paris")
MONTHS = "january february march april may june july august september october november december"
# The sandbox's price per SMS by monthly volume (README "Account data"), written out again
# here so that a change on either side fails.
TIERS = [(5000, Decimal("0.045")), (2500, Decimal("0.052")), (1000, Decimal("0.060"))]


def _price(volume: int) -> Decimal:
    return next((p for floor, p in TIERS if volume >= floor), Decimal("0.070"))


@pytest.fixture(autouse=True)
def short_minute(api: Api) -> None:
    """These tests call cost-resume more than 5 times: a 50 ms "minute" (README knob)."""
    api.admin("POST", "account", json={"rate_window": 0.05}).raise_for_status()


def _get(api: Api, fmt: str = "json", **params: str) -> requests.Response:
    for _ in range(40):
        r = api.get("statistics/cost-resume", fmt=fmt, **params)
        if r.status_code != 429:
            return r
        time.sleep(0.06)
    raise AssertionError("still rate-limited after 40 tries")


def _datas(api: Api, **params: str) -> list[dict]:
    r = _get(api, **params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == ["success", "datas"] and body["success"] is True
    return body["datas"]


def _month(row: dict) -> tuple[int, int]:
    return int(row["year"]), int(row["m"])


def test_twelve_months_ending_with_the_clocks(api: Api):
    rows = _datas(api, interval="last_twelve_months")
    assert [_month(r) for r in rows] == [(2025, m) for m in (12,)] + [
        (2026, m) for m in range(1, 12)
    ]
    for row in rows:
        assert list(row) == ["month", "year", "m", "date", "type", "cost", "nb_send"]
        year, month = _month(row)
        assert row["month"] == MONTHS.split()[month - 1] and len(row["m"]) == 2
        assert row["date"] == int(dt.datetime(year, month, 1, tzinfo=PARIS).timestamp())
        assert row["type"] == "month"
        assert isinstance(row["cost"], str) and isinstance(row["nb_send"], str)
        sent, cost = int(row["nb_send"]), Decimal(row["cost"])
        assert cost.as_tuple().exponent == -3  # "49.174": three decimals, as the vendor
        assert sent > 0 and cost == sent * _price(sent)


def test_the_vendors_date_of_october_2021():
    # The vendor's example: "date": 1633039200 for october 2021 (midnight, Paris time).
    assert int(dt.datetime(2021, 10, 1, tzinfo=PARIS).timestamp()) == 1633039200


def test_last_month_and_custom_ranges(api: Api):
    year = _datas(api, interval="last_twelve_months")
    (last,) = _datas(api, interval="last_month")
    assert _month(last) == (2026, 10) and last == year[-2]
    full = _datas(api, interval="custom", **{"from": "01-10-2026", "to": "31-10-2026"})
    assert full == [last]
    (one_day,) = _datas(api, interval="custom", **{"from": "21-10-2026", "to": "21-10-2026"})
    assert abs(int(one_day["nb_send"]) - int(last["nb_send"]) / 31) <= 1
    span = _datas(api, interval="custom", **{"from": "01-01-2026", "to": "31-03-2026"})
    assert span == year[1:4]
    assert _datas(api, interval="custom", **{"from": "31-03-2026", "to": "01-01-2026"}) == []


def test_the_history_is_24_months_and_stops_at_the_clock(api: Api):
    rows = _datas(api, interval="custom", **{"from": "01-01-2020", "to": "31-12-2030"})
    assert len(rows) == 24
    assert _month(rows[0]) == (2024, 12) and _month(rows[-1]) == (2026, 11)
    # The clock's month is counted up to the clock's day (2026-11-01: one day of 30).
    assert int(rows[-1]["nb_send"]) < int(rows[-2]["nb_send"]) / 10


def test_the_window_moves_with_the_clock(api: Api):
    before = _datas(api, interval="last_twelve_months")
    api.admin("POST", "clock", json={"date": "2026-12-31"}).raise_for_status()
    after = _datas(api, interval="last_twelve_months")
    assert [_month(r) for r in after] == [_month(r) for r in before[1:]] + [(2026, 12)]
    assert after[:-2] == before[1:-1]  # a past month keeps its figures
    assert int(after[-2]["nb_send"]) > int(before[-1]["nb_send"])  # november, now whole


def test_xml_holds_the_json_in_order(api: Api):
    as_json = _get(api, interval="last_twelve_months").json()
    r = _get(api, fmt="xml", interval="last_twelve_months")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    assert parse_xml(r.content) == json_positions(as_json)


def test_no_history_knob(api: Api):
    r = api.admin("POST", "account", json={"sending_history": False})
    assert r.status_code == 200 and r.json()["sending_history"] is False
    assert _datas(api, interval="last_twelve_months") == []
    xml = _get(api, fmt="xml", interval="last_month")
    assert parse_xml(xml.content) == ["true", None]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"key": None, "interval": "last_month"}, 401, 1),
        ({"key": "wrong", "interval": "last_month"}, 401, 10),
        ({}, 400, 4),
        ({"interval": " "}, 400, 4),
        ({"interval": "last_week"}, 400, 5),
        ({"interval": "custom"}, 400, 6),
        ({"interval": "custom", "from": "01-01-2026"}, 400, 6),
        ({"interval": "custom", "from": "2026-01-01", "to": "2026-02-01"}, 400, 7),
        ({"interval": "custom", "from": "30-02-2026", "to": "01-03-2026"}, 400, 7),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors(api: Api, params, status, code, fmt):
    r = _get(api, fmt=fmt, **params)
    assert r.status_code == status
    body = r.json() if fmt == "json" else parse_xml(r.content)
    if fmt == "json":
        assert (body["success"], body["code"]) == (False, code) and body["message"]
    else:
        assert body[:2] == ["false", str(code)]
    if code in (1, 10):
        assert (
            body["message" if fmt == "json" else 2]
            == {1: "La clé API est requise", 10: "Clé API incorrecte"}[code]
        )


def test_deterministic_by_seed():
    def costs(seed: int, key: str) -> list[dict]:
        with Sandbox(api_key=key, seed=seed, date=REFERENCE_DATE) as sb:
            return Api(sb).get("statistics/cost-resume", interval="last_twelve_months").json()

    first = costs(21, "a")
    assert costs(21, "b") == first
    assert costs(22, "a") != first
