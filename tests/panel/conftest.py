"""Fixtures of the panel tests: a panel on the no-key sandbox and an oracle client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smsp_analytics.client import Client
from smsp_analytics.panel import Panel, panel


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    c = Client(announce=False)
    yield c
    c.close()


@pytest.fixture(scope="module")
def oracle() -> Iterator[Client]:
    """A second sandbox (same default seed), no memo: the numbers the panel must show."""
    c = Client(announce=False, memo=False, cache=False)
    yield c
    c.close()


@pytest.fixture
def p(client: Client) -> Iterator[Panel]:
    widget = panel(client, debounce=0)
    yield widget
    widget.close()
