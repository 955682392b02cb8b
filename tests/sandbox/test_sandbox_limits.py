"""The account endpoints' documented rate limits over HTTP: 360 lookups and 5 cost-resume a
minute per key, then HTTP 429 with an honest Retry-After; the admin's shorter "minute" for
tests (sandbox README "Account data")."""

from __future__ import annotations

import time

import pytest

from .conftest import Api


def _cost(api: Api, key: str = "default"):
    return api.get("statistics/cost-resume", key=key, interval="last_month")


def test_the_sixth_cost_resume_in_a_minute_is_refused(api: Api):
    started = time.monotonic()
    assert [_cost(api).status_code for _ in range(5)] == [200] * 5
    refused = _cost(api)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/plain")
    assert refused.text == "Too Many Requests"
    wait = int(refused.headers["retry-after"])  # whole seconds
    # Until the first admitted request leaves its minute: at most 60 s, and no less than
    # what really remains of it.
    assert 60 - (time.monotonic() - started) - 1 <= wait <= 60
    assert _cost(api).status_code == 429  # a refused request does not count, nor pass
    assert api.get("me").status_code == 200  # other operations are not limited
    assert api.get("stop-sms/list").status_code == 200


def test_the_361st_lookup_in_a_minute_is_refused(api: Api):
    codes = [api.lookup("+33639980042").status_code for _ in range(360)]
    assert codes == [200] * 360
    refused = api.lookup("+33639980042")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert api.get("statistics/cost-resume", interval="last_month").status_code == 200


def test_limits_are_per_key(api: Api):
    for _ in range(5):
        assert _cost(api).status_code == 200
    assert _cost(api).status_code == 429
    assert _cost(api, key="another-key").status_code == 401  # its own bucket: admitted


def test_a_refused_request_is_counted_but_not_handled(api: Api):
    for _ in range(6):
        _cost(api)
    assert api.admin("GET", "stats").json()["requests"]["cost_resume"] == 6


def test_a_shorter_minute_for_tests_and_reset(api: Api):
    r = api.admin("POST", "account", json={"rate_window": 1})
    assert r.status_code == 200
    assert r.json()["limits"]["cost_resume"] == {"requests": 5, "window": 1.0}
    for _ in range(5):
        assert _cost(api).status_code == 200
    refused = _cost(api)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    time.sleep(int(refused.headers["retry-after"]))  # the client's way: wait as told
    assert _cost(api).status_code == 200
    api.admin("POST", "reset").raise_for_status()  # back to the minute, windows empty
    assert api.admin("GET", "account").json()["rate_window"] == 60.0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rate_window": 0}, "rate_window"),
        ({"rate_window": "fast"}, "rate_window"),
        ({"sending_history": "no"}, "sending_history"),
        ({"stop_list": 0}, "stop_list"),
        ({"speed": 1}, "rate_window"),  # the message lists the accepted fields
        ([], "rate_window"),
    ],
)
def test_invalid_knobs_are_refused_naming_the_field(api: Api, body, field):
    r = api.admin("POST", "account", json=body)
    assert r.status_code == 400 and field in r.json()["error"]
    assert api.admin("GET", "account").json()["rate_window"] == 60.0


def test_the_openapi_documents_the_429(api: Api):
    paths = api.session.get(api.sb.url + "openapi.json", timeout=10).json()["paths"]
    assert "429" in paths["/v1/lookup"]["post"]["responses"]
    assert "429" in paths["/v1/statistics/cost-resume"]["get"]["responses"]
    assert "429" not in paths["/v1/stop-sms/list"]["get"]["responses"]
    params = {p["name"] for p in paths["/v1/statistics/cost-resume"]["get"]["parameters"]}
    assert {"apiKey", "interval", "from", "to", "_format"} <= params
