"""The seed's own example, response shapes, and JSON/XML parity for every endpoint and op."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from .conftest import SEED_PARAMS, Api, json_positions, parse_xml

# The seed's XML sample (vendor page, verbatim: see tests/data/README.md).
SEED_XML = (Path(__file__).resolve().parents[1] / "data" / "seed_price_response.xml").read_bytes()


def expected_cost(quantity: int, unit: str = "0.09") -> float:
    """Cost computed here, independently: half-up to the cent."""
    return float((Decimal(quantity) * Decimal(unit)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def shape(value):
    """Nesting and leaf kinds (number or text) of a positional structure."""
    if isinstance(value, list):
        return [shape(v) for v in value]
    try:
        float(value)
        return "number"
    except (TypeError, ValueError):
        return "text"


@pytest.mark.parametrize("op", ["calcul", "price"])
def test_seed_example(api: Api, op):
    resp = api.optin(op, SEED_PARAMS, {"60200": 20})
    assert resp.status_code == 200
    body = resp.json()
    assert list(body) == ["success", "op", "datas", "cost"]
    assert body["success"] is True and body["op"] == op
    rows = body["datas"]
    assert [list(r) for r in rows] == [["Type", "Localite", "Volume"]] * 2
    assert rows[0]["Type"] == "CP" and rows[0]["Localite"] == "60200"
    assert rows[1]["Type"] == "total" and rows[1]["Localite"] == "total"
    assert all(type(r["Volume"]) is int for r in rows)
    assert list(body["cost"]) == ["quantity", "total", "cost_unity"]
    assert type(body["cost"]["quantity"]) is int
    assert isinstance(body["cost"]["total"], float) and body["cost"]["cost_unity"] == 0.09
    if op == "price":
        assert rows[0]["Volume"] == rows[1]["Volume"] == 20
        assert body["cost"] == {"quantity": 20, "total": 1.8, "cost_unity": 0.09}
    else:
        available = rows[0]["Volume"]
        assert available >= 20 and rows[1]["Volume"] == available
        assert body["cost"]["quantity"] == available
        assert body["cost"]["total"] == expected_cost(available)
    # XML twin: same shape as the seed's sample.
    xml = api.optin(op, SEED_PARAMS, {"60200": 20}, fmt="xml")
    assert xml.status_code == 200
    assert xml.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<result>\n')
    assert shape(parse_xml(xml.content)) == shape(parse_xml(SEED_XML))
    assert parse_xml(xml.content) == json_positions(body)


def test_price_with_rows_and_departments(api: Api):
    params = dict(SEED_PARAMS, zipcode="60200,02200", department="2a,1")
    calc = api.optin("calcul", params).json()
    rows = calc["datas"]
    assert [(r["Type"], r["Localite"]) for r in rows] == [
        ("DEP", "2A"),
        ("DEP", "01"),
        ("CP", "60200"),
        ("CP", "02200"),
        ("total", "total"),
    ]
    assert sum(r["Volume"] for r in rows[:-1]) == rows[-1]["Volume"]
    want = [
        {"Type": "CP", "Localite": "02200", "Volume": "7"},
        {"Type": "DEP", "Localite": "01", "Volume": 3},
    ]
    body = api.optin("price", params, want).json()
    assert [r["Volume"] for r in body["datas"]] == [0, 3, 0, 7, 10]
    assert body["cost"] == {"quantity": 10, "total": expected_cost(10), "cost_unity": 0.09}


def test_no_locality_gives_only_total_and_total_volume(api: Api):
    body = api.optin("calcul", {"sexe": "f", "minAge": 18, "maxAge": 98, "interest": 13}).json()
    assert len(body["datas"]) == 1 and body["datas"][0]["Type"] == "total"
    assert body["datas"][0]["Volume"] > 100_000
    body = api.optin(
        "price", {"sexe": "f", "minAge": 18, "maxAge": 98, "interest": 13}, {"total": 1234}
    ).json()
    assert body["cost"] == {"quantity": 1234, "total": expected_cost(1234), "cost_unity": 0.09}


def parity(api: Api, json_resp, xml_resp, ignore: tuple[int, ...] = ()):
    assert json_resp.status_code == xml_resp.status_code == 200
    expected = json_positions(json_resp.json())
    got = parse_xml(xml_resp.content)
    for position in ignore:  # e.g. a token, different between two rents
        expected[position] = got[position] = "<ignored>"
    assert got == expected


@pytest.mark.parametrize("op", ["calcul", "price", "rent"])
def test_parity_optin(api: Api, op):
    params = dict(SEED_PARAMS, department="60,75", category=102)
    volumes = {"60200": 5, "75": 4}
    j = api.optin(op, params, volumes)
    x = api.optin(op, params, volumes, fmt="xml")
    parity(api, j, x, ignore=(2,) if op == "rent" else ())
    if op == "rent":
        assert list(j.json()) == ["success", "op", "token", "datas", "cost"]


def test_parity_get_endpoints(api: Api):
    token = api.optin("rent", SEED_PARAMS, {"60200": 4}).json()["token"]
    parity(
        api,
        api.get("location/status", token=token),
        api.get("location/status", fmt="xml", token=token),
    )
    parity(api, api.get("me"), api.get("me", fmt="xml"))
    parity(api, api.get("location/categories"), api.get("location/categories", fmt="xml"))
    # The _format may also come in the POST body.
    resp = api.session.post(
        api.sb.base_url + "location/optin",
        json={"apiKey": api.key, "op": "calcul", "parameters": SEED_PARAMS, "_format": "xml"},
    )
    assert resp.content.startswith(b"<?xml")


def test_status_shape(api: Api):
    params = dict(SEED_PARAMS, sexe="f", category=103)
    token = api.optin("rent", params, {"60200": 10}).json()["token"]
    body = api.get("location/status", token=token).json()
    # The vendor's keys in its order; the sandbox's statusCode only after all of them.
    assert list(body) == ["success", "token", "status", "location", "file", "statusCode"]
    loc = body["location"]
    assert list(loc) == [
        "sexe",
        "minAge",
        "maxAge",
        "zipcode",
        "interest",
        "category",
        "details_localisation",
        "cost",
    ]
    assert loc["sexe"] == "femme" and loc["minAge"] == 25 and loc["interest"] == "14"
    assert loc["zipcode"] == "60200" and loc["category"] == 103
    first = loc["details_localisation"][0]
    assert list(first) == ["Type", "Location", "VolumeDesired", "Volume"]
    assert first["Type"] == "cp" and first["VolumeDesired"] == "10"
    assert loc["cost"] == {"quantity": 10, "total": "0.900", "cost_unity": "0.090"}
    assert body["file"] == {"phoneNumbers": "10"}


def test_categories(api: Api):
    cats = api.get("location/categories").json()["categories"]
    by_id = {c["id"]: c for c in cats}
    assert by_id[14]["name"] == "Habitation" and by_id[14]["synthetic"] is False
    assert 12 in by_id and by_id[12]["synthetic"] is False
    cuisine = [s for s in by_id[14]["subCategories"] if s["id"] == 35]
    assert cuisine and cuisine[0]["name"] == "Cuisine" and cuisine[0]["synthetic"] is False
    mains = [c for c in cats if c["synthetic"]]
    assert len(mains) >= 10 and all(3 <= len(c["subCategories"]) <= 5 for c in mains)
    ids = [c["id"] for c in cats] + [s["id"] for c in cats for s in c["subCategories"]]
    assert len(ids) == len(set(ids))
    # Every listed pair is accepted by calcul.
    for c in cats:
        for s in c["subCategories"]:
            resp = api.optin(
                "calcul",
                {
                    "sexe": "m",
                    "minAge": 18,
                    "maxAge": 98,
                    "interest": c["id"],
                    "subInterest": s["id"],
                },
            )
            assert resp.json()["success"] is True, (c["id"], s["id"])


def test_openapi_documents_vendor_errors(api: Api):
    doc = api.session.get(api.sb.url + "openapi.json").json()
    paths = doc["paths"]
    assert set(paths) == {
        "/v1/location/optin",
        "/v1/location/status",
        "/v1/location/file/download",
        "/v1/me",
        "/v1/location/categories",
        "/v1/stop-sms/list",
        "/v1/lookup",
        "/v1/statistics/cost-resume",
    }
    optin = paths["/v1/location/optin"]["post"]
    assert {"200", "400", "401", "403", "404"} <= set(optin["responses"])
    assert "422" not in optin["responses"]
    schema = optin["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["op"]["enum"] == ["calcul", "price", "rent"]
    names = {p["name"] for p in paths["/v1/location/status"]["get"]["parameters"]}
    assert {"apiKey", "token", "_format"} <= names


@pytest.mark.parametrize("path", ["me", "location/categories", "location/status"])
def test_head_answers_like_get_without_a_body(api: Api, path):
    params = {"apiKey": api.key, "token": "0" * 32}
    get = api.session.get(api.sb.base_url + path, params=params, timeout=10)
    head = api.session.head(api.sb.base_url + path, params=params, timeout=10)
    assert head.status_code == get.status_code and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "location/optin", 405),
        ("PUT", "location/optin", 405),
        ("HEAD", "location/optin", 405),
        ("DELETE", "me", 405),
        ("POST", "me", 405),
        ("GET", "nothing", 404),
        ("POST", "location/nothing", 404),
    ],
)
def test_wrong_methods_and_paths_are_json_4xx(api: Api, method, path, status):
    resp = api.session.request(method, api.sb.base_url + path, timeout=10)
    assert resp.status_code == status
    if method != "HEAD":
        assert resp.headers["content-type"] == "application/json" and resp.json()
