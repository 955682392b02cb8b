"""smsp history and smsp drift over a real SQLite store filled with real sandbox answers taken
at two sandbox dates."""

from __future__ import annotations

import csv
import io
import json

import pytest

from smsp_analytics.cli.main import main
from smsp_analytics.history import QuoteHistory, key_hash
from smsp_analytics.targeting import Targeting

T = Targeting(gender="women", age=(25, 35), interest=14, departments=["60", "02", "57"])


@pytest.fixture()
def store(monkeypatch, sbx, make_client, tmp_path, admin):
    """Two calcul quotes (2026-09-01 without Moselle, 2026-11-01 with it) and one price
    quote; SMSP_HISTORY_URL points at them only once filled (a client that records its own
    answers writes to the isolated user data dir meanwhile)."""
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("SMSP_HISTORY_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    history = QuoteHistory.open(url)
    frames = {}
    try:
        for day in ("2026-09-01", "2026-11-01"):
            sbx.set_date(day)
            client = make_client(cache=False)
            frames[day] = client.calcul(T)
            # The September answer is recorded without Moselle: a locality on one side only.
            df = frames[day] if day == "2026-11-01" else frames[day].iloc[:2]
            history.record(
                df,
                op="calcul",
                targeting_params=T,
                volumes=None,
                key_hash=key_hash(sbx.api_key),
                source="sandbox:seed=0",
            )
        price = client.price(T, {"60": 100})
        history.record(
            price,
            op="price",
            targeting_params=T,
            volumes={"60": 100},
            key_hash=key_hash(sbx.api_key),
            source="sandbox:seed=0",
        )
    finally:
        admin.reset()  # the session sandbox's clock back to its reference date
        history.close()
    monkeypatch.setenv("SMSP_HISTORY_URL", url)
    return frames


def vol(frame, locality):
    return int(frame.set_index("locality").loc[locality, "volume"])


def test_history_table(store, capsys):
    assert main(["history"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 1 + 2 + 3 + 3 + 2  # header, Sept, Nov, price, total, mark
    assert "women, 25-35, interest 14, departments 60, 02, 57" in lines[1]
    assert "57 Moselle" in out and "02 Aisne" in out and "60 Oise" in out
    assert lines[-2].startswith("total: 3 quotes, 8 locality rows")
    assert "h.sqlite" in lines[-2] and lines[-1] == "SYNTHETIC DATA (sandbox)"
    moselle = next(line for line in lines if "57 Moselle" in line).split()
    assert moselle[:2] == ["2026-11-01", "12:00"]
    assert moselle[-3] == f"{vol(store['2026-11-01'], '57'):,}"


def test_history_filters(store, capsys):
    assert main(["history", "--op", "price", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["synthetic"] is True and doc["source"].startswith("quote history sqlite:")
    # A price answer lists every targeted locality, the ones not asked for at 0.
    assert [(r["op"], r["locality"], r["volume"]) for r in doc["rows"]] == [
        ("price", "60", 100),
        ("price", "02", 0),
        ("price", "57", 0),
    ]
    assert doc["rows"][0]["gender"] == "women" and doc["rows"][0]["synthetic"] is True
    # Each row keeps its own quote's source and fetch time (not the export's).
    assert doc["rows"][0]["source"] == "sandbox:seed=0"
    assert (
        doc["rows"][0]["fetched_at"].startswith("20")
        and doc["fetched_at"] != doc["rows"][0]["fetched_at"]
    )
    assert main(["history", "--until", "2026-10-01", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["locality"] for r in rows] == ["60", "02"]
    assert {r["as_of"][:10] for r in rows} == {"2026-09-01"}
    assert all(r["synthetic"] == "True" and r["gender"] == "women" for r in rows)
    assert main(["history", "--since", "2026-10-01", "--departments", "57", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["locality"], r["op"]) for r in rows] == [("57", "calcul"), ("57", "price")]
    assert (
        main(["history", "--region", "Hauts-de-France", "--op", "calcul", "--format", "csv"]) == 0
    )  # Oise and Aisne, not Moselle
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sorted(r["locality"] for r in rows) == ["02", "02", "60", "60"]
    assert main(["history", "--gender", "men"]) == 0
    assert capsys.readouterr().out.startswith("no quote recorded in sqlite:")


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["history", "--since", "2026-13-01"], "--since"),
        (["history", "--op", "sweep"], "--op"),
        (["history", "--gender", "x"], "gender"),
        (["history", "--clear", "--op", "calcul"], "--clear"),
        (["drift"], "--since"),
        (["drift", "--since", "2026-11-01", "--until", "2026-10-01"], "until"),
    ],
)
def test_bad_input_exit_2(store, capsys, argv, needle):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and needle in err


def test_clear_asks_and_honours_no(store, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert main(["history", "--clear"]) == 1
    out, err = capsys.readouterr()
    assert "Type yes to clear" in err and "(3 quotes)" in err and "nothing cleared" in err
    assert len(QuoteHistory.open(True).frame()) == 8
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    assert main(["history", "--clear"]) == 0
    assert "cleared: 3 quotes (8 locality rows) removed" in capsys.readouterr().err
    assert len(QuoteHistory.open(True).frame()) == 0
    assert main(["history", "--clear", "--yes"]) == 0  # scripts: no question
    err = capsys.readouterr().err
    assert "Type yes" not in err and "0 quotes" in err


def test_drift_table(store, capsys):
    sept, nov = store["2026-09-01"], store["2026-11-01"]
    assert main(["drift", "--since", "2026-10-01"]) == 0
    out = capsys.readouterr().out
    rows = out.splitlines()
    oise = next(line for line in rows if " 60 Oise " in line).split()
    change = vol(nov, "60") - vol(sept, "60")
    assert oise[oise.index("Oise") + 1 : oise.index("Oise") + 6] == [
        "both",
        f"{vol(sept, '60'):,}",
        f"{vol(nov, '60'):,}",
        f"{change:+,}",
        f"{change * 100 / vol(sept, '60'):+.1f}%",
    ]
    moselle = next(line for line in rows if "57 Moselle" in line)
    assert "after only" in moselle and f"{vol(nov, '57'):,}" in moselle
    assert "women, 25-35" in moselle  # gender in words
    assert "total: 3 localities (2 on both sides)" in out
    assert out.splitlines()[-1] == "SYNTHETIC DATA (sandbox)"


def test_drift_exports_and_nothing_before(store, capsys):
    assert (
        main(["drift", "--since", "2026-10-01", "--departments", "57,60", "--format", "json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["synthetic"] is True
    assert {(r["locality"], r["status"]) for r in doc["rows"]} == {
        ("57", "after only"),
        ("60", "both"),
    }
    assert all(r["synthetic"] for r in doc["rows"])
    assert main(["drift", "--since", "2026-08-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("nothing recorded before 2026-08-01")
    assert out.count("after only") == 3 and "total:" not in out


def test_store_unreachable_exit_1_password_redacted(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("SMSP_HISTORY_URL", "postgresql+psycopg://ana:s3cret@127.0.0.1:1/q")
    for argv in (["history"], ["drift", "--since", "2026-10-01"]):
        assert main(argv) == 1
        out, err = capsys.readouterr()
        assert out == "" and "s3cret" not in err and "ana:***@127.0.0.1:1/q" in err
        assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["history", "drift"])
def test_help_has_description_and_example(capsys, command):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Example:" in out and f"smsp {command} --" in out and "--departments" in out
