"""The contract suite's ``client`` fixture: the sandbox always; the real API only when
``SMSPARTNER_API_KEY`` is set AND ``SMSP_CONTRACT_REAL=1`` (read-only operations only)."""

from __future__ import annotations

import os

import pytest

from smsp_analytics.client.facade import Client

REAL = bool(os.environ.get("SMSPARTNER_API_KEY")) and os.environ.get("SMSP_CONTRACT_REAL") == "1"
TARGETS = ["sandbox"] + (["real"] if REAL else [])


@pytest.fixture(params=TARGETS)
def contract_client(request, sbx, tmp_path):
    key = os.environ["SMSPARTNER_API_KEY"] if request.param == "real" else sbx.api_key
    base_url = None if request.param == "real" else sbx.base_url
    c = Client(key, base_url=base_url, cache=False, journal=tmp_path / "journal.sqlite")
    twins: list[Client] = []

    def twin(**kw):
        """Another client with the same key and API (e.g. in XML), closed after the test."""
        twins.append(Client(key, base_url=c.base_url, **kw))
        return twins[-1]

    c.target = request.param
    c.twin = twin
    yield c
    for t in twins:
        t.close()
    c.close()


@pytest.fixture(params=["json", "xml"])
def fmt(request):
    return request.param
