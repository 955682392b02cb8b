"""The sandbox answers every vendor error of the "Location" table in the vendor's words.

The expected texts are parsed here from the contract's markdown table (never taken from the
sandbox's own table), and every code that a real request can provoke is provoked over HTTP,
in JSON and in XML. Code 33 (rental file not found) is the one code the sandbox never
produces (sandbox README, "Refinements"); it is still checked in the sandbox's table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as DET
import pytest
import requests

from smsp_analytics.sandbox import MESSAGES, REFERENCE_DATE, Sandbox

HERE = Path(__file__).resolve().parent
COPY = HERE / "data" / "vendor_location_messages.md"
NEVER_PRODUCED = {33}
_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(.*?)\s*\|\s*$")


def message_table(markdown: str) -> dict[int, str]:
    """The ``| code | message |`` table of ``markdown`` (the first one with that header)."""
    lines = markdown.splitlines()
    start = next(
        i
        for i, line in enumerate(lines)
        if re.fullmatch(r"\|\s*code\s*\|\s*message\s*\|", line.strip())
    )
    table: dict[int, str] = {}
    for line in lines[start + 2 :]:  # header, then the |---|---| rule
        match = _ROW.match(line.strip())
        if not match:
            break
        code = int(match.group(1))
        assert code not in table, f"code {code} twice in the table"
        table[code] = match.group(2)
    assert table, "no rows under the | code | message | header"
    return table


EXPECTED = message_table(COPY.read_text(encoding="utf-8"))


def test_the_copy_is_the_contracts_table(contract_md: str):
    text = contract_md
    section = text[text.index("French messages for the sandbox") :]
    assert message_table(section) == EXPECTED


def test_the_sandbox_has_one_table_and_it_is_the_vendors():
    assert dict(MESSAGES) == EXPECTED
    # The vendor's wording, typos included (the examples).
    assert EXPECTED[32] == "La demande de location est introuvable"
    assert "DesiredVolume" in EXPECTED[28]


# --------------------------------------------------------------------------- over HTTP
P = {"sexe": "f", "minAge": 25, "maxAge": 35, "interest": 14}
Z = dict(P, zipcode="60200")


def _without(key: str, base: dict = P) -> dict:
    return {k: v for k, v in base.items() if k != key}


# code -> (op, parameters, volumes, extra body fields, key: "good", "bad" or None)
OPTIN = {
    1: ("calcul", P, None, {}, None),
    3: ("calcul", None, None, {}, "good"),
    4: (None, P, None, {}, "good"),
    5: ("calcul", P, None, {"urlNotification": "ftp://example.invalid"}, "good"),
    6: ("delete", P, None, {}, "good"),
    7: ("calcul", _without("sexe"), None, {}, "good"),
    8: ("calcul", dict(P, sexe="x"), None, {}, "good"),
    9: ("calcul", _without("minAge"), None, {}, "good"),
    10: ("calcul", P, None, {}, "bad"),
    11: ("rent", P, None, {}, "good"),  # all of France: far above the balance
    12: ("calcul", dict(P, minAge=17), None, {}, "good"),
    13: ("calcul", _without("maxAge"), None, {}, "good"),
    14: ("calcul", dict(P, maxAge=99), None, {}, "good"),
    15: ("calcul", dict(P, interest=0), None, {}, "good"),
    16: ("calcul", dict(P, interest=""), None, {}, "good"),
    17: ("calcul", dict(P, subInterest=""), None, {}, "good"),
    18: ("calcul", dict(P, subInterest=-3), None, {}, "good"),
    19: ("calcul", _without("interest"), None, {}, "good"),
    22: ("calcul", dict(P, category=""), None, {}, "good"),
    23: ("calcul", dict(P, category=0), None, {}, "good"),
    24: ("price", Z, [{"Localite": "60200", "Volume": 1}], {}, "good"),
    25: ("price", Z, [{"Type": "CP", "Volume": 1}], {}, "good"),
    26: ("price", Z, [{"Type": "CP", "Localite": "60200"}], {}, "good"),
    27: ("price", Z, {"60200": 10**9}, {}, "good"),
    28: ("price", P, {"total": 10**12}, {}, "good"),
    61: ("calcul", dict(P, minAge=40, maxAge=30), None, {}, "good"),
}
RENTAL_CODES = {31, 32, 34, 35, 36}
IP_CODES = {96}


def test_every_code_of_the_table_is_provoked_below():
    assert set(OPTIN) | RENTAL_CODES | IP_CODES | NEVER_PRODUCED == set(EXPECTED)


def _message(resp: requests.Response, fmt: str) -> tuple[int, str]:
    """(code, message) of a vendor error answer, read from the wire."""
    if fmt == "json":
        body = resp.json()
        assert body["success"] is False
        return int(body["code"]), body["message"]
    root = DET.fromstring(resp.content)
    success, code, message = [(e.text or "").strip() for e in root]
    assert success == "false"
    return int(code), message


def _optin(
    sb: Sandbox, fmt: str, op: Any, parameters: Any, volumes: Any, extra: dict, key: str | None
) -> requests.Response:
    body: dict[str, Any] = dict(extra)
    if key is not None:
        body["apiKey"] = sb.api_key if key == "good" else "not-the-key"
    if op is not None:
        body["op"] = op
    if parameters is not None:
        body["parameters"] = parameters
    if volumes is not None:
        body["volumes"] = volumes
    return requests.post(
        sb.base_url + "location/optin", json=body, params={"_format": fmt}, timeout=30
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("code", sorted(OPTIN))
def test_optin_errors_in_the_vendors_words(sbx, admin, code, fmt):
    resp = _optin(sbx, fmt, *OPTIN[code])
    assert _message(resp, fmt) == (code, EXPECTED[code])


@pytest.fixture(scope="module")
def slow_sandbox() -> Iterator[Sandbox]:
    """Rentals stay in status 0 (file being prepared) for the whole module."""
    with Sandbox(seed=0, rental_delay=3600, date=REFERENCE_DATE) as sb:
        yield sb


def _get(sb: Sandbox, path: str, fmt: str, **params: Any) -> requests.Response:
    return requests.get(
        sb.base_url + path, params={"apiKey": sb.api_key, "_format": fmt, **params}, timeout=30
    )


def _rent(sb: Sandbox, n: int) -> str:
    resp = _optin(sb, "json", "rent", Z, {"60200": n}, {}, "good")
    assert resp.status_code == 200, resp.text
    return resp.json()["token"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_rental_errors_in_the_vendors_words(sbx, admin, slow_sandbox, fmt):
    said: dict[int, str] = {}

    def record(resp: requests.Response) -> None:
        code, message = _message(resp, fmt)
        said[code] = message

    for path in ("location/status", "location/file/download"):
        record(_get(sbx, path, fmt))  # 31: no token
        record(_get(sbx, path, fmt, token="0" * 32))  # 32: unknown token
    record(_get(slow_sandbox, "location/file/download", fmt, token=_rent(slow_sandbox, 1)))
    used = _rent(sbx, 2)  # the session sandbox's rentals are ready at once
    assert _get(sbx, "location/file/download", "json", token=used).status_code == 200
    record(_get(sbx, "location/file/download", fmt, token=used))  # 34
    failed = _rent(sbx, 1)
    requests.post(sbx.admin_url + f"rentals/{failed}/fail", timeout=10).raise_for_status()
    record(_get(sbx, "location/file/download", fmt, token=failed))  # 36
    assert said == {code: EXPECTED[code] for code in RENTAL_CODES}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ip_not_allowed_in_the_vendors_words(fmt):
    with Sandbox(allowed_ips=["10.1.2.3"], rental_delay=0, date=REFERENCE_DATE) as sb:
        answers = [
            _optin(sb, fmt, *OPTIN[8]),
            _get(sb, "location/status", fmt, token="x"),
            _get(sb, "me", fmt),
        ]
        assert [_message(r, fmt) for r in answers] == [(96, EXPECTED[96])] * 3
