"""The committed campaign-planning notebook: its outputs are compared cell by cell by
``pytest notebooks/04_campaign_planning.ipynb``; these tests check, without a kernel, that
what it commits is clean (no clock, no random ids, no ports) and still tells the story its
prose tells (one SMS vs two, GSM vs Unicode, Good Friday closes Moselle only).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

PATH = Path(__file__).resolve().parents[1] / "notebooks" / "04_campaign_planning.ipynb"
PLOTLY = "application/vnd.plotly.v1+json"
PNG = "image/png"
MECHANICS = (
    "debounce",
    "nbval",
    "sanitize",
    "cdn",
    "embedded once",
    "model_id",
    "ignore-output",
    "progress=false",
    "announce=false",
    "kaleido",
)


@pytest.fixture(scope="module")
def nb() -> nbformat.NotebookNode:
    return nbformat.read(PATH, as_version=4)


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _plain(cell) -> str:
    """The text a reader sees of a cell's outputs (streams and text/plain)."""
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def _rows(cell) -> list[list[str]]:
    """The rows of the table a cell shows (its text/html, header rows included), as text."""
    html = "".join(out.get("data", {}).get("text/html", "") for out in cell.outputs)
    assert "<table" in html, cell.source[:60]
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        ]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    ]


def _cell(nb, snippet: str):
    found = [c for c in _code(nb) if snippet in c.source]
    assert len(found) == 1, snippet
    return found[0]


def test_valid_stripped_executed_in_order(nb):
    nbformat.validate(nb)
    assert PATH.stat().st_size < 3_000_000
    assert "widgets" not in nb.metadata
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert "synthetic" in nb.cells[0].source.lower()
    cells = _code(nb)
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
    for c in cells:
        assert not c.metadata.get("tags"), c.source[:60]  # nothing ignored or skipped
        assert c.outputs or c.source.strip() == "client.close()", c.source[:60]
        for out in c.outputs:
            assert out.output_type != "error"
            if out.output_type == "stream":
                assert out.name == "stdout", c.source[:60]
    assert cells[-1].source.strip() == "client.close()"


def test_deterministic_sources(nb):
    src = "\n".join(c.source for c in _code(nb))
    assert not re.search(r"\b(now|today|utcnow)\(", src), "fixed dates only"
    assert "random" not in src
    assert not re.search(r"\.(rent|send|send_sms)\s*\(", src), "nothing rented or sent"
    assert "SMSPARTNER_API_KEY" not in src and "api_key" not in src
    for call in re.findall(r"Client\([^)]*\)", src):
        assert "cache=False" in call and "sandbox=" in call, call


def test_nothing_run_specific_in_outputs(nb):
    text = "\n".join(
        _plain(c)
        + "\n".join(
            json.dumps(v) if not isinstance(v, str) else v
            for out in c.outputs
            for k, v in out.get("data", {}).items()
            if k != PNG
        )
        for c in _code(nb)
    )
    assert "fetched_at" not in text and "base_url" not in text
    assert not re.search(r"127\.0\.0\.1|localhost", text), "a sandbox address"
    assert not re.search(r"\bsbx-[0-9a-f]{8,}", text), "the sandbox key"
    assert not re.search(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", text), "a token"
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text)
    # Only fixed 2026 dates: the calendar's week and nothing from the clock of the run.
    years = set(re.findall(r"\b(20\d\d)-\d\d-\d\d", text))
    assert years <= {"2026"}, years
    assert not re.search(r"2026-(?!0[34]-)\d\d-\d\d", text), "a date outside the week shown"


def test_no_test_mechanics_in_prose_or_visible_outputs(nb):
    for cell in nb.cells:
        texts = [cell.source] if cell.cell_type == "markdown" else []
        if cell.cell_type == "code":
            texts.append(_plain(cell))
            texts += [out.get("data", {}).get("text/html", "") for out in cell.outputs]
        for text in texts:
            found = [w for w in MECHANICS if w in text.lower()]
            assert not found, (found, text[:120])


def test_figures_compared_as_plotly_json_with_a_static_image(nb):
    figures = [out.data for c in _code(nb) for out in c.outputs if PLOTLY in out.get("data", {})]
    assert len(figures) == 2
    for data in figures:
        assert PNG in data
        assert '"uid"' not in json.dumps(data[PLOTLY].get("data", []))
    cost, calendar = (json.dumps(d[PLOTLY]["layout"]) for d in figures)
    assert "SYNTHETIC DATA" in cost, "sandbox audiences carry the mark"
    assert "Send windows" in calendar and "Good Friday" in calendar


def test_one_character_more_is_one_sms_more(nb):
    rows = _rows(_cell(nb, 'length_row("text + STOP = 160"'))
    assert rows[0][1:8] == [
        "message",
        "typed",
        "encoding",
        "billed length",
        "per part",
        "SMS parts",
        "room left",
    ]
    assert [r[2:7] for r in rows[1:]] == [
        ["146", "GSM-7", "160", "160", "1"],
        ["147", "GSM-7", "161", "153", "2"],
    ]


def test_gsm_replaces_what_unicode_keeps(nb):
    header, gsm, ucs = _rows(_cell(nb, "festive, unicode=True"))
    assert header[3:9] == [
        "encoding",
        "billed length",
        "per part",
        "SMS parts",
        "room left",
        "replaced",
    ]
    assert gsm[3] == "GSM-7" and gsm[5:7] == ["160", "1"]
    assert {"ë→e", "🎄→(dropped)", "û→u"} <= set(gsm[8].split(", "))
    assert ucs[3] == "UCS-2" and ucs[5:7] == ["67", "2"] and ucs[8] == ""


def test_two_sms_double_the_sending_cost(nb):
    rows = _rows(_cell(nb, '("161 characters, 2 SMS", two_sms)'))
    assert rows[0][2:6] == ["contacts", "rental €", "sending €", "total €"]
    data = [r[-5:] for r in rows[2:]]  # contacts, rental, sending, total, per contact
    assert [r[-6] for r in rows[2:]] == ["160 characters, 1 SMS", "161 characters, 2 SMS"] * 2
    for one, two in (data[0:2], data[2:4]):  # the two scenarios
        contacts, rental = int(one[0]), float(one[1])
        assert (int(two[0]), float(two[1])) == (contacts, rental)  # the same rental
        # Sending is contacts x parts x EUR 0.038 (rounded per department): 2 SMS, twice.
        assert float(one[2]) == pytest.approx(contacts * 0.038, abs=0.01 * len(rows))
        assert float(two[2]) == pytest.approx(2 * float(one[2]), abs=0.02 * len(rows))
        assert float(two[3]) == pytest.approx(rental + float(two[2]), abs=0.01)


def test_good_friday_closes_moselle_only_and_friday_evening_waits(nb):
    calendar = _plain(_cell(nb, "calendar = windows.assign"))
    lines = {"75": "", "57": "", "974": ""}
    for line in calendar.splitlines():  # a wide table wraps: one line per block and row
        if line.split() and line.split()[0] in lines:
            lines[line.split()[0]] += line
    assert "Good Friday" in lines["57"]
    assert "Good Friday" not in lines["75"] and "Good Friday" not in lines["974"]
    assert "Easter Monday" in calendar
    nxt = _plain(_cell(nb, "next_send_time(department, scheduled)"))
    assert re.search(r"75\s+Fri 03 Apr 19:30\s+Fri 03 Apr 19:30\s+False", nxt)
    assert re.search(r"57\s+Sat 04 Apr 08:00\s+Sat 04 Apr 08:00\s+True", nxt)
    assert re.search(r"974\s+Sat 04 Apr 08:00\s+Sat 04 Apr 10:00\s+True", nxt)
