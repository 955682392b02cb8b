"""A sweep's frame is compact (categoricals for repeated labels, narrow integer ids) and
reads like the string frame it replaces: same values, comparisons, groups, order, CSV."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from smsp_analytics.analysis.sweeps import sweep
from smsp_analytics.client.facade import Client
from smsp_analytics.targeting import Targeting

BENCH = Path(__file__).resolve().parents[2] / "bench" / "memory.py"
BY: dict[str, list[Any]] = {
    "gender": ["m", "h", "f"],
    "age": [(18, 24), (25, 34)],
    "interest": [10, 14],
}
LABELS = ["gender", "age", "locality_type", "locality", "department"]


@pytest.fixture()
def zip_sweep(client: Client) -> pd.DataFrame:
    return sweep(
        Targeting(interest=14, departments=("60", "02")),
        BY,
        geo="zipcodes",
        client=client,
        progress=False,
    )


def as_strings(df: pd.DataFrame) -> pd.DataFrame:
    """The frame as it was before: labels as strings, integers as Int64."""
    out = df.copy()
    for name in LABELS:
        out[name] = out[name].astype("string")
    for name in ("age_min", "age_max", "interest"):
        out[name] = out[name].astype("Int64")
    return out


def test_labels_are_categoricals_and_ids_narrow_integers(zip_sweep: pd.DataFrame) -> None:
    df = zip_sweep
    assert {str(df[c].dtype) for c in LABELS} == {"category"}
    assert df[["age_min", "age_max", "interest"]].dtypes.astype(str).tolist() == ["Int8"] * 3
    assert df[["volume", "unit_cost_eur", "cost_eur"]].dtypes.astype(str).tolist() == [
        "Int64",
        "Float64",
        "Float64",
    ]
    # categories: the labels present, sorted as strings sort (age bands keep sweep order)
    assert df["gender"].cat.categories.tolist() == ["f", "h", "m"]
    assert df["department"].cat.categories.tolist() == ["02", "60"]
    assert df["age"].cat.categories.tolist() == ["18-24", "25-34"]
    per_row = df.memory_usage(deep=True).sum() / len(df)
    assert per_row < 64, per_row


def test_comparisons_groups_order_and_csv_are_those_of_strings(zip_sweep: pd.DataFrame) -> None:
    df, before = zip_sweep, as_strings(zip_sweep)
    women = df["gender"] == "f"
    assert women.tolist() == (before["gender"] == "f").tolist() and women.any()
    assert (df["locality"].isin(["60200", "02100"])).sum() == 24  # 2 zips x 12 combinations
    assert (df["department"] == "75").sum() == 0  # a label absent is simply never equal
    groups = df.groupby("department")["volume"].sum()  # no empty group for absent labels
    assert groups.to_dict() == before.groupby("department")["volume"].sum().to_dict()
    two = df.groupby(["gender", "age"])["volume"].sum()
    assert len(two) == 6 and two.sum() == df["volume"].sum()
    assert df.sort_values("locality", kind="stable").index.tolist() == (
        before.sort_values("locality", kind="stable").index.tolist()
    )
    assert df.to_csv(index=False) == before.to_csv(index=False)
    assert df["locality"].str.startswith("60").sum() == (df["department"] == "60").sum()


def test_concatenated_sweeps_keep_their_values(client: Client, zip_sweep: pd.DataFrame) -> None:
    again = pd.concat([zip_sweep, zip_sweep], ignore_index=True)
    assert str(again["locality"].dtype) == "category"  # same labels: still categorical
    other = sweep(
        Targeting(interest=14, departments=("75",)),
        {"gender": ["f"]},
        geo="zipcodes",
        client=client,
        progress=False,
    )
    both = pd.concat([zip_sweep, other], ignore_index=True)
    assert both["locality"].tolist() == zip_sweep["locality"].tolist() + other["locality"].tolist()
    assert both["gender"].tolist() == zip_sweep["gender"].tolist() + ["f"] * len(other)
    assert both["age"].isna().sum() == len(other)  # other did not sweep ages


def test_the_memory_bench_runs_and_prints_its_target() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH), "--zipcodes", "30"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "B/row (target <= 64 B/row): target" in out.stdout, out.stderr
    assert "locality" in out.stdout and "category" in out.stdout
