"""The history store never holds money hostage: a SQLite file locked by another process or a
frozen PostgreSQL server (SIGSTOP) delays no calcul, rent or close() beyond a short bound;
what could not be written is written later, or counted in one warning. Real parts only:
the session sandbox over HTTP, a real lock held by another process, a real server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pgserver import PgServer, started_server

from smsp_analytics import HistoryUnavailableWarning, QuoteHistory, Targeting

PASSWORD = "pw-FROZEN-NEVER-SHOWN-77"
T = Targeting(gender="f", age=(25, 49), interest=14, departments=["60", "02"])
OTHER = Targeting(gender="h", age=(18, 34), interest=21, departments=["80"])
THIRD = Targeting(gender="f", age=(30, 60), interest=12, departments=["75"])
LATE = [Targeting(interest=i, departments=["13"]) for i in (11, 15)]

# Another process takes the write lock (an open EXCLUSIVE transaction) and holds it until
# its stdin closes (the test is done with the lock) or, at the latest, for the given seconds.
LOCKER = """
import select, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
select.select([sys.stdin], [], [], float(sys.argv[2]))
conn.execute("COMMIT")
"""


@contextmanager
def locked(path: Path, seconds: float) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def history_warnings(seen: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in seen if issubclass(w.category, HistoryUnavailableWarning)]


def quotes_of(frame, targeting: Targeting) -> list[str]:
    """The ops of the quotes recorded for ``targeting``, oldest first."""
    mine = frame[frame["targeting_key"] == QuoteHistory.targeting_key(targeting)]
    return mine.groupby("quote_id")["op"].first().tolist()


def test_a_locked_sqlite_file_delays_no_call(make_client, admin, tmp_path: Path) -> None:
    path = tmp_path / "client-history.sqlite"
    c = make_client()
    c.calcul(T)
    c.flush_history()  # the store exists before it is locked
    hold = 60.0  # at most: the lock ends as soon as the checks are done
    with locked(path, hold) as locker:
        start = time.monotonic()
        c.calcul(OTHER)
        rental = c.rent(T, {"60": 2}, confirm=True)
        calls = time.monotonic() - start
        assert locker.poll() is None  # the lock was held all along
        assert calls < 5, f"calcul + rent took {calls:.1f} s behind a {hold:.0f} s lock"
        # closed while the store is locked: close() is bounded and says what was lost
        closing = make_client(cache=tmp_path / "closing-cache.sqlite")
        closing.calcul(THIRD)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            start = time.monotonic()
            closing.close()
            took = time.monotonic() - start
        assert took < 7, f"close() took {took:.1f} s"
        said = history_warnings(seen)
        assert len(said) == 1 and "1 answer was not recorded" in said[0], said
        # answers that cannot wait longer than the client's patience: one warning counts them
        impatient = make_client(cache=tmp_path / "impatient-cache.sqlite")
        impatient.history_patience = 1.0
        for t in LATE:
            impatient.calcul(t)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            impatient.flush_history()
        said = history_warnings(seen)
        assert len(said) == 1 and "2 answers were not recorded" in said[0], said
        assert locker.poll() is None, "the lock ended before the checks: they proved nothing"
        locker.stdin.close()  # the checks are done: the lock ends now rather than at `hold`
        assert locker.wait(30) == 0
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        h = c.history()  # waits for the answers queued behind the lock
    assert history_warnings(seen) == []
    assert quotes_of(h, T) == ["calcul", "price", "rent"]  # rent's fresh quote is a price
    assert quotes_of(h, OTHER) == ["calcul"]
    assert h[h["op"] == "rent"]["volume"].tolist() == rental.frame["volume"].tolist()
    assert quotes_of(h, THIRD) == [] and all(quotes_of(h, t) == [] for t in LATE)


def _server_processes(server: PgServer) -> list[int]:
    """The postmaster and its children (backends, checkpointer, walwriter...)."""
    postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended meanwhile
        if int(fields[1]) == postmaster:
            children.append(int(stat.parent.name))
    return [postmaster, *children]


def test_close_returns_while_postgresql_is_frozen(make_client, admin) -> None:
    for server in started_server():
        c = make_client(history=server.url(password=PASSWORD))
        c.calcul(T)
        c.flush_history()  # a pooled connection to the server, which then freezes
        frozen = _server_processes(server)

        def thaw(frozen: list[int] = frozen) -> None:
            for pid in frozen:
                os.kill(pid, signal.SIGCONT)

        # a close() that hangs until the thaw fails the test rather than hanging it
        watchdog = threading.Timer(30, thaw)
        try:
            for pid in frozen:
                os.kill(pid, signal.SIGSTOP)
            watchdog.start()
            start = time.monotonic()
            c.calcul(OTHER)
            c.rent(T, {"60": 1}, confirm=True)
            calls = time.monotonic() - start
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                start = time.monotonic()
                c.close()
                took = time.monotonic() - start
        finally:
            watchdog.cancel()
            thaw()
        assert calls < 5, f"calcul + rent took {calls:.1f} s on a frozen store"
        assert took < 7, f"close() took {took:.1f} s on a frozen store"
        said = history_warnings(seen)
        assert len(said) == 1 and "3 answers were not recorded" in said[0], said
        assert f"postgres:***@127.0.0.1:{server.port}" in said[0] and PASSWORD not in said[0]
        with QuoteHistory(server.url()) as h:  # thawed: what was written is there
            assert quotes_of(h.frame(), T) == ["calcul"]
