"""The sandbox's fast paths (issue 18) change no answer: the JSON written from templates is
orjson's, the kept whole answers follow the clock and never skip the IP check, faults and
counters still apply, the headers are there once, and X-Forwarded-For changes nothing."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from smsp_analytics import refdata
from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox

from .conftest import Api

ROOT = Path(__file__).resolve().parents[2]
BASE = {"sexe": "m", "minAge": 25, "maxAge": 35, "interest": 14, "subInterest": 35}
TARGETINGS = [
    dict(BASE, department=",".join(refdata.department_codes())),
    dict(BASE, zipcode="60200,02200,75001"),
    dict(BASE, department="60,2A", zipcode="60200"),
    dict(BASE),  # France as a whole: the total row alone
]


@pytest.mark.parametrize("params", TARGETINGS)
@pytest.mark.parametrize("op", ["calcul", "price"])
def test_the_json_is_orjsons_byte_for_byte(api: Api, params, op):
    r = api.optin(op, params)
    assert r.status_code == 200
    assert r.content == orjson.dumps(r.json())  # compact, in order, floats as orjson writes
    again = api.optin(op, params)  # answered again, and kept from now on
    kept = api.optin(op, params)  # the kept answer
    assert kept.content == again.content == r.content
    assert kept.headers["content-type"] == r.headers["content-type"] == "application/json"


def test_rent_writes_its_token_in_place(api: Api):
    r = api.optin("rent", dict(BASE, zipcode="60200"), {"60200": 3})
    body = r.json()
    assert list(body) == ["success", "op", "token", "datas", "cost"]
    assert r.content == orjson.dumps(body)
    other = api.optin("rent", dict(BASE, zipcode="60200"), {"60200": 3}).json()
    assert other["token"] != body["token"]  # a rent is never a kept answer


def test_kept_answers_follow_the_clock(api: Api):
    params = TARGETINGS[0]
    before = api.optin("calcul", params).content
    api.admin("POST", "clock", json={"date": "2027-04-15"}).raise_for_status()
    moved = api.optin("calcul", params).content
    assert moved != before
    api.admin("POST", "clock", json={"date": REFERENCE_DATE.isoformat()}).raise_for_status()
    assert api.optin("calcul", params).content == before


def test_kept_answers_are_counted_and_faulted(api: Api):
    params = TARGETINGS[1]
    api.optin("calcul", params)
    api.optin("calcul", params)
    assert api.admin("GET", "stats").json()["requests"]["calcul"] == 2
    api.admin("POST", "faults", json={"kind": "server_error", "op": "calcul", "count": 1})
    assert api.optin("calcul", params).status_code == 503
    assert api.optin("calcul", params).status_code == 200


def test_headers_once_on_every_vendor_answer(api: Api):
    for r in (
        api.optin("calcul", TARGETINGS[1]),
        api.get("me"),
        api.get("location/categories"),
        api.get("stop-sms/list"),
        api.lookup("+33639980042"),
    ):
        assert r.status_code == 200
        raw = r.raw.headers
        assert raw.getlist("date") == ["Sun, 01 Nov 2026 12:00:00 GMT"]
        assert raw.getlist("x-sandbox-seed") == [str(api.sb.seed)]
        assert raw.getlist("x-sandbox-date") == ["2026-11-01"]


def _post_from(port: int, source: str, body: dict, headers: dict | None = None) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0), timeout=10)
    try:
        conn.request(
            "POST",
            "/v1/location/optin",
            body=json.dumps(body),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def test_an_allow_list_is_checked_on_every_request_even_a_repeated_one():
    body = {"apiKey": "k", "op": "calcul", "parameters": TARGETINGS[1]}
    with Sandbox(api_key="k", allowed_ips=["127.0.0.1"], date=REFERENCE_DATE) as sb:
        assert _post_from(sb.port, "127.0.0.1", body)["success"] is True
        assert _post_from(sb.port, "127.0.0.2", body)["code"] == 96  # same request, refused
        assert _post_from(sb.port, "127.0.0.1", body)["success"] is True


def test_x_forwarded_for_does_not_change_the_client():
    body = {"apiKey": "k", "op": "calcul", "parameters": TARGETINGS[1]}
    with Sandbox(api_key="k", allowed_ips=["10.1.2.3"], date=REFERENCE_DATE) as sb:
        spoofed = _post_from(sb.port, "127.0.0.1", body, {"X-Forwarded-For": "10.1.2.3"})
        assert spoofed["code"] == 96


def test_the_benchmark_runs_and_prints_its_figures():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sandbox.py"), "--count", "60", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: a target not met on this machine
    out = done.stdout
    for line in ("101 departments (repeated)", "101 departments (distinct)", "floor: ", "target"):
        assert line in out, out
    assert "in-process, 101 departments (distinct)" in out
