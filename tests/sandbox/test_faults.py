"""Fault injection seen by a plain requests client, and the request counters."""

from __future__ import annotations

import json
import time

import pytest
import requests

from .conftest import SEED_PARAMS, Api


def add(api: Api, **rule) -> None:
    api.admin("POST", "faults", json=rule).raise_for_status()


def me(api: Api, **kw) -> requests.Response:
    return requests.get(api.sb.base_url + "me", params={"apiKey": api.key, **kw}, timeout=10)


def test_rate_limit_with_retry_after(api: Api):
    add(api, kind="rate_limit", op="me", retry_after=3, count=1)
    resp = me(api)
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "3"
    assert me(api).status_code == 200  # count=1: only the next call


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors(api: Api, status):
    add(api, kind="server_error", status=status, retry_after=2, op="*", count=1)
    resp = me(api)
    assert resp.status_code == status and resp.headers["Retry-After"] == "2"


def test_delay(api: Api):
    add(api, kind="delay", delay=0.4, op="me", count=1)
    started = time.monotonic()
    assert me(api).status_code == 200
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    me(api)
    assert time.monotonic() - started < 0.3


def test_connection_reset(api: Api):
    add(api, kind="reset", op="calcul", count=1)
    with pytest.raises(requests.exceptions.ConnectionError) as info:
        requests.post(
            api.sb.base_url + "location/optin",
            timeout=10,
            json={"apiKey": api.key, "op": "calcul", "parameters": SEED_PARAMS},
        )
    assert "reset" in str(info.value).lower()  # a real RST, not a clean close
    assert me(api).status_code == 200


def test_truncated_body(api: Api):
    add(api, kind="truncate", op="me", count=1)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        me(api)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_malformed_body(api: Api, fmt):
    add(api, kind="malformed", op="me", count=1)
    resp = me(api, _format=fmt)
    assert resp.status_code == 200
    if fmt == "json":
        with pytest.raises(ValueError):
            json.loads(resp.content)
    else:
        import defusedxml.ElementTree as DET

        with pytest.raises(DET.ParseError):  # the body stops mid-element
            DET.fromstring(resp.content)


def test_next_n_calls_and_operation_filter(api: Api):
    add(api, kind="server_error", status=503, op="price", count=2)
    codes = [api.optin("price", SEED_PARAMS, {"60200": 1}).status_code for _ in range(4)]
    assert codes == [503, 503, 200, 200]
    assert api.optin("calcul", SEED_PARAMS).status_code == 200  # other op untouched


def test_probability_is_deterministic_for_a_seed(api: Api):
    def pattern() -> list[int]:
        api.admin("DELETE", "faults")
        add(api, kind="server_error", status=500, op="me", probability=0.5, seed=1234)
        return [me(api).status_code for _ in range(40)]

    first, second = pattern(), pattern()
    assert first == second
    assert 8 <= first.count(500) <= 32  # about half
    api.admin("DELETE", "faults")
    add(api, kind="server_error", status=500, op="me", probability=0.5, seed=99)
    assert [me(api).status_code for _ in range(40)] != first


def test_stats_count_before_faults_and_validation(api: Api):
    add(api, kind="reset", op="rent", count=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(
            api.sb.base_url + "location/optin",
            timeout=10,
            json={
                "apiKey": api.key,
                "op": "rent",
                "parameters": SEED_PARAMS,
                "volumes": {"60200": 1},
            },
        )
    api.optin("calcul", {"sexe": "zzz"})  # invalid: still counted
    api.optin("calcul", None, key="bad")
    stats = api.admin("GET", "stats").json()
    assert stats["requests"] == {"rent": 1, "calcul": 2}
    assert stats["total"] == 3
    assert api.key not in json.dumps(stats)
    faults = api.admin("GET", "faults").text
    assert api.key not in faults and '"fired":1' in faults


def test_reset_clears_faults_and_counters(api: Api):
    add(api, kind="server_error", op="*")
    assert me(api).status_code == 503
    api.admin("POST", "reset").raise_for_status()
    assert me(api).status_code == 200
    assert api.admin("GET", "stats").json()["requests"] == {"me": 1}


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "boom"},
        {"kind": "delay", "op": "nope"},
        {"kind": "server_error", "status": 404},
        {"kind": "delay", "probability": 2},
        # null where a number is needed (was accepted, then
        # crashed when the rule fired)
        {"kind": "delay", "probability": None},
        {"kind": "delay", "delay": None},
        {"kind": "delay", "extra": 1},
        [1],
    ],
)
def test_invalid_rules_are_refused(api: Api, rule):
    resp = api.admin("POST", "faults", json=rule)
    assert resp.status_code == 400 and "error" in resp.json()
    assert api.admin("GET", "faults").json()["rules"] == []


def test_admin_is_not_in_the_vendor_openapi(api: Api):
    doc = requests.get(api.sb.url + "openapi.json", timeout=10).json()
    assert not any(p.startswith("/_sandbox") for p in doc["paths"])


@pytest.mark.parametrize(
    "kind, given, sent",
    [
        ("rate_limit", 0.5, "1"),
        ("rate_limit", 2.2, "3"),
        ("server_error", 0.01, "1"),
        ("rate_limit", 0, "0"),
    ],
)
def test_retry_after_is_whole_seconds(api: Api, kind, given, sent):
    # RFC 9110 delay-seconds is a non-negative integer; urllib3 refuses "0.5".
    add(api, kind=kind, op="me", retry_after=given, count=1)
    assert me(api).headers["Retry-After"] == sent


@pytest.mark.parametrize("raw", ["0.5", "Wed, 21 Oct 2015 07:28:00 GMT", "soon"])
def test_retry_after_raw_is_sent_verbatim(api: Api, raw):
    add(api, kind="rate_limit", op="me", retry_after_raw=raw, count=1)
    assert me(api).headers["Retry-After"] == raw


@pytest.mark.parametrize("raw", ["", "1\r\nX-Injected: 1", "é", 5, "x" * 101])
def test_retry_after_raw_must_be_a_safe_header_value(api: Api, raw):
    resp = api.admin("POST", "faults", json={"kind": "rate_limit", "retry_after_raw": raw})
    assert resp.status_code == 400 and "retry_after_raw" in resp.json()["error"]


@pytest.mark.parametrize(
    "status, reason",
    [
        (429, "Too Many Requests"),
        (500, "Internal Server Error"),
        (502, "Bad Gateway"),
        (504, "Gateway Timeout"),
    ],
)
def test_fault_bodies_name_their_status(api: Api, status, reason):
    kind = "rate_limit" if status == 429 else "server_error"
    add(api, kind=kind, status=status, op="me", count=1)
    assert me(api).text == reason


def test_faults_and_answer_agree_on_the_format(api: Api):
    # The fault's content type follows the same reading of _format as the answers.
    add(api, kind="malformed", op="me", count=1)
    resp = me(api, x_format="xml")
    assert resp.headers["content-type"].startswith("application/json")
    resp = requests.get(
        api.sb.base_url + "me?_format=xml&_format=json", params={"apiKey": api.key}, timeout=10
    )
    assert resp.headers["content-type"].startswith("application/json")
    add(api, kind="malformed", op="me", count=1)
    resp = requests.get(
        api.sb.base_url + "me?_format=xml&_format=json", params={"apiKey": api.key}, timeout=10
    )
    assert resp.headers["content-type"].startswith("application/json")
