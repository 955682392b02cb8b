"""POST /v1/lookup over HTTP: the format check's rows (JSON and XML), the French numbering
rules, a realistic mix, the vendor codes 1, 2, 3, 10 and 50 (sandbox README "Account data")."""

from __future__ import annotations

import pytest

from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox

from .conftest import Api, json_positions, parse_xml

KEYS = ["request", "success", "countryCode", "prefixCode", "phoneNumber", "type", "network"]
FORMAT_KEYS = ["e164", "international", "national", "rfc3966"]


def _rows(api: Api, numbers: str) -> list[dict]:
    r = api.lookup(numbers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == ["success", "code", "lookup"] and body["code"] == 200
    return body["lookup"]


def test_a_french_mobile_as_the_vendor_shows_it(api: Api):
    (row,) = _rows(api, "+33639980042")
    assert list(row) == [*KEYS, "format"] and list(row["format"]) == FORMAT_KEYS
    assert row == {
        "request": "+33639980042",
        "success": True,
        "countryCode": "France",
        "prefixCode": 33,
        "phoneNumber": "+33639980042",
        "type": "Mobile",
        "network": "",
        "format": {
            "e164": "+33639980042",
            "international": "+33 6 39 98 00 42",
            "national": "06 39 98 00 42",
            "rfc3966": "tel:+33-6-39-98-00-42",
        },
    }


@pytest.mark.parametrize(
    ("number", "success", "kind", "country", "e164"),
    [
        ("33639980043", True, "Mobile", "France", "+33639980043"),  # the vendor's "336..."
        ("0033 7 39 98 00 44", True, "Mobile", "France", "+33739980044"),
        ("06.39.98.00.45", True, "Mobile", "France", "+33639980045"),  # national format
        ("+33139980042", True, "Landline", "France", "+33139980042"),
        ("+33539980042", True, "Landline", "France", "+33539980042"),
        ("+33939980042", True, "Landline", "France", "+33939980042"),
        ("+33800123456", True, "Special", "France", "+33800123456"),
        ("+32470123456", True, "Mobile", "Belgium", "+32470123456"),
        ("+4930123456", False, None, "Germany", None),  # too short for Germany
        ("+442071234567", True, "Landline", "United Kingdom", "+442071234567"),
        ("+3363998004", False, None, "France", None),  # eight digits
        ("+336399800421", False, None, "France", None),  # ten digits
        ("+330639980042", False, None, "France", None),  # a trunk 0 after +33
        ("+999123456789", False, None, None, None),  # no such country code
        ("bonjour", False, None, None, None),
    ],
)
def test_numbering_rules(api: Api, number, success, kind, country, e164):
    (row,) = _rows(api, number)
    assert row["request"] == number
    assert (row["success"], row["type"], row["countryCode"]) == (success, kind, country)
    assert row["phoneNumber"] == row["format"]["e164"] == e164
    assert row["network"] == ""
    if not success:
        assert row["format"] == dict.fromkeys(FORMAT_KEYS)


def test_rows_follow_the_request_order_with_duplicates(api: Api):
    rows = _rows(api, " +33639980042 ,bonjour,,+33639980042, ")
    assert [r["request"] for r in rows] == ["+33639980042", "bonjour", "+33639980042"]
    assert rows[0] == rows[2]


def test_rented_numbers_are_mostly_valid_mobiles(api: Api):
    numbers = [f"+3363998{n:04d}" for n in range(0, 10_000, 4)]  # 2,500 of the fiction block
    rows = []
    for i in range(0, len(numbers), 500):
        rows += _rows(api, ",".join(numbers[i : i + 500]))
    assert len(rows) == len(numbers)
    invalid = [r for r in rows if not r["success"]]
    assert all(r["type"] == "Mobile" for r in rows if r["success"])
    # About 2% "not allocated" (a hash of the seed and the number): cleaning matters.
    assert 0.01 * len(rows) < len(invalid) < 0.035 * len(rows), len(invalid)
    assert all(r["countryCode"] == "France" and r["prefixCode"] == 33 for r in invalid)


def test_xml_holds_the_json_in_order(api: Api):
    numbers = "+33639980042,+33139980042,bonjour,+32470123456"
    as_json = api.lookup(numbers).json()
    r = api.lookup(numbers, fmt="xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    assert parse_xml(r.content) == json_positions(as_json)


@pytest.mark.parametrize(
    ("numbers", "code"),
    [
        (None, 2),
        ("", 2),
        ("  ", 2),
        (" , ,", 2),
        (["+33639980042"], 3),
        ({"n": "+33639980042"}, 3),
        (True, 3),
        ("+33639980042;+33639980043", 3),
        ("+33639980042 +33639980043", 3),
        ("0639980042 0639980043", 3),
        ("+33639980042\n+33639980043", 3),
        (",".join(["+33639980042"] * 501), 50),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_number_errors(api: Api, numbers, code, fmt):
    messages = {
        2: "Le numéro de téléphone est requis",
        3: "Les numéros doivent-être séparés par une virgule",
        50: "Le nombre de numéros autorisés est de 500 maxi",
    }
    r = api.lookup(numbers, fmt=fmt)
    assert r.status_code == 400
    if fmt == "json":
        assert r.json() == {"success": False, "code": code, "message": messages[code]}
    else:
        assert parse_xml(r.content) == ["false", str(code), messages[code]]


def test_five_hundred_numbers_and_a_json_integer_are_fine(api: Api):
    assert len(_rows(api, ",".join(["+33639980042"] * 500))) == 500
    r = api.lookup(33639980042)
    assert r.status_code == 200 and r.json()["lookup"][0]["request"] == "33639980042"


@pytest.mark.parametrize(
    ("key", "code", "message"),
    [(None, 1, "La clé API est requise"), ("wrong", 10, "Clé API incorrecte")],
)
def test_key_errors_come_first(api: Api, key, code, message):
    r = api.lookup(None, key=key)  # no numbers either: the key is checked first
    assert r.status_code == 401
    assert r.json() == {"success": False, "code": code, "message": message}


def test_the_key_may_come_in_the_query_string(api: Api):
    r = api.session.post(
        api.sb.base_url + "lookup",
        params={"apiKey": api.key},
        json={"phoneNumbers": "+33639980042"},
        timeout=30,
    )
    assert r.status_code == 200 and r.json()["lookup"][0]["type"] == "Mobile"


def test_deterministic_by_seed_and_number():
    numbers = ",".join(f"+3363998{n:04d}" for n in range(0, 10_000, 20))

    def check(seed: int) -> list[dict]:
        with Sandbox(api_key="k", seed=seed, date=REFERENCE_DATE) as sb:
            return Api(sb).lookup(numbers).json()["lookup"]

    first = check(5)
    assert check(5) == first
    assert [r["success"] for r in check(6)] != [r["success"] for r in first]
