"""transport.py over real HTTP: cache policy, retries honouring Retry-After, decoding."""

from __future__ import annotations

import logging
import time

import pytest

from smsp_analytics.errors import (
    AuthenticationError,
    InvalidRequestError,
    MalformedResponseError,
    RateLimitError,
    ServiceUnavailableError,
)
from smsp_analytics.sandbox import Sandbox
from smsp_analytics.targeting import Targeting
from smsp_analytics.wire.transport import KeyRedactingFilter, RawResponse, decode

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])


def test_calcul_price_categories_cached_status_me_never(admin, make_client):
    c1 = make_client(memo=False)
    first = c1.calcul(T)
    token = c1.rent(T, {"60": 3}, confirm=True).token
    before = admin.stats()
    again = c1.calcul(T)
    c1.categories()
    c1.categories()
    c1.status(token)
    c1.status(token)
    c1.credits()
    c1.credits()
    after = admin.stats()
    assert not first.attrs["from_cache"] and again.attrs["from_cache"]
    assert after.get("calcul", 0) == before.get("calcul", 0)
    assert after.get("categories", 0) - before.get("categories", 0) == 1
    assert after["status"] - before.get("status", 0) == 2
    assert after["me"] - before.get("me", 0) == 2
    # A fresh client on the same SQLite file answers from it.
    c2 = make_client(memo=False)
    assert c2.calcul(T).attrs["from_cache"]
    assert admin.stats().get("calcul", 0) == after.get("calcul", 0)


def test_cache_off_and_clear(admin, make_client):
    off = make_client(cache=False, memo=False)
    off.calcul(T)
    off.calcul(T)
    assert admin.stats()["calcul"] == 2 and off.cache_path is None
    on = make_client(memo=True)
    on.calcul(T)
    on.clear_cache()
    assert not on.calcul(T).attrs["from_cache"]
    assert admin.stats()["calcul"] == 4


def test_vendor_errors_with_http_200_are_not_cached(tmp_path):
    with Sandbox(api_key="k200", errors_http_200=True, rental_delay=0) as sb:
        from smsp_analytics.client.facade import Client

        with Client("k200", base_url=sb.base_url, cache=tmp_path / "c.sqlite", memo=False) as c:
            for _ in range(2):
                with pytest.raises(InvalidRequestError) as info:
                    c.calcul({"sexe": "m", "minAge": 18, "maxAge": 30, "interest": 999})
                assert info.value.code == 61 and info.value.http_status == 200
            import requests

            assert requests.get(sb.admin_url + "stats").json()["requests"]["calcul"] == 2
        with Client("wrong", base_url=sb.base_url, cache=False) as bad:
            with pytest.raises(AuthenticationError) as info:
                bad.credits()
            assert info.value.code == 10 and info.value.vendor_message == "Clé API incorrecte"
            assert "api_key" in info.value.message  # English, naming the field


def test_429_retry_honours_retry_after(admin, make_client):
    admin.fault(kind="rate_limit", op="calcul", count=2, retry_after=1)
    c = make_client(cache=False)
    started = time.perf_counter()
    df = c.calcul(T)
    elapsed = time.perf_counter() - started
    assert len(df) == 2 and admin.stats()["calcul"] == 3
    assert 2.0 <= elapsed < 6, elapsed  # two waits of Retry-After: 1 s


def test_retry_after_beyond_the_cap_is_reported_not_waited(admin, make_client):
    admin.fault(kind="server_error", status=503, op="calcul", count=1, retry_after=30)
    c = make_client(cache=False, retry_after_max=1)
    started = time.perf_counter()
    with pytest.raises(ServiceUnavailableError) as info:
        c.calcul(T)
    assert info.value.http_status == 503 and admin.stats()["calcul"] == 1
    admin.clear_faults()
    admin.fault(kind="rate_limit", op="calcul", count=1, retry_after=3600)
    with pytest.raises(RateLimitError, match="retry_after_max=1") as info:
        c.calcul(T)
    assert info.value.retry_after == 3600
    assert time.perf_counter() - started < 5


def test_fractional_retry_after_is_honoured(admin, make_client):
    # RFC 9110 allows integer seconds only; the one retry layer reads "0.5" as half a
    # second rather than failing (urllib3 refused it with InvalidHeader).
    admin.fault(kind="rate_limit", op="me", count=1, retry_after_raw="0.5")
    c = make_client(cache=False, retries=1)
    assert c.credits().balance_eur == 1000 and admin.stats()["me"] == 2
    admin.fault(kind="rate_limit", op="me", retry_after_raw="0.5")
    with pytest.raises(RateLimitError, match="still rate limited") as info:
        c.credits()
    assert info.value.retry_after == 0.5 and admin.stats()["me"] == 4


def test_503_retries_exhausted_raise_service_unavailable(admin, make_client):
    admin.fault(kind="server_error", status=503, op="calcul")
    c = make_client(cache=False, retries=2)
    with pytest.raises(ServiceUnavailableError) as info:
        c.calcul(T)
    assert info.value.http_status == 503 and admin.stats()["calcul"] == 3
    admin.clear_faults()
    admin.fault(kind="rate_limit", op="me", retry_after=0)
    with pytest.raises(RateLimitError):
        c.credits()


@pytest.mark.parametrize("kind", ["reset", "truncate", "malformed"])
def test_broken_bodies_are_retried_on_read_ops(admin, make_client, kind):
    admin.fault(kind=kind, op="calcul", count=1)
    c = make_client(cache=False)
    assert len(c.calcul(T)) == 2
    assert admin.stats()["calcul"] == 2


def test_broken_bodies_without_retries_raise(admin, make_client):
    admin.fault(kind="malformed", op="me")
    c = make_client(cache=False, retries=0)
    with pytest.raises(ServiceUnavailableError, match="malformed"):
        c.credits()


def test_timeout_is_service_unavailable(admin, make_client):
    admin.fault(kind="delay", op="me", delay=1.5)
    c = make_client(cache=False, retries=0, timeout=0.3)
    with pytest.raises(ServiceUnavailableError, match="Timeout"):
        c.credits()


def test_decode_tolerates_alternatives():
    ok = RawResponse(200, b'{"success": true, "code": 200}', "application/json", False, {})
    assert decode(ok, "me")["code"] == 200
    listed = RawResponse(
        400,
        b'{"success": false, "code": 9, "error": [{"elementId": "minAge", "message": "requis"}]}',
        "application/json",
        False,
        {},
    )
    with pytest.raises(InvalidRequestError, match="minAge") as info:
        decode(listed, "optin")
    assert info.value.vendor_message == "minAge: requis"
    html = RawResponse(404, b"<html>not found</html>", "text/html", False, {})
    with pytest.raises(MalformedResponseError) as info:
        decode(html, "categories")
    assert info.value.http_status == 404 and info.value.field == "body"
    with pytest.raises(ServiceUnavailableError):
        decode(RawResponse(502, b"", "", False, {}), "optin")


def test_log_filter_redacts_args():
    record = logging.LogRecord(
        "urllib3.connectionpool",
        logging.DEBUG,
        __file__,
        1,
        '%s "GET %s"',
        ("h", "/v1/me?apiKey=SECRET&x=1"),
        None,
    )
    assert KeyRedactingFilter().filter(record)
    assert record.getMessage() == 'h "GET /v1/me?apiKey=***&x=1"'


def test_unreachable_host_error_names_host_and_keeps_no_chain_with_the_key():
    # ``raise ... from None`` inside the except block left the requests error (URL with
    # ?apiKey=...) in __context__, where error reporters and debuggers find it.
    from smsp_analytics.client.facade import Client
    from smsp_analytics.errors import ServiceUnavailableError

    key = "sk_live_UNREACHABLE_7f3a"
    with Client(key, base_url="http://127.0.0.1:9/v1/", cache=False, retries=0, timeout=1) as c:
        for call in (
            c.credits,
            lambda: c.status("tok"),
            lambda: c.calcul({"sexe": "f", "minAge": 25, "maxAge": 35, "interest": 14}),
        ):
            with pytest.raises(ServiceUnavailableError) as err:
                call()
            e = err.value
            assert "127.0.0.1:9" in str(e) and key not in str(e) + repr(e)
            assert e.__cause__ is None and e.__context__ is None
