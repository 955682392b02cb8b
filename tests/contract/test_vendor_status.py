"""The rental status answer: the vendor's documented keys, in the vendor's order.

The XML format is positional (keys are lost), so a key the sandbox adds before a documented
one shifts every later position relative to the real API. The vendor's documented example
(JSON, and the same in the vendor's XML layout: data/README.md) is decoded with the client's
own decoder, and the sandbox's status answer is checked against the example's key order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as DET
import pandas as pd
import requests

from smsp_analytics.frames import status_frame
from smsp_analytics.wire.xmlparse import from_xml

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE_JSON = json.loads((DATA / "vendor_status_response.json").read_text(encoding="utf-8"))
EXAMPLE_XML = (DATA / "vendor_status_response.xml").read_bytes()


def as_xml_text(value: Any) -> Any:
    """What the XML carries for a JSON value: text for scalars, keys kept for comparison."""
    if isinstance(value, dict):
        return {k: as_xml_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_xml_text(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def key_order(value: Any) -> Any:
    """The key structure of a JSON value: a dict's keys in order with their sub-structures,
    a list's first element's structure (the rows share one shape)."""
    if isinstance(value, dict):
        return [(k, key_order(v)) for k, v in value.items()]
    if isinstance(value, list) and value:
        return [key_order(value[0])]
    return None


def starts_with(actual: Any, documented: Any, where: str = "status") -> None:
    """``actual``'s keys begin with ``documented``'s, in the same order, at every level."""
    if documented is None:
        return
    if documented and isinstance(documented[0], tuple):  # an object
        names = [k for k, _ in actual]
        want = [k for k, _ in documented]
        assert names[: len(want)] == want, f"{where}: keys {names}, documented first {want}"
        for (name, sub), (_, doc_sub) in zip(actual, documented):
            starts_with(sub, doc_sub, f"{where}.{name}")
    else:  # a list of rows
        starts_with(actual[0], documented[0], f"{where}[0]")


def test_the_client_decodes_the_vendors_xml_status_example():
    decoded = from_xml(EXAMPLE_XML, "status")
    expected = as_xml_text(EXAMPLE_JSON)
    expected["success"] = True
    assert decoded == expected  # every key at its documented position
    from_json, from_xml_frame = status_frame(EXAMPLE_JSON), status_frame(decoded)
    pd.testing.assert_frame_equal(from_json, from_xml_frame)
    same = (
        "token",
        "status",
        "status_code",
        "targeting",
        "location",
        "total_quantity",
        "total_cost_eur",
        "unit_cost_eur",
        "phone_numbers",
    )
    assert {k: from_json.attrs[k] for k in same} == {k: from_xml_frame.attrs[k] for k in same}
    assert from_json["status_code"].tolist() == [5]
    assert from_json["volume"].tolist() == [10] and from_json["available"].tolist() == [266]


def _rented_status(sbx, fmt: str, token: str | None = None) -> tuple[str, requests.Response]:
    if token is None:
        body = {
            "apiKey": sbx.api_key,
            "op": "rent",
            "parameters": {
                "sexe": "f",
                "minAge": 25,
                "maxAge": 35,
                "interest": 14,
                "subInterest": 35,
                "category": 103,
                "department": "02",
                "zipcode": "60200",
            },
            "volumes": {"02": 2, "60200": 3},
        }
        rent = requests.post(sbx.base_url + "location/optin", json=body, timeout=30)
        assert rent.status_code == 200, rent.text
        token = rent.json()["token"]
    resp = requests.get(
        sbx.base_url + "location/status",
        timeout=30,
        params={"apiKey": sbx.api_key, "token": token, "_format": fmt},
    )
    assert resp.status_code == 200, resp.text
    return token, resp


def test_the_sandbox_status_has_the_documented_keys_first_in_order(sbx, admin):
    _, resp = _rented_status(sbx, "json")
    body = resp.json()
    starts_with(key_order(body), key_order(EXAMPLE_JSON))
    documented = list(EXAMPLE_JSON["location"])
    # Nothing added inside ``location``: the client's XML reader finds the details and
    # the cost by their documented positions.
    assert list(body["location"]) == documented
    extra = list(body)[len(EXAMPLE_JSON) :]
    assert "statusCode" not in list(body)[: len(EXAMPLE_JSON)] and extra == ["statusCode"]


def test_the_sandbox_status_xml_positions_are_the_vendors(sbx, admin):
    token, xml = _rented_status(sbx, "xml")
    _, js = _rented_status(sbx, "json", token)
    positions = list(DET.fromstring(xml.content))
    example = list(DET.fromstring(EXAMPLE_XML))
    # Scalars where the example has scalars, the location object (its 8 entries) and the
    # file object where the example has them; only then anything the sandbox adds.
    assert (
        [len(e) for e in positions[: len(example)]]
        == [len(e) for e in example]
        == [0, 0, 0, len(EXAMPLE_JSON["location"]), 1]
    )
    assert [len(e) for e in positions[3][-1]] == [len(e) for e in example[3][-1]]  # cost
    decoded = from_xml(xml.content, "status")
    expected = as_xml_text(js.json())
    expected.pop("statusCode")  # after the documented keys: the client's reader skips it
    expected["success"] = True
    assert decoded == expected
