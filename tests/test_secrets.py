"""The API key never appears: cache and journal files, DEBUG logs, reprs, errors, CLI."""

from __future__ import annotations

import logging
from functools import partial

import pytest

from smsp_analytics.cli.commands import main
from smsp_analytics.errors import SmsPartnerError
from smsp_analytics.targeting import Targeting

KEY = "sk_test_NEVER_SHOW_4242"  # the session sandbox's key (tests/conftest.py)

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])


def _scan_files(root) -> list[str]:
    leaks = []
    for path in root.rglob("*"):
        if path.is_file() and KEY.encode() in path.read_bytes():
            leaks.append(str(path))
    return leaks


def test_key_never_appears_anywhere(admin, make_client, tmp_path, caplog, capsys, monkeypatch, sbx):
    assert sbx.api_key == KEY
    caplog.set_level(logging.DEBUG)  # root at DEBUG: urllib3 and requests-cache included
    texts: list[str] = []
    for fmt in ("json", "xml"):
        journal = tmp_path / f"journal-{fmt}.sqlite"
        c = make_client(format=fmt, timeout=(2, 0.5), memo=False, journal=journal)
        texts += [repr(c), repr(c.transport), repr(c.journal)]
        c.calcul(T)
        c.calcul(T)
        c.categories()
        c.categories()
        c.credits()
        rental = c.rent(T, {"60": 2}, confirm=True, again=True)
        texts.append(repr(rental))
        texts.append(repr(c.status(rental.token).attrs))
        c.download(rental.token, tmp_path / f"{fmt}.csv")
        # Errors of every kind, each with a retry or a failure that logs the URL.
        admin.fault(kind="server_error", status=503, op="status", count=1, retry_after=0)
        admin.fault(kind="reset", op="me", count=1)
        c.status(rental.token)
        c.credits()
        c0 = make_client(
            format=fmt,
            timeout=(2, 0.5),
            retries=0,
            journal=journal,
            rentals_dir=tmp_path / f"elsewhere-{fmt}",
        )
        failures = []

        def fails(call, failures=failures):
            with pytest.raises(SmsPartnerError) as info:
                call()
            failures.append(info.value)

        fails(partial(c0.download, rental.token))  # code 34, HTTP 400
        fails(partial(c0.status, "nope"))  # code 32, HTTP 404
        admin.fault(kind="delay", op="me", delay=1.0, count=1)
        fails(c0.credits)  # read timeout
        admin.fault(kind="delay", op="rent", delay=1.0, count=1)
        fails(partial(c0.rent, T, {"02": 1}, confirm=True))  # outcome unknown
        admin.clear_faults()
        for exc in failures:
            texts += [str(exc), repr(exc), repr(exc.args), str(exc.body)]
            assert exc.__cause__ is None or KEY not in str(exc.__cause__)
        c.close()
    monkeypatch.setenv("SMSPARTNER_API_KEY", KEY)
    monkeypatch.setenv("SMSPARTNER_BASE_URL", make_client().base_url)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for argv in (
        ["calcul", "--interest", "14"],
        ["credits"],
        ["status", "abc"],
        ["rent", "--interest", "14", "--departments", "60", "--volumes", "60=1", "--yes"],
        ["calcul", "--gender", "q", "--interest", "14"],
    ):
        main(argv)
    out, err = capsys.readouterr()
    texts += [out, err]
    assert "urllib3" in caplog.text and "apiKey=***" in caplog.text  # the filter worked
    assert KEY not in caplog.text
    for record in caplog.records:
        assert KEY not in record.getMessage()
    assert not [t for t in texts if KEY in t]
    assert _scan_files(tmp_path) == []
    assert list(tmp_path.glob("cache.sqlite*")) and list(tmp_path.glob("journal-*.sqlite*"))
