"""The explorer's page and the app's kernel, without a browser (issue 18: the first chart).

- ``explorer()`` builds the whole panel before it returns, in a kernel (a running loop) as
  elsewhere: the cell, hence the page, ends with every widget made (a page must never
  connect to a kernel half-way through making them). In a kernel, what prevents the panel
  is shown in its place; elsewhere it is raised.
- The panel's map waits, blank, until a page shows the bars (``defer_map``), then is the
  very map a panel draws at once.
- The app's kernel spawns its sandbox's process before its own imports; the explorer's
  client is served by it.

Real parts: the offline sandbox over HTTP, real widgets (their view count set by hand, as
a page would).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest

from smsp_analytics.app import kernel
from smsp_analytics.app.explorer import ACK_WAIT_ENV, Explorer, explorer
from smsp_analytics.client.facade import Client
from smsp_analytics.panel import Panel


def plain(figure: Any) -> dict[str, Any]:
    """A figure's JSON without the traces' random ids."""
    out = figure.to_plotly_json()
    for trace in out["data"]:
        trace.pop("uid", None)
    return out


@pytest.fixture(scope="module")
def client():
    with Client(announce=False, cache=False) as c:
        yield c


def test_outside_a_kernel_the_page_is_built_at_once(client):
    page = explorer(client=client, lang="fr")
    try:
        assert isinstance(page.panel, Panel) and page.panel.lang == "fr"
        assert page.children == (page.intro, page.panel)
        assert "Explorateur d’audience SMS Partner" in page.intro.value
        assert page.panel.headline["volume"] > 0
    finally:
        page.close()


def test_in_a_kernel_the_cell_ends_with_the_whole_panel(client):
    async def cell() -> tuple[Explorer, tuple[Any, ...], Panel | None]:
        page = explorer(client=client)
        # What the cell leaves, before the kernel's loop turns again (as it does once a
        # cell has ended, and Voila sends the page's end): nothing is left for later.
        return page, page.children, page.panel

    page, children, panel = asyncio.run(cell())
    try:
        assert isinstance(panel, Panel) and children == (page.intro, panel)
        assert panel.headline["volume"] > 0
    finally:
        page.close()


def test_in_a_kernel_what_prevents_the_panel_is_said_in_its_place(client, monkeypatch):
    monkeypatch.setenv(ACK_WAIT_ENV, "soon")

    async def cell() -> Explorer:
        return explorer(client=client)

    page = asyncio.run(cell())
    assert page.panel is None and isinstance(page.error, ValueError)
    assert f"{ACK_WAIT_ENV}: soon is not a number" in page.children[1].value
    with pytest.raises(ValueError, match=ACK_WAIT_ENV):  # outside a kernel: raised
        explorer(client=client)


def test_what_prevents_the_panel_is_said_in_its_place(client, monkeypatch):
    monkeypatch.setenv(ACK_WAIT_ENV, "soon")
    page = Explorer("en")
    assert page.build_or_show_error(client) is None
    assert page.panel is None and isinstance(page.error, ValueError)
    assert f"{ACK_WAIT_ENV}: soon is not a number" in page.children[1].value
    with pytest.raises(ValueError, match=ACK_WAIT_ENV):  # outside the loop: raised
        Explorer("en").build(client)
    monkeypatch.setenv(ACK_WAIT_ENV, "1.5")
    page = explorer(client=client)
    try:
        assert page.panel is not None and page.panel.ack_wait == 1.5
    finally:
        page.close()


def test_the_map_waits_for_the_bars_to_be_shown(client):
    later = Panel(client, debounce=0, defer_map=True)
    now = Panel(client, debounce=0)
    try:
        waiting = later._figures["map"].widget
        assert (len(waiting.data), waiting.layout.height) == (0, 560)  # a blank of its size
        later.bars._view_count = 1  # a page displays the bars
        assert later._figures["map"].widget is waiting and len(waiting.data) == len(now.map.data)
        assert plain(later.map) == plain(now.map)
        # Updates reach it as they reach a map drawn at once.
        later.apply(departments=("60", "75"))
        now.apply(departments=("60", "75"))
        assert plain(later.map) == plain(now.map)
        # Its traces came as one edit, which a view that does not listen never acknowledges.
        assert later.map._last_trace_edit_id == now.map._last_trace_edit_id + 1
    finally:
        later.close()
        now.close()


def test_the_map_is_drawn_when_read_before_any_page_shows_it(client):
    p = Panel(client, debounce=0, defer_map=True)
    try:
        drawn = len(p.map.data)  # reading it draws it: every department, Paris's inset,
        assert drawn == 101 + 4 + 1  # and the colour bar's carrier
        assert len(p.apply(age=(30, 40)).map.data) == drawn
    finally:
        p.close()


def test_the_kernel_spawns_the_sandbox_process_the_explorer_uses(monkeypatch):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    process = kernel.spawn_sandbox_process()
    assert process is not None and process.alive and not process.configured
    page = explorer()
    try:
        assert process.configured  # the explorer's client is served by it
        assert kernel.take_sandbox_process() is None  # taken once
        assert page.panel is not None and page.panel.headline["volume"] > 0
    finally:
        page.close()
    assert not process.alive  # closed with the page


def test_with_a_key_the_kernel_spawns_no_sandbox(monkeypatch):
    monkeypatch.setenv("SMSPARTNER_API_KEY", "a-key")
    assert kernel.spawn_sandbox_process() is None
    assert kernel.take_sandbox_process() is None


def test_the_kernel_does_without_the_debugger_and_nbformat():
    code = (
        "import sys; from smsp_analytics.app import kernel as k; "
        "k.skip_slow_imports(k.SLOW_OPTIONAL_IMPORTS + k.KERNEL_SKIPPED_IMPORTS); "
        "import plotly.graph_objects as go; go.FigureWidget(); "
        "from ipykernel import debugger; print(debugger._is_debugpy_available); "
        "import plotly.io._renderers as r; print(r.nbformat)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "None"], out.stderr
