"""Benchmark: the memory a zip-code sweep holds, in bytes per row.

Work: the 60-combination sweep (3 genders x 4 age bands x 5 interests) over all ~6,200 zip
codes of France: 60 x 13 calls of up to 500 zip codes, answered by an in-process sandbox,
371,220 rows. The figure is pandas' deep ``memory_usage`` (strings and categories
included) divided by the rows, per column and in all. Target: <= 64 bytes per row.

Run: ``python bench/memory.py [--zipcodes N]`` (N: the first N zip codes only, a quick
run; the target is about all of them)
"""

from __future__ import annotations

import argparse
import time
import warnings
from typing import Any

import pandas as pd

from smsp_analytics import Client, refdata, sweep
from smsp_analytics.targeting import Targeting

GENDERS = ["m", "h", "f"]
AGES = [(18, 24), (25, 34), (35, 49), (50, 64)]
INTERESTS = [10, 11, 12, 13, 14]
TARGET = 64.0


def zip_sweep(zipcodes: tuple[str, ...]) -> tuple[pd.DataFrame, float]:
    """The 60-combination sweep over ``zipcodes`` (empty: all of France), and its time."""
    by: dict[str, list[Any]] = {"gender": GENDERS, "age": AGES, "interest": INTERESTS}
    with Client(announce=False, cache=False) as client:
        t0 = time.perf_counter()
        df = sweep(
            Targeting(interest=14, zipcodes=zipcodes),
            by,
            geo="zipcodes",
            client=client,
            progress=False,
        )
        return df, time.perf_counter() - t0


def per_row(df: pd.DataFrame) -> tuple[float, pd.Series]:
    """Deep bytes per row, in all and per column (the index included)."""
    usage = df.memory_usage(deep=True, index=True)
    return float(usage.sum()) / len(df), usage / len(df)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zipcodes", type=int, default=0, help="the first N zip codes only")
    limit = parser.parse_args().zipcodes
    warnings.simplefilter("ignore")
    zips = tuple(sorted(refdata.zipcode_set())[:limit]) if limit else ()
    df, took = zip_sweep(zips)
    expected = len(GENDERS) * len(AGES) * len(INTERESTS) * len(zips or refdata.zipcode_set())
    assert len(df) == expected, (len(df), expected)
    total, columns = per_row(df)
    print(f"{len(df):,} rows, {len(df.columns)} columns (sweep took {took:.1f} s)")
    print(f"{'column':<16}{'dtype':<12}{'B/row':>8}")
    for name, b in columns.items():
        dtype = "" if name == "Index" else str(df[name].dtype)
        print(f"{name!s:<16}{dtype:<12}{b:>8.2f}")
    mb = total * len(df) / 1e6
    met = "target met" if total <= TARGET else "target NOT met"
    print(f"total: {mb:.1f} MB = {total:.1f} B/row (target <= {TARGET:.0f} B/row): {met}")


if __name__ == "__main__":
    main()
