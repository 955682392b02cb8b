"""Issue 19: odd answers of the three account endpoints are MalformedResponseError naming
the field (frames checked value by value, JSON and XML), the sandbox's malformed bodies over
real HTTP too; the rate window that paces them; the placeholder names of unknown interests."""

from __future__ import annotations

import warnings

import pytest

from smsp_analytics.account_data import lookup_records, sending_costs_frame, stop_list_frame
from smsp_analytics.accounts import categories_frame
from smsp_analytics.errors import AuthenticationError, MalformedResponseError, TotalMismatchWarning
from smsp_analytics.i18n import use_lang
from smsp_analytics.wire.account_answers import read_answer
from smsp_analytics.wire.decoding import RawResponse
from smsp_analytics.wire.pacing import RateWindow

ROW = {"month": "october", "year": "2026", "m": "10", "type": "month", "cost": "1.000"}
OK = {
    "request": "+33639980042",
    "success": True,
    "countryCode": "France",
    "prefixCode": 33,
    "phoneNumber": "+33639980042",
    "type": "Mobile",
    "network": "",
    "format": {"e164": "+33639980042", "national": "06 39 98 00 42"},
}


def raw(body: bytes, ctype: str = "application/json", status: int = 200) -> RawResponse:
    return RawResponse(status, body, ctype, False, {})


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"data": {"id": 1}}, "data"),
        ({"data": ["+33639980042"]}, "data"),
        ({"data": [{"id": 1, "phoneNumber": "call me", "createdAt": None}]}, "data.phoneNumber"),
        ({"data": [{"id": -1, "phoneNumber": "+33639980042"}]}, "data.id"),
        ({"data": [{"id": "x", "phoneNumber": "+33639980042"}]}, "data.id"),
        (
            {"data": [{"id": 1, "phoneNumber": "+33639980042", "createdAt": "20/07/2015"}]},
            "data.createdAt",
        ),
    ],
)
def test_odd_stop_lists(payload, field):
    with pytest.raises(MalformedResponseError) as info:
        stop_list_frame(payload)
    assert info.value.field == field


def test_a_stop_list_shorter_than_announced_warns():
    payload = {"nbData": 3, "data": [{"id": 1, "phoneNumber": "+33639980042"}]}
    with pytest.warns(TotalMismatchWarning, match="announced 3 numbers and sent 1"):
        df = stop_list_frame(payload)
    assert df.attrs["count"] == 3 and df["stopped_at"].isna().all()


@pytest.mark.parametrize(
    "rows, sent, field",
    [
        ([OK], ["+33639980042", "+33639980043"], "lookup"),  # one entry short
        ([OK], ["+33639980043"], "lookup.request"),  # answers another number
        ([{**OK, "prefixCode": "33a"}], ["+33639980042"], "lookup.prefixCode"),
        ([{**OK, "phoneNumber": "nope", "format": {}}], ["+33639980042"], "lookup.phoneNumber"),
        (OK, ["+33639980042"], "lookup"),  # an object, not a list
    ],
)
def test_odd_lookups(rows, sent, field):
    with pytest.raises(MalformedResponseError) as info:
        lookup_records({"lookup": rows}, sent)
    assert info.value.field == field


def test_the_vendor_sample_echo_without_plus_is_read():
    # The vendor's documented sample echoes "336XXXXXXXX" for "+336XXXXXXXX".
    (rec,) = lookup_records({"lookup": [{**OK, "request": "33639980042"}]}, ["+33639980042"])
    assert rec["valid_mobile"] and rec["national"] == "06 39 98 00 42"


@pytest.mark.parametrize(
    "row, field",
    [
        ({**ROW, "nb_send": "-3"}, "datas.nb_send"),
        ({**ROW, "nb_send": "12.5"}, "datas.nb_send"),
        ({**ROW, "nb_send": "10", "cost": "-1"}, "datas.cost"),
        ({**ROW, "nb_send": "10", "cost": "1,5"}, "datas.cost"),
        ({**ROW, "nb_send": "10", "m": "13"}, "datas.m"),
        ({**ROW, "nb_send": "10", "type": "day"}, "datas.type"),
        ({"nb_send": "10", "cost": "1"}, "datas.month"),
        ({"nb_send": "10", "cost": "1", "date": "soon"}, "datas.date"),
    ],
)
def test_odd_cost_rows(row, field):
    with pytest.raises(MalformedResponseError) as info:
        sending_costs_frame({"datas": [row]})
    assert info.value.field == field


def test_a_month_twice_is_malformed_and_the_date_alone_gives_the_month():
    row = {**ROW, "nb_send": "10"}
    with pytest.raises(MalformedResponseError, match="2026-10 comes twice"):
        sending_costs_frame({"datas": [row, row]})
    # 1633039200 is 2021-10-01 00:00 in Paris (2021-09-30 22:00 UTC).
    df = sending_costs_frame({"datas": [{"date": 1633039200, "cost": "49.174", "nb_send": "1210"}]})
    assert str(df["month"][0].date()) == "2021-10-01"
    assert df["cost_per_sms_eur"][0] == pytest.approx(49.174 / 1210)


def test_read_answer_of_odd_bodies():
    with pytest.raises(MalformedResponseError, match="HTML page"):
        read_answer(raw(b"<html><body>Bad gateway</body></html>", "text/html"), "lookup")
    with pytest.raises(MalformedResponseError, match="a JSON list"):
        read_answer(raw(b"[1, 2]"), "cost_resume")
    with pytest.raises(MalformedResponseError, match="without a success flag"):
        read_answer(raw(b"<result><entry>maybe</entry></result>", "application/xml"), "stop_list")
    with pytest.raises(MalformedResponseError, match="malformed XML"):
        read_answer(raw(b"<result><entry>true</entry>", "application/xml"), "stop_list")
    error = b"<result><entry>false</entry><entry>10</entry><entry>Cl\xc3\xa9 API incorrecte</entry></result>"
    with pytest.raises(AuthenticationError) as info:
        read_answer(raw(error, "application/xml", 401), "stop_list")
    assert info.value.code == 10 and info.value.vendor_message == "Clé API incorrecte"
    with pytest.raises(ValueError, match="kind: 'me' is not allowed"):
        read_answer(raw(b"{}"), "me")


@pytest.mark.parametrize("op", ["stop_list", "lookup", "cost_resume"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_malformed_bodies_over_http(admin, make_client, op, fmt):
    admin.fault(kind="malformed", op=op)
    c = make_client(format=fmt, cache=False, retries=0)
    call = {
        "stop_list": c.stop_list,
        "lookup": lambda: c.check_numbers(["+33639980042"]),
        "cost_resume": c.sending_costs,
    }[op]
    with pytest.raises(MalformedResponseError):
        call()


def test_the_rate_window_dates_a_slot_from_its_answer_and_gives_back_cached_ones():
    now = [0.0]
    w = RateWindow(
        2, 10.0, margin=0.0, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s)
    )
    slot, waited = w.acquire()
    now[0] = 4.0  # a slow answer: the server may have admitted it as late as this
    w.settle(slot)
    cached, _ = w.acquire()
    w.settle(cached, sent=False)  # nothing reached the server
    w.acquire()
    assert w.wait_for() == pytest.approx(14.0 - 4.0)
    w.hold(30.0)  # a 429 asked for 30 s
    assert w.wait_for() == pytest.approx(30.0)
    with pytest.raises(ValueError, match="limit: 0 is not allowed"):
        RateWindow(0, 1.0)


def test_unknown_interest_names_are_the_toolkits_in_the_language():
    payload = {
        "categories": [
            {"id": 12, "name": "", "subCategories": [{"id": 29, "name": None}]},
            {"id": 13, "name": "Catégorie 13 (nom inconnu)"},  # the sandbox's former spelling
            {"id": 14, "name": "Habitation", "subCategories": [{"id": 35, "name": "Cuisine"}]},
        ]
    }
    english = categories_frame(payload)["name"].tolist()
    assert english == [
        "Interest 12 (name unknown)",
        "Sub-interest 29 (name unknown)",
        "Interest 13 (name unknown)",
        "Habitation",
        "Cuisine",
    ]
    with use_lang("fr"):
        french = categories_frame(payload)["name"].tolist()
    assert french[:3] == [
        "Intérêt 12 (nom inconnu)",
        "Sous-intérêt 29 (nom inconnu)",
        "Intérêt 13 (nom inconnu)",
    ]
    assert french[3:] == ["Habitation", "Cuisine"]  # the vendor's names in both languages


def test_unknown_names_through_the_client(admin, make_client):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with use_lang("fr"):
            cats = make_client(cache=False).categories()
    names = dict(zip(cats["id"], cats["name"]))
    assert names[12] == "Intérêt 12 (nom inconnu)" and names[14] == "Habitation"
    assert names[29] == "Sous-intérêt 29 (nom inconnu)"
