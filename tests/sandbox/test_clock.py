"""The sandbox's clock over real HTTP: Date header, evolution by month, /_sandbox/clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import requests

from smsp_analytics import refdata
from smsp_analytics.sandbox import Sandbox, audience_model
from smsp_analytics.sandbox.cli import parse_args
from smsp_analytics.sandbox.rules import validate_optin

from .conftest import API_KEY, SEED, SEED_PARAMS, Api

ALL_DEPS = ",".join(refdata.department_codes())
# Not seasonal (Habitation): only the opt-in base moves from month to month.
PLAIN = {"sexe": "m", "minAge": 18, "maxAge": 98, "interest": 14, "department": ALL_DEPS}
GARDEN = {**PLAIN, "interest": 21}
SOME_ZIPS = ",".join(sorted(refdata.zipcode_set())[::400])


@pytest.fixture()
def clocked(api: Api) -> Iterator[Api]:
    """The session sandbox, its clock put back to the reference date afterwards."""
    yield api
    api.admin("POST", "reset").raise_for_status()
    assert api.admin("GET", "info").json()["date"] == "2026-11-01"


def volumes(api: Api, params: dict, op: str = "calcul", **kw) -> list[int]:
    resp = api.optin(op, params, **kw)
    assert resp.status_code == 200, resp.text
    return [row["Volume"] for row in resp.json()["datas"]]


def move(api: Api, day: str) -> dict:
    resp = api.admin("POST", "clock", json={"date": day})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_reference_date_and_headers(api: Api):
    for resp in (
        api.get("me"),
        api.optin("calcul", SEED_PARAMS),
        api.get("location/status", token="0" * 32),
    ):
        assert resp.headers["Date"] == "Sun, 01 Nov 2026 12:00:00 GMT"
        assert resp.headers["X-Sandbox-Seed"] == str(SEED)
        assert resp.headers["X-Sandbox-Date"] == "2026-11-01"
        assert len(resp.raw.headers.getlist("Date")) == 1  # uvicorn's own Date is off
    admin = api.admin("GET", "stats")
    assert admin.headers["Date"] == "Sun, 01 Nov 2026 12:00:00 GMT"
    assert api.admin("GET", "info").json() == {
        "seed": SEED,
        "date": "2026-11-01",
        "instance": api.admin("GET", "info").json()["instance"],
    }


@pytest.mark.parametrize(
    "params",
    [
        PLAIN,
        GARDEN,
        SEED_PARAMS,
        {**PLAIN, "department": None, "zipcode": SOME_ZIPS},
        {**GARDEN, "department": None},
    ],
)
def test_reference_date_gives_the_model_reference_numbers(api: Api, params):
    params = {k: v for k, v in params.items() if v is not None}
    t = validate_optin({"apiKey": "k", "op": "calcul", "parameters": params}, "k")
    rows, total = audience_model(SEED).volumes(t.query(), t.departments, t.zipcodes)
    assert volumes(api, params) == rows + [total]


def test_same_seed_and_date_same_numbers_across_starts():
    runs = []
    for _ in range(2):
        with Sandbox(api_key="k", seed=SEED, date=dt.date(2027, 5, 10), rental_delay=0) as sb:
            api = Api(sb)
            runs.append((volumes(api, PLAIN), volumes(api, GARDEN), sb.info()["instance"]))
            assert sb.date == dt.date(2027, 5, 10) and sb.seed == SEED
    assert runs[0][:2] == runs[1][:2]
    assert runs[0][2] != runs[1][2]  # a new process start is a new instance


def test_other_months_differ_plausibly(clocked: Api):
    ref = volumes(clocked, PLAIN)
    move(clocked, "2026-12-15")
    dec = volumes(clocked, PLAIN)
    assert dec != ref
    ratios = [b / a for a, b in zip(ref[:-1], dec[:-1]) if a >= 1000]
    assert len(ratios) > 90 and all(0.97 <= r <= 1.03 for r in ratios), ratios
    assert len({round(r, 4) for r in ratios}) > 20  # departments move differently
    assert all(isinstance(v, int) and v >= 0 for v in dec)
    assert dec[-1] == sum(dec[:-1])
    move(clocked, "2027-12-01")  # a year on: a few percent, not an explosion
    year = volumes(clocked, PLAIN)
    assert 0.9 < year[-1] / ref[-1] < 1.25


def test_gardening_peaks_in_spring(clocked: Api):
    by_month = {}
    for day in ("2026-11-01", "2027-01-01", "2027-04-01", "2027-07-01"):
        move(clocked, day)
        by_month[day] = volumes(clocked, GARDEN)[-1] / volumes(clocked, PLAIN)[-1]
    assert by_month["2027-04-01"] == max(by_month.values())
    assert by_month["2027-04-01"] > 1.2 * by_month["2026-11-01"]


def test_ops_agree_on_a_date_and_the_price_step(clocked: Api):
    move(clocked, "2027-06-30")
    avail = volumes(clocked, SEED_PARAMS)
    assert volumes(clocked, SEED_PARAMS, "price") == avail
    resp = clocked.optin("price", SEED_PARAMS, {"60200": avail[0] + 1})
    assert resp.json()["code"] == 27  # the date's availability bounds the request
    assert clocked.optin("price", SEED_PARAMS, {"60200": 10}).json()["cost"]["cost_unity"] == 0.09
    move(clocked, "2027-07-01")
    cost = clocked.optin("price", SEED_PARAMS, {"60200": 10}).json()["cost"]
    assert cost == {"quantity": 10, "total": 1.0, "cost_unity": 0.1}


def test_moving_the_clock_leaves_balance_and_rentals_alone(clocked: Api):
    token = clocked.optin("rent", SEED_PARAMS, {"60200": 5}).json()["token"]
    before = clocked.balance(), clocked.get("location/status", token=token).json()["location"]
    move(clocked, "2030-02-01")
    after = clocked.balance(), clocked.get("location/status", token=token).json()["location"]
    assert before == after and before[0] == "999.550"


def test_clock_moves_headers_and_instance(clocked: Api):
    first = clocked.admin("GET", "info").json()
    moved = move(clocked, "2027-03-09")
    assert moved["date"] == "2027-03-09" and moved["instance"] != first["instance"]
    resp = clocked.get("me")
    assert resp.headers["Date"] == "Tue, 09 Mar 2027 12:00:00 GMT"
    assert resp.headers["X-Sandbox-Date"] == "2027-03-09"


@pytest.mark.parametrize(
    "body",
    [
        {"date": "2027-13-01"},
        {"date": "2027-1-1"},
        {"date": 20270101},
        {"date": None},
        {},
        {"date": "2027-01-01T00:00:00"},
        {"date": "2040-01-01"},
        {"date": "2027-01-01", "extra": 1},
        {"date": "２０２７-01-01"},
        b'{"date": "2027-01-01", "date": "2027-02-01"}',
        b"[",
        "2027-01-01",
    ],
)
def test_clock_validation(clocked: Api, body):
    kw = {"data": body} if isinstance(body, bytes) else {"json": body}
    resp = clocked.admin("POST", "clock", **kw)
    assert 400 <= resp.status_code < 500
    assert "date" in resp.json()["error"] or "malformed" in resp.json()["error"]
    assert clocked.admin("GET", "info").json()["date"] == "2026-11-01"  # not moved


def test_python_object_clock():
    with pytest.raises(ValueError, match="date"):
        Sandbox(date="2027-02-30")
    with pytest.raises(ValueError, match="date"):
        Sandbox(date=dt.datetime(2027, 1, 1))
    sb = Sandbox(api_key=API_KEY, rental_delay=0, date="2026-11-01")
    assert sb.date == dt.date(2026, 11, 1)
    with sb:
        assert sb.set_date(dt.date(2027, 8, 1)) == dt.date(2027, 8, 1)
        assert Api(sb).get("me").headers["X-Sandbox-Date"] == "2027-08-01"
        sb.reset()
        assert sb.date == dt.date(2026, 11, 1)  # its starting date


def test_cli_options():
    args = parse_args(["--date", "2027-02-01", "--latency", "80", "--rate-limit", "20"])
    assert (args.date, args.latency, args.rate_limit) == (dt.date(2027, 2, 1), 80.0, 20)
    assert parse_args([]).date is None  # today's, read by the sandbox
    for bad in (["--date", "01/02/2027"], ["--latency", "-1"], ["--rate-limit", "0"]):
        with pytest.raises(SystemExit):
            parse_args(bad)


def test_unknown_paths_carry_the_date(api: Api):
    resp = requests.get(api.sb.url + "nope", timeout=10)
    assert resp.status_code == 404 and resp.headers["Date"].endswith("12:00:00 GMT")


def test_evolution_is_the_same_in_another_process():
    import json
    import subprocess
    import sys

    from smsp_analytics.sandbox.evolution import evolution

    code = (
        "import json; from smsp_analytics.sandbox.evolution import evolution; "
        "print(json.dumps([evolution(s).department_factors(o).tolist() "
        "for s, o in ((7, 7), (7, -5), (8, 7))]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    there = json.loads(out)
    here = [evolution(s).department_factors(o).tolist() for s, o in ((7, 7), (7, -5), (8, 7))]
    assert there == here
    assert here[0] != here[2]  # another seed, other trends


def test_only_the_month_matters(clocked: Api):
    ref = volumes(clocked, GARDEN)
    move(clocked, "2026-11-30")
    assert volumes(clocked, GARDEN) == ref
    assert clocked.get("me").headers["Date"] == "Mon, 30 Nov 2026 12:00:00 GMT"
    move(clocked, "2026-10-31")
    assert volumes(clocked, GARDEN) != ref
