"""Arguments are checked when the client is made (errors name the argument), and no frame
that can end up in a traceback holds the key (``capture_locals=True``)."""

from __future__ import annotations

import traceback

import pytest

from smsp_analytics.analysis.budget import plan_budget
from smsp_analytics.analysis.sweeps import sweep
from smsp_analytics.client.facade import Client
from smsp_analytics.errors import SmsPartnerError
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])
URL = "http://127.0.0.1:9/v1/"


@pytest.mark.parametrize(
    "kwargs,name",
    [
        (dict(api_key=123), "api_key"),
        (dict(api_key=b"bytes"), "api_key"),
        (dict(base_url=5), "base_url"),
        (dict(base_url="ftp://x/v1/"), "base_url"),
        (dict(retries=-1), "retries"),
        (dict(retries=2.5), "retries"),
        (dict(retries=True), "retries"),
        (dict(backoff_factor=-1), "backoff_factor"),
        (dict(backoff_factor=float("nan")), "backoff_factor"),
        (dict(timeout=0), "timeout"),
        (dict(timeout=(1, 2, 3)), "timeout"),
        (dict(timeout=float("inf")), "timeout"),
        (dict(deadline=0), "deadline"),
        (dict(deadline="60"), "deadline"),
        (dict(retry_after_max=-3), "retry_after_max"),
        (dict(cache="/proc/nope/cache.sqlite"), "cache"),
        (dict(cache=42), "cache"),
        (dict(journal="/proc/nope/journal.sqlite"), "journal"),
    ],
)
def test_construction_errors_name_the_argument(kwargs, name):
    kwargs = {"api_key": "k", "base_url": URL, "cache": False, **kwargs}
    with pytest.raises((TypeError, ValueError), match=name) as info:
        Client(**kwargs)
    assert "sk_" not in str(info.value)


@pytest.mark.parametrize("budget", [True, float("nan"), float("inf"), 1e308, -1, 0, "100"])
def test_absurd_budgets_are_refused_before_any_call(budget):
    with pytest.raises(ValueError, match="budget_eur"):
        plan_budget(T, budget, client=Client("k", base_url=URL, cache=False))


@pytest.mark.parametrize("workers", [0, -1, 2.5, True])
def test_sweep_workers_checked(workers):
    with pytest.raises(ValueError, match="max_workers"):
        sweep(
            T,
            by={"gender": ["f", "h"]},
            max_workers=workers,
            client=Client("k", base_url=URL, cache=False),
        )


SECRET = "sk_live_LOCALS_9c1e77"
KEY = "sk_test_NEVER_SHOW_4242"  # the session sandbox's key (tests/conftest.py)


def _locals_text(exc: BaseException) -> str:
    return "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())


def test_no_key_in_frame_locals_of_any_failure(admin, sbx, make_client, tmp_path):
    failures: list[BaseException] = []

    def collect(call):
        try:
            call()
        except (SmsPartnerError, ValueError, TypeError, OSError) as exc:
            failures.append(exc)
        else:
            raise AssertionError(f"expected a failure after {[repr(f) for f in failures]}")

    c = make_client(retries=1, timeout=(1, 0.4), deadline=2)
    r = c.rent(T, {"60": 2}, confirm=True, again=True)
    collect(lambda: make_client(api_key="wrong").credits())  # code 10
    collect(lambda: c.status("nope"))  # code 32
    collect(lambda: c.calcul({"sexe": "x", "interest": 14}))  # before any call
    collect(lambda: c.price(T, {"60": 10**7}))  # code 27
    admin.fault(kind="reset", op="me", count=2)
    collect(lambda: c.credits())  # resets, retried
    admin.fault(kind="delay", op="calcul", delay=1)
    collect(lambda: make_client(cache=False, retries=0, timeout=(1, 0.3)).calcul(T))
    admin.fault(kind="malformed", op="categories")
    collect(lambda: make_client(cache=False).categories())  # malformed body
    admin.fault(kind="rate_limit", op="status", retry_after=3600)
    collect(lambda: c.status(r.token))  # Retry-After cap
    admin.fault(kind="server_error", status=503, op="rent", count=1)
    collect(lambda: c.rent(T, {"02": 1}, confirm=True))  # outcome unknown
    admin.clear_faults()
    collect(lambda: c.rent(T, {"02": 1}, confirm=True))  # journal blocks
    collect(lambda: c.download(r.token, "/proc/nope/x.csv"))  # bad destination
    collect(lambda: make_client(retries=-1))  # construction
    collect(lambda: make_client(journal="/proc/nope/j.sqlite"))
    with Client(SECRET, base_url=URL, cache=False, retries=1, deadline=1) as dead:
        collect(lambda: dead.calcul(T))  # unreachable host
        collect(lambda: dead.rent(T, {"60": 1}, confirm=True))
    assert len(failures) == 15, [repr(f) for f in failures]
    for exc in failures:
        text = _locals_text(exc)
        assert KEY not in text and SECRET not in text, text[-2000:]
