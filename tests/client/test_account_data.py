"""Issue 19, the client side: the account's STOP list, the format check of numbers and what
sending cost, over real HTTP against the session sandbox, in JSON and XML; the vendor's
rate limits honoured (pacing, and 429s waited out); bad input refused before any request."""

from __future__ import annotations

import json
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
import requests

from smsp_analytics.account_data import COST_COLUMNS, LOOKUP_COLUMNS, STOP_LIST_COLUMNS
from smsp_analytics.errors import AuthenticationError, SmsPartnerError

FORMATS = ["json", "xml"]
#: Numbers of the sandbox's fiction block (the block rentals draw from): French mobiles.
BLOCK = [f"+336399{i:05d}" for i in range(1200)]


def account_knobs(admin, **knobs) -> dict:
    r = requests.post(admin.url + "account", json=knobs, timeout=10)
    r.raise_for_status()
    return r.json()


@pytest.mark.parametrize("fmt", FORMATS)
def test_stop_list_shape(admin, make_client, fmt):
    c = make_client(format=fmt)
    df = c.stop_list()
    assert tuple(df.columns) == STOP_LIST_COLUMNS
    assert len(df) > 50 and df.attrs["count"] == len(df) and df.attrs["op"] == "stop_list"
    assert str(df["stopped_at"].dtype) == "datetime64[ns, UTC]"
    assert df["phone_number"].str.fullmatch(r"\+[1-9][0-9]{7,14}").all()
    assert df["id"].dtype == "Int64" and df["id"].is_unique
    assert df["stopped_at"].is_monotonic_increasing
    # Paris wall time -> UTC: 17:07:31 Paris in November is 16:07:31 UTC.
    assert (df["stopped_at"] <= pd.Timestamp("2026-11-01 12:00", tz="UTC")).all()
    assert df.attrs["source"] == "sandbox" and df.attrs["from_cache"] is False
    assert admin.stats().get("stop_list") == 1


def test_stop_list_is_the_same_in_json_and_xml(admin, make_client):
    a = make_client(format="json").stop_list()
    b = make_client(format="xml").stop_list()
    pd.testing.assert_frame_equal(a, b)


def test_stop_list_is_never_cached(admin, make_client):
    c = make_client()
    c.stop_list()
    c.stop_list()
    assert admin.stats()["stop_list"] == 2


def test_an_empty_stop_list(admin, make_client):
    account_knobs(admin, stop_list=False)
    for fmt in FORMATS:
        df = make_client(format=fmt, cache=False).stop_list()
        assert df.empty and tuple(df.columns) == STOP_LIST_COLUMNS and df.attrs["count"] == 0


def test_a_wrong_key_is_an_authentication_error(admin, make_client):
    with pytest.raises(AuthenticationError):
        make_client(api_key="sk_wrong").stop_list()


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_numbers_one_row_per_input(admin, make_client, fmt):
    given = [
        "06 39 98 00 42",  # national writing of a mobile
        "+33639980042",  # the same number again
        "+33142345678",  # Paris landline
        "+3212345678",  # Belgian landline
        "call me",  # not a number: not sent
        None,  # a blank cell
        "+33639980043",
    ]
    df = make_client(format=fmt).check_numbers(given)
    assert tuple(df.columns) == LOOKUP_COLUMNS and len(df) == len(given)
    assert df["request"].tolist()[:5] == given[:5] and df["request"].isna().tolist()[5]
    assert df["valid"].tolist() == [True, True, True, True, False, False, True]
    assert df["valid_mobile"].tolist() == [True, True, False, False, False, False, True]
    assert df["type"].tolist()[:4] == ["Mobile", "Mobile", "Landline", "Landline"]
    assert df["country"].tolist()[:4] == ["France", "France", "France", "Belgium"]
    assert df["prefix"].tolist()[:4] == [33, 33, 33, 32] and df["prefix"].dtype == "Int64"
    assert df.loc[0, "phone_number"] == "+33639980042"
    assert df.loc[0, "national"] == "06 39 98 00 42"
    assert df.loc[0, "international"] == "+33 6 39 98 00 42"
    assert df.attrs["requests"] == 1 and df.attrs["checked"] == 4 and df.attrs["unreadable"] == 1
    assert df.attrs["types"] == {"Mobile": 3, "Landline": 2, "invalid": 2}
    assert admin.stats()["lookup"] == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_1200_numbers_are_three_lookup_requests(admin, make_client, fmt):
    c = make_client(format=fmt)
    df = c.check_numbers(BLOCK, progress=False)
    assert len(df) == 1200 and df["request"].tolist() == BLOCK
    assert admin.stats()["lookup"] == 3 and df.attrs["requests"] == 3
    # The sandbox says ~2% of well-formed French numbers are not allocated.
    assert 0.9 < df["valid_mobile"].mean() < 1.0
    assert set(df.loc[~df["valid"], "type"].isna()) == {True}
    again = c.check_numbers(BLOCK, progress=False)  # read-only and free: from the cache
    assert admin.stats()["lookup"] == 3 and again.attrs["requests"] == 0
    pd.testing.assert_frame_equal(df.drop(columns=[]), again, check_like=True)


def test_check_numbers_json_and_xml_agree(admin, make_client):
    sample = BLOCK[:40] + ["+3212345678", "+15551234567", "garbage"]
    a = make_client(format="json").check_numbers(sample)
    b = make_client(format="xml").check_numbers(sample)
    pd.testing.assert_frame_equal(a, b)


def test_check_numbers_of_nothing_sends_nothing(admin, make_client):
    df = make_client().check_numbers([])
    assert df.empty and tuple(df.columns) == LOOKUP_COLUMNS and admin.stats().get("lookup", 0) == 0


def test_check_numbers_reads_a_csv_and_a_frame(admin, make_client, tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("name;phone_number\na;06 39 98 00 42\nb;+33142345678\n", encoding="utf-8")
    c = make_client()
    assert c.check_numbers(path)["valid_mobile"].tolist() == [True, False]
    frame = pd.DataFrame({"phone_number": ["+33639980042"]})
    assert c.check_numbers(frame)["valid_mobile"].tolist() == [True]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"numbers": "/no/such/file.csv"}, r"numbers: .* is not a readable CSV file"),
        ({"numbers": 42}, r"numbers: int is not allowed"),
        ({"numbers": ["0612345678"], "region": "XX"}, r"region: 'XX' is not allowed"),
        ({"numbers": ["0612345678"], "progress": "yes"}, r"progress: 'yes' is not allowed"),
    ],
)
def test_check_numbers_refuses_bad_input_before_any_request(admin, make_client, kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make_client().check_numbers(**kwargs)
    assert admin.stats().get("lookup", 0) == 0


def test_a_429_on_the_lookup_is_waited_out(admin, make_client):
    admin.fault(kind="rate_limit", op="lookup", count=1, retry_after=1)
    started = time.monotonic()
    df = make_client(cache=False).check_numbers(BLOCK[:10])
    assert time.monotonic() - started >= 0.9 and df["valid"].all()


def test_a_429_longer_than_retry_after_max_is_still_waited(admin, make_client):
    # The transport gives up at once (the API asks for more than retry_after_max); the
    # account part holds the rate window for the Retry-After and tries again.
    admin.fault(kind="rate_limit", op="lookup", count=1, retry_after=2)
    started = time.monotonic()
    df = make_client(cache=False, retry_after_max=0.5).check_numbers(BLOCK[:10])
    assert time.monotonic() - started >= 1.9 and len(df) == 10


def test_the_lookup_is_paced_within_the_rate_limit(admin, make_client):
    # A short window on both sides: 2 requests per 1.5 s. 5 requests need 2 full windows.
    account_knobs(admin, rate_window=1.5)
    c = make_client(cache=False)
    window = c.account.rate_windows["lookup"]
    window.limit, window.window = 2, 1.5
    started = time.monotonic()
    df = c.check_numbers([f"+336398{i:05d}" for i in range(2100)], progress=False)
    took = time.monotonic() - started
    assert admin.stats()["lookup"] == 5 and df.attrs["requests"] == 5
    assert took >= 3.0 and df.attrs["waited_s"] >= 2.0


@pytest.mark.parametrize("fmt", FORMATS)
def test_sending_costs_shape(admin, make_client, fmt):
    df = make_client(format=fmt).sending_costs()
    assert tuple(df.columns) == COST_COLUMNS and len(df) == 12
    assert str(df["month"].dtype) == "datetime64[ns]" and (df["month"].dt.day == 1).all()
    assert (
        df["month"].iloc[-1] == pd.Timestamp("2026-11-01") and df["month"].is_monotonic_increasing
    )
    assert df["sms_sent"].dtype == "Int64" and df["cost_eur"].dtype == "Float64"
    per_sms = (df["cost_eur"] / df["sms_sent"]).round(6)
    assert per_sms.tolist() == df["cost_per_sms_eur"].round(6).tolist()
    # The sandbox's prices per SMS: 0.070, 0.060, 0.052 or 0.045 EUR by monthly volume.
    assert set(df["cost_per_sms_eur"].round(3)) <= {0.07, 0.06, 0.052, 0.045}
    assert df.attrs["total_sms"] == int(df["sms_sent"].sum())
    assert df.attrs["cost_per_sms_eur"] == pytest.approx(
        float(df["cost_eur"].sum()) / df.attrs["total_sms"]
    )
    assert df.attrs["interval"] == "last_twelve_months" and df.attrs["start"] is None


def test_sending_costs_json_and_xml_agree(admin, make_client):
    a = make_client(format="json").sending_costs(("2025-12-15", "2026-02-10"))
    b = make_client(format="xml").sending_costs(("2025-12-15", "2026-02-10"))
    pd.testing.assert_frame_equal(a, b)
    assert a["month"].dt.strftime("%Y-%m").tolist() == ["2025-12", "2026-01", "2026-02"]
    assert a.attrs["interval"] == "custom" and a.attrs["start"] == "2025-12-15"


def test_last_month_is_one_row(admin, make_client):
    df = make_client().sending_costs("last_month")
    assert df["month"].tolist() == [pd.Timestamp("2026-10-01")]


@pytest.mark.parametrize(
    "interval, match",
    [
        ("last_year", r"interval: 'last_year' is not allowed; allowed: 'last_twelve_months'"),
        ("custom", r"interval: 'custom' is not allowed.*\(start, end\)"),
        (("2026-03-01", "2026-01-01"), r"interval: the start 2026-03-01 is after the end"),
        (("2026-13-01", "2026-01-01"), r"interval\[0\] \(start\): '2026-13-01' is not a date"),
        (("2026-01-01",), r"interval: .* is not allowed"),
        (None, r"interval: None is not allowed"),
    ],
)
def test_a_bad_interval_is_refused_before_any_request(admin, make_client, interval, match):
    with pytest.raises(ValueError, match=match):
        make_client().sending_costs(interval)
    assert admin.stats().get("cost_resume", 0) == 0


def test_six_identical_cost_calls_are_one_request(admin, make_client):
    c = make_client(cache=False)  # the in-memory memo alone
    frames = [c.sending_costs() for _ in range(6)]
    assert admin.stats()["cost_resume"] == 1
    assert all(f.equals(frames[0]) for f in frames)
    assert frames[-1].attrs["from_cache"] is True


def test_six_cost_calls_in_a_minute_are_answered_paced(admin, make_client):
    # Six different intervals: six requests, one more than the vendor's 5 a window. The
    # client waits for a slot instead of earning a 429 (a short window on both sides).
    account_knobs(admin, rate_window=2)
    c = make_client(cache=False)
    c.account.rate_windows["cost_resume"].window = 2
    months = [(f"2026-{m:02d}-01", f"2026-{m:02d}-28") for m in range(1, 7)]
    started = time.monotonic()
    frames = [c.sending_costs(m) for m in months]
    assert time.monotonic() - started >= 1.9  # the sixth waited for the first to age out
    assert [len(f) for f in frames] == [1] * 6 and admin.stats()["cost_resume"] == 6


def test_six_cost_calls_past_the_sandbox_limit_wait_for_its_429(admin, make_client):
    # The client's own pacing off: the sandbox answers the sixth with 429 and Retry-After,
    # which the client waits out (never an error for a call that could wait).
    account_knobs(admin, rate_window=1)
    c = make_client(cache=False)
    c.account.rate_windows["cost_resume"].limit = 1000
    months = [(f"2026-{m:02d}-01", f"2026-{m:02d}-28") for m in range(1, 7)]
    started = time.monotonic()
    frames = [c.sending_costs(m) for m in months]
    assert time.monotonic() - started >= 0.5 and all(len(f) == 1 for f in frames)


def test_no_sending_history_is_an_empty_frame(admin, make_client):
    account_knobs(admin, sending_history=False)
    for fmt in FORMATS:
        df = make_client(format=fmt, cache=False).sending_costs()
        assert df.empty and tuple(df.columns) == COST_COLUMNS and df.attrs["total_sms"] == 0


def test_the_sandbox_clock_moves_the_months(admin, sbx, make_client):
    c = make_client()
    before = c.sending_costs()["month"].iloc[-1]
    try:
        sbx.set_date("2026-12-15")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            after = make_client().sending_costs()["month"].iloc[-1]
    finally:
        admin.reset()
    assert before == pd.Timestamp("2026-11-01") and after == pd.Timestamp("2026-12-01")


class CodeServer:
    """A real HTTP server answering every request with one vendor error envelope."""

    def __init__(self, body: dict, status: int = 400) -> None:
        data = json.dumps(body).encode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    "call, code, match, field",
    [
        ("lookup", 3, "numbers must be separated by commas", "numbers"),
        ("lookup", 50, "at most 500 numbers", "numbers"),
        ("cost_resume", 5, "does not know this interval", "interval"),
    ],
)
def test_the_endpoints_own_codes_are_worded_for_them(make_client, call, code, match, field):
    # The shared code table reads 3 as "the targeting is missing" and 5 as a notification URL.
    vendor = "Les numéros doivent-être séparés par une virgule"
    server = CodeServer({"success": False, "code": code, "message": vendor})
    try:
        c = make_client(base_url=server.base_url, cache=False, retries=0)
        with pytest.raises(SmsPartnerError, match=match) as info:
            c.check_numbers(["+33639980042"]) if call == "lookup" else c.sending_costs()
    finally:
        server.close()
    assert info.value.code == code and info.value.field == field
    assert info.value.vendor_message == vendor  # the vendor's words, verbatim


def test_a_progress_bar_on_long_lists(admin, make_client, capsys):
    c = make_client()
    c.check_numbers(BLOCK[:10], progress=True)
    assert "Checking numbers" in capsys.readouterr().err
    c.check_numbers(BLOCK, progress=None)  # 3 requests: under the threshold, no bar
    assert "Checking numbers" not in capsys.readouterr().err
