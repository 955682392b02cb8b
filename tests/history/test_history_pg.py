"""The quote history on a real PostgreSQL server (a team's shared store)."""

from __future__ import annotations

import time
import warnings

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
from pgserver import PgServer, started_server

from smsp_analytics import HistoryUnavailableWarning, QuoteHistory, drift, key_hash
from smsp_analytics.history import SCHEMA_VERSION, HistoryError

PASSWORD = "pw-NEVER-IN-WARNINGS-913"


def record(h: QuoteHistory, volumes: list[int], as_of: str, **kw: object) -> None:
    h.record(
        answer(volumes),
        op="calcul",
        targeting_params=params(**kw),
        volumes=None,
        key_hash=key_hash(KEY),
        source="sandbox:seed=0",
        as_of=as_of,
    )


def test_records_reads_and_drifts_on_postgresql(pg_url: str) -> None:
    with QuoteHistory.open(pg_url) as h:
        record(h, [100, 10], "2026-09-01T10:00:00Z")
        record(h, [110, 12], "2026-10-01T10:00:00+02:00")
        h.record(
            answer([5, 5]),
            op="price",
            targeting_params=params(),
            volumes={"60": 5, "02": 5},
            key_hash=key_hash(KEY),
            source="sandbox:seed=0",
            as_of="2026-10-02",
        )
        got = h.frame(params(), since="2026-09-15", op="calcul")
        assert got["volume"].tolist() == [110, 12]
        assert got.loc[0, "as_of"] == pd.Timestamp("2026-10-01T08:00:00", tz="UTC")
        assert len(h.frame(until="2026-10-01")) == 4
        d = drift(h.frame(op="calcul"), since="2026-09-01")
        assert d["volume_change"].tolist() == [2, 10]  # 02 then 60
        assert schema_version(pg_url)[0] == str(SCHEMA_VERSION)
        h.clear()
        assert h.frame().empty


def test_no_key_in_the_postgresql_tables(pg_url: str) -> None:
    with QuoteHistory.open(pg_url) as h:
        record(h, [1, 2, 3], "2026-10-01")
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        dump = " ".join(
            " ".join(conn.exec_driver_sql(f"SELECT t::text FROM {t} AS t").scalars())
            for t in ("meta", "quotes", "quote_rows")
        )
    engine.dispose()
    assert key_hash(KEY) in dump and "60" in dump
    assert KEY not in dump and KEY[-12:] not in dump


def test_eight_processes_write_to_postgresql(pg_url: str, writer_pool) -> None:
    pool, barrier = writer_pool
    assert run_concurrently(pool, barrier, pg_url, WRITERS, QUOTES_EACH) == [QUOTES_EACH] * WRITERS
    check_no_row_lost(pg_url)


def test_two_processes_create_the_schema_at_once(pg_server: PgServer, writer_pool) -> None:
    pool, barrier_factory = writer_pool
    for _ in range(3):
        url = pg_server.create_database()
        barrier = barrier_factory(2)
        done = [pool.submit(create_schema, url, barrier) for _ in range(2)]
        assert [f.result(timeout=120) for f in done] == [1, 1]
        with QuoteHistory(url) as h:
            assert len(h.frame()) == 6
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM meta").scalar_one() == 1
        engine.dispose()


def test_version_1_is_upgraded_on_postgresql(pg_url: str) -> None:
    make_v1_store(pg_url)
    with QuoteHistory(pg_url) as h:
        record(h, [7, 8], "2026-10-01")
        assert h.frame()["volume"].tolist() == [500, 7, 8]
    version, cols = schema_version(pg_url)
    assert version == "2" and "volumes_asked" in cols


def test_the_store_down_does_not_fail_the_quote() -> None:
    """A short-lived server of its own: up, down (a warning, no exception, no password),
    up again (recording resumes)."""
    for server in started_server():
        url = server.url(password=PASSWORD)
        h = QuoteHistory(url, retry_after=0.5)
        assert PASSWORD not in repr(h) and PASSWORD not in h.url and "***" in h.url
        record(h, [1, 2, 3], "2026-10-01")
        server.stop()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert record(h, [4, 5, 6], "2026-10-02") is None
        assert [w.category for w in caught] == [HistoryUnavailableWarning]
        text = str(caught[0].message)
        assert f"postgresql+psycopg://postgres:***@127.0.0.1:{server.port}/postgres" in text
        assert "not recorded" in text and PASSWORD not in text
        # within retry_after, no new attempt (an unreachable server would make every quote
        # wait for the connect timeout): a warning only
        with pytest.warns(HistoryUnavailableWarning, match="not recorded .next attempt in"):
            record(h, [4, 5, 6], "2026-10-02")
        time.sleep(0.6)
        with pytest.raises(HistoryError) as err:
            h.frame()
        assert PASSWORD not in str(err.value)
        server.start()
        record(h, [7, 8, 9], "2026-10-03")
        assert h.frame()["volume"].tolist() == [1, 2, 3, 7, 8, 9]
        h.close()
