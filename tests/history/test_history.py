"""The quote history on SQLite files, and drift (PostgreSQL: test_history_pg.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from history_helpers import (
    KEY,
    QUOTES_EACH,
    WRITERS,
    answer,
    check_no_row_lost,
    create_schema,
    make_v1_store,
    params,
    run_concurrently,
    schema_version,
)

from smsp_analytics import HistoryUnavailableWarning, QuoteHistory, Targeting, drift, key_hash
from smsp_analytics.history import (
    DRIFT_COLUMNS,
    FRAME_COLUMNS,
    SCHEMA_VERSION,
    HistoryError,
    default_history_path,
)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[QuoteHistory]:
    h = QuoteHistory.open(tmp_path / "history.sqlite")
    yield h
    h.close()


def rec(
    h: QuoteHistory,
    volumes: list[int],
    *,
    as_of: str,
    op: str = "calcul",
    fetched_at: str | None = None,
    localities: list[str] | None = None,
    unit: float = 0.09,
    **targeting: object,
) -> None:
    h.record(
        answer(volumes, localities=localities, unit=unit),
        op=op,
        targeting_params=params(**targeting),
        volumes=None,
        key_hash=key_hash(KEY),
        source="sandbox:seed=0",
        as_of=as_of,
        fetched_at=fetched_at or as_of,
    )


# -- recording real answers ----------------------------------------------------------------


def test_records_calcul_and_price_answers_of_the_sandbox(client, store) -> None:
    t = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])
    calc = client.calcul(t)
    price = client.price(t, {"60": 50, "02": 20})
    for df, op, vols in ((calc, "calcul", None), (price, "price", {"60": 50, "02": 20})):
        store.record(
            df,
            op=op,
            targeting_params=t.to_parameters(),
            volumes=vols,
            key_hash=key_hash(KEY),
            source="sandbox:seed=0",
        )
    got = store.frame()
    assert got.columns.tolist() == FRAME_COLUMNS
    assert got.dtypes[["volume", "min_age", "interest"]].astype(str).tolist() == ["Int64"] * 3
    assert got.dtypes[["unit_cost_eur", "cost_eur"]].astype(str).tolist() == ["Float64"] * 2
    assert str(got["as_of"].dtype) == "datetime64[us, UTC]"
    assert got["op"].tolist() == ["calcul", "calcul", "price", "price"]
    assert got["volume"].tolist() == calc["volume"].tolist() + price["volume"].tolist()
    assert got["cost_eur"].tolist() == calc["cost_eur"].tolist() + price["cost_eur"].tolist()
    assert got.loc[0, ["gender", "min_age", "max_age", "departments"]].tolist() == [
        "f",
        25,
        35,
        "60,02",
    ]
    assert got["locality_type"].unique().tolist() == ["department"]
    # attrs["fetched_at"] (and attrs["as_of"] once the client sets it) are the defaults
    expected = pd.Timestamp(calc.attrs.get("as_of", calc.attrs["fetched_at"]))
    assert got.loc[0, "as_of"] == expected.tz_convert("UTC")
    assert got["targeting_key"].nunique() == 1
    assert store.targeting_key(t) == got.loc[0, "targeting_key"]


def test_parsed_rows_record_like_their_frame(client, store) -> None:
    """``Client.optin`` has LocalityRows, not a frame: both record the same rows."""
    t = Targeting(gender="h", age=(30, 60), interest=12, departments=["75", "13", "2A"])
    ans = client.quotes.answer("price", t, {"75": 33, "13": 7, "2A": 1})
    frame = client.price(t, {"75": 33, "13": 7, "2A": 1})
    for answer_ in (ans.rows, frame):
        store.record(
            answer_,
            op="price",
            targeting_params=t.to_parameters(),
            volumes={"75": 33, "13": 7, "2A": 1},
            key_hash="h",
            source="sandbox:seed=0",
            as_of=ans.as_of,
            fetched_at=ans.fetched_at,
        )
    got = store.frame(t)
    cols = ["locality_type", "locality", "volume", "unit_cost_eur", "cost_eur"]
    first, second = (g[cols].reset_index(drop=True) for _, g in got.groupby("quote_id"))
    pd.testing.assert_frame_equal(first, second)
    assert first["locality"].tolist() == ["75", "13", "2A"]
    assert first["volume"].tolist() == frame["volume"].tolist() == [33, 7, 1]
    assert first["cost_eur"].tolist() == frame["cost_eur"].tolist()


def test_the_key_is_never_stored(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with QuoteHistory.open(path) as h:
        for i in range(3):
            rec(h, [100 + i, 5], as_of=f"2026-10-0{i + 1}")
    blobs = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("h."))
    assert key_hash(KEY).encode() in blobs  # the grep looks where the quotes are
    assert KEY.encode() not in blobs and KEY[-12:].encode() not in blobs
    assert KEY.split("_")[-2].encode() not in blobs


def test_false_records_nothing_and_true_finds_its_store(tmp_path: Path, monkeypatch) -> None:
    assert QuoteHistory.open(False) is None and QuoteHistory.open(None) is None
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("SMSP_HISTORY_URL", raising=False)
    default = QuoteHistory.open(True)
    assert default.url == f"sqlite:///{default_history_path()}"
    assert default_history_path().parent.name == "smsp-analytics"
    assert not default_history_path().exists()  # nothing written before the first record
    monkeypatch.setenv("SMSP_HISTORY_URL", f"sqlite:///{tmp_path / 'team.sqlite'}")
    assert QuoteHistory.open().url.endswith("team.sqlite")
    with pytest.raises(TypeError, match="history: int is not allowed"):
        QuoteHistory.open(3)
    with pytest.raises(ValueError, match="history: unsupported database URL"):
        QuoteHistory.open("nosuchdb://x")
    assert list(tmp_path.rglob("*.sqlite")) == []


# -- filters ---------------------------------------------------------------------------------


def test_frame_filters_by_targeting_dates_and_op(store) -> None:
    rec(store, [100, 10], as_of="2026-09-01T10:00:00Z")
    rec(store, [110, 12], as_of="2026-10-01T23:30:00+00:00")
    rec(store, [120, 14], as_of="2026-11-01T00:00:00Z", op="price")
    rec(store, [7, 7], as_of="2026-10-01T12:00:00Z", min_age=40)
    t = Targeting(gender="f", age=(25, 35), interest=14, departments=["80", "02", "60"])
    by_t = store.frame(t)
    assert by_t["volume"].tolist() == [100, 10, 110, 12, 120, 14]
    fields_form = {
        "gender": "f",
        "age": (25, 35),
        "interest": 14,
        "departments": ["02", "60", "80"],
    }
    assert store.frame(fields_form)["volume"].tolist() == by_t["volume"].tolist()
    assert store.frame(params(min_age=40))["volume"].tolist() == [7, 7]
    # a bare date covers its whole day, at both ends
    oct1 = store.frame(since="2026-10-01", until=dt.date(2026, 10, 1))
    assert sorted(oct1["volume"].tolist()) == [7, 7, 12, 110]
    assert store.frame(t, since=dt.datetime(2026, 10, 1, 23, 31, tzinfo=dt.UTC))[
        "volume"
    ].tolist() == [120, 14]
    assert store.frame(t, until="2026-10-01T23:29:59Z")["volume"].tolist() == [100, 10]
    assert store.frame(op="price")["volume"].tolist() == [120, 14]
    assert len(store.frame(op=["calcul", "price"])) == 8
    with pytest.raises(ValueError, match="^op: 'sms' is not allowed; allowed: calcul, price"):
        store.frame(op="sms")
    with pytest.raises(ValueError, match="^since: '2026-02-30' is not a valid date"):
        store.frame(since="2026-02-30")
    with pytest.raises(TypeError, match="^until: 5 is not a date"):
        store.frame(until=5)
    with pytest.raises(ValueError, match="^until: .* is before since"):
        store.frame(since="2026-10-02", until="2026-10-01")
    with pytest.raises(ValueError, match="^targeting_params: unknown field"):
        store.frame({"sexe": "f", "colour": "red"})


def test_clear(store) -> None:
    rec(store, [1, 2], as_of="2026-10-01")
    store.clear()
    assert store.frame().empty
    rec(store, [3, 4], as_of="2026-10-02")
    assert store.frame()["volume"].tolist() == [3, 4]


# -- schema ----------------------------------------------------------------------------------


def test_schema_version_is_stored_and_version_1_is_upgraded(tmp_path: Path, store) -> None:
    rec(store, [1, 2], as_of="2026-10-01")
    assert schema_version(f"sqlite:///{tmp_path / 'history.sqlite'}")[0] == str(SCHEMA_VERSION)
    old = f"sqlite:///{tmp_path / 'v1.sqlite'}"
    make_v1_store(old)
    assert schema_version(old) == ("1", schema_version(old)[1])
    assert "volumes_asked" not in schema_version(old)[1]
    with QuoteHistory(old) as h:
        h.record(
            answer([42]),
            op="price",
            targeting_params=params(),
            volumes={"60": 42},
            key_hash="h",
            source="sandbox:seed=0",
            as_of="2026-10-01",
        )
        got = h.frame()
    assert got["volume"].tolist() == [500, 42]  # the old quote is kept
    assert got["as_of"].tolist() == [
        pd.Timestamp("2026-09-01 08:00", tz="UTC"),
        pd.Timestamp("2026-10-01", tz="UTC"),
    ]
    version, cols = schema_version(old)
    assert version == "2" and "volumes_asked" in cols
    engine = sa.create_engine(old)
    with engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT volumes_asked FROM quotes ORDER BY id"
        ).scalars().all() == [None, '{"60": 42}']
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("quotes")}
    engine.dispose()
    assert {"ix_quotes_as_of", "ix_quotes_targeting_as_of"} <= indexes


def test_a_newer_schema_is_refused_without_failing_the_quote(tmp_path: Path, store) -> None:
    rec(store, [1], as_of="2026-10-01", localities=["60"])
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'history.sqlite'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    engine.dispose()
    newer = QuoteHistory.open(tmp_path / "history.sqlite")
    with pytest.warns(HistoryUnavailableWarning, match="schema version is 99, newer than"):
        assert rec(newer, [2], as_of="2026-10-02", localities=["60"]) is None
    with pytest.raises(HistoryError, match="newer than this library's 2"):
        newer.frame()
    newer.close()


# -- reliability -----------------------------------------------------------------------------


def test_an_unusable_store_warns_and_returns(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a directory")
    h = QuoteHistory.open(tmp_path / "afile" / "history.sqlite")
    with pytest.warns(
        HistoryUnavailableWarning,
        match="afile/history.sqlite is unavailable; this calcul answer was not recorded",
    ):
        rec(h, [1, 2], as_of="2026-10-01")
    with pytest.raises(HistoryError, match="afile/history.sqlite"):
        h.frame()


def test_an_answer_is_recorded_whole_or_not_at_all(tmp_path: Path, store) -> None:
    rec(store, [1, 2], as_of="2026-10-01")
    broken = answer([5, 6])
    broken["locality"] = pd.array(["60", None], dtype="string")  # NOT NULL fails on row 2
    with pytest.warns(HistoryUnavailableWarning, match="IntegrityError"):
        store.record(
            broken,
            op="calcul",
            targeting_params=params(),
            volumes=None,
            key_hash="h",
            source="s",
            as_of="2026-10-02",
        )
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'history.sqlite'}")
    with engine.connect() as conn:
        counts = [
            conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()
            for t in ("quotes", "quote_rows")
        ]
    engine.dispose()
    assert counts == [1, 2]


def test_eight_processes_write_to_one_sqlite_file(tmp_path: Path, writer_pool) -> None:
    pool, barrier = writer_pool
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    assert run_concurrently(pool, barrier, url, WRITERS, QUOTES_EACH) == [QUOTES_EACH] * WRITERS
    check_no_row_lost(url)


def test_two_processes_create_the_schema_at_once(tmp_path: Path, writer_pool) -> None:
    pool, barrier_factory = writer_pool
    for attempt in range(3):  # three fresh files: three races
        url = f"sqlite:///{tmp_path / f'race{attempt}.sqlite'}"
        barrier = barrier_factory(2)
        done = [pool.submit(create_schema, url, barrier) for _ in range(2)]
        assert [f.result(timeout=120) for f in done] == [1, 1]
        assert schema_version(url)[0] == str(SCHEMA_VERSION)
        with QuoteHistory(url) as h:
            assert len(h.frame()) == 6


# -- drift ----------------------------------------------------------------------------------


def test_drift_reports_localities_seen_on_one_side_only(store) -> None:
    rec(store, [100, 10], as_of="2026-09-01", localities=["60", "02"])
    rec(store, [105, 11], as_of="2026-09-20", localities=["60", "02"])
    # same as_of: the later fetch wins
    rec(
        store,
        [999, 999],
        as_of="2026-10-15",
        fetched_at="2026-10-15T08:00:00Z",
        localities=["60", "80"],
    )
    rec(
        store,
        [126, 30],
        as_of="2026-10-15",
        fetched_at="2026-10-15T09:00:00Z",
        localities=["60", "80"],
        unit=0.1,
    )
    rec(store, [50], as_of="2026-10-20", localities=["60"], min_age=40)  # after only
    d = drift(store.frame(), since="2026-09-30")
    assert d.columns.tolist() == DRIFT_COLUMNS
    rows = {(r.min_age, r.locality): r for r in d.itertuples()}
    assert {k: rows[k].status for k in rows} == {
        (25, "02"): "before only",
        (25, "60"): "both",
        (25, "80"): "after only",
        (40, "60"): "after only",
    }
    r = rows[(25, "60")]
    assert (r.volume_before, r.volume_after, r.volume_change) == (105, 126, 21)
    assert r.volume_change_pct == pytest.approx(20.0)
    assert (r.unit_cost_before, r.unit_cost_after) == (0.09, 0.1)
    assert r.as_of_before == pd.Timestamp("2026-09-20", tz="UTC")
    assert r.as_of_after == pd.Timestamp("2026-10-15", tz="UTC")
    gone = rows[(25, "02")]
    assert gone.volume_before == 11 and pd.isna(gone.volume_after) and pd.isna(gone.as_of_after)
    new = rows[(25, "80")]
    assert new.volume_after == 30 and pd.isna(new.volume_before) and pd.isna(new.volume_change_pct)
    assert d.attrs["synthetic"] is True
    # until: the latest at or before it; a bare date covers its day
    early = drift(store.frame(), since="2026-09-01", until=dt.date(2026, 9, 20))
    assert early.set_index(["min_age", "locality"]).loc[(25, "60"), "volume_change"] == 5
    assert set(early["min_age"]) == {25}


def test_drift_never_compares_a_price_with_a_calcul(store) -> None:
    # A price (or a rent) records the volumes asked, not the audience: comparing it with an
    # earlier calcul of the same targeting would report a collapse that never happened.
    rec(store, [27_000, 70_000], as_of="2026-11-01", localities=["60", "75"])
    rec(store, [28_000, 71_000], as_of="2027-06-01", localities=["60", "75"])
    rec(
        store,
        [100],
        as_of="2027-06-01",
        fetched_at="2027-06-01T13:00:00Z",
        op="price",
        localities=["60"],
    )
    d = drift(store.frame(), since="2026-11-15")
    calc = d[d["op"] == "calcul"].set_index("locality")
    assert calc["volume_change"].tolist() == [1_000, 1_000]
    assert (calc["status"] == "both").all()
    assert d[d["op"] == "price"][["locality", "status"]].values.tolist() == [["60", "after only"]]
    assert drift(store.frame(), since="2026-11-15", op="calcul")["op"].tolist() == ["calcul"] * 2


def test_drift_validates_its_arguments(store) -> None:
    rec(store, [1], as_of="2026-10-01", localities=["60"])
    hist = store.frame()
    with pytest.raises(ValueError, match="^since: 'last month' is not a valid date"):
        drift(hist, since="last month")
    with pytest.raises(ValueError, match="^until: .* is before since"):
        drift(hist, since="2026-10-02", until="2026-10-01")
    with pytest.raises(ValueError, match="^history: missing column.*volume"):
        drift(hist.drop(columns=["volume"]), since="2026-10-01")
    with pytest.raises(ValueError, match="^op: 'x' is not allowed"):
        drift(hist, since="2026-10-01", op="x")
    empty = drift(hist.iloc[:0], since="2026-10-01")
    assert empty.empty and empty.columns.tolist() == DRIFT_COLUMNS
    same = drift(hist, since="2026-10-01")  # no newer quote: compared with itself
    assert same[["status", "volume_change"]].values.tolist() == [["both", 0]]
