"""The account endpoints (issue 19) against the vendor's own documentation.

The vendor's response examples (data/README.md: verbatim from its pages) fix the keys, their
order (the XML is positional) and the JSON types of the values; the sandbox's answers must
have exactly that structure. The error messages are the contract's (codes 1 and 10) and the
vendor pages' own words (2, 3, 50), written here from the docs, never read from the sandbox.
Beyond the documented rate limits the answer is HTTP 429 with a whole-seconds Retry-After
(the contract: "The client must handle 429 with backoff, honouring Retry-After").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as DET
import pytest
import requests

from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = {
    "stop_list": json.loads((DATA / "vendor_stop_list_response.json").read_text("utf-8")),
    "lookup": json.loads((DATA / "vendor_lookup_response.json").read_text("utf-8")),
    "cost_resume": json.loads((DATA / "vendor_cost_resume_response.json").read_text("utf-8")),
}
_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(.*?)\s*\|\s*$")
CONTRACT_MESSAGES = {
    int(m.group(1)): m.group(2)
    for line in (DATA / "vendor_location_messages.md").read_text("utf-8").splitlines()
    if (m := _ROW.match(line.strip()))
}
# The vendor's words: 2 from its STOP and send pages ("Le numéro de téléphone est requis",
# the lookup page's "The phone number is required"), 3 and 50 from its error-code page's
# "Vérification des numéros" table (3's sentence has code 19 there; the lookup page gives it
# code 3), hyphen and all.
LOOKUP_MESSAGES = {
    2: "Le numéro de téléphone est requis",
    3: "Les numéros doivent-être séparés par une virgule",
    50: "Le nombre de numéros autorisés est de 500 maxi",
}


def structure(value: Any) -> Any:
    """Keys in order and JSON types at every level (a list: its rows' common structure)."""
    if isinstance(value, dict):
        return [(k, structure(v)) for k, v in value.items()]
    if isinstance(value, list):
        shapes = [structure(v) for v in value]
        assert all(s == shapes[0] for s in shapes), "rows of one list differ in structure"
        return [shapes[0]] if shapes else []
    return type(value).__name__


@pytest.fixture(scope="module")
def vendor() -> Iterator[tuple[Sandbox, requests.Session]]:
    with Sandbox(api_key="contract-key", seed=0, date=REFERENCE_DATE) as sb:
        with requests.Session() as session:
            yield sb, session


def _call(vendor, op: str, fmt: str = "json", key: str | None = "contract-key", **extra):
    sb, session = vendor
    params: dict[str, Any] = {"_format": fmt}
    if key is not None:
        params["apiKey"] = key
    if op == "lookup":
        body = {k: v for k, v in params.items() if k == "apiKey"} | extra
        return session.post(sb.base_url + "lookup", json=body, params={"_format": fmt}, timeout=30)
    path = {"stop_list": "stop-sms/list", "cost_resume": "statistics/cost-resume"}[op]
    return session.get(sb.base_url + path, params=params | extra, timeout=30)


REQUESTS = {
    "stop_list": {},
    "lookup": {"phoneNumbers": "+33639980042,+33639981234"},
    "cost_resume": {"interval": "last_twelve_months"},
}


@pytest.mark.parametrize("op", list(EXAMPLES))
def test_answers_have_the_documented_structure(vendor, op):
    r = _call(vendor, op, **REQUESTS[op])
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert structure(r.json()) == structure(EXAMPLES[op])


@pytest.mark.parametrize("op", list(EXAMPLES))
def test_xml_answers_follow_the_json_order(vendor, op):
    as_json = _call(vendor, op, **REQUESTS[op]).json()
    root = DET.fromstring(_call(vendor, op, fmt="xml", **REQUESTS[op]).content)

    def texts(element: Any) -> Any:
        children = list(element)
        return [texts(c) for c in children] if children else (element.text or "").strip()

    def expected(value: Any) -> Any:
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            return [expected(v) for v in value] if value else ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    assert root.tag == "result" and texts(root) == expected(as_json)


def test_the_examples_are_the_vendors():
    assert EXAMPLES["cost_resume"]["datas"][0]["date"] == 1633039200  # 2021-10-01, Paris
    assert EXAMPLES["lookup"]["lookup"][0]["format"]["rfc3966"].startswith("tel:+33-6-")
    assert EXAMPLES["stop_list"]["nbData"] == len(EXAMPLES["stop_list"]["data"])


@pytest.mark.parametrize("op", list(EXAMPLES))
@pytest.mark.parametrize(("key", "code"), [(None, 1), ("not-the-key", 10)])
def test_key_errors_in_the_contracts_words(vendor, op, key, code):
    r = _call(vendor, op, key=key, **REQUESTS[op])
    assert r.json() == {"success": False, "code": code, "message": CONTRACT_MESSAGES[code]}


@pytest.mark.parametrize(
    ("numbers", "code"),
    [("", 2), ("+33639980042;+33639981234", 3), (",".join(["+33639980042"] * 501), 50)],
)
def test_lookup_errors_in_the_vendors_words(vendor, numbers, code):
    r = _call(vendor, "lookup", phoneNumbers=numbers)
    assert r.json() == {"success": False, "code": code, "message": LOOKUP_MESSAGES[code]}


def test_beyond_the_documented_limit_429_with_retry_after(vendor):
    sb, session = vendor
    session.post(sb.admin_url + "reset", timeout=10).raise_for_status()
    codes = [_call(vendor, "cost_resume", interval="last_month").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    refused = _call(vendor, "cost_resume", interval="last_month")
    assert refused.status_code == 429 and refused.headers["retry-after"].isdigit()
    session.post(sb.admin_url + "reset", timeout=10).raise_for_status()
