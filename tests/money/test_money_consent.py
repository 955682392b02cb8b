"""Nobody pays without consent, pays more than allowed, or pays on a quote that cannot be
read: over real HTTP, against the sandbox and a fake vendor whose quotes are odd."""

from __future__ import annotations

import math

import pytest
from fakevendor import KEY as FAKE_KEY
from fakevendor import FakeVendor, optin

from smsp_analytics.client.facade import Client
from smsp_analytics.errors import MalformedResponseError, RentConsentError
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])
T60 = Targeting(gender="f", age=(25, 35), interest=14, departments=["60"])


@pytest.mark.parametrize("confirm", ["no", "yes", 1, "True", [True], None, False])
def test_only_confirm_true_consents(admin, client, confirm):
    with pytest.raises(RentConsentError, match="confirm"):
        client.rent(T, {"60": 2}, confirm=confirm)
    assert "rent" not in admin.stats() and client.journal.entries() == []


@pytest.mark.parametrize("volumes", [{}, None])
def test_empty_volumes_are_refused_before_any_call(admin, client, volumes):
    with pytest.raises(ValueError, match="volumes"):
        client.rent(T, volumes, confirm=True)
    assert admin.stats() == {}


def test_the_whole_audience_only_when_asked_as_all(admin, client):
    available = int(client.calcul(T60)["volume"].sum())
    rental = client.rent(T60, "all", confirm=True)
    assert rental.quantity == available and admin.stats()["rent"] == 1


@pytest.mark.parametrize("cap", [float("nan"), float("inf"), 0, -5, True, "10"])
def test_max_cost_must_be_finite_and_positive(admin, client, cap):
    with pytest.raises(ValueError, match="max_cost_eur"):
        client.rent(T, {"60": 2}, confirm=True, max_cost_eur=cap)
    assert "rent" not in admin.stats()


def test_max_cost_guard_refuses_above_the_cap(admin, client):
    with pytest.raises(RentConsentError, match="max_cost_eur"):
        client.rent(T, {"60": 20}, confirm=True, max_cost_eur=1.0)  # 1.80 EUR
    assert "rent" not in admin.stats()


def _fake_client(fake: FakeVendor, tmp_path) -> Client:
    return Client(
        FAKE_KEY,
        base_url=fake.base_url,
        cache=False,
        retries=0,
        journal=tmp_path / "j.sqlite",
        rentals_dir=tmp_path / "rentals",
    )


@pytest.mark.parametrize(
    "cost",
    [
        {"quantity": 120, "total": "NaN", "cost_unity": 0.09},  # non-finite total
        {"quantity": 120, "total": 0.5, "cost_unity": 0.09},  # understated total
        {"quantity": 120, "total": 10.8},  # no unit price
        None,  # no cost at all
        {"quantity": 100, "total": 9.0, "cost_unity": 0.09},  # quantity != rows
        {"quantity": 120, "total": "10,80", "cost_unity": 0.09},  # unreadable number
    ],
)
def test_a_quote_that_cannot_be_read_never_rents(tmp_path, cost):
    with FakeVendor() as fake, _fake_client(fake, tmp_path) as c:
        fake.answer("price", optin("price", [("60", 120)], cost))
        with pytest.raises(MalformedResponseError) as info:
            c.rent(T60, {"60": 120}, confirm=True, max_cost_eur=1)
        assert info.value.field and "rent" not in fake.hits
        assert c.journal.entries() == []


def test_guard_uses_rows_times_unit_price_when_larger(tmp_path):
    # Rows say 120 contacts, the unit price 0.09: 10.80 EUR whatever the total claims.
    with FakeVendor() as fake, _fake_client(fake, tmp_path) as c:
        fake.answer(
            "price",
            optin("price", [("60", 120)], {"quantity": 120, "total": 10.8, "cost_unity": 0.09}),
        )
        with pytest.raises(RentConsentError, match="max_cost_eur=10.00"):
            c.rent(T60, {"60": 120}, confirm=True, max_cost_eur=10)
        assert "rent" not in fake.hits
        rental = c.rent(T60, {"60": 120}, confirm=True, max_cost_eur=10.8)
        assert rental.cost_eur == 10.8 and fake.hits["rent"] == 1
        entry = c.journal.get(rental.entry_id)
        assert entry.balance_before == 100.0 and entry.state == "done"
        assert not math.isnan(entry.quote_eur)
