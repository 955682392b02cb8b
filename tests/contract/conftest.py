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
    if request.param == "real":
        c = Client(os.environ["SMSPARTNER_API_KEY"], cache=False,
                   journal=tmp_path / "journal.sqlite")
    else:
        c = Client(sbx.api_key, base_url=sbx.base_url, cache=False, journal=tmp_path / "journal.sqlite")
    c.target = request.param
    yield c
    c.close()


@pytest.fixture(params=["json", "xml"])
def fmt(request):
    return request.param
