"""commands.py: the smsp subcommands, run in-process against the session sandbox."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from smsp_analytics.cli.commands import main
from smsp_analytics.targeting import Targeting


def rows_of(out: str) -> list[dict]:
    """The rows of a --format json output (a document carrying its provenance)."""
    doc = json.loads(out)
    assert set(doc) == {"synthetic", "source", "fetched_at", "rows"}
    return doc["rows"]


ARGS = ["--gender", "f", "--age", "25-35", "--interest", "14", "--departments", "60,02"]


@pytest.fixture()
def env(cli_env):
    return cli_env


def test_calcul_formats(env, capsys):
    assert main(["calcul", *ARGS, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["synthetic"] is True and doc["source"] == "sandbox" and doc["fetched_at"]
    rows = doc["rows"]
    assert [r["locality"] for r in rows] == ["60", "02"] and "total:" in err
    assert main(["calcul", *ARGS, "--format", "csv", "--xml"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "locality_type,locality,department,volume,unit_cost_eur,"
        "cost_eur,synthetic,source,fetched_at"
    )
    assert all(line.split(",")[6] == "True" for line in out.splitlines()[1:])
    assert main(["calcul", *ARGS]) == 0
    table = capsys.readouterr().out
    assert "department" in table
    # On screen, euros keep their cents and unit prices their three decimals.
    first = table.splitlines()[1].split()
    assert first[-2] == f"€{rows[0]['unit_cost_eur']:.3f}"
    assert first[-1] == f"€{rows[0]['cost_eur']:.2f}"


def test_price_with_volumes(env, capsys):
    assert main(["price", *ARGS, "--volumes", "60=100,02=50", "--format", "json"]) == 0
    rows = rows_of(capsys.readouterr().out)
    assert [(r["locality"], r["volume"], r["cost_eur"]) for r in rows] == [
        ("60", 100, 9.0),
        ("02", 50, 4.5),
    ]


def test_price_of_all_volumes_is_the_default(env, capsys):
    # `--volumes all` (what rent takes for every available contact) prices them all too.
    assert main(["price", *ARGS, "--format", "json"]) == 0
    default = rows_of(capsys.readouterr().out)
    assert main(["price", *ARGS, "--volumes", "all", "--format", "json"]) == 0
    assert rows_of(capsys.readouterr().out) == default and len(default) == 2


@pytest.mark.parametrize(
    "argv,field",
    [
        (["calcul", "--gender", "x", "--interest", "14"], "gender"),
        (["calcul", "--age", "25", "--interest", "14"], "age"),
        (["calcul", "--interest", "abc"], "interest"),
        (["calcul", "--interest", "14", "--departments", "99"], "departments"),
        (["price", *ARGS, "--volumes", "60:100"], "volumes"),
        (["sweep", *ARGS, "--by", "colour=red"], "colour"),
        (["calcul", "--format", "xlsx", "--interest", "14"], "--format"),
        (["nope"], "nope"),
    ],
)
def test_bad_input_one_line_exit_2(env, capsys, argv, field):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and field in err
    assert "calcul" not in env.stats()


def test_api_error_exit_1(env, capsys):
    assert main(["status", "0" * 32]) == 1
    assert "code 32" in capsys.readouterr().err


def test_rent_asks_typed_consent(env, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert main(["rent", *ARGS, "--volumes", "60=10"]) == 1
    err = capsys.readouterr().err
    assert "0.90" in err and "nothing rented" in err and "rent" not in env.stats()
    monkeypatch.setattr("sys.stdin", io.StringIO("0.90\n"))
    assert main(["rent", *ARGS, "--volumes", "60=10", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    token = rows_of(out)[0]["token"]
    assert env.stats()["rent"] == 1 and token in err
    assert main(["rent", *ARGS, "--volumes", "60=10"]) == 1  # duplicate within 24 h
    assert "24 hours" in capsys.readouterr().err
    assert main(["rent", *ARGS, "--volumes", "02=1", "--yes"]) == 0
    capsys.readouterr()
    assert main(["status", token, "--format", "json"]) == 0
    assert rows_of(capsys.readouterr().out)[0]["status_code"] == 2


def test_download_credits_categories(env, capsys, tmp_path, monkeypatch):
    assert main(["rent", *ARGS, "--volumes", "60=3", "--yes", "--format", "json"]) == 0
    token = rows_of(capsys.readouterr().out)[0]["token"]
    out_file = tmp_path / "n.csv"
    assert main(["download", token, "--out", str(out_file), "--format", "csv"]) == 0
    assert len(out_file.read_text().splitlines()) == 4
    capsys.readouterr()
    assert main(["credits", "--format", "json"]) == 0
    assert rows_of(capsys.readouterr().out)[0]["balance_eur"] == pytest.approx(999.73)
    assert main(["categories", "--format", "csv"]) == 0
    assert "Habitation" in capsys.readouterr().out


def test_sweep_to_csv(env, capsys, tmp_path):
    out = tmp_path / "s.csv"
    assert (
        main(
            [
                "sweep",
                "--interest",
                "14",
                "--by",
                "gender=f,h",
                "--by",
                "age=18-24,25-34",
                "--geo",
                "departments",
                "--out",
                str(out),
                "--no-progress",
            ]
        )
        == 0
    )
    df = pd.read_csv(out, dtype=str)
    assert len(df) == 4 * 101 and env.stats()["calcul"] == 4


def test_without_key_uses_sandbox_and_says_so(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert main(["credits", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert "sandbox" in err and rows_of(out)[0]["balance_eur"] == 1000


def test_without_key_rentals_survive_between_commands(monkeypatch, capsys, tmp_path):
    # Each `smsp` command starts its own sandbox: rent, status and download are three
    # processes for a user, so the sandbox state must outlive each of them.
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["rent", *ARGS, "--volumes", "60=5", "--yes", "--format", "json"]) == 0
    token = rows_of(capsys.readouterr().out)[0]["token"]
    # The 24-hour guard spans commands too: the same rental again is refused.
    assert main(["rent", *ARGS, "--volumes", "60=5", "--yes"]) == 1
    assert "24 hours" in capsys.readouterr().err
    assert main(["status", token, "--format", "json"]) == 0
    assert rows_of(capsys.readouterr().out)[0]["status_code"] == 2
    out_file = tmp_path / "numbers.csv"
    assert main(["download", token, "--out", str(out_file), "--format", "csv"]) == 0
    assert len(out_file.read_text().splitlines()) == 1 + 5
    out, err = capsys.readouterr()
    assert out == "" and "wrote 5 numbers" in err  # to the file, not the screen
    # Once only: the next process sees status 5, or reads the copy kept by the first one.
    monkeypatch.chdir(tmp_path)
    assert main(["download", token]) == 0
    again = tmp_path / f"rental-{token}.csv"  # the default name, in the current folder
    assert again.read_text() == out_file.read_text()
    assert f"wrote 5 numbers to {again.name}" in capsys.readouterr().err
    assert main(["credits", "--format", "json"]) == 0
    assert rows_of(capsys.readouterr().out)[0]["balance_eur"] == pytest.approx(1000 - 5 * 0.09)


@pytest.mark.parametrize(
    "by,needle",
    [
        ("colour=red", "gender, age"),
        ("age=30-20", "minAge <= maxAge"),
        ("age=25.5-30", "age"),
        ("gender=x", "gender"),
    ],
)
def test_bad_sweep_by_fails_before_the_sandbox_starts(monkeypatch, capsys, tmp_path, by, needle):
    # --by values were checked only inside sweep(), after the sandbox had been started
    # (and announced); an unknown field was reported as "allowed: an integer".
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert main(["sweep", "--interest", "14", "--by", by, "--no-progress"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and needle in err
    assert "sandbox" not in err


def test_large_totals_print_as_whole_counts(env, capsys):
    assert main(["calcul", "--interest", "14"]) == 0  # France as a whole: millions
    err = capsys.readouterr().err
    total = err.split("total: ")[1].split(" contacts")[0]
    assert "e+" not in total and int(total.replace(",", "")) > 1_000_000


def test_rent_messages_speak_in_flags(env, capsys):
    assert main(["rent", *ARGS, "--volumes", "60=10", "--yes", "--max-cost", "0.5"]) == 1
    err = capsys.readouterr().err
    assert "--max-cost" in err and "max_cost_eur" not in err and "rent" not in env.stats()
    assert main(["rent", *ARGS, "--volumes", "60=10", "--yes"]) == 0
    capsys.readouterr()
    assert main(["rent", *ARGS, "--volumes", "60=10", "--yes"]) == 1  # within 24 hours
    err = capsys.readouterr().err
    assert "--again" in err and "again=True" not in err and "confirm=True" not in err
    assert len(err.strip().splitlines()) == 1


def test_gender_is_spelled_out(env, capsys, monkeypatch):
    # The vendor's "m" is mixed: never shown as a bare "m" (or read as "men").
    assert main(["calcul", "--interest", "14", "--departments", "60"]) == 0
    out, err = capsys.readouterr()
    assert "targeting: men and women, 18-98, interest 14, department 60" in err
    assert (
        main(
            [
                "sweep",
                "--interest",
                "14",
                "--departments",
                "60",
                "--by",
                "gender=all,h,f",
                "--no-progress",
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    genders = [line.split(" department")[0].strip() for line in out.splitlines()[1:]]
    assert genders == ["men and women", "men", "women"]
    # Files too: whoever opens them reads the words, and Targeting accepts them back.
    assert (
        main(
            [
                "sweep",
                "--interest",
                "14",
                "--departments",
                "60",
                "--by",
                "gender=m,h",
                "--no-progress",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert df["gender"].tolist() == ["men and women", "men"]
    assert Targeting(gender=df["gender"][0], interest=14).gender == "m"
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert main(["rent", *ARGS, "--volumes", "60=1"]) == 1  # declined
    assert (
        "Quote: 1 contacts (women, 25-35, interest 14, departments 60, 02)"
        in capsys.readouterr().err
    )


def test_overlapping_departments_and_zipcodes_are_refused(env, capsys):
    assert (
        main(["calcul", "--interest", "14", "--departments", "60,02", "--zipcodes", "80000,60200"])
        == 2
    )
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "zipcodes" in err and "60200 is in department 60" in err
    assert "calcul" not in env.stats()


@pytest.mark.parametrize("suffix", ["csv", "json", "parquet"])
def test_sweep_out_writes_what_succeeded_and_reports_the_failures(env, capsys, tmp_path, suffix):
    # Sub-interest 999 is a valid integer, so only the API can refuse it (code 61).
    out = tmp_path / f"s.{suffix}"
    assert (
        main(
            [
                "sweep",
                "--interest",
                "14",
                "--departments",
                "60,02",
                "--by",
                "sub_interest=35,999",
                "--out",
                str(out),
                "--no-progress",
            ]
        )
        == 1
    )
    stdout, err = capsys.readouterr()
    assert stdout == ""
    assert "failed: sub_interest=999" in err and "code 61" in err
    assert f"1 combination failed; the others were written to {out}" in err
    if suffix == "json":
        import json as _json

        doc = _json.loads(out.read_text())
        assert doc["synthetic"] is True
        df = pd.DataFrame(doc["rows"])
    elif suffix == "csv":
        df = pd.read_csv(out, dtype={"locality": str})
        assert df["synthetic"].all()
    else:
        df = pd.read_parquet(out)
        assert df["synthetic"].all()
    assert df["locality"].tolist() == ["60", "02"] and set(df["sub_interest"]) == {35}


def test_sweep_out_in_a_missing_folder_fails_before_any_call(env, capsys, tmp_path):
    assert (
        main(
            [
                "sweep",
                "--interest",
                "14",
                "--by",
                "gender=f,h",
                "--out",
                str(tmp_path / "nope" / "s.csv"),
                "--no-progress",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "--out" in err and len(err.strip().splitlines()) == 1
    assert "calcul" not in env.stats()


def test_journal_and_reconcile(env, capsys):
    # A rent whose answer is lost (HTTP 503): its outcome is unknown, the journal blocks
    # further rents, and `smsp reconcile` settles it from the balance (unchanged: failed).
    env.fault(kind="server_error", op="rent", status=503, count=1)
    assert main(["rent", *ARGS, "--volumes", "60=4", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "smsp reconcile 1" in err and "smsp journal" in err
    assert "journal_entries()" not in err  # the CLI names its own commands
    assert main(["journal", "--format", "json"]) == 0
    (entry,) = rows_of(capsys.readouterr().out)
    assert (entry["id"], entry["state"]) == (1, "unknown")
    assert main(["journal"]) == 0
    assert "women, 25-35, interest 14, departments 60, 02" in capsys.readouterr().out
    # The server may still be handling it (busy_until: deadline + read timeout later).
    assert main(["reconcile", "1"]) == 1
    assert "journal entry 1: unknown: still possibly in flight" in capsys.readouterr().err
    assert main(["reconcile", "1", "--failed", "--force"]) == 0
    assert "journal entry 1: failed" in capsys.readouterr().err
    assert main(["reconcile", "7"]) == 2
    assert "no journal entry 7" in capsys.readouterr().err
    assert main(["reconcile", "1", "--token", "x" * 32, "--failed"]) == 2
    assert "exclude each other" in capsys.readouterr().err
    assert main(["rent", *ARGS, "--volumes", "60=4", "--yes"]) == 0  # unblocked


def test_reconcile_failed_refuses_a_charged_rent_unless_forced(env, capsys):
    # Charged, answer lost: --failed would let an identical second rent through (a double
    # charge), so the balance speaks first; --force is the analyst's explicit override.
    env.fault(kind="reset", op="rent", phase="after", count=1)
    assert main(["rent", *ARGS, "--volumes", "60=4", "--yes"]) == 1
    capsys.readouterr()
    assert main(["reconcile", "1", "--force"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["reconcile", "1", "--failed"]) != 0
    err = capsys.readouterr().err
    assert "charged" in err and "smsp reconcile 1" in err
    assert main(["journal", "--format", "json"]) == 0
    assert rows_of(capsys.readouterr().out)[0]["state"] == "unknown"
    assert main(["reconcile", "1", "--failed", "--force"]) == 0
    assert "journal entry 1: failed" in capsys.readouterr().err


def test_rent_needs_explicit_volumes(env, capsys):
    assert main(["rent", *ARGS, "--yes"]) == 2
    err = capsys.readouterr().err
    assert "--volumes" in err and "all" in err and '"all"' not in err
    assert "price" not in env.stats() and "rent" not in env.stats()
