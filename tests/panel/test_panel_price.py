"""The campaign box offers the account's own price per SMS (issue 19): its average over the
last twelve months, read from the sandbox over HTTP, with its basis in words; an account
with no sending history gets a notice and the typed price stays in use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smsp_analytics.campaign.funnel import account_price
from smsp_analytics.campaign.messages import campaign_cost, message_parts
from smsp_analytics.client import Client
from smsp_analytics.panel import panel


def sending_cost(frame, text: str, price: float) -> float:
    return float(
        campaign_cost(frame, message_parts(text), price_per_sms=price).attrs[
            "total_sending_cost_eur"
        ]
    )


def test_the_account_price_is_offered_with_its_basis(client, oracle):
    p = panel(client, debounce=0)
    try:
        p.apply(departments=("60", "02"))
        box = p.campaign
        box.widgets["text"].value = "Soldes ce samedi"
        assert box.state["price_source"] == "typed"
        assert box.state["price_basis"] == {"kind": "sandbox_default", "price_per_sms": 0.038}
        assert "the sandbox's default price" in box.state["price_basis_text"]

        box.widgets["price_source"].value = "account"
        want = account_price(oracle)  # the same sandbox (seed 0), asked separately
        st = box.state
        assert st["price_source"] == "account" and st["price_basis"] == want
        assert st["price_per_sms"] == pytest.approx(want["price_per_sms"])
        assert st["sending_cost_eur"] == pytest.approx(
            sending_cost(p.frame, "Soldes ce samedi", want["price_per_sms"])
        )
        assert "the account's average from" in st["price_basis_text"]
        assert f"{want['sms_sent']:,} SMS" in box.costs.value
        assert box.widgets["price"].disabled and box.price.notice.value == ""

        # Back to a typed price: the one typed before comes back, and a new one is "yours".
        box.widgets["price_source"].value = "typed"
        assert box.widgets["price"].value == "0.038" and not box.widgets["price"].disabled
        box.widgets["price"].value = "0.05"
        assert box.state["price_basis"] == {"kind": "given", "price_per_sms": 0.05}
        assert "per SMS: your price" in box.costs.value
    finally:
        p.close()


@pytest.fixture
def no_history() -> Iterator[Client]:
    c = Client(announce=False, cache=False, sandbox={"sending_history": False})
    yield c
    c.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_sending_history_says_so_and_keeps_the_typed_price(no_history, lang):
    p = panel(no_history, debounce=0, lang=lang)
    try:
        box = p.campaign
        box.widgets["text"].value = "Bonjour"
        typed = "0.04" if lang == "en" else "0,04"
        box.widgets["price"].value = typed
        before = box.state["sending_cost_eur"]
        box.widgets["price_source"].value = "account"
        notice = box.price.notice.value
        said = "sent no SMS in the last twelve months" if lang == "en" else "aucun SMS"
        assert said in notice and "data-key='price_notice'" in notice
        # The typed price stays in use, and the choice is back on it.
        assert box.widgets["price_source"].value == "typed"
        assert box.widgets["price"].value == typed and not box.widgets["price"].disabled
        assert box.state["price_per_sms"] == 0.04 and box.state["sending_cost_eur"] == before
        assert box.state["price_basis"]["kind"] == "given" and box.state["error"] == ""
    finally:
        p.close()


def test_the_account_price_is_not_offered_without_a_client():
    from smsp_analytics.panel._message import MessageBox

    box = MessageBox(0.04)
    assert box.widgets["price_source"].disabled
