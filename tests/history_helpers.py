"""Helpers of the quote history tests: answers to record, process workers (importable by
spawned processes), a version-1 store to upgrade, and the concurrency checks shared by the
SQLite and PostgreSQL tests."""

from __future__ import annotations

import warnings
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pandas as pd
import sqlalchemy as sa

from smsp_analytics.history import HistoryUnavailableWarning, QuoteHistory, key_hash

KEY = "sk_live_HISTORY_LEAK_CANARY_7731"
LOCALITIES = ["60", "02", "80"]
WRITERS, QUOTES_EACH = 8, 25


def answer(
    volumes: list[int], *, unit: float = 0.09, localities: list[str] | None = None
) -> pd.DataFrame:
    """A frame shaped like ``client.calcul`` output."""
    locs = localities or LOCALITIES[: len(volumes)]
    vol = pd.array(volumes, dtype="Int64")
    return pd.DataFrame(
        {
            "locality_type": pd.Categorical(
                ["department"] * len(locs), categories=["department", "zipcode", "france"]
            ),
            "locality": pd.array(locs, dtype="string"),
            "department": pd.array(locs, dtype="string"),
            "volume": vol,
            "unit_cost_eur": pd.array([unit] * len(locs), dtype="Float64"),
            "cost_eur": pd.array([round(v * unit, 2) for v in volumes], dtype="Float64"),
        }
    )


def params(min_age: int = 25, **extra: Any) -> dict[str, Any]:
    return {
        "sexe": "f",
        "minAge": min_age,
        "maxAge": 35,
        "interest": 14,
        "department": ",".join(LOCALITIES),
        **extra,
    }


def write_quotes(url: str, worker: int, n: int, barrier: Any) -> int:
    """Record ``n`` quotes (one targeting per worker, the sequence number in the volumes)
    once every worker is ready; a store failure raises instead of warning."""
    history = QuoteHistory.open(url)
    warnings.simplefilter("error", HistoryUnavailableWarning)
    barrier.wait(120)
    for i in range(n):
        history.record(
            answer([i, 1000 + i, 2000 + i]),
            op="calcul",
            targeting_params=params(min_age=20 + worker),
            volumes=None,
            key_hash=key_hash(KEY),
            source=f"test:worker={worker}",
            as_of=f"2026-10-01T00:00:{i:02d}Z",
        )
    history.close()
    return n


def create_schema(url: str, barrier: Any) -> int:
    """Open a fresh store at the same moment as another process and record one quote."""
    return write_quotes(url, 99, 1, barrier)


def run_concurrently(
    pool: ProcessPoolExecutor, barrier_factory: Any, url: str, writers: int, n: int
) -> list[int]:
    barrier = barrier_factory(writers)
    futures = [pool.submit(write_quotes, url, w, n, barrier) for w in range(writers)]
    return [f.result(timeout=240) for f in futures]


def check_no_row_lost(url: str, writers: int = WRITERS, n: int = QUOTES_EACH) -> None:
    """Every worker's quotes are there exactly once, with all their localities."""
    with QuoteHistory(url) as h:
        df = h.frame()
    assert len(df) == writers * n * 3
    assert df["quote_id"].nunique() == writers * n
    seq = df[df["locality"] == "60"].groupby("source")["volume"].apply(sorted)
    assert seq.to_dict() == {f"test:worker={w}": list(range(n)) for w in range(writers)}
    per_quote = df.groupby("quote_id")["volume"].apply(lambda v: sorted(v.tolist()))
    assert all(v[1] == v[0] + 1000 and v[2] == v[0] + 2000 for v in per_quote)


V1_DDL = [
    "CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value VARCHAR(256) NOT NULL)",
    "CREATE TABLE quotes (id {serial} PRIMARY KEY, as_of TIMESTAMP NOT NULL, "
    "fetched_at TIMESTAMP NOT NULL, source VARCHAR(200) NOT NULL, op VARCHAR(16) NOT NULL, "
    "key_hash VARCHAR(64) NOT NULL, targeting_key VARCHAR(32) NOT NULL, "
    "targeting_json TEXT NOT NULL, gender VARCHAR(1), min_age INTEGER, max_age INTEGER, "
    "interest INTEGER, sub_interest INTEGER, category INTEGER, departments TEXT, "
    "zipcodes TEXT)",
    "CREATE TABLE quote_rows (quote_id BIGINT REFERENCES quotes(id) ON DELETE CASCADE, "
    "position INTEGER, locality_type VARCHAR(16), locality VARCHAR(16) NOT NULL, "
    "volume BIGINT, unit_cost_eur FLOAT, cost_eur FLOAT, PRIMARY KEY (quote_id, position))",
    "INSERT INTO meta (key, value) VALUES ('schema_version', '1')",
    "INSERT INTO quotes (as_of, fetched_at, source, op, key_hash, targeting_key, "
    "targeting_json, gender, min_age, max_age, interest, departments) VALUES "
    "('2026-09-01 08:00:00.000000', '2026-09-01 08:00:00.000000', 'sandbox:seed=0', "
    "'calcul', 'h', 'oldkey', '{{}}', 'f', 25, 35, 14, '60')",
    "INSERT INTO quote_rows (quote_id, position, locality_type, locality, volume, "
    "unit_cost_eur, cost_eur) VALUES (1, 0, 'department', '60', 500, 0.09, 45.0)",
]


def make_v1_store(url: str) -> None:
    """A store as version 1 of the schema left it, with one quote."""
    engine = sa.create_engine(url)
    serial = "BIGSERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
    with engine.begin() as conn:
        for stmt in V1_DDL:
            conn.exec_driver_sql(stmt.format(serial=serial))
    engine.dispose()


def schema_version(url: str) -> tuple[str, list[str]]:
    """The stored schema version and the columns of ``quotes``."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        version = conn.execute(
            sa.text("SELECT value FROM meta WHERE key = 'schema_version'")
        ).scalar_one()
        cols = [c["name"] for c in sa.inspect(conn).get_columns("quotes")]
    engine.dispose()
    return version, cols
