"""A rental stored by an older sandbox (its location had ``department`` and ``subInterest``
among the vendor's keys) is answered with the vendor's keys only, in the vendor's order."""

from __future__ import annotations

from decimal import Decimal

from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox
from smsp_analytics.sandbox.store import Store

from .conftest import Api, parse_xml

OLD_LOCATION = {
    "sexe": "femme",
    "minAge": 25,
    "maxAge": 35,
    "zipcode": "60200",
    "department": "02",
    "interest": "14",
    "subInterest": "35",
    "category": 103,
    "details_localisation": [
        {"Type": "dep", "Location": "02", "VolumeDesired": "2", "Volume": "40"},
        {"Type": "cp", "Location": "60200", "VolumeDesired": "3", "Volume": "50"},
        {"Type": "total", "Location": "total", "VolumeDesired": "5", "Volume": "90"},
    ],
    "cost": {"quantity": 5, "total": "0.450", "cost_unity": "0.090"},
}
VENDOR_KEYS = [
    "sexe",
    "minAge",
    "maxAge",
    "zipcode",
    "interest",
    "category",
    "details_localisation",
    "cost",
]


def test_a_restored_older_rental_answers_the_vendors_keys(tmp_path):
    state = tmp_path / "state.sqlite"
    store = Store(state, credit_eur=Decimal("100"))
    token = store.rent(5, Decimal("0.45"), 0.0, OLD_LOCATION, max_quantity=10_000)
    store.close()
    with Sandbox(api_key="k", state_path=state, rental_delay=0, date=REFERENCE_DATE) as sb:
        api = Api(sb)
        body = api.get("location/status", token=token).json()
        assert list(body) == ["success", "token", "status", "location", "file", "statusCode"]
        assert list(body["location"]) == VENDOR_KEYS
        assert body["location"] == {k: OLD_LOCATION[k] for k in VENDOR_KEYS}
        xml = parse_xml(api.get("location/status", fmt="xml", token=token).content)
        assert len(xml[3]) == len(VENDOR_KEYS) and xml[5] == str(body["statusCode"])
