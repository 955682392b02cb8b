"""The journal's file. A disk that fills up or turns read-only while the rent answer is on
its way never loses the answer (token, cost): it goes to a fallback record and a typed
JournalError saying how to record it later. A full or read-only journal is refused before
any rent request. A corrupt journal gives a JournalError naming the file and what to do,
and no request is sent; an entry in a state the code does not know blocks renting.

Real HTTP against the session sandbox; disk faults on a real small tmpfs mounted here (as
root), turned read-only or filled while the rent request waits at the server."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from smsp_analytics import JournalError
from smsp_analytics.cli.main import main
from smsp_analytics.errors import JournalUnknownStateError, RentBlockedError, SmsPartnerError
from smsp_analytics.money.journal import Journal, default_journal_path
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])
VOLS = {"60": 10, "02": 5}  # 1.35 EUR
RENT_ARGS = [
    "rent",
    "--gender",
    "women",
    "--age",
    "25-35",
    "--interest",
    "14",
    "--departments",
    "60,02",
    "--volumes",
    "60=10,02=5",
    "--yes",
]


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "1m") -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {done.stderr.strip()}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount(disk: Path, mode: str) -> None:
    """``ro`` or ``rw``; the kernel refuses ro while a file there is open for writing."""
    until = time.monotonic() + 5
    while True:
        done = subprocess.run(
            ["mount", "-o", f"remount,{mode}", str(disk)], capture_output=True, text=True
        )
        if done.returncode == 0:
            return
        assert time.monotonic() < until, f"remount {mode} refused: {done.stderr}"
        time.sleep(0.05)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the filesystem, leaving about ``leave`` bytes free."""
    filler = disk / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                st = os.statvfs(disk)
                room = st.f_bavail * st.f_frsize - leave
                if room <= 0:
                    break
                f.write(b"\0" * min(room, 65536))
                f.flush()
        except OSError:
            pass  # ENOSPC: full
    return filler


def break_disk(disk: Path, how: str) -> None:
    if how == "read-only":
        remount(disk, "ro")
    else:
        fill(disk)


def repair_disk(disk: Path, how: str) -> None:
    if how == "read-only":
        remount(disk, "rw")
    else:
        (disk / "filler").unlink()


def _wait_rent_arrived(admin) -> None:
    until = time.monotonic() + 30
    while admin.stats().get("rent", 0) == 0:
        assert time.monotonic() < until, "the rent request never reached the sandbox"
        time.sleep(0.02)


@pytest.fixture()
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temp dir (where fallback records go when the journal's disk cannot take them)."""
    where = tmp_path / "tmp"
    where.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    return where


@pytest.mark.parametrize("how", ["read-only", "full"])
def test_a_journal_unwritable_after_the_charge_keeps_the_answer(
    admin, make_client, tmp_path, own_tmp, how
):
    with tmpfs(tmp_path / "disk") as disk:
        journal = disk / "journal.sqlite"
        c = make_client(journal=journal, cache=False)
        admin.fault(kind="delay", op="rent", delay=2, count=1)
        out: dict[str, object] = {}

        def go() -> None:
            try:
                out["rental"] = c.rent(T, VOLS, confirm=True)
            except BaseException as exc:  # noqa: BLE001 - examined below
                out["exc"] = exc

        worker = threading.Thread(target=go)
        worker.start()
        _wait_rent_arrived(admin)  # the answer is on its way: the disk goes bad now
        break_disk(disk, how)
        worker.join(30)
        exc = out.get("exc")
        assert isinstance(exc, JournalError) and isinstance(exc, SmsPartnerError), out
        token = requests.get(admin.url + "rentals", timeout=5).json()["rentals"][-1]["token"]
        assert (exc.token, exc.cost_eur, str(exc.path)) == (token, 1.35, str(journal))
        text = str(exc)
        assert token in text and "1.35" in text and str(journal) in text
        assert f"smsp reconcile {exc.entry_id} --token {token}" in text
        record = json.loads(Path(exc.fallback).read_text())
        assert Path(exc.fallback).parent == own_tmp  # its own disk could not take it
        assert (record["token"], record["cost_eur"], record["entry_id"]) == (
            token,
            1.35,
            exc.entry_id,
        )
        repair_disk(disk, how)
        with pytest.raises(JournalUnknownStateError) as blocked:  # not recorded yet
            c.rent(T, {"60": 1}, confirm=True)
        assert f"smsp reconcile {exc.entry_id} --token {token}" in str(blocked.value)
        # Recorded later, as advised (or found by reconcile in the fallback record).
        settled = (
            c.reconcile(exc.entry_id, token=token)
            if how == "read-only"
            else c.reconcile(exc.entry_id)
        )
        assert settled.state == "done" and settled.token == token
        assert admin.stats()["rent"] == 1


def test_the_cli_prints_the_token_of_a_rent_it_could_not_record(cli_env, tmp_path, own_tmp, capsys):
    journal = default_journal_path()
    with tmpfs(journal.parent):
        cli_env.fault(kind="delay", op="rent", delay=2, count=1)
        out: dict[str, int] = {}
        worker = threading.Thread(target=lambda: out.setdefault("code", main(RENT_ARGS)))
        worker.start()
        _wait_rent_arrived(cli_env)
        remount(journal.parent, "ro")
        worker.join(30)
        err = capsys.readouterr().err
        token = requests.get(cli_env.url + "rentals", timeout=5).json()["rentals"][-1]["token"]
        assert out["code"] == 1 and "Traceback" not in err
        line = [x for x in err.splitlines() if "but not recorded" in x]  # no class name on screen
        assert len(line) == 1 and token in line[0] and f"--token {token}" in line[0]
        remount(journal.parent, "rw")


@pytest.mark.parametrize("how", ["read-only", "full"])
def test_an_unwritable_journal_is_refused_before_any_rent_request(
    admin, make_client, tmp_path, how
):
    with tmpfs(tmp_path / "disk") as disk:
        journal = disk / "journal.sqlite"
        c = make_client(journal=journal, cache=False)
        c.journal_entries()  # the file exists, empty
        if how == "read-only":
            remount(disk, "ro")
        else:
            fill(disk, leave=16 * 1024)  # a few pages: not enough room to rent safely
        for attempt in (lambda: c.check_rent(T, VOLS), lambda: c.rent(T, VOLS, confirm=True)):
            with pytest.raises(JournalError) as info:
                attempt()
            assert str(journal) in str(info.value) and info.value.token is None
        assert admin.stats().get("rent", 0) == 0
        if how == "read-only":
            remount(disk, "rw")


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a journal\n" * 200)


def _truncated(path: Path) -> None:
    j = Journal(path)
    for i in range(60):
        j.complete(j.begin("s", {"sexe": "f", "pad": "x" * 300}, {"60": i + 1}), f"t{i}")
    os.truncate(path, path.stat().st_size // 2)


def _another_app(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE contacts (phone TEXT)")
        con.commit()


def _another_rentals(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE rentals (id INTEGER PRIMARY KEY, what TEXT)")
        con.execute("INSERT INTO rentals (what) VALUES ('a flat in Lyon')")
        con.commit()


def _bad_row(path: Path) -> None:
    j = Journal(path)
    j.complete(j.begin("s", {"sexe": "f"}, {"60": 1}), "t")
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("UPDATE rentals SET parameters = '{not json'")
        con.commit()


CORRUPT = {
    "garbage": _garbage,
    "truncated": _truncated,
    "another-app": _another_app,
    "another-rentals-table": _another_rentals,
    "row-not-decoding": _bad_row,
}


@pytest.mark.parametrize("kind", list(CORRUPT))
def test_a_corrupt_journal_is_a_journal_error_and_nothing_is_sent(
    admin, make_client, tmp_path, kind
):
    path = tmp_path / "corrupt.sqlite"
    CORRUPT[kind](path)
    before = path.read_bytes()
    c = make_client(journal=path, cache=False)
    for attempt in (
        lambda: c.rent(T, VOLS, confirm=True),
        lambda: c.check_rent(T, VOLS),
        c.journal_entries,
        lambda: c.reconcile(1),
    ):
        with pytest.raises(JournalError) as info:
            attempt()
        text = str(info.value)
        assert str(path) in text and "move it aside" in text and "\n" not in text
    assert sum(admin.stats().values()) == 0  # no request at all
    assert path.read_bytes() == before  # nothing written into somebody else's file


@pytest.mark.parametrize("kind", ["garbage", "row-not-decoding", "another-app"])
def test_the_cli_says_a_corrupt_journal_in_one_line(cli_env, capsys, kind):
    path = default_journal_path()
    path.parent.mkdir(parents=True)
    CORRUPT[kind](path)
    for args in (["journal"], RENT_ARGS):
        assert main(args) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "Error" not in err[0] and str(path) in err[0], err
    assert sum(cli_env.stats().values()) == 0


def test_an_entry_in_a_state_the_code_does_not_know_blocks_renting(admin, client):
    e = client.journal.begin(client.journal_scope, {"sexe": "h"}, {"60": 1}, busy_for=0)
    with contextlib.closing(sqlite3.connect(client.journal.path)) as con:
        con.execute("UPDATE rentals SET state = 'charging' WHERE id = ?", (e,))
        con.commit()
    with pytest.raises(RentBlockedError, match=f"entr(y|ies) {e}"):
        client.rent(T, VOLS, confirm=True)
    assert admin.stats().get("rent", 0) == 0
    assert client.reconcile(e, failed=True).state == "failed"  # settled by hand: not blocking
    assert client.rent(T, VOLS, confirm=True).token
