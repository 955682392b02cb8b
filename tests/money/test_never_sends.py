"""The toolkit never sends an SMS: no code path names the vendor's send endpoints, and the
sandbox (the API as the toolkit knows it) has no route that would send one."""

from __future__ import annotations

import re
from pathlib import Path

import requests

import smsp_analytics
from smsp_analytics.sandbox import Sandbox

PACKAGE = Path(smsp_analytics.__file__).parent
# The vendor's Send SMS API: /v1/send, /v1/bulk-send, /v1/sendvirtual... (its documented
# options may be named in prose, e.g. the STOP mention's isStopSms, never called).
SEND = re.compile(r"v1/(bulk-?)?send|sendsms|/send(virtual|[-_]?sms)?\b", re.I)


def test_no_module_names_a_send_endpoint() -> None:
    hits = [
        f"{p.relative_to(PACKAGE)}:{i}: {line.strip()}"
        for p in sorted(PACKAGE.rglob("*.py"))
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if SEND.search(line)
    ]
    assert hits == []


def test_the_sandbox_has_no_send_route() -> None:
    with Sandbox(seed=0) as sb:
        spec = requests.get(sb.base_url.replace("/v1/", "/openapi.json"), timeout=10).json()
    paths = list(spec["paths"])
    assert any("location" in p for p in paths), paths  # the spec is the real one
    assert [p for p in paths if SEND.search(p) or "send" in p.lower()] == []
