"""sweeps.py against the sandbox: order, batching, cache, failures, faults."""

from __future__ import annotations

import pandas as pd
import pytest

from smsp_analytics import refdata
from smsp_analytics.analysis.sweeps import CHUNK, sweep
from smsp_analytics.errors import SweepError, TargetingError
from smsp_analytics.targeting import Targeting

BASE = Targeting(interest=14, departments=["60", "02"])
BY = {"gender": ["f", "h"], "age": [(18, 24), "25-34"]}


def test_rows_follow_by_order_then_locality_and_match_calcul(admin, client):
    df = sweep(BASE, BY, client=client, progress=False)
    assert df[["gender", "age", "locality"]].astype(str).values.tolist() == [
        [g, a, loc] for g in ("f", "h") for a in ("18-24", "25-34") for loc in ("60", "02")
    ]
    assert list(df.columns[:4]) == ["gender", "age", "age_min", "age_max"]
    assert admin.stats()["calcul"] == 4  # one call per combination, geography batched
    one = client.calcul(Targeting(gender="h", age=(25, 34), interest=14, departments=["60", "02"]))
    got = df[(df["gender"] == "h") & (df["age"] == "25-34")].reset_index(drop=True)
    # The same values; the sweep's labels are categoricals (compact at zip-code scale).
    assert str(got["locality"].dtype) == "category"
    pd.testing.assert_frame_equal(got[one.columns].astype(one.dtypes.to_dict()), one)
    assert df.attrs["synthetic"] and df.attrs["calls"] == 4


def test_all_departments_by_default_and_warm_rerun_is_free(admin, client):
    df = sweep(Targeting(interest=14), {"category": [102, 103]}, client=client, progress=False)
    assert len(df) == 2 * 101 and df["locality"].tolist()[:101] == list(refdata.department_codes())
    calls = admin.stats()["calcul"]
    again = sweep(Targeting(interest=14), {"category": [102, 103]}, client=client, progress=False)
    assert admin.stats()["calcul"] == calls
    pd.testing.assert_frame_equal(df, again)


def test_zipcodes_are_chunked(admin, client):
    zips = sorted(refdata.zipcode_set())[: CHUNK + 20]
    df = sweep(
        Targeting(interest=14, zipcodes=zips),
        {"gender": ["f"]},
        geo="zipcodes",
        client=client,
        progress=False,
    )
    assert admin.stats()["calcul"] == 2 and df["locality"].tolist() == zips
    assert (df["locality_type"] == "zipcode").all()


def test_zipcodes_of_the_targeted_departments(client):
    table = refdata.zipcodes()
    expected = set(table.index[table["department"].isin(["60", "75"])])
    df = sweep(
        Targeting(interest=14, departments=["60", "75"]),
        geo="zipcodes",
        client=client,
        progress=False,
    )
    assert set(df["locality"]) == expected and set(df["department"]) == {"60", "75"}


def test_no_geography_one_france_row_per_combination(client):
    df = sweep(BASE, {"gender": ["f", "h", "m"]}, geo=None, client=client, progress=False)
    # geo=None keeps the targeting's own geography
    assert len(df) == 6
    france = sweep(
        Targeting(interest=14), {"gender": ["f", "h"]}, geo=None, client=client, progress=False
    )
    assert france["locality"].tolist() == ["FR", "FR"]


def test_failures_are_raised_at_the_end_with_partial_frame(client):
    with pytest.raises(SweepError) as info:
        sweep(BASE, {"interest": [14, 999, 12]}, client=client, progress=False)
    err = info.value
    assert [c for c, _ in err.failures] == [{"interest": 999}]
    assert err.failures[0][1].code == 61 and "interest=999" in str(err)
    assert err.frame["interest"].tolist() == [14, 14, 12, 12]


def test_bad_by_field_is_refused(client):
    with pytest.raises(ValueError, match="not sweepable"):
        sweep(BASE, {"colour": ["red"]}, client=client, progress=False)
    with pytest.raises(ValueError):
        sweep(BASE, {"gender": ["x"]}, client=client, progress=False)


def test_progress_bar_is_shown(client, capsys):
    sweep(BASE, {"gender": ["f"]}, client=client, progress=True)
    assert "sweep" in capsys.readouterr().err


def test_thirty_percent_faults_give_the_fault_free_frame(admin, make_client):
    by = {"gender": ["f", "h", "m"], "age": [(18, 24), (25, 34), (35, 49)], "interest": [14, 12]}
    clean = sweep(Targeting(interest=14), by, client=make_client(cache=False), progress=False)
    for i, (kind, p) in enumerate(
        [
            ("server_error", 0.1),
            ("reset", 0.06),
            ("truncate", 0.05),
            ("malformed", 0.05),
            ("rate_limit", 0.06),
        ]
    ):
        admin.fault(kind=kind, op="calcul", probability=p, seed=i, retry_after=0)
    faulty_client = make_client(cache=False, retries=8)
    faulty = sweep(Targeting(interest=14), by, client=faulty_client, progress=False)
    pd.testing.assert_frame_equal(clean, faulty)
    import requests

    fired = sum(r["fired"] for r in requests.get(admin.url + "faults").json()["rules"])
    assert fired >= 5  # faults really happened on the 18 calls


@pytest.mark.parametrize(
    "by",
    [
        {"age": [25]},
        {"age": ["a-b"]},
        {"age": [(25.5, 30)]},
        {"interest": 14},
        {"gender": "mf"},
        {"category": ["CSP"]},
    ],
)
def test_odd_by_values_fail_before_any_call_naming_the_field(client, by):
    # {"gender": "mf"} used to sweep "m" and "f"; (25.5, 30) was truncated to 25-30.
    before = client.calls
    with pytest.raises(TargetingError) as err:
        sweep(Targeting(interest=14, departments=["60"]), by=by, client=client, progress=False)
    assert err.value.field == next(iter(by)) and client.calls == before


def test_swept_columns_hold_normalised_values(client):
    # "CSP+" reached the Int64 column raw and failed after the calls.
    df = sweep(
        Targeting(interest=14, departments=["60"]),
        by={"gender": ["women"], "category": ["CSP+"], "age": ["25-34"]},
        client=client,
        progress=False,
    )
    assert df["gender"].tolist() == ["f"] and df["category"].tolist() == [102]
    assert df["age"].tolist() == ["25-34"] and df.attrs["by"]["age"] == [(25, 34)]


def test_package_sweep_is_the_function_whatever_the_import_order():
    # The function and its module used to share the name ``sweep``: importing the module
    # first rebound ``smsp_analytics.sweep`` to the module. The module is ``sweeps`` now.
    import subprocess
    import sys

    code = (
        "import smsp_analytics.analysis.sweeps\nfrom smsp_analytics import sweep\n"
        "import inspect; assert inspect.isfunction(sweep), type(sweep)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_errors_keep_returns_the_partial_frame_with_failures(client):
    df = sweep(BASE, {"interest": [14, 999, 12]}, client=client, progress=False, errors="keep")
    assert df["interest"].tolist() == [14, 14, 12, 12]
    failures = df.attrs["failures"]
    assert [f["interest"] for f in failures] == [999]
    assert "client.categories()" in failures[0]["error"]  # code 61 in English
    with pytest.raises(ValueError, match="errors"):
        sweep(BASE, {"interest": [14]}, client=client, progress=False, errors="ignore")


def test_sweep_provenance_attrs(client):
    cold = sweep(BASE, BY, client=client, progress=False)
    warm = sweep(BASE, BY, client=client, progress=False)
    assert cold.attrs["from_cache"] is False and warm.attrs["from_cache"] is True
    for df in (cold, warm):
        assert df.attrs["source"] == "sandbox" and df.attrs["synthetic"] is True
        assert pd.Timestamp(df.attrs["fetched_at"]).tzname() == "UTC"
        assert pd.Timestamp(df.attrs["as_of"]).tzname() == "UTC"
    # as_of is the server's clock (the sandbox's date), fetched_at the local one
    assert cold.attrs["as_of"][:10] == client.transport.sandbox.date
