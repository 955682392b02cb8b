"""What CONTRACT.md promises, checked on the sandbox (and the real API when opted in).

Read-only operations only: never ``rent`` here (the sandbox's rentals are tested in
tests/test_client.py).
"""

from __future__ import annotations

import pandas as pd
import pytest

from smsp_analytics.client.facade import Client
from smsp_analytics.errors import AuthenticationError, InvalidRequestError, RentalError
from smsp_analytics.frames import LOCALITY_COLUMNS
from smsp_analytics.targeting import Targeting

T = Targeting(gender="m", age=(25, 35), interest=14, sub_interest=35, zipcodes=["60200"])


def _same_format(client: Client, fmt: str) -> Client:
    if fmt == "json":
        return client
    # The fixture makes the twin with its own key: a client never gives its key back.
    return client.twin(format="xml", cache=False, journal=client.journal.path)


def test_calcul_one_row_per_locality(contract_client, fmt):
    c = _same_format(contract_client, fmt)
    df = c.calcul(T)
    assert list(df.columns) == LOCALITY_COLUMNS
    assert df["locality"].tolist() == ["60200"] and df["locality_type"].tolist() == ["zipcode"]
    assert df["volume"].iloc[0] >= 0
    assert df.attrs["unit_cost_eur"] > 0
    assert df.attrs["total_quantity"] == df["volume"].sum()


def test_price_with_volumes(contract_client, fmt):
    c = _same_format(contract_client, fmt)
    avail = int(c.calcul(T)["volume"].iloc[0])
    want = min(avail, 20)
    df = c.price(T, {"60200": want})
    assert df["volume"].tolist() == [want]
    assert df.attrs["total_cost_eur"] == pytest.approx(round(want * df.attrs["unit_cost_eur"], 2))


def test_string_numbers_accepted(contract_client):
    raw = {"sexe": "f", "minAge": "25", "maxAge": "35", "zipcode": "60200", "interest": "14"}
    df = contract_client.calcul(raw)
    pd.testing.assert_frame_equal(df, contract_client.calcul(Targeting.from_parameters(raw)))


def test_credits(contract_client, fmt):
    credits = _same_format(contract_client, fmt).credits()
    assert credits.balance_eur >= 0 and credits.currency == "EUR"


def test_invalid_key_is_code_10(contract_client):
    with Client("definitely-not-a-key", base_url=contract_client.base_url, cache=False) as bad:
        with pytest.raises(AuthenticationError) as info:
            bad.credits()
    assert info.value.code == 10


def test_server_side_validation_code(contract_client):
    # The client validates first; send the raw body to see the API's own answer.
    with pytest.raises(InvalidRequestError) as info:
        contract_client.transport.call(
            "POST",
            "location/optin",
            mode="fresh",
            kind="optin",
            body={
                "op": "calcul",
                "parameters": {"sexe": "x", "minAge": 25, "maxAge": 35, "interest": 14},
            },
        )
    assert info.value.code == 8


def test_unknown_token_status(contract_client):
    with pytest.raises(RentalError) as info:
        contract_client.status("0" * 32)
    assert info.value.code == 32
