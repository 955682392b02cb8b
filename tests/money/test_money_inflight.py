"""Reconciling too soon never charges twice: until an entry's ``busy_until`` (request start +
deadline + read timeout) has passed, the server may still be handling its rent, so nothing
settles it as failed (by balance, ``failed=True`` or ``smsp reconcile --failed``) and a rent
of the same targeting is blocked, both saying until when. ``force=True`` alone overrides.

Real HTTP against the session sandbox; the server-side delay fault keeps a rent in flight
after the client gave up (timeout) or died (``kill -9``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from smsp_analytics.cli.main import main
from smsp_analytics.errors import (
    JournalUnknownStateError,
    RentBlockedError,
    RentOutcomeUnknownError,
)
from smsp_analytics.money.journal import default_journal_path
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])
VOLS = {"60": 10, "02": 5}  # 1.35 EUR


def _clock(ts: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(ts))


def _timed_out_rent(admin, c, delay: float) -> int:
    """A rent the client gives up on (read timeout) while the server is still working."""
    admin.fault(kind="delay", op="rent", delay=delay, count=1)
    with pytest.raises(RentOutcomeUnknownError) as info:
        c.rent(T, VOLS, confirm=True)
    return info.value.entry_id


def _wait_past(ts: float) -> None:
    while time.time() <= ts + 0.2:
        time.sleep(0.1)


def _landed(c) -> None:
    """Wait for the delayed rent to land, so that it charges this test's sandbox state,
    not the next test's (the admin fixture resets the balance)."""
    until = time.monotonic() + 15
    while c.credits().balance_eur == 1000 and time.monotonic() < until:
        time.sleep(0.1)


def test_reconciling_a_timed_out_rent_too_soon_does_not_settle_it_failed(admin, make_client):
    # Read timeout 2 s, server delay 6 s, deadline 5 s: busy until start + 7 s.
    c = make_client(cache=False, timeout=(2, 2), deadline=5)
    entry = _timed_out_rent(admin, c, delay=6)
    until = c.journal.get(entry).busy_until
    assert until is not None and until > time.time()
    said = f"still possibly in flight until {_clock(until)}"
    for settle in (lambda: c.reconcile(entry), lambda: c.reconcile(entry, failed=True)):
        answer = settle()
        assert answer.state == "unknown" and said in answer.note, answer
        assert "force=True" in answer.note
    assert c.journal.get(entry).state == "unknown"
    with pytest.raises(JournalUnknownStateError) as info:  # the identical rent meanwhile
        c.rent(T, VOLS, confirm=True)
    assert said in str(info.value)
    _wait_past(until)
    settled = c.reconcile(entry)  # the late rent has landed: done, from the balance
    assert settled.state == "done" and settled.cost_eur == 1.35
    with pytest.raises(RentBlockedError, match="24 hours"):
        c.rent(T, VOLS, confirm=True)
    assert admin.stats()["rent"] == 1  # charged once


def test_busy_until_is_request_start_plus_deadline_plus_read_timeout(admin, make_client):
    c = make_client(cache=False, timeout=(2, 1.5), deadline=4)
    sent = time.time()
    entry = _timed_out_rent(admin, c, delay=3)
    e = c.journal.get(entry)
    assert sent + 4 + 1.5 <= e.busy_until <= time.time() + 4 + 1.5 + 1.0
    _landed(c)


def test_force_alone_settles_an_entry_in_flight_and_says_what_it_risks(admin, make_client):
    c = make_client(cache=False, timeout=(2, 1), deadline=20)
    entry = _timed_out_rent(admin, c, delay=2)
    settled = c.reconcile(entry, failed=True, force=True)
    assert settled.state == "failed"
    assert "in flight" in settled.note and "charged twice" in settled.note
    _landed(c)


def test_cli_reconcile_failed_answers_unknown_while_in_flight(cli_env, make_client, capsys):
    # The CLI's journal (user data dir), the same account and API as the CLI's client.
    c = make_client(journal=default_journal_path(), cache=False, timeout=(2, 1), deadline=20)
    entry = _timed_out_rent(cli_env, c, delay=4)
    until = c.journal.get(entry).busy_until
    capsys.readouterr()
    assert main(["reconcile", str(entry), "--failed"]) == 1
    err = capsys.readouterr().err
    assert f"journal entry {entry}: unknown" in err
    assert f"still possibly in flight until {_clock(until)}" in err and "--force" in err
    assert "Traceback" not in err and c.journal.get(entry).state == "unknown"
    _landed(c)


_RENTER = """
import sys
from smsp_analytics.client.facade import Client
from smsp_analytics.targeting import Targeting
c = Client(base_url=sys.argv[1], journal=sys.argv[2], cache=False, history=False,
           timeout=(2, 2), deadline=4, rentals_dir=sys.argv[3])  # key: SMSPARTNER_API_KEY
c.rent(Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"]),
       {"60": 10, "02": 5}, confirm=True)
"""


def test_a_rent_killed_while_queued_at_the_server_is_not_settled_failed(
    admin, sbx, client, tmp_path
):
    admin.fault(kind="delay", op="rent", delay=5, count=1)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _RENTER,
            sbx.base_url,
            str(client.journal.path),
            str(tmp_path / "child-rentals"),
        ],
        env={**os.environ, "SMSPARTNER_API_KEY": sbx.api_key},
    )
    try:
        deadline = time.monotonic() + 30
        while admin.stats().get("rent", 0) == 0:  # queued at the server (delayed there)
            assert child.poll() is None and time.monotonic() < deadline, "no rent arrived"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    entry = client.journal.entries()[-1]
    assert entry.state == "pending" and entry.busy_until > time.time()
    said = f"still possibly in flight until {_clock(entry.busy_until)}"
    answer = client.reconcile(entry.id)
    assert answer.state == "unknown" and said in answer.note
    assert client.reconcile(entry.id, failed=True).state == "unknown"
    with pytest.raises(JournalUnknownStateError) as info:
        client.rent(T, VOLS, confirm=True)
    assert said in str(info.value)
    _wait_past(entry.busy_until)
    settled = client.reconcile(entry.id)
    assert settled.state == "done" and settled.cost_eur == 1.35
    assert admin.stats()["rent"] == 1
