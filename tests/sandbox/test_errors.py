"""Every vendor error a request can trigger, in JSON and in XML."""

from __future__ import annotations

import time

import pytest

from smsp_analytics.sandbox import MESSAGES, Sandbox

from .conftest import SEED_PARAMS, Api, parse_xml

# Expected HTTP status, from README "Transport" (written out here, not imported).
HTTP = {1: 401, 10: 401, 96: 403, 32: 404, 33: 404}
# Messages the contract quotes verbatim.
CONTRACT_MESSAGES = {
    1: "La clé API est requise",
    10: "Clé API incorrecte",
    11: "Crédit insuffisant",
    8: "Le paramètre sexe doit être uniquement m,h or f",
}

P = {"sexe": "f", "minAge": 25, "maxAge": 35, "interest": 14}


def params(**changes):
    out = dict(P)
    for key, value in changes.items():
        if value is ...:
            out.pop(key, None)
        else:
            out[key] = value
    return out


# (id, op, parameters, volumes, extra body fields, key, expected code)
OPTIN_CASES = [
    ("no key", "calcul", P, None, {}, None, 1),
    ("empty key", "calcul", P, None, {}, "", 1),
    ("wrong key", "calcul", P, None, {}, "nope", 10),
    ("numeric key", "calcul", P, None, {}, 12345, 10),
    ("no op", None, P, None, {}, "default", 4),
    ("unknown op", "delete", P, None, {}, "default", 6),
    ("op not a string", ["calcul"], P, None, {}, "default", 6),
    ("no parameters", "calcul", None, None, {}, "default", 3),
    ("parameters a list", "calcul", [1, 2], None, {}, "default", 3),
    ("empty parameters", "calcul", {}, None, {}, "default", 3),
    ("bad callback", "calcul", P, None, {"urlNotification": "ftp://x"}, "default", 5),
    ("no sexe", "calcul", params(sexe=...), None, {}, "default", 7),
    ("bad sexe", "calcul", params(sexe="x"), None, {}, "default", 8),
    ("upper sexe", "calcul", params(sexe="M"), None, {}, "default", 8),
    ("sexe object", "calcul", params(sexe={"a": 1}), None, {}, "default", 8),
    ("no minAge", "calcul", params(minAge=...), None, {}, "default", 9),
    ("minAge 17", "calcul", params(minAge=17), None, {}, "default", 12),
    ("minAge text", "calcul", params(minAge="abc"), None, {}, "default", 12),
    ("minAge 2.5", "calcul", params(minAge=2.5), None, {}, "default", 12),
    ("minAge huge", "calcul", params(minAge=10**100), None, {}, "default", 12),
    ("minAge bool", "calcul", params(minAge=True), None, {}, "default", 12),
    ("no maxAge", "calcul", params(maxAge=...), None, {}, "default", 13),
    ("maxAge 99", "calcul", params(maxAge=99), None, {}, "default", 14),
    ("maxAge null byte", "calcul", params(maxAge="3\x005"), None, {}, "default", 14),
    ("min above max", "calcul", params(minAge=40, maxAge=30), None, {}, "default", 61),
    ("no interest", "calcul", params(interest=...), None, {}, "default", 19),
    ("interest 0", "calcul", params(interest=0), None, {}, "default", 15),
    ("interest empty", "calcul", params(interest=""), None, {}, "default", 16),
    ("interest null", "calcul", params(interest=None), None, {}, "default", 16),
    ("subInterest empty", "calcul", params(subInterest=""), None, {}, "default", 17),
    ("subInterest -3", "calcul", params(subInterest=-3), None, {}, "default", 18),
    ("category empty", "calcul", params(category=""), None, {}, "default", 22),
    ("category 0", "calcul", params(category="0"), None, {}, "default", 23),
    ("category 104", "calcul", params(category=104), None, {}, "default", 61),
    ("unknown interest", "calcul", params(interest=9999), None, {}, "default", 61),
    ("sub of another", "calcul", params(subInterest=30), None, {}, "default", 61),
    ("unknown dep", "calcul", params(department="02,99"), None, {}, "default", 61),
    ("unknown zip", "calcul", params(zipcode="00000"), None, {}, "default", 61),
    ("zip unicode", "calcul", params(zipcode="６０２００"), None, {}, "default", 61),
    ("zip very long", "calcul", params(zipcode="6" * 100_000), None, {}, "default", 61),
    ("zip nested", "calcul", params(zipcode={"a": {"b": [1]}}), None, {}, "default", 61),
    (
        "row without Type",
        "price",
        params(zipcode="60200"),
        [{"Localite": "60200", "Volume": 1}],
        {},
        "default",
        24,
    ),
    (
        "row without Localite",
        "price",
        params(zipcode="60200"),
        [{"Type": "CP", "Volume": 1}],
        {},
        "default",
        25,
    ),
    (
        "row without Volume",
        "price",
        params(zipcode="60200"),
        [{"Type": "CP", "Localite": "60200"}],
        {},
        "default",
        26,
    ),
    ("negative volume", "price", params(zipcode="60200"), {"60200": -1}, {}, "default", 26),
    (
        "volume for an untargeted zip",
        "price",
        params(zipcode="60200"),
        {"02200": 1},
        {},
        "default",
        61,
    ),
    (
        "volume above available",
        "price",
        params(zipcode="60200"),
        {"60200": 10**9},
        {},
        "default",
        27,
    ),
    ("total above available", "price", params(), {"total": 10**12}, {}, "default", 28),
    ("rent above balance", "rent", params(), None, {}, "default", 11),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("case", OPTIN_CASES, ids=[c[0] for c in OPTIN_CASES])
def test_optin_errors(api: Api, case, fmt):
    _, op, parameters, volumes, extra, key, code = case
    resp = api.optin(op, parameters, volumes, fmt=fmt, key=key, **extra)
    check_error(resp, code, fmt)


def check_error(resp, code: int, fmt: str) -> None:
    assert resp.status_code == HTTP.get(code, 400), resp.text
    if fmt == "json":
        assert resp.headers["content-type"].startswith("application/json")
        body = resp.json()
        assert list(body) == ["success", "code", "message"]
        assert body["success"] is False and body["code"] == code
        message = body["message"]
    else:
        assert "xml" in resp.headers["content-type"]
        success, got_code, message = parse_xml(resp.content)
        assert success == "false" and got_code == str(code)
    assert message == MESSAGES[code]
    if code in CONTRACT_MESSAGES:
        assert message == CONTRACT_MESSAGES[code]


def test_messages_are_french_and_distinct():
    assert len(set(MESSAGES.values())) == len(MESSAGES)
    for text in MESSAGES.values():
        assert text and text[0].isupper()


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b"",
        b"\x00\xff\xfe",
        b'"str"',
        b"[" * 5000 + b"]" * 5000,
        b'{"apiKey": 1e309}',
    ],
)
def test_malformed_bodies_answer_code_1(api: Api, body, fmt):
    resp = api.session.post(
        api.sb.base_url + "location/optin",
        data=body,
        params={"_format": fmt},
        headers={"Content-Type": "application/json"},
    )
    expected = 10 if b"1e309" in body else 1
    check_error(resp, expected, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "path", ["me", "location/categories", "location/status", "location/file/download"]
)
def test_get_auth_errors(api: Api, path, fmt):
    check_error(api.get(path, fmt=fmt, key=None, token="x"), 1, fmt)
    check_error(api.get(path, fmt=fmt, key="bad", token="x"), 10, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("path", ["location/status", "location/file/download"])
def test_token_errors(api: Api, path, fmt):
    check_error(api.get(path, fmt=fmt), 31, fmt)
    check_error(api.get(path, fmt=fmt, token="  "), 31, fmt)
    check_error(api.get(path, fmt=fmt, token="0" * 32), 32, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_download_state_errors(api: Api, fmt):
    resp = api.optin("rent", SEED_PARAMS, {"60200": 3})
    token = resp.json()["token"]
    check_error(api.get("location/file/download", fmt=fmt, token=token), 35, fmt)  # status 0
    deadline = time.monotonic() + 5
    while api.get("location/status", token=token).json()["statusCode"] != 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert api.get("location/file/download", token=token).status_code == 200
    check_error(api.get("location/file/download", fmt=fmt, token=token), 34, fmt)
    # A failed rental (admin hook) answers 36.
    token2 = api.optin("rent", SEED_PARAMS, {"60200": 2}).json()["token"]
    api.admin("POST", f"rentals/{token2}/fail").raise_for_status()
    assert api.get("location/status", token=token2).json()["statusCode"] == 3
    check_error(api.get("location/file/download", fmt=fmt, token=token2), 36, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ip_not_allowed(fmt):
    with Sandbox(api_key="k", allowed_ips=["10.1.2.3"], rental_delay=0) as sb:
        api = Api(sb)
        check_error(api.optin("calcul", P, fmt=fmt), 96, fmt)
        for path in ("me", "location/categories", "location/status"):
            check_error(api.get(path, fmt=fmt, token="x"), 96, fmt)
    with Sandbox(api_key="k", allowed_ips=["127.0.0.0/8"], rental_delay=0) as sb:
        assert Api(sb).get("me").status_code == 200


def test_errors_http_200_mode():
    with Sandbox(api_key="k", errors_http_200=True, rental_delay=0) as sb:
        api = Api(sb)
        for key, code in ((None, 1), ("bad", 10)):
            resp = api.optin("calcul", P, key=key)
            assert resp.status_code == 200 and resp.json()["code"] == code
        resp = api.optin("calcul", params(sexe="x"))
        assert resp.status_code == 200 and resp.json()["code"] == 8


def test_no_422_and_no_500_on_hostile_values(api: Api):
    hostile = [
        None,
        True,
        1e308,
        -1,
        "",
        " ",
        "\x00",
        "é" * 10_000,
        [],
        {},
        [[[]]],
        {"$gt": ""},
        "1e309",
        "NaN",
        "Infinity",
        "0x10",
        "٣٥",
    ]
    for value in hostile:
        for field in (
            "sexe",
            "minAge",
            "maxAge",
            "interest",
            "subInterest",
            "category",
            "department",
            "zipcode",
        ):
            resp = api.optin("price", params(**{field: value}), {"60200": value})
            assert resp.status_code in (200, 400), (field, value, resp.text)
            assert resp.json()["success"] in (True, False)
        resp = api.optin("rent", params(zipcode="60200"), value)
        assert resp.status_code in (200, 400), (value, resp.text)


# Python's int() and the regex \d accept any Unicode decimal digit ("٣٥" is 35, "２５" is
# 25) and int() accepts underscores ("1_000"): none of them is a number a PHP API reads.
NOT_ASCII_NUMBERS = ["٣٥", "２５", "۳۵", "1_000", "25\u00a0", "\u0663"]


@pytest.mark.parametrize("text", NOT_ASCII_NUMBERS)
def test_unicode_digits_and_underscores_are_not_numbers(api: Api, text):
    check_error(api.optin("calcul", params(minAge=text)), 12, "json")
    check_error(api.optin("calcul", params(maxAge=text)), 14, "json")
    check_error(api.optin("calcul", params(interest=text)), 15, "json")
    check_error(api.optin("calcul", params(subInterest=text)), 18, "json")
    check_error(api.optin("calcul", params(category=text)), 23, "json")
    check_error(api.optin("price", params(zipcode="60200"), {"60200": text}), 26, "json")
