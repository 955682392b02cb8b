"""Plausible but different answers never give silently wrong frames: each odd answer is a
MalformedResponseError naming the field, with a short redacted excerpt."""

from __future__ import annotations

import pytest
from fakevendor import KEY as FAKE_KEY
from fakevendor import FakeVendor, optin

from smsp_analytics.client.facade import Client
from smsp_analytics.errors import MalformedResponseError
from smsp_analytics.targeting import Targeting

T60 = Targeting(gender="f", age=(25, 35), interest=14, departments=["60"])
COST = {"quantity": 120, "total": 10.8, "cost_unity": 0.09}


@pytest.fixture()
def fake():
    with FakeVendor() as f:
        yield f


@pytest.fixture()
def fc(fake, tmp_path):
    with Client(
        FAKE_KEY,
        base_url=fake.base_url,
        cache=tmp_path / "c.sqlite",
        retries=0,
        journal=tmp_path / "j.sqlite",
        rentals_dir=tmp_path / "r",
    ) as c:
        yield c


@pytest.mark.parametrize(
    "rows,cost,field",
    [
        ([("60", -5)], COST, "datas.Volume"),
        ([("60", 12.5)], COST, "datas.Volume"),
        ([("60", "NaN")], COST, "datas.Volume of 60"),
        ([("60", "0x10")], COST, "datas.Volume of 60"),
        ([("60", "١٢٠")], COST, "datas.Volume of 60"),
        ([("60", 120)], {**COST, "cost_unity": "0,09"}, "cost.cost_unity"),
        ([("60", 120)], {**COST, "total": "inf"}, "cost.total"),
        ([("60", 120)], {**COST, "cost_unity": -0.09}, "cost.cost_unity"),
        ([("60", 120), ("75", 30)], COST, "datas.Localite"),
        ([("60", True)], COST, "datas.Volume of 60"),
        ([("60", None)], COST, "datas.Volume"),
        ([("60", "")], COST, "datas.Volume"),
        ([("60", 5), ("60", 7)], COST, "datas.Localite"),
        ([("60", "1e3")], COST, "datas.Volume of 60"),
        ([("60", 120)], [10.8, 0.09], "cost"),
        ([("60", 120)], "10.8", "cost"),
        ([("60", 120)], {**COST, "total": "1.08e1"}, "cost.total"),
    ],
)
def test_odd_calcul_answers(fake, fc, rows, cost, field):
    fake.answer("calcul", optin("calcul", rows, cost))
    with pytest.raises(MalformedResponseError) as info:
        fc.calcul(T60)
    assert info.value.field.startswith(field.split(" of")[0])
    assert FAKE_KEY not in str(info.value)


def test_missing_volume_key_on_a_locality_row(fake, fc):
    body = optin("calcul", [("60", 120)], COST)
    del body["datas"][0]["Volume"]
    fake.answer("calcul", body)
    with pytest.raises(MalformedResponseError, match="datas.Volume of 60") as info:
        fc.calcul(T60)
    assert info.value.field == "datas.Volume"


def test_duplicated_locality_in_a_price_answer_never_rents(fake, fc):
    fake.answer("price", optin("price", [("60", 60), ("60", 60)], COST))
    with pytest.raises(MalformedResponseError, match="twice") as info:
        fc.rent(T60, {"60": 120}, confirm=True, max_cost_eur=50)
    assert info.value.field == "datas.Localite"
    assert fake.hits.get("price") == 1 and "rent" not in fake.hits


def test_price_with_cost_as_a_list_never_rents(fake, fc):
    fake.answer("price", optin("price", [("60", 120)], [10.8, 0.09, 120]))
    with pytest.raises(MalformedResponseError) as info:
        fc.rent(T60, {"60": 120}, confirm=True, max_cost_eur=50)
    assert info.value.field == "cost" and "rent" not in fake.hits


def test_price_without_cost(fake, fc):
    fake.answer("price", optin("price", [("60", 120)], None))
    with pytest.raises(MalformedResponseError, match="cost") as info:
        fc.price(T60, {"60": 120})
    assert info.value.field == "cost"


@pytest.mark.parametrize("status", [200, 403, 502])
def test_html_pages_whatever_the_status(fake, fc, status):
    fake.answer(
        "calcul",
        b"<!DOCTYPE html><html><body>Gateway says hi apiKey=leak</body></html>",
        status=status,
        ctype="text/html",
    )
    with pytest.raises(MalformedResponseError, match="HTML") as info:
        fc.calcul(T60)
    err = info.value
    assert err.http_status == status and err.field == "body"
    assert "apiKey=***" in str(err) and "leak" not in str(err)  # excerpt redacted
    assert "success=false" not in str(err)


@pytest.mark.parametrize("body", [[1, 2], {"datas": []}, "just text"])
def test_json_that_is_no_vendor_envelope(fake, fc, body):
    fake.answer("calcul", body)
    with pytest.raises(MalformedResponseError):
        fc.calcul(T60)


@pytest.mark.parametrize("balance", ["NaN", "1,5", "", None])
def test_unreadable_balance(fake, fc, balance):
    fake.answer("me", {"success": True, "credits": {"balance": balance, "currency": "EUR"}})
    with pytest.raises(MalformedResponseError, match="balance"):
        fc.credits()


def test_dotted_numeric_strings_stay_accepted(fake, fc):
    fake.answer(
        "calcul",
        optin(
            "calcul", [("60", "266")], {"quantity": "266", "total": "23.940", "cost_unity": "0.090"}
        ),
    )
    df = fc.calcul(T60)
    assert df["volume"].tolist() == [266] and df["unit_cost_eur"].tolist() == [0.09]
    st = fc.status("t" * 32)
    assert st.attrs["unit_cost_eur"] == 0.09 and st["available"].tolist() == [266]


def test_code_27_names_the_locality_the_ask_and_what_is_available(admin, client):
    t = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])
    have = dict(zip(client.calcul(t)["locality"], client.calcul(t)["volume"]))
    with pytest.raises(Exception) as info:
        client.price(t, {"60": have["60"] + 5, "02": 1})
    err = info.value
    assert err.code == 27 and err.vendor_message.startswith("Le volume")
    assert f"60 asked {have['60'] + 5:,}, available {have['60']:,}" in str(err)


def test_code_61_names_the_interest_ids_and_how_to_list_them(client):
    with pytest.raises(Exception) as info:
        client.calcul({"sexe": "f", "minAge": 25, "maxAge": 35, "interest": 999})
    err = info.value
    assert err.code == 61 and "interest=999" in str(err)
    assert "client.categories()" in str(err) and "smsp categories" in str(err)
    assert err.vendor_message.startswith("La requête")


def test_redirects_are_not_followed_with_the_key(fake, fc):
    with FakeVendor() as elsewhere:
        fake.answer(
            "price",
            b"",
            status=307,
            ctype="text/plain",
            headers={"Location": elsewhere.base_url + "location/optin"},
        )
        with pytest.raises(MalformedResponseError, match="307"):
            fc.price(T60, {"60": 120})
        assert elsewhere.hits == {}  # the body with the key never went there
