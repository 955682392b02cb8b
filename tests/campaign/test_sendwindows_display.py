"""The report's send-window section and the panel's message box flag the departments where
the vendor's Paris clock would send outside 08:00-20:00 local time or on a local holiday."""

from __future__ import annotations

from datetime import date

import pytest

from smsp_analytics import build_report
from smsp_analytics.client.facade import Client
from smsp_analytics.panel import panel
from smsp_analytics.report import Scenario


def test_report_section_flags_moselle_and_guadeloupe(client) -> None:
    scen = [
        Scenario.of("Moselle and Paris", interest=14, departments=["57", "75"]),
        Scenario.of("Guadeloupe", interest=14, departments=["971"]),
    ]
    rep = build_report(client, scenarios=scen, interests=[14], send_start="2026-03-30")
    win = rep.tables["send_windows"]
    # the report's table holds real dates (issue 17: a date cell is a date in the workbook)
    friday = win[win["date"] == date(2026, 4, 3)].set_index("department")
    # Good Friday: closed in Moselle and Guadeloupe, but the vendor sends 08:00-20:00 Paris.
    assert friday.loc["57", "open"] == "no" and friday.loc["57", "vendor_window"] == "08:00-20:00"
    assert friday["vendor_outside_local"].to_dict() == {"57": "yes", "75": "no", "971": "yes"}
    monday = win[win["date"] == date(2026, 3, 30)].set_index("department")
    assert monday.loc["971", "vendor_outside_local"] == "yes"  # 02:00-14:00 local time
    assert monday.loc["57", "vendor_outside_local"] == "no"
    assert set(win.attrs["vendor_flags"]) == {"57", "971"}
    section = next(s for s in rep.sections if s.key == "windows")
    assert "schedule these yourself" in section.intro
    assert "57 Moselle: Fri 2026-04-03, Good Friday, a local holiday." in section.intro
    assert "971 Guadeloupe: vendor hours 02:00-14:00 local time on 5 of 6 days" in section.intro
    assert "75 Paris:" not in section.intro
    page = rep.to_html()
    assert "schedule these yourself" in page and "vendor_outside_local" in page


def test_report_section_says_when_nothing_is_flagged(client) -> None:
    rep = build_report(
        client,
        scenarios=[Scenario.of("Paris", interest=14, departments=["75"])],
        interests=[14],
        send_start="2026-03-30",
    )
    assert rep.tables["send_windows"].attrs["vendor_flags"] == {}
    section = next(s for s in rep.sections if s.key == "windows")
    assert "never falls outside the local window" in section.intro
    assert "schedule these yourself" not in section.intro


@pytest.fixture()
def easter_panel():
    # The sandbox's clock on Monday 30 March 2026: the week of Good Friday.
    c = Client(announce=False, cache=False, sandbox={"seed": 0, "date": "2026-03-30"})
    p = panel(c, debounce=0)
    yield p
    p.close()
    c.close()


def test_panel_message_box_flags_the_departments_shown(easter_panel) -> None:
    p = easter_panel
    box = p.campaign
    assert box.windows in box.box().children
    p._controls.set_departments(["75", "57", "971"])
    st = box.state
    assert st["windows_from"].isoformat() == "2026-03-30"
    assert st["vendor_flags"] == {
        "57": "Fri 2026-04-03, Good Friday, a local holiday",
        "971": "vendor hours 02:00-14:00 local time on 5 of 6 days; Fri 2026-04-03, "
        "Good Friday, a local holiday",
    }
    shown = box.windows.value
    assert "Schedule these yourself" in shown and "57 Moselle: Fri 2026-04-03" in shown
    assert "data-department='971'" in shown and "data-department='75'" not in shown
    # Typing keeps the flags; another audience replaces them.
    box.widgets["text"].value = "Hello"
    assert box.state["vendor_flags"] == st["vendor_flags"]
    p._controls.set_departments(["75", "60"])
    assert box.state["vendor_flags"] == {}
    assert "Schedule these yourself" not in box.windows.value
    assert "stays within 08:00-20:00 local time" in box.windows.value
