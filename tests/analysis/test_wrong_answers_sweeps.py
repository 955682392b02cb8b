"""Issue 14, wrong answers of ``sweep``, over real HTTP against the session sandbox: answers
of several sandbox dates under one ``as_of``, and a targeting given as a dict."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pytest
import requests

from smsp_analytics.analysis.sweeps import sweep
from smsp_analytics.errors import SweepError, TargetingError
from smsp_analytics.targeting import Targeting

BASE = Targeting(interest=14, departments=["60", "02"])
BY = {"gender": ["f", "h"], "age": [(18, 24), (25, 34), (35, 44)]}  # six calls


def _set_clock(admin: Any, day: str) -> None:
    requests.post(admin.url + "clock", json={"date": day}, timeout=10).raise_for_status()


@pytest.fixture()
def clock_admin(admin: Any) -> Iterator[Any]:
    """``admin``, with the sandbox's clock (and faults) put back after the test."""
    try:
        yield admin
    finally:
        admin.reset()


def _mover(
    admin: Any, plan: Callable[[int], str | None]
) -> tuple[threading.Thread, threading.Event]:
    """A thread that watches the sandbox's calcul count and sets the clock to ``plan(n)``
    each time the count reaches a new ``n`` (None: leave it). While a request waits in
    the sandbox's delay fault, its successor cannot start: the move lands between them."""
    stop = threading.Event()

    def watch() -> None:
        seen = 0
        while not stop.wait(0.005):
            n = admin.stats().get("calcul", 0)
            if n != seen:
                seen = n
                day = plan(n)
                if day is not None:
                    _set_clock(admin, day)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread, stop


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.attrs = {}
    return out


def test_a_clock_move_during_a_sweep_never_mixes_two_dates(clock_admin, make_client):
    clock_admin.fault(kind="delay", op="calcul", delay=0.4)
    client = make_client()
    moved: list[int] = []

    def plan(n: int) -> str | None:
        if n >= 2 and not moved:  # once, while the second call waits in the sandbox
            moved.append(n)
            return "2036-01-15"
        return None

    thread, stop = _mover(clock_admin, plan)
    try:
        df = sweep(BASE, BY, client=client, max_workers=1, progress=False)
    finally:
        stop.set()
        thread.join()
    assert moved, "the clock was never moved: the sweep did not reach its second call"
    clock_admin.clear_faults()
    with make_client(cache=False) as fresh:  # the same sweep, all on the new date
        ref = sweep(BASE, BY, client=fresh, max_workers=1, progress=False)
    assert ref.attrs["as_of"][:10] == "2036-01-15"
    assert df.attrs["as_of"] == ref.attrs["as_of"]
    pd.testing.assert_frame_equal(_plain(df), _plain(ref))


def test_a_clock_that_keeps_moving_makes_the_sweep_fail_loudly(clock_admin, make_client):
    clock_admin.fault(kind="delay", op="calcul", delay=0.3)
    client = make_client()
    start = dt.date(2030, 1, 1)
    # A new date on every call: no two answers of the sweep can ever agree.
    thread, stop = _mover(clock_admin, lambda n: (start + dt.timedelta(days=n)).isoformat())
    try:
        with pytest.raises(SweepError, match="date moved") as info:
            sweep(BASE, {"gender": ["f", "h"]}, client=client, max_workers=1, progress=False)
        kept = sweep(
            BASE,
            {"age": [(18, 24), (25, 34)]},
            client=client,
            max_workers=1,
            progress=False,
            errors="keep",
        )
    finally:
        stop.set()
        thread.join()
    assert info.value.failures and all("date moved" in str(e) for _, e in info.value.failures)
    # What is kept is of one date, and as_of says which.
    failed = kept.attrs["failures"]
    assert len(failed) == 1 and "date moved" in failed[0]["error"]
    assert kept["age"].astype(str).nunique() == 1


def test_a_targeting_dict_is_read_like_client_calcul_reads_it(admin, client):
    params = {"sexe": "m", "minAge": 18, "maxAge": 98, "interest": 14, "department": "60,02"}
    by_dict = sweep(params, {"gender": ["f", "h"]}, client=client, progress=False)
    by_obj = sweep(BASE, {"gender": ["f", "h"]}, client=client, progress=False)
    pd.testing.assert_frame_equal(_plain(by_dict), _plain(by_obj))
    assert by_dict.attrs["targeting"] == BASE
    one = client.calcul(params)
    assert one["locality"].tolist() == ["60", "02"]


@pytest.mark.parametrize("bad", [None, "interest=14", 14, ["60"], object()])
def test_a_targeting_of_another_type_is_refused_by_name_before_any_call(admin, client, bad):
    with pytest.raises(TargetingError, match=r"^targeting: .*allowed: a Targeting") as info:
        sweep(bad, {"gender": ["f", "h"]}, client=client, progress=False)
    assert "replace()" not in str(info.value)
    assert admin.stats().get("calcul", 0) == 0


def test_a_targeting_dict_with_a_bad_value_names_the_field(admin, client):
    with pytest.raises(TargetingError, match="sexe"):
        sweep({"sexe": "x", "interest": 14}, {"age": [(18, 24)]}, client=client, progress=False)
    assert admin.stats().get("calcul", 0) == 0
