"""The client records every live calcul, price and rent answer in its quote history: real
sandbox over HTTP, real SQLite files (and a closed PostgreSQL port for the store-down case)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from smsp_analytics import Client, Targeting
from smsp_analytics.history import (
    HistoryUnavailableWarning,
    QuoteHistory,
    default_history_path,
    drift,
    key_hash,
)

KEY = "sk_test_NEVER_SHOW_4242"  # the session sandbox's key (tests/conftest.py)

T = Targeting(gender="f", age=(25, 49), interest=14, departments=["60", "02"])
OTHER = Targeting(gender="h", age=(18, 34), interest=21, departments=["80"])


def quotes(client: Client, **kw) -> int:
    return int(client.history(**kw)["quote_id"].nunique())


def test_calcul_price_and_rent_answers_are_recorded(make_client, admin) -> None:
    c = make_client()
    calcul = c.calcul(T)
    price = c.price(T, {"60": 100, "02": 50})
    rental = c.rent(T, {"60": 10}, confirm=True)
    h = c.history()
    assert h.groupby("quote_id")["op"].first().tolist() == [
        "calcul",
        "price",
        "price",
        "rent",
    ]  # rent's own fresh quote is a live price too
    assert set(h["source"]) == {"sandbox:seed=0"} and set(h["key_hash"]) == {key_hash(KEY)}
    first = h[h["op"] == "calcul"]
    assert first["locality"].tolist() == ["60", "02"]
    assert first["volume"].tolist() == calcul["volume"].tolist()
    assert first["as_of"].iloc[0].isoformat() == calcul.attrs["as_of"]
    assert h[h["op"] == "price"]["cost_eur"].head(2).tolist() == price["cost_eur"].tolist()
    rent = h[h["op"] == "rent"]
    assert rent["volume"].tolist() == rental.frame["volume"].tolist()
    assert first[["gender", "min_age", "max_age", "interest"]].iloc[0].tolist() == ["f", 25, 49, 14]


def test_cache_hits_are_not_recorded_twice(make_client) -> None:
    c = make_client()
    assert c.calcul(T).attrs["from_cache"] is False
    assert c.calcul(T).attrs["from_cache"] is True  # the memo
    assert quotes(c) == 1
    again = make_client(memo=False)  # same HTTP cache file
    assert again.calcul(T).attrs["from_cache"] is True
    assert quotes(again) == 1 and len(again.history()) == 2


def test_history_false_records_nothing(make_client, tmp_path: Path) -> None:
    c = make_client(history=False)
    c.calcul(T)
    assert c.history_store is None and c.history().empty
    assert not (tmp_path / "client-history.sqlite").exists()
    assert "history=None" in repr(c)


def test_history_filters_by_targeting_dates_and_op(make_client) -> None:
    c = make_client()
    c.calcul(T)
    c.calcul(OTHER)
    c.price(T, {"60": 10, "02": 10})
    assert quotes(c) == 3
    assert quotes(c, targeting=T) == 2
    assert c.history(OTHER)["locality"].tolist() == ["80"]
    assert (
        quotes(
            c,
            targeting={
                "sexe": "f",
                "minAge": 25,
                "maxAge": 49,
                "interest": 14,
                "department": "02,60",
            },
        )
        == 2
    )  # the parameters dict
    assert quotes(c, op="price") == 1 and quotes(c, op=["calcul", "price"]) == 3
    day = c.history()["as_of"].iloc[0].strftime("%Y-%m-%d")
    assert quotes(c, since=day, until=day) == 3
    assert c.history(until="2000-01-01").empty
    with pytest.raises(ValueError, match="op"):
        c.history(op="sweep")


def test_no_key_bytes_in_the_store_or_the_repr(make_client, tmp_path: Path, admin) -> None:
    c = make_client()
    c.calcul(T)
    c.rent(T, {"60": 3}, confirm=True)
    c.close()
    data = b"".join(p.read_bytes() for p in tmp_path.glob("client-history.sqlite*"))
    assert b"sandbox:seed=0" in data  # the store was written
    assert KEY.encode() not in data and KEY[-8:].encode() not in data
    assert KEY not in repr(c) and KEY not in str(vars(c))


def test_a_moved_clock_gives_a_live_answer_recorded_with_its_date(
    make_client, sbx, tmp_path: Path
) -> None:
    c = make_client()
    start = sbx.date
    try:
        sbx.set_date("2026-09-01")
        sep = c.calcul(T)
        assert c.calcul(T).attrs["from_cache"] is True
        no_memo = make_client(memo=False, history=False, cache=tmp_path / "other.sqlite")
        no_memo.calcul(T)
        assert no_memo.calcul(T).attrs["from_cache"] is True  # its HTTP cache
        sbx.set_date("2026-12-01")  # POST /_sandbox/clock
        dec = c.calcul(T)
        assert c.quotes.memoised("calcul", T) is not None  # December's, checked
        dec_http = no_memo.calcul(T)
        other = make_client(memo=False, history=False).calcul(T)  # the same cache file
    finally:
        sbx.set_date(start)
    assert dec.attrs["from_cache"] is False and dec_http.attrs["from_cache"] is False
    assert dec_http["volume"].tolist() == dec["volume"].tolist()
    assert other["volume"].tolist() == dec["volume"].tolist()  # never September's answer
    assert dec.attrs["as_of"].startswith("2026-12-01") and sep.attrs["as_of"].startswith(
        "2026-09-01"
    )
    assert dec["volume"].tolist() != sep["volume"].tolist()
    h = c.history()
    assert [d.strftime("%Y-%m-%d") for d in h.groupby("quote_id")["as_of"].first()] == [
        "2026-09-01",
        "2026-12-01",
    ]
    d = drift(h, since="2026-09-30")
    assert d["status"].tolist() == ["both", "both"]
    assert d["volume_before"].tolist() == sep["volume"].tolist()[::-1]  # sorted: 02, 60
    assert d["volume_after"].tolist() == dec["volume"].tolist()[::-1]
    assert (d["volume_change"] != 0).all()


def test_an_unusable_store_never_fails_the_quote(make_client, tmp_path: Path, admin) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    c = make_client(history=tmp_path / "a-file" / "history.sqlite")
    with pytest.warns(HistoryUnavailableWarning, match="not recorded"):
        df = c.calcul(T)
        c.flush_history()  # calcul answers are written in the background
    assert df["locality"].tolist() == ["60", "02"]
    with pytest.warns(HistoryUnavailableWarning, match="not recorded") as seen:
        c.rent(T, {"60": 2}, confirm=True)  # a rent is recorded before it returns
        c.flush_history()
    assert any("rent answer was not recorded" in str(w.message) for w in seen)
    down = make_client(history="postgresql+psycopg://u:pw@127.0.0.1:1/x")
    assert "pw" not in repr(down) and "***" in repr(down)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        df = down.calcul(OTHER)
        down.flush_history()
    assert df["locality"].tolist() == ["80"]
    text = " ".join(str(w.message) for w in seen if w.category is HistoryUnavailableWarning)
    assert "127.0.0.1:1" in text and "u:***@" in text and ":pw@" not in text


def test_the_history_argument_is_checked_at_construction(make_client) -> None:
    with pytest.raises(TypeError, match="history"):
        make_client(history=3)
    with pytest.raises(ValueError, match="history"):
        make_client(history="  ")


def test_where_each_client_records(make_client, tmp_path: Path, monkeypatch) -> None:
    team = f"sqlite:///{tmp_path / 'team.sqlite'}"
    monkeypatch.setenv("SMSP_HISTORY_URL", team)
    assert make_client(history=True).history_store.url == team
    monkeypatch.delenv("SMSP_HISTORY_URL")
    assert (
        make_client(history=True).history_store.url == f"sqlite:///{default_history_path()}"
    )  # opened, never written here
    with Client(announce=False) as throwaway:  # no key: its temporary directory
        assert "smsp-sandbox-" in throwaway.history_store.url
        throwaway.calcul(OTHER)
        assert quotes(throwaway) == 1
    with Client(
        announce=False,
        sandbox={"state_path": str(tmp_path / "state.sqlite")},
        journal=tmp_path / "j.sqlite",
        rentals_dir=tmp_path / "r",
    ) as cli_like:
        assert cli_like.history_store.url == f"sqlite:///{default_history_path()}"
    with Client(announce=False, history=tmp_path / "mine.sqlite") as chosen:
        chosen.calcul(OTHER)
    assert len(QuoteHistory.open(tmp_path / "mine.sqlite").frame()) == 1
