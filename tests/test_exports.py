"""exports.py: the synthetic mark, or the source and fetch time, travel inside the file."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from smsp_analytics.exports import format_of, marked_frame, provenance, write_frame
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])


@pytest.fixture()
def sandbox_frame(client) -> pd.DataFrame:
    df = client.calcul(T)
    assert df.attrs["synthetic"] is True  # the session sandbox (loopback) is synthetic
    return df


def api_frame() -> pd.DataFrame:
    """A frame labelled as the real API labels it (no real API here): only attrs matter."""
    df = pd.DataFrame({"locality": ["60", "02"], "volume": [120, 80], "cost_eur": [10.8, 7.2]})
    df.attrs.update(
        synthetic=False,
        source="api",
        targeting=T,
        fetched_at=pd.Timestamp("2026-11-02T09:30:00", tz="UTC"),
    )
    return df


def test_csv_carries_the_synthetic_mark(sandbox_frame, tmp_path):
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "calcul.csv"
    write_frame(sandbox_frame, path)
    back = pd.read_csv(path, dtype={"locality": str, "department": str})
    assert list(back.columns[-3:]) == ["synthetic", "source", "fetched_at"]
    assert back["synthetic"].tolist() == [True, True]
    assert set(back["source"]) == {"sandbox"}
    assert back["fetched_at"].iloc[0] == sandbox_frame.attrs["fetched_at"]
    assert back["locality"].tolist() == ["60", "02"]
    assert [p.name for p in path.parent.iterdir()] == ["calcul.csv"]  # no temporary file left


def test_json_carries_the_mark_at_the_top(sandbox_frame, tmp_path):
    path = tmp_path / "calcul.json"
    write_frame(sandbox_frame, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert list(doc) == ["synthetic", "source", "fetched_at", "rows"]
    assert doc["synthetic"] is True and doc["source"] == "sandbox"
    assert [r["locality"] for r in doc["rows"]] == ["60", "02"]
    assert "synthetic" not in doc["rows"][0]  # once, at the top


def test_parquet_carries_the_mark_and_survives_object_attrs(sandbox_frame, tmp_path):
    path = tmp_path / "calcul.parquet"
    assert isinstance(sandbox_frame.attrs["targeting"], Targeting)  # not JSON-serialisable
    write_frame(sandbox_frame, path)
    back = pd.read_parquet(path)
    assert back["synthetic"].tolist() == [True, True]
    assert back["source"].tolist() == ["sandbox", "sandbox"]
    assert back["volume"].tolist() == sandbox_frame["volume"].tolist()
    assert sandbox_frame.attrs["targeting"] == T  # the caller's frame is untouched


def test_a_real_api_export_carries_source_and_fetch_time(tmp_path):
    df = api_frame()
    write_frame(df, tmp_path / "a.csv")
    back = pd.read_csv(tmp_path / "a.csv")
    assert back["synthetic"].tolist() == [False, False]
    assert set(back["source"]) == {"api"}
    assert set(back["fetched_at"]) == {"2026-11-02T09:30:00+00:00"}
    write_frame(df, tmp_path / "a.parquet")
    assert set(pd.read_parquet(tmp_path / "a.parquet")["fetched_at"]) == {
        "2026-11-02T09:30:00+00:00"
    }
    buf = io.StringIO()
    write_frame(df, buf, "json")
    doc = json.loads(buf.getvalue())
    assert (doc["synthetic"], doc["source"], doc["fetched_at"]) == (
        False,
        "api",
        "2026-11-02T09:30:00+00:00",
    )


def test_missing_fetch_time_is_tolerated():
    df = pd.DataFrame({"volume": [1]})
    df.attrs.update(synthetic=True, source="sandbox")
    assert provenance(df) == {"synthetic": True, "source": "sandbox", "fetched_at": None}
    assert provenance(pd.DataFrame()) == {"synthetic": False, "source": None, "fetched_at": None}


def test_a_row_already_marked_synthetic_stays_marked():
    # categories frames mark invented names per row; the export must not unmark them.
    df = pd.DataFrame({"id": [14, 99], "synthetic": [False, True]})
    df.attrs.update(synthetic=False, source="api")
    assert marked_frame(df)["synthetic"].tolist() == [False, True]


def test_parquet_to_a_binary_stream():
    df = api_frame()
    buf = io.BytesIO()
    write_frame(df, buf, "parquet")
    buf.seek(0)
    assert pd.read_parquet(buf)["source"].tolist() == ["api", "api"]


def test_formats_are_checked():
    with pytest.raises(ValueError, match="format: 'xlsx' is not allowed; allowed: csv"):
        write_frame(api_frame(), io.StringIO(), "xlsx")
    with pytest.raises(ValueError, match="format: required"):
        write_frame(api_frame(), io.StringIO())
    assert [format_of(p) for p in ("a.csv", "a.JSON", "a.pq", "a.parquet", "a")] == [
        "csv",
        "json",
        "parquet",
        "parquet",
        "csv",
    ]


def test_a_failed_write_leaves_the_previous_file(tmp_path):
    path = tmp_path / "s.parquet"
    path.write_text("previous")
    bad = pd.DataFrame({"x": [object()]})  # pyarrow cannot store an arbitrary object
    with pytest.raises((ValueError, TypeError)):  # pyarrow's ArrowInvalid / ArrowTypeError
        write_frame(bad, path)
    assert path.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["s.parquet"]
