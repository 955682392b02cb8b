"""Without a date, the sandbox lives on today's date; every output shows its date.

Today is read before and after each check, so a run across midnight still passes.
"""

from __future__ import annotations

import datetime as dt

import requests

from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox, SandboxConfig
from smsp_analytics.sandbox.cli import parse_args

from .conftest import SEED_PARAMS, Api


def _today_around(check) -> tuple[set[dt.date], object]:
    before = dt.date.today()
    value = check()
    return {before, dt.date.today()}, value


def test_the_default_date_is_today_not_the_reference_date():
    days, config = _today_around(lambda: SandboxConfig(api_key="k"))
    assert config.date in days
    days, sb = _today_around(lambda: Sandbox(api_key="k", rental_delay=0))
    assert sb.date in days
    # The CLI leaves it to the sandbox (no --date: today, read when it starts).
    assert parse_args([]).date is None


def test_a_default_sandbox_answers_with_todays_date_and_month():
    before = dt.date.today()
    with (
        Sandbox(api_key="k", rental_delay=0) as sb,
        Sandbox(api_key="k", rental_delay=0, date=REFERENCE_DATE) as ref,
    ):
        days = {before, dt.date.today()}
        api = Api(sb)
        info = api.admin("GET", "info").json()
        assert dt.date.fromisoformat(info["date"]) in days
        resp = api.optin("calcul", SEED_PARAMS)
        assert dt.date.fromisoformat(resp.headers["X-Sandbox-Date"]) in days
        sb.set_date(REFERENCE_DATE)  # a moved clock; reset brings back today, not November
        api.admin("POST", "reset").raise_for_status()
        assert dt.date.fromisoformat(api.admin("GET", "info").json()["date"]) in days
        if all((d.year, d.month) != (2026, 11) for d in days):
            # Another month than the reference: its own numbers (the evolution by month).
            france = {"sexe": "m", "minAge": 18, "maxAge": 98, "interest": 14}
            assert (
                api.optin("calcul", france).json()["datas"]
                != Api(ref).optin("calcul", france).json()["datas"]
            )


def test_every_admin_answer_shows_the_sandbox_date(api: Api):
    day = api.sb.date.isoformat()
    for method, path, kw in [
        ("GET", "health", {}),
        ("GET", "info", {}),
        ("GET", "clock", {}),
        ("GET", "stats", {}),
        ("GET", "rentals", {}),
        ("GET", "faults", {}),
        ("DELETE", "faults", {}),
        ("POST", "faults", {"json": {"kind": "delay", "count": 0}}),
        ("POST", "reset", {}),
    ]:
        resp = api.admin(method, path, **kw)
        assert resp.status_code == 200, (path, resp.text)
        assert resp.json()["date"] == day, (method, path, resp.json())
    token = api.optin("rent", SEED_PARAMS, {"60200": 1}).json()["token"]
    assert api.admin("POST", f"rentals/{token}/fail").json()["date"] == day
    assert (
        requests.get(api.sb.base_url + "me", params={"apiKey": api.key}, timeout=10).headers[
            "X-Sandbox-Date"
        ]
        == day
    )
