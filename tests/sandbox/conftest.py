"""Fixtures: live sandboxes over real HTTP (loopback), started once per session."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # types only; parsing goes through defusedxml
from collections.abc import Iterator
from typing import Any

import defusedxml.ElementTree as DET
import pytest
import requests

from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox

API_KEY = "test-key-0123"
SEED = 7
RENTAL_DELAY = 0.6


class Api:
    """A thin requests client for one sandbox."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        self.key = sb.api_key
        self.session = requests.Session()

    def optin(
        self,
        op: str,
        parameters: Any = None,
        volumes: Any = None,
        *,
        fmt: str = "json",
        key: Any = "default",
        **extra: Any,
    ) -> requests.Response:
        body: dict[str, Any] = {}
        if key is not None:
            body["apiKey"] = self.key if key == "default" else key
        if op is not None:
            body["op"] = op
        if parameters is not None:
            body["parameters"] = parameters
        if volumes is not None:
            body["volumes"] = volumes
        body.update(extra)
        return self.session.post(
            self.sb.base_url + "location/optin", json=body, params={"_format": fmt}, timeout=30
        )

    def get(
        self, path: str, fmt: str = "json", key: Any = "default", **params: Any
    ) -> requests.Response:
        if key is not None:
            params["apiKey"] = self.key if key == "default" else key
        params["_format"] = fmt
        return self.session.get(self.sb.base_url + path, params=params, timeout=30)

    def lookup(
        self, numbers: Any = None, fmt: str = "json", key: Any = "default", **extra: Any
    ) -> requests.Response:
        """POST /v1/lookup with ``phoneNumbers`` = ``numbers`` (omitted when None)."""
        body: dict[str, Any] = dict(extra)
        if key is not None:
            body["apiKey"] = self.key if key == "default" else key
        if numbers is not None:
            body["phoneNumbers"] = numbers
        return self.session.post(
            self.sb.base_url + "lookup", json=body, params={"_format": fmt}, timeout=30
        )

    def admin(self, method: str, path: str, **kw: Any) -> requests.Response:
        return self.session.request(method, self.sb.admin_url + path, timeout=30, **kw)

    def balance(self) -> str:
        return self.get("me").json()["credits"]["balance"]


def xml_values(element: ET.Element) -> Any:
    """Positional structure of a vendor XML element: children -> list, leaf -> stripped text
    (None for an empty leaf)."""
    children = list(element)
    if children:
        return [xml_values(c) for c in children]
    text = (element.text or "").strip()
    return text if text else None


def parse_xml(body: bytes) -> Any:
    """The positional structure of a whole XML answer (root <result>)."""
    root = DET.fromstring(body)
    assert root.tag == "result"
    assert all(c.tag == "entry" for c in root.iter() if c is not root)
    return xml_values(root)


def json_positions(value: Any) -> Any:
    """What the XML should hold for a JSON value, computed independently of xmlout."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [json_positions(v) for v in value] if value else None
    if value is None:
        return None
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value.strip() or None
    return str(value)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    # Pinned: without a date the sandbox lives on today's date, and these tests compare
    # numbers of the reference month.
    with Sandbox(
        api_key=API_KEY, seed=SEED, rental_delay=RENTAL_DELAY, credit_eur=1000, date=REFERENCE_DATE
    ) as sb:
        yield sb


@pytest.fixture()
def api(sandbox: Sandbox) -> Iterator[Api]:
    """A client on the session sandbox, reset before each test (balance, faults, stats)."""
    client = Api(sandbox)
    client.admin("POST", "reset").raise_for_status()
    yield client
    client.admin("DELETE", "faults")
    client.session.close()


SEED_PARAMS = {
    "sexe": "m",
    "minAge": "25",
    "maxAge": "35",
    "zipcode": "60200",
    "interest": 14,
    "subInterest": 35,
}
