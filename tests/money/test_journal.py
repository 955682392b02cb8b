"""journal.py: intents, unknown outcomes block, duplicates within 24 h, no key stored."""

import threading
import time

import pytest

from smsp_analytics.errors import JournalUnknownStateError, RentBlockedError
from smsp_analytics.money.journal import Journal

SCOPE = "http://127.0.0.1:1/v1/"
P = {"sexe": "f", "minAge": 25, "maxAge": 35, "interest": 14, "department": "60"}


def test_lifecycle(tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    e = j.begin(SCOPE, P, {"60": 10}, quote_eur=0.9)
    assert j.get(e).state == "pending" and [x.id for x in j.blocking(SCOPE)] == [e]
    j.complete(e, "tok", 0.9)
    assert j.blocking(SCOPE) == [] and j.get(e).token == "tok"
    with pytest.raises(RentBlockedError, match="24 hours"):
        j.begin(SCOPE, dict(reversed(list(P.items()))), {"60": 10})  # same, other key order
    assert j.begin(SCOPE, P, {"60": 10}, again=True) > e
    assert j.begin("http://other/v1/", P, {"60": 10})  # another API: its own scope


def test_unknown_blocks_until_resolved(tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    e = j.begin(SCOPE, P, {"60": 10}, busy_for=0)  # its request surely over: may be failed
    j.mark_unknown(e, "ReadTimeout")
    with pytest.raises(JournalUnknownStateError) as info:
        j.begin(SCOPE, P, {"60": 99})
    assert info.value.entries[0].note == "ReadTimeout"
    with pytest.raises(ValueError):
        j.resolve(e)
    assert j.resolve(e, failed=True).state == "failed"
    with pytest.raises(ValueError, match="already failed"):
        j.resolve(e, token="t")
    assert j.begin(SCOPE, P, {"60": 99})


def test_failed_waits_for_busy_until_unless_forced(tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    e = j.begin(SCOPE, P, {"60": 10}, busy_for=600)  # the server may handle it until then
    j.mark_unknown(e, "ReadTimeout")
    with pytest.raises(RentBlockedError, match="still possibly in flight until"):
        j.resolve(e, failed=True)
    with pytest.raises(JournalUnknownStateError, match="still possibly in flight until"):
        j.begin(SCOPE, {"sexe": "h"}, {"02": 1})
    assert j.get(e).state == "unknown"
    assert j.resolve(e, failed=True, force=True).state == "failed"


def test_old_rentals_do_not_block(tmp_path, monkeypatch):
    j = Journal(tmp_path / "j.sqlite")
    e = j.begin(SCOPE, P, {"60": 10})
    j.complete(e, "tok")
    later = time.time() + 25 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert j.begin(SCOPE, P, {"60": 10}) > e


def test_concurrent_begins_let_one_through(tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    results = []

    def go():
        try:
            results.append(Journal(j.path).begin(SCOPE, P, {"60": 1}))
        except RentBlockedError as exc:
            results.append(exc)

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, int) for r in results) == 1
