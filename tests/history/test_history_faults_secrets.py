"""The history store's password never shows: ambiguous URLs are refused, and no repr,
warning, error message or traceback local (``capture_locals=True``) of an error the store
raises or warns about holds it. Real stores: SQLite files and PostgreSQL ports."""

from __future__ import annotations

import logging
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from history_helpers import answer, params

from smsp_analytics import Client, HistoryUnavailableWarning, QuoteHistory, Targeting, key_hash
from smsp_analytics.cli.commands import main
from smsp_analytics.history import HistoryError

CANARY = "CANARY-pw-5e1d"  # never a local of a test function: built in module helpers
KEY = "sk_test_NEVER_SHOW_4242"  # the session sandbox's key (tests/conftest.py)


def pg(password: str = CANARY, host: str = "127.0.0.1:1") -> str:
    """A PostgreSQL URL on a closed port (connection refused at once)."""
    return f"postgresql+psycopg://ana:{password}@{host}/quotes"


def raised(call: Callable[[], Any], kind: type[BaseException]) -> BaseException:
    """The error ``call`` raises (caught here: the test's own locals are not in it)."""
    try:
        call()
    except kind as exc:
        return exc
    raise AssertionError(f"no {kind.__name__} raised")


def locals_text(exc: BaseException) -> str:
    return "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())


def leaks(exc: BaseException) -> int:
    text = locals_text(exc)
    return text.count(CANARY) + text.count(KEY)


# -- ambiguous URLs --------------------------------------------------------------------------

UNENCODED = ["pq@RY-9f3e", "pq/RY-9f3e", "pq?RY-9f3e", "pq#RY-9f3e"]


@pytest.mark.parametrize("i", range(len(UNENCODED)))
def test_an_unencoded_password_is_refused_and_never_shown(i: int) -> None:
    exc = raised(lambda: QuoteHistory.open(pg(UNENCODED[i], "127.0.0.1:5432")), ValueError)
    assert str(exc).startswith(
        "history: the credentials of this postgresql+psycopg:// URL are ambiguous"
    )
    assert "percent-encode" in str(exc) and "%40" in str(exc)
    assert "RY-9f3e" not in locals_text(exc) and "pq" not in str(exc)


def test_an_encoded_password_is_accepted_and_hidden() -> None:
    h = QuoteHistory.open(pg("pq%40RY-9f3e", "127.0.0.1:5432"))
    assert repr(h) == "QuoteHistory('postgresql+psycopg://ana:***@127.0.0.1:5432/quotes')"
    assert h.url == "postgresql+psycopg://ana:***@127.0.0.1:5432/quotes"
    h.close()
    # a '@' in a SQLite path is a path, not credentials
    assert QuoteHistory.open("sqlite:////tmp/ana@corp/h.sqlite").url.endswith("corp/h.sqlite")


def test_a_password_in_the_query_string_is_hidden_too() -> None:
    h = QuoteHistory.open(f"postgresql+psycopg://ana@127.0.0.1:1/quotes?password={CANARY}")
    assert CANARY not in repr(h) and "password=***" in h.url
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        h.record(
            answer([1]),
            op="calcul",
            targeting_params=params(),
            volumes=None,
            key_hash="h",
            source="s",
            as_of="2026-10-01",
        )
    assert len(seen) == 1 and CANARY not in str(seen[0].message)
    h.close()


def test_the_environment_variable_is_named_with_the_part_that_is_wrong(monkeypatch) -> None:
    monkeypatch.setenv("SMSP_HISTORY_URL", pg(host="127.0.0.1:54x2"))
    exc = raised(lambda: QuoteHistory.open(True), HistoryError)
    assert str(exc) == (
        "SMSP_HISTORY_URL: the port '54x2' of postgresql+psycopg://ana:***@"
        "127.0.0.1:54x2/quotes is not a number from 1 to 65535"
    )
    assert leaks(exc) == 0
    monkeypatch.setenv("SMSP_HISTORY_URL", pg("pq@RY-9f3e"))
    exc = raised(lambda: QuoteHistory.open(True), HistoryError)
    assert str(exc).startswith(
        "SMSP_HISTORY_URL: the credentials"
    ) and "RY-9f3e" not in locals_text(exc)
    monkeypatch.setenv("SMSP_HISTORY_URL", f"nosuchdb://ana:{CANARY}@h/x")
    exc = raised(lambda: QuoteHistory.open(True), HistoryError)
    assert str(exc).startswith("SMSP_HISTORY_URL: unsupported database URL") and leaks(exc) == 0


def test_the_client_and_the_cli_say_which_variable(monkeypatch, sbx, capsys, tmp_path) -> None:
    monkeypatch.setenv("SMSP_HISTORY_URL", pg(host="127.0.0.1:54x2"))
    exc = raised(
        lambda: Client(
            KEY, base_url=sbx.base_url, cache=False, history=True, journal=tmp_path / "j.sqlite"
        ),
        HistoryError,
    )
    assert "SMSP_HISTORY_URL: the port '54x2'" in str(exc)
    assert leaks(exc) == 0
    monkeypatch.setenv("SMSP_HISTORY_URL", pg("pq@RY-9f3e"))
    assert main(["history"]) == 1
    err = capsys.readouterr().err
    assert "SMSP_HISTORY_URL: the credentials" in err and "RY-9f3e" not in err


# -- no password in traceback locals ---------------------------------------------------------


def bad_url(i: int) -> str:
    return [pg(host="127.0.0.1:5x2"), pg("a@b"), f"nosuchdb://ana:{CANARY}@h/x"][i]


@pytest.mark.parametrize("i", range(3))
def test_no_password_in_the_locals_of_argument_errors(i: int) -> None:
    exc = raised(lambda: QuoteHistory.open(bad_url(i)), ValueError)
    assert str(exc).startswith("history: ") and leaks(exc) == 0, locals_text(exc)
    exc = raised(lambda: QuoteHistory(bad_url(i)), ValueError)
    assert str(exc).startswith("history: ") and leaks(exc) == 0, locals_text(exc)


@pytest.mark.parametrize("i", range(3))
def test_no_password_in_the_locals_of_client_argument_errors(i: int) -> None:
    # The URL given to Client(history=...) itself, and with another argument wrong.
    exc = raised(
        lambda: Client(KEY, base_url="http://127.0.0.1:9/v1/", cache=False, history=bad_url(i)),
        ValueError,
    )
    assert leaks(exc) == 0, locals_text(exc)
    exc = raised(
        lambda: Client(
            KEY,
            base_url="http://127.0.0.1:9/v1/",
            cache=False,
            history=pg(),
            cache_expire_after="x",
        ),
        TypeError,
    )
    assert "cache_expire_after" in str(exc) and leaks(exc) == 0, locals_text(exc)


def test_no_password_in_the_locals_of_store_errors(make_client, caplog) -> None:
    caplog.set_level(logging.DEBUG)  # SQLAlchemy's pool and psycopg's loggers included
    h = QuoteHistory(pg(), retry_after=0)
    for call in (h.frame, h.clear):
        exc = raised(call, HistoryError)
        assert "Connection refused" in str(exc) and "ana:***@127.0.0.1:1" in str(exc)
        assert leaks(exc) == 0, locals_text(exc)
    # a warning turned into an error (warnings.simplefilter("error")) is an error too
    with warnings.catch_warnings():
        warnings.simplefilter("error", HistoryUnavailableWarning)
        exc = raised(
            lambda: h.record(
                answer([1]),
                op="calcul",
                targeting_params=params(),
                volumes=None,
                key_hash=key_hash(KEY),
                source="s",
                as_of="2026-10-01",
            ),
            HistoryUnavailableWarning,
        )
    assert "not recorded" in str(exc) and leaks(exc) == 0, locals_text(exc)
    h.close()
    c = make_client(history=pg())
    with warnings.catch_warnings():
        warnings.simplefilter("error", HistoryUnavailableWarning)
        # the warning comes with the calcul or with the flush (the writer is quick)
        exc = raised(
            lambda: (
                c.calcul(Targeting(gender="f", age=(25, 35), interest=14, departments=["60"])),
                c.flush_history(),
            ),
            HistoryUnavailableWarning,
        )
    assert "ana:***@" in str(exc) and leaks(exc) == 0, locals_text(exc)
    assert CANARY not in caplog.text and KEY not in caplog.text
