"""Cache and memo are scoped to the account: no cross-account hit, no answer from another
sandbox seed or date, a wrong key never answered from the cache."""

from __future__ import annotations

import socket

import pytest
import requests

from smsp_analytics.client.facade import Client
from smsp_analytics.errors import AuthenticationError
from smsp_analytics.sandbox import Sandbox
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])


def test_wrong_key_or_other_account_never_hits_the_cache(tmp_path):
    cache = tmp_path / "shared.sqlite"
    with Sandbox(api_key="acct-A", seed=0, rental_delay=0) as a:
        with Client(
            "acct-A", base_url=a.base_url, cache=cache, memo=False, journal=tmp_path / "j"
        ) as good:
            first = good.calcul(T)
            assert good.calcul(T).attrs["from_cache"] is True
        with Client(
            "wrong-key", base_url=a.base_url, cache=cache, memo=False, journal=tmp_path / "j"
        ) as bad:
            with pytest.raises(AuthenticationError):
                bad.calcul(T)
    # Another account on another sandbox, same cache file.
    with Sandbox(api_key="acct-B", seed=7, rental_delay=0) as b:
        with Client(
            "acct-B", base_url=b.base_url, cache=cache, memo=False, journal=tmp_path / "j"
        ) as other:
            df = other.calcul(T)
            assert df.attrs["from_cache"] is False
            assert df["volume"].tolist() != first["volume"].tolist()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_reseeded_sandbox_on_the_same_port_is_not_answered_stale(tmp_path):
    port, cache = _free_port(), tmp_path / "c.sqlite"
    volumes = []
    for seed in (0, 1):
        with (
            Sandbox(api_key="k", seed=seed, port=port, rental_delay=0) as sb,
            Client("k", base_url=sb.base_url, cache=cache, memo=False, journal=tmp_path / "j") as c,
        ):
            df = c.calcul(T)
            assert df.attrs["from_cache"] is False
            volumes.append(df["volume"].tolist())
    assert volumes[0] != volumes[1]


def test_a_moved_sandbox_clock_drops_cache_and_memo(admin, client):
    first = client.calcul(T)
    assert client.calcul(T).attrs["from_cache"] is True  # memo
    today = client.transport.sandbox.date
    requests.post(admin.url + "clock", json={"date": "2027-03-01"}, timeout=5)
    client.credits()  # any live answer carries the new X-Sandbox-Date
    assert client.transport.sandbox.date == "2027-03-01" != today
    moved = client.calcul(T)
    assert moved.attrs["from_cache"] is False
    assert (
        moved.attrs["as_of"].startswith("2027-03-01")
        and first.attrs["as_of"] != moved.attrs["as_of"]
    )


def test_scope_falls_back_without_an_info_endpoint(tmp_path):
    from fakevendor import KEY, FakeVendor

    with (
        FakeVendor() as fake,
        Client(
            KEY, base_url=fake.base_url, cache=tmp_path / "c", journal=tmp_path / "j", memo=False
        ) as c,
    ):
        assert c.transport.sandbox is None
        c.calcul(Targeting(interest=14, departments=["60"]))
        assert c.calcul(Targeting(interest=14, departments=["60"])).attrs["from_cache"]
        assert fake.hits["calcul"] == 1
