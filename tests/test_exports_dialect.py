"""CSV dialects: machine-readable by default, French Excel's with ``dialect="fr"``."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from smsp_analytics.exports import DIALECTS, check_dialect, write_frame
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])


@pytest.fixture()
def priced(client) -> pd.DataFrame:
    df = client.price(T)
    assert df.attrs["synthetic"] is True and (df["cost_eur"] % 1 != 0).any()
    return df


def test_default_csv_is_comma_dot_utf8(priced, tmp_path):
    path = tmp_path / "price.csv"
    write_frame(priced, path)
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM: programs read it as they always did
    back = pd.read_csv(path, dtype={"locality": str, "department": str})
    assert back["cost_eur"].tolist() == pytest.approx(priced["cost_eur"].tolist())
    assert back["synthetic"].tolist() == [True] * len(priced)
    assert raw.decode("utf-8").splitlines()[0].count(",") >= 4


def test_fr_csv_is_semicolon_decimal_comma_with_bom(priced, tmp_path):
    path = tmp_path / "price.csv"
    write_frame(priced, path, dialect="fr")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # French Excel reads UTF-8 only with the BOM
    text = raw.decode("utf-8-sig")
    header, *lines = text.splitlines()
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert header.split(";")[-3:] == ["synthetic", "source", "fetched_at"]
    assert {r["synthetic"] for r in rows} == {"True"}  # the mark, as in the default dialect
    assert {r["source"] for r in rows} == {"sandbox"}
    cost = priced["cost_eur"].iloc[0]
    assert rows[0]["cost_eur"] == repr(float(cost)).replace(".", ",")
    assert "." not in rows[0]["cost_eur"] and "," not in header
    # and it reads back with the same numbers
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"locality": str})
    assert back["cost_eur"].tolist() == pytest.approx(priced["cost_eur"].tolist())
    assert back["locality"].tolist() == priced["locality"].astype(str).tolist()


def test_fr_csv_to_a_stream_and_text_with_separators():
    df = pd.DataFrame(
        {"name": ["Travaux; bricolage", "Mode, beauté"], "unit_cost_eur": [0.045, 0.09]}
    )
    df.attrs["synthetic"] = True
    buf = io.StringIO()
    write_frame(df, buf, "csv", dialect="fr")
    text = buf.getvalue()
    assert text.startswith("\ufeffname;unit_cost_eur;synthetic")
    assert '"Travaux; bricolage";0,045;True' in text
    assert "Mode, beauté;0,09;True" in text


def test_dialect_does_not_change_json_or_parquet(tmp_path):
    df = pd.DataFrame({"cost_eur": [1.5]})
    write_frame(df, tmp_path / "a.json", dialect="fr")
    write_frame(df, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_unknown_dialect_is_refused_before_writing(tmp_path):
    assert DIALECTS == ("default", "fr")
    with pytest.raises(ValueError, match=r"dialect: 'excel' is not allowed; allowed: default, fr"):
        write_frame(pd.DataFrame({"a": [1]}), tmp_path / "x.csv", dialect="excel")
    assert not list(tmp_path.iterdir())
    assert check_dialect("default") == "default"
