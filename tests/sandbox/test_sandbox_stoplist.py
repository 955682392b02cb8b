"""GET /v1/stop-sms/list over HTTP: the vendor's shape (JSON and XML), its codes, the rented
numbers that replied STOP, the clock and the seed (sandbox README "Account data")."""

from __future__ import annotations

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

import pytest

from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox

from .conftest import Api, json_positions, parse_xml

PARIS = ZoneInfo("Europe/Paris")
STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
FICTION = re.compile(r"\+3363998\d{4}")
RENT_PARAMS = {"sexe": "m", "minAge": 18, "maxAge": 98, "interest": 14, "department": "75"}


def _stops(api: Api) -> list[dict]:
    r = api.get("stop-sms/list")
    assert r.status_code == 200, r.text
    return r.json()["data"]


def _now_paris(day: dt.date) -> dt.datetime:
    """The clock's instant (the Date header's 12:00:00 GMT) in Paris time, naive."""
    noon = dt.datetime.combine(day, dt.time(12, tzinfo=dt.UTC))
    return noon.astimezone(PARIS).replace(tzinfo=None)


def _rent_and_download(api: Api, quantity: int) -> list[str]:
    rent = api.optin("rent", RENT_PARAMS, {"75": quantity}).json()
    assert rent["success"], rent
    r = api.get("location/file/download", token=rent["token"])
    deadline = time.monotonic() + 10
    while r.status_code != 200 and time.monotonic() < deadline:  # the fixture's rental delay
        time.sleep(0.1)
        r = api.get("location/file/download", token=rent["token"])
    assert r.status_code == 200, r.text
    return r.text.split()[1:]


def test_the_shape_is_the_vendors(api: Api):
    r = api.get("stop-sms/list")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert list(body) == ["success", "code", "nbData", "data"]
    assert body["success"] is True and body["code"] == 200
    data = body["data"]
    assert body["nbData"] == len(data) > 50  # an account with years of campaigns
    now = _now_paris(REFERENCE_DATE)
    for row in data:
        assert list(row) == ["id", "phoneNumber", "createdAt"]
        assert isinstance(row["id"], int) and FICTION.fullmatch(row["phoneNumber"])
        assert STAMP.fullmatch(row["createdAt"])
        assert dt.datetime.fromisoformat(row["createdAt"]) <= now
    stamps = [row["createdAt"] for row in data]
    assert stamps == sorted(stamps)
    assert (
        len({row["id"] for row in data}) == len({row["phoneNumber"] for row in data}) == len(data)
    )


def test_xml_holds_the_json_in_order(api: Api):
    as_json = api.get("stop-sms/list").json()
    r = api.get("stop-sms/list", fmt="xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    assert parse_xml(r.content) == json_positions(as_json)


@pytest.mark.parametrize(
    ("key", "code", "message"),
    [(None, 1, "La clé API est requise"), ("wrong", 10, "Clé API incorrecte")],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_key_errors(api: Api, key, code, message, fmt):
    r = api.get("stop-sms/list", fmt=fmt, key=key)
    assert r.status_code == 401
    if fmt == "json":
        assert r.json() == {"success": False, "code": code, "message": message}
    else:
        assert parse_xml(r.content) == ["false", str(code), message]


def test_rented_numbers_reply_stop_after_the_download(api: Api):
    before = {row["phoneNumber"] for row in _stops(api)}
    numbers = _rent_and_download(api, 600)
    rented = set(numbers)
    assert len(rented) == 600
    today = {row["phoneNumber"]: row["createdAt"] for row in _stops(api)}
    new = rented & (set(today) - before)
    # The same day: the STOPs that came within the first hours after the 08:00 campaign.
    assert 0.005 * 600 < len(new) < 0.06 * 600, len(new)
    start = dt.datetime.combine(REFERENCE_DATE, dt.time(8))
    assert all(start < dt.datetime.fromisoformat(today[n]) for n in new)
    already = rented & before  # earlier STOPs of the same fiction block: dated before
    assert all(dt.datetime.fromisoformat(today[n]) < start for n in already)
    # Three weeks later every STOP of the rental has come: more of them, still after it.
    api.admin("POST", "clock", json={"date": "2026-11-25"}).raise_for_status()
    later = {row["phoneNumber"]: row["createdAt"] for row in _stops(api)}
    assert set(today) <= set(later)
    stopped = rented & set(later)
    assert len(new) < len(stopped - already)
    assert 0.03 * 600 < len(stopped) < 0.13 * 600, len(stopped)
    assert all(later[n] == today[n] for n in today)  # an entry never changes


def test_a_rental_not_downloaded_adds_nothing(api: Api):
    before = _stops(api)
    rent = api.optin("rent", RENT_PARAMS, {"75": 300}).json()
    assert rent["success"], rent
    api.admin("POST", "clock", json={"date": "2026-12-31"}).raise_for_status()
    later = _stops(api)
    api.admin("POST", "clock", json={"date": REFERENCE_DATE.isoformat()}).raise_for_status()
    grown = {r["phoneNumber"] for r in later} - {r["phoneNumber"] for r in before}
    # Only the account's own later STOPs (about two a month), no rented number burst.
    assert len(grown) < 15


def test_the_list_grows_with_the_clock_and_shrinks_back(api: Api):
    now = _stops(api)
    api.admin("POST", "clock", json={"date": "2027-11-01"}).raise_for_status()
    year_later = _stops(api)
    assert [r["phoneNumber"] for r in now] == [r["phoneNumber"] for r in year_later][: len(now)]
    assert len(now) + 5 < len(year_later)
    api.admin("POST", "clock", json={"date": "2025-11-01"}).raise_for_status()
    year_before = _stops(api)
    assert len(year_before) + 5 < len(now)
    assert all(r in now for r in year_before)


def test_the_knob_empties_the_list_and_reset_restores_it(api: Api):
    r = api.admin("POST", "account", json={"stop_list": False})
    assert r.status_code == 200 and r.json()["stop_list"] is False
    assert api.get("stop-sms/list").json() == {
        "success": True,
        "code": 200,
        "nbData": 0,
        "data": [],
    }
    assert parse_xml(api.get("stop-sms/list", fmt="xml").content) == ["true", "200", "0", None]
    api.admin("POST", "reset").raise_for_status()
    assert api.get("stop-sms/list").json()["nbData"] > 0


def test_deterministic_by_seed_whatever_the_key():
    def listing(seed: int, key: str) -> list[dict]:
        with Sandbox(api_key=key, seed=seed, date=REFERENCE_DATE) as sb:
            return Api(sb).get("stop-sms/list").json()["data"]

    first = listing(11, "key-one")
    assert listing(11, "key-two") == first
    assert listing(12, "key-one") != first
