"""Issue 19: ``campaign_cost(price_per_sms="account")`` costs the sending at the account's
average cost per SMS over the last twelve months (its sending history, over real HTTP), says
so in ``attrs["price_basis"]``, and without history asks for a price."""

from __future__ import annotations

import pandas as pd
import pytest
import requests

from smsp_analytics.campaign.funnel import account_price, price_basis_text
from smsp_analytics.campaign.messages import SANDBOX_PRICE_PER_SMS, campaign_cost
from smsp_analytics.errors import SmsPartnerError, TargetingError
from smsp_analytics.i18n import use_lang

FRAME = pd.DataFrame({"locality": ["60", "02"], "volume": [1000, 500], "cost_eur": [90.0, 45.0]})


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_account_price_is_its_twelve_month_average(admin, make_client, fmt):
    c = make_client(format=fmt)
    costs = c.sending_costs("last_twelve_months")
    average = float(costs["cost_eur"].sum()) / int(costs["sms_sent"].sum())
    out = campaign_cost(FRAME, "x" * 200, price_per_sms="account", client=c)  # 2 SMS each
    basis = out.attrs["price_basis"]
    assert basis["kind"] == "account" and basis["price_per_sms"] == pytest.approx(average)
    assert out.attrs["price_per_sms"] == pytest.approx(average)
    assert 0.045 < average < 0.07  # between the sandbox's cheapest and dearest price
    assert basis["months"] == 12 and basis["sms_sent"] == int(costs["sms_sent"].sum())
    assert (basis["start"], basis["end"]) == ("2025-12-01", "2026-11-01")
    expected = [round(v * 2 * average + 1e-9, 2) for v in (1000, 500)]
    assert out["sending_cost_eur"].tolist() == pytest.approx(expected, abs=0.006)
    assert account_price(c) == basis
    text = price_basis_text(basis)
    assert text.startswith(f"€{average:.3f} per SMS: the account's average from Dec 2025")


def test_the_other_bases_are_said_too():
    given = campaign_cost(FRAME, "Bonjour", price_per_sms=0.05).attrs["price_basis"]
    assert given == {"kind": "given", "price_per_sms": 0.05}
    synthetic = FRAME.copy()
    synthetic.attrs["synthetic"] = True
    default = campaign_cost(synthetic, "Bonjour").attrs["price_basis"]
    assert default == {"kind": "sandbox_default", "price_per_sms": SANDBOX_PRICE_PER_SMS}
    assert price_basis_text(default) == "€0.038 per SMS: the sandbox's default price"
    with use_lang("fr"):
        assert price_basis_text(given) == "0,050\u00a0€ par SMS : votre prix"


def test_no_sending_history_asks_for_a_price(admin, make_client):
    requests.post(admin.url + "account", json={"sending_history": False}, timeout=10)
    c = make_client(cache=False)
    with pytest.raises(TargetingError, match=r"price_per_sms: 'account' needs .* pass your price"):
        campaign_cost(FRAME, "Bonjour", price_per_sms="account", client=c)
    try:
        account_price(c)
    except SmsPartnerError as exc:  # also a ValueError
        assert isinstance(exc, ValueError) and exc.field == "price_per_sms"
        assert exc.value == "account"
    else:
        raise AssertionError("no error without sending history")


def test_a_wrong_price_word_is_refused_before_any_request(admin, make_client):
    with pytest.raises(TypeError, match=r"price_per_sms: 'acount' is not allowed.*'account'"):
        campaign_cost(FRAME, "Bonjour", price_per_sms="acount", client=make_client())
    assert admin.stats().get("cost_resume", 0) == 0


def test_account_without_a_client_uses_the_default_one(monkeypatch):
    # No key in the environment: the default client is the no-key sandbox (seed 0).
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    out = campaign_cost(FRAME, "Bonjour", price_per_sms=" Account ")
    assert out.attrs["price_basis"]["kind"] == "account"
