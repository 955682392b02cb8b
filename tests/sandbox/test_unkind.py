"""The sandbox made unkind on purpose: faults after the handler committed, latency, rate
limit, bounded memory, strict bodies. All over real HTTP."""

from __future__ import annotations

import json
import threading
import time
from decimal import Decimal

import pytest
import requests

from smsp_analytics import refdata
from smsp_analytics.sandbox import Sandbox, audience_model
from smsp_analytics.sandbox.answercache import AnswerCache
from smsp_analytics.sandbox.faults import MAX_RULES
from smsp_analytics.sandbox.network import Latency, RateLimiter
from smsp_analytics.sandbox.rules import validate_optin

from .conftest import SEED, SEED_PARAMS, Api


def add(api: Api, **rule) -> None:
    api.admin("POST", "faults", json=rule).raise_for_status()


def rent_body(api: Api, n: int = 4) -> dict:
    return {"apiKey": api.key, "op": "rent", "parameters": SEED_PARAMS, "volumes": {"60200": n}}


def rentals(api: Api) -> dict:
    return api.admin("GET", "rentals").json()


def wait_ready(api: Api, token: str) -> None:
    deadline = time.monotonic() + 5
    while api.get("location/status", token=token).json()["statusCode"] != 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_rent_with_an_after_reset_is_charged_though_the_answer_is_lost(api: Api):
    add(api, kind="reset", op="rent", phase="after", count=1)
    with pytest.raises(requests.exceptions.ConnectionError) as info:
        requests.post(api.sb.base_url + "location/optin", json=rent_body(api), timeout=10)
    assert "reset" in str(info.value).lower()
    assert api.balance() == "999.640"  # 4 x 0.09 charged
    listed = rentals(api)["rentals"]
    assert len(listed) == 1 and listed[0]["quantity"] == 4 and listed[0]["cost"] == "0.360"
    status = api.get("location/status", token=listed[0]["token"]).json()
    assert status["success"] is True and status["file"]["phoneNumbers"] == "4"


def test_before_reset_charges_nothing(api: Api):
    add(api, kind="reset", op="rent", count=1)  # phase "before" is the default
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(api.sb.base_url + "location/optin", json=rent_body(api), timeout=10)
    assert api.balance() == "1000.000" and rentals(api)["rentals"] == []
    assert api.admin("GET", "faults").json()["rules"][0]["phase"] == "before"


@pytest.mark.parametrize("kind, status", [("server_error", 503), ("rate_limit", 429)])
def test_rent_with_an_after_error_is_charged(api: Api, kind, status):
    add(api, kind=kind, op="rent", phase="after", count=1, retry_after=1)
    resp = requests.post(api.sb.base_url + "location/optin", json=rent_body(api, 2), timeout=10)
    assert resp.status_code == status and "token" not in resp.text
    assert api.balance() == "999.820" and len(rentals(api)["rentals"]) == 1


def test_download_with_an_after_truncate_uses_the_file_up(api: Api):
    token = api.optin("rent", SEED_PARAMS, {"60200": 30}).json()["token"]
    wait_ready(api, token)
    add(api, kind="truncate", op="download", phase="after", count=1)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(
            api.sb.base_url + "location/file/download",
            params={"apiKey": api.key, "token": token},
            timeout=10,
        )
    assert api.get("location/status", token=token).json()["statusCode"] == 5
    again = api.get("location/file/download", token=token)
    assert again.status_code == 400 and again.json()["code"] == 34


def test_after_truncate_sends_the_start_of_the_real_answer(api: Api):
    token = api.optin("rent", SEED_PARAMS, {"60200": 30}).json()["token"]
    wait_ready(api, token)
    add(api, kind="truncate", op="download", phase="after", count=1)
    resp = requests.get(
        api.sb.base_url + "location/file/download",
        stream=True,
        params={"apiKey": api.key, "token": token},
        timeout=10,
    )
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    declared = int(resp.headers["content-length"])
    got = b""
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        for chunk in resp.iter_content(64):
            got += chunk
    assert got.startswith(b"phone_number\n+3363998") and 0 < len(got) < declared


def test_after_delay_and_malformed(api: Api):
    add(api, kind="delay", op="calcul", phase="after", delay=0.3, count=1)
    started = time.monotonic()
    resp = api.optin("calcul", SEED_PARAMS)
    assert time.monotonic() - started >= 0.3
    assert resp.status_code == 200 and resp.json()["success"] is True
    add(api, kind="malformed", op="rent", phase="after", count=1)
    resp = requests.post(api.sb.base_url + "location/optin", json=rent_body(api, 1), timeout=10)
    with pytest.raises(ValueError):
        json.loads(resp.content)
    assert api.balance() == "999.910"


@pytest.mark.parametrize("phase", ["later", "", None, 1, "AFTER"])
def test_phase_is_validated(api: Api, phase):
    resp = api.admin("POST", "faults", json={"kind": "reset", "phase": phase})
    assert resp.status_code == 400
    assert "phase" in resp.json()["error"] and "before" in resp.json()["error"]


def test_latency_is_concurrent_not_serialised():
    with Sandbox(api_key="k", latency_ms=300, rental_delay=0) as sb:
        api = Api(sb)
        started = time.monotonic()
        assert api.get("me").status_code == 200
        assert time.monotonic() - started >= 0.2  # 300 ms -25% jitter at least
        started = time.monotonic()
        assert api.admin("GET", "stats").status_code == 200
        assert time.monotonic() - started < 0.2  # admin answers at once
        codes: list[int] = []

        def one() -> None:
            codes.append(
                requests.get(sb.base_url + "me", params={"apiKey": "k"}, timeout=10).status_code
            )

        threads = [threading.Thread(target=one) for _ in range(10)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert codes == [200] * 10
        assert time.monotonic() - started < 2.0  # serialised would take >= 2.25 s


def test_latency_jitter_is_seeded():
    a, b, c = Latency(80, seed=1), Latency(80, seed=1), Latency(80, seed=2)
    first = [a.next() for _ in range(50)]
    assert first == [b.next() for _ in range(50)] != [c.next() for _ in range(50)]
    assert len(set(first)) == 50 and all(0.06 <= d <= 0.1 for d in first)


def test_rate_limit_per_key():
    with Sandbox(api_key="k", rate_limit=3, rental_delay=0, date="2026-11-01") as sb:
        api = Api(sb)
        codes = [api.get("me") for _ in range(5)]
        assert [r.status_code for r in codes[:3]] == [200] * 3
        limited = codes[3]
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
        assert limited.text == "Too Many Requests"
        assert limited.headers["X-Sandbox-Date"] == "2026-11-01"  # stamped like any answer
        assert limited.headers["Date"] == "Sun, 01 Nov 2026 12:00:00 GMT"
        assert api.get("me", key="other").status_code == 401  # its own bucket: code 10
        assert all(api.admin("GET", "stats").status_code == 200 for _ in range(10))
        assert api.admin("GET", "stats").json()["requests"]["me"] == 6  # counted on arrival
        time.sleep(1.05)
        assert api.get("me").status_code == 200


def test_rate_limiter_window():
    rl = RateLimiter(2)
    assert [rl.admit("a", t) for t in (0.0, 0.5)] == [0.0, 0.0]
    assert rl.admit("a", 0.9) == pytest.approx(0.1)
    assert rl.admit("a", 1.0) == 0.0  # the first hit left the window


def test_answer_cache_is_bounded_in_bytes():
    model = audience_model(SEED)
    zips = tuple(sorted(refdata.zipcode_set()))
    cache = AnswerCache(max_bytes=200_000)
    for lo in range(18, 30):
        t = validate_optin(
            {
                "apiKey": "k",
                "op": "calcul",
                "parameters": {
                    "sexe": "m",
                    "minAge": lo,
                    "maxAge": 60,
                    "interest": 14,
                    "zipcode": ",".join(zips),
                },
            },
            "k",
        )
        rows, total = cache.get_or_compute(
            (t.query(), 0),
            t.departments,
            t.zipcodes,
            lambda t=t: model.volumes(t.query(), (), t.zipcodes),
        )
        assert len(rows) == len(zips) and total == sum(rows)
        assert cache.bytes <= cache.max_bytes
    assert 1 <= len(cache) <= 4  # ~50 kB per all-zip-code answer


def test_app_cache_costs_little_per_all_zip_answer(api: Api):
    answers = api.sb.app.state.sandbox.answers
    before = answers.bytes
    params = {
        "sexe": "f",
        "minAge": 31,
        "maxAge": 77,
        "interest": 22,
        "zipcode": ",".join(sorted(refdata.zipcode_set())),
    }
    first = api.optin("calcul", params).json()
    assert api.optin("calcul", params).json() == first
    assert 0 < answers.bytes - before < 60_000
    assert answers.max_bytes == 64 * 1024 * 1024


def test_fault_rules_are_limited(api: Api):
    many = {"rules": [{"kind": "delay", "op": "categories"}] * (MAX_RULES + 1)}
    resp = api.admin("POST", "faults", json=many)
    assert resp.status_code == 400 and str(MAX_RULES) in resp.json()["error"]
    assert api.admin("POST", "faults", json={"rules": many["rules"][:MAX_RULES]}).ok
    resp = api.admin("POST", "faults", json={"kind": "delay"})
    assert resp.status_code == 400 and "held" in resp.json()["error"]
    assert len(api.admin("GET", "faults").json()["rules"]) == MAX_RULES


def test_fault_bodies_are_small_and_well_formed(api: Api):
    big = json.dumps({"kind": "delay", "op": "me", "x": "y" * 70_000})
    resp = api.admin("POST", "faults", data=big)
    assert resp.status_code == 413 and "65536" in resp.json()["error"]
    resp = api.admin("POST", "faults", data=b'{"kind": "delay", "kind": "reset"}')
    assert resp.status_code == 400 and "duplicate key 'kind'" in resp.json()["error"]
    resp = api.admin("POST", "faults", data=b"{oops")
    assert resp.status_code == 400 and "malformed" in resp.json()["error"]
    assert api.admin("GET", "faults").json()["rules"] == []


@pytest.mark.parametrize(
    "raw",
    [
        b'{"apiKey": "%s", "op": "calcul", "op": "rent", "parameters": %s, '
        b'"volumes": {"60200": 1}}',
        b'{"apiKey": "%s", "op": "rent", "parameters": %s, "volumes": {"60200": 1, "60200": 2}}',
    ],
)
def test_duplicate_keys_are_malformed(api: Api, raw):
    body = raw % (api.key.encode(), json.dumps(SEED_PARAMS).encode())
    resp = api.session.post(
        api.sb.base_url + "location/optin", data=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 401 and resp.json()["code"] == 1  # read as an empty body
    assert api.balance() == "1000.000" and rentals(api)["rentals"] == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "utf-8-sig"])
def test_only_plain_utf8_bodies(api: Api, encoding):
    body = json.dumps({"apiKey": api.key, "op": "calcul", "parameters": SEED_PARAMS})
    resp = api.session.post(
        api.sb.base_url + "location/optin",
        data=body.encode(encoding),
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 401 and resp.json()["code"] == 1
    ok = api.session.post(
        api.sb.base_url + "location/optin",
        data=body.encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    assert ok.status_code == 200


@pytest.mark.parametrize(
    "field, value",
    [
        ("department", "60\u00a0"),
        ("department", "\u00a060,75"),
        ("zipcode", "60200\u00a0"),
        ("zipcode", "\u200960200"),
        ("department", "６０"),
    ],
)
def test_codes_take_ascii_digits_and_spaces_only(api: Api, field, value):
    params = {**SEED_PARAMS, "zipcode": None, field: value}
    params = {k: v for k, v in params.items() if v is not None}
    resp = api.optin("calcul", params)
    assert resp.status_code == 400 and resp.json()["code"] == 61


def test_ascii_spaces_around_codes_are_trimmed(api: Api):
    params = {**SEED_PARAMS, "zipcode": " 60200\t", "department": " 60 , \t75"}
    resp = api.optin("calcul", params)
    assert resp.status_code == 200
    assert [r["Localite"] for r in resp.json()["datas"]] == ["60", "75", "60200", "total"]


def test_money_untouched_by_rate_limited_rents():
    with Sandbox(api_key="k", rate_limit=1, rental_delay=0) as sb:
        api = Api(sb)
        codes = [api.optin("rent", SEED_PARAMS, {"60200": 1}).status_code for _ in range(3)]
        assert codes == [200, 429, 429]
        assert Decimal(rentals(api)["balance"]) == Decimal("999.91")  # admin: not limited
        assert len(rentals(api)["rentals"]) == 1
