"""frames.py and xmlparse.py on recorded-shaped payloads (the contract's and the seed's)."""

import warnings
from pathlib import Path

import pandas as pd
import pytest

from smsp_analytics.errors import (
    MalformedResponseError,
    ServiceUnavailableError,
    TotalMismatchWarning,
)
from smsp_analytics.frames import (
    LOCALITY_COLUMNS,
    categories_frame,
    credits_from,
    load_categories_csv,
    locality_frame,
    phone_frame,
    status_code_of,
    status_frame,
)
from smsp_analytics.wire.xmlparse import from_xml

SEED_JSON = {
    "success": True,
    "op": "price",
    "datas": [
        {"Type": "CP", "Localite": "06200", "Volume": 20},
        {"Type": "total", "Localite": "total", "Volume": 20},
    ],
    "cost": {"quantity": 20, "total": 2.52, "cost_unity": 0.09},
}
SEED_XML = (Path(__file__).resolve().parent / "data" / "seed_price_response.xml").read_bytes()
CONTRACT_STATUS = {
    "success": True,
    "token": "identifiant de la location",
    "status": "File downloaded by user from api",
    "location": {
        "sexe": "femme",
        "minAge": 31,
        "maxAge": 49,
        "zipcode": "60200",
        "interest": "12",
        "category": 103,
        "details_localisation": [
            {"Type": "cp", "Location": "60200", "VolumeDesired": "10", "Volume": "266"}
        ],
        "cost": {"quantity": 10, "total": "0.900", "cost_unity": "0.090"},
    },
    "file": {"phoneNumbers": "10"},
}


def test_seed_json_frame_columns_dtypes_and_mismatch_warning():
    # The vendor's example is inconsistent (20 x 0.09 != 2.52): the client says so.
    with pytest.warns(TotalMismatchWarning, match="cost.total"):
        df = locality_frame(SEED_JSON, op="price", source="api")
    assert list(df.columns) == LOCALITY_COLUMNS
    assert df.dtypes.astype(str).tolist() == [
        "category",
        "string",
        "string",
        "Int64",
        "Float64",
        "Float64",
    ]
    row = df.iloc[0]
    assert (row.locality_type, row.locality, row.department, row.volume) == (
        "zipcode",
        "06200",
        "06",
        20,
    )
    assert row.cost_eur == pytest.approx(1.80)
    assert df.attrs["total_cost_eur"] == 2.52 and df.attrs["source"] == "api"


def test_seed_xml_with_whitespace_around_cdata():
    payload = from_xml(SEED_XML, "optin")
    assert payload["op"] == "price" and payload["datas"][0] == {
        "Type": "CP",
        "Localite": "06200",
        "Volume": "28",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the XML twin is self-consistent: 28 x 0.09 = 2.52
        df = locality_frame(payload, op="price")
    assert df["volume"].tolist() == [28] and df["cost_eur"].tolist() == [2.52]


def test_xml_error_envelope():
    xml = (
        "<?xml version='1.0' encoding='UTF-8'?><result><entry>false</entry>"
        "<entry>10</entry><entry>\n <![CDATA[Clé API incorrecte]]>\n</entry></result>"
    )
    assert from_xml(xml.encode(), "optin") == {
        "success": False,
        "code": "10",
        "message": "Clé API incorrecte",
    }


def test_xml_malformed_and_entities_refused():
    with pytest.raises(ServiceUnavailableError):
        from_xml(b"<result><entry>tr", "optin")
    bomb = b'<!DOCTYPE r [<!ENTITY a "aaaa">]><result><entry>&a;</entry></result>'
    with pytest.raises(ServiceUnavailableError):
        from_xml(bomb, "optin")


def test_no_geography_gives_one_france_row():
    payload = {
        "success": True,
        "op": "calcul",
        "datas": [{"Type": "total", "Localite": "total", "Volume": 1234}],
        "cost": {"quantity": 1234, "total": 111.06, "cost_unity": 0.09},
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = locality_frame(payload, op="calcul")
    assert df[["locality_type", "locality", "volume"]].astype(str).values.tolist() == [
        ["france", "FR", "1234"]
    ]
    assert df["department"].isna().all()


def test_numbers_as_strings_and_rounding_half_up():
    payload = {
        "success": True,
        "op": "price",
        "datas": [
            {"Type": "DEP", "Localite": 2, "Volume": "5"},
            {"Type": "dep", "Localite": "2a", "Volume": 1},
        ],
        "cost": {"quantity": "6", "total": "0.54", "cost_unity": "0.090"},
    }
    df = locality_frame(payload, op="price")
    assert df["locality"].tolist() == ["02", "2A"]
    assert df["cost_eur"].tolist() == [0.45, 0.09]  # 5 x 0.09 = 0.45 exactly, not 0.44


def test_status_both_spellings_give_same_columns():
    contract = status_frame(CONTRACT_STATUS)
    sandbox_like = {
        "success": True,
        "token": "identifiant de la location",
        "status": "whatever",
        "statusCode": 5,
        "location": {
            "sexe": "femme",
            "minAge": "31",
            "maxAge": "49",
            "zipcode": "60200",
            "department": None,
            "interest": "12",
            "subInterest": None,
            "category": 103,
            "details_localisation": [
                {"Type": "CP", "Localite": "60200", "VolumeDesired": 10, "Volume": 266},
                {"Type": "total", "Location": "total", "VolumeDesired": "10", "Volume": "266"},
            ],
            "cost": {"quantity": "10", "total": 0.9, "cost_unity": 0.09},
        },
        "file": {"phoneNumbers": 10},
    }
    other = status_frame(sandbox_like)
    pd.testing.assert_frame_equal(contract.drop(columns="status"), other.drop(columns="status"))
    assert contract["status_code"].tolist() == [5]
    assert contract["volume"].tolist() == [10] and contract["available"].tolist() == [266]
    assert contract["cost_eur"].tolist() == [0.9]
    t = contract.attrs["targeting"]
    assert (t.gender, t.age, t.interest, t.category) == ("f", (31, 49), 12, 103)
    assert contract.attrs["phone_numbers"] == 10


@pytest.mark.parametrize(
    "text,code",
    [
        ("Request received", 0),
        ("File being generated", 1),
        ("File ready to download", 2),
        ("Rental failed", 3),
        ("File downloaded by user from api", 5),
        ("Something new", None),
    ],
)
def test_status_code_from_string(text, code):
    assert status_code_of(text) == code


def test_categories_and_csv_have_same_columns(tmp_path):
    payload = {
        "success": True,
        "categories": [
            {
                "id": 14,
                "name": "Habitation",
                "synthetic": False,
                "subCategories": [{"id": 35, "name": "Cuisine", "synthetic": False}],
            },
            {"id": "12", "name": " Autre ", "synthetic": "true", "subCategories": None},
        ],
    }
    df = categories_frame(payload)
    assert df["id"].tolist() == [14, 35, 12]
    assert df["parent_id"].tolist()[1] == 14
    assert df["parent_id"].isna().tolist() == [True, False, True]
    assert df["synthetic"].tolist() == [False, False, True]
    assert df["name"].tolist() == ["Habitation", "Cuisine", "Autre"]
    p = tmp_path / "real.csv"
    p.write_text("id,name,parent_id\n14,Habitation,\n35,Cuisine,14\n", encoding="utf-8")
    mine = load_categories_csv(p)
    assert list(mine.columns) == list(df.columns) and mine.attrs["source"] == "csv"
    assert mine["synthetic"].tolist() == [False, False]
    (tmp_path / "bad.csv").write_text("id,label\n1,x\n")
    with pytest.raises(ValueError, match="parent_id"):
        load_categories_csv(tmp_path / "bad.csv")


def test_phone_numbers_e164():
    df = phone_frame("phone_number\n+33639980000\n06 39 98 00 01\n0033639980002\n")
    assert df["phone_number"].tolist() == ["+33639980000", "+33639980001", "+33639980002"]
    assert str(df["phone_number"].dtype) == "string"


def test_credits_contract_example():
    c = credits_from(
        {
            "success": True,
            "code": 200,
            "user": {"username": "exemple@email.com"},
            "credits": {
                "creditSms": 269082,
                "creditSmsECO": 444570,
                "creditHlr": 2045023,
                "toSend": 0,
                "solde": "10225.119",
                "currency": "EUR",
                "balance": "10225.119",
            },
        }
    )
    assert c.balance_eur == pytest.approx(10225.119) and c.credit_sms == 269082
    assert c.to_frame()["currency"].tolist() == ["EUR"]


@pytest.mark.parametrize("bad", ["12.5", 12.5, "inf"])
def test_non_integral_volume_is_a_malformed_answer_not_truncated(bad):
    # "12.5" became volume 12 with cost_eur 1.13 (12.5 x 0.09): a row that contradicts itself.
    from smsp_analytics.errors import ServiceUnavailableError

    payload = {
        "success": True,
        "op": "calcul",
        "datas": [
            {"Type": "DEP", "Localite": "60", "Volume": bad},
            {"Type": "total", "Localite": "total", "Volume": 12},
        ],
        "cost": {"quantity": 12, "total": 1.08, "cost_unity": 0.09},
    }
    with pytest.raises(ServiceUnavailableError, match="60"):
        locality_frame(payload, op="calcul")


def test_total_quantity_is_a_whole_count_whatever_its_spelling():
    for quantity in (20, "20", 20.0):
        payload = {**SEED_JSON, "cost": {"quantity": quantity, "total": 1.8, "cost_unity": 0.09}}
        df = locality_frame(payload, op="price", source="api")
        assert df.attrs["total_quantity"] == 20 and type(df.attrs["total_quantity"]) is int


def _xml_rows(*rows: tuple[str, str]) -> bytes:
    entries = "".join(
        f"<entry><entry>DEP</entry><entry>{loc}</entry><entry>{vol}</entry></entry>"
        for loc, vol in rows
    )
    return (
        f"<result><entry>true</entry><entry>calcul</entry><entry>{entries}"
        "<entry><entry>total</entry><entry>total</entry><entry>12</entry></entry>"
        "</entry><entry><entry>12</entry><entry>1.08</entry><entry>0.09</entry></entry>"
        "</result>"
    ).encode()


@pytest.mark.parametrize(
    "rows,field",
    [
        ((("60", "5"), ("60", "7")), "datas.Localite"),  # one locality twice
        ((("60", ""),), "datas.Volume"),  # empty volume: not "no contact"
        ((("60", "1e1"),), "datas.Volume of 60"),  # exponent: no vendor spelling
    ],
)
def test_odd_xml_answers_are_malformed_too(rows, field):
    payload = from_xml(_xml_rows(*rows), "optin")
    with pytest.raises(MalformedResponseError) as info:
        locality_frame(payload, op="calcul")
    assert info.value.field == field


def test_xml_answer_with_plain_volumes_still_reads():
    payload = from_xml(_xml_rows(("60", "5"), ("02", "7")), "optin")
    df = locality_frame(payload, op="calcul")
    assert df["volume"].tolist() == [5, 7] and df["cost_eur"].tolist() == [0.45, 0.63]


def test_compact_rows_frame_has_the_values_of_the_string_one():
    from smsp_analytics.frames import LocalityRows, rows_frame

    zips = LocalityRows(
        ["zipcode", "zipcode"], ["60200", "02100"], ["60", "02"], [5.0, 7.0], 0.09, 12.0, 1.08, None
    )
    france = LocalityRows(["france"], ["FR"], [None], [3.0], 0.09, 3.0, 0.27, None)
    plain = rows_frame([zips, france, zips])
    compact = rows_frame([zips, france, zips], compact=True)
    assert plain.dtypes.astype(str).tolist()[1:3] == ["string", "string"]
    assert compact.dtypes.astype(str).tolist()[1:3] == ["category", "category"]
    assert compact["department"].cat.categories.tolist() == ["02", "60"]  # sorted, no NA
    for name in plain.columns:
        assert compact[name].astype(object).where(compact[name].notna(), None).tolist() == (
            plain[name].astype(object).where(plain[name].notna(), None).tolist()
        ), name
    assert compact.to_csv(index=False) == plain.to_csv(index=False)


def test_plain_numbers_read_at_once_as_number_reads_them():
    from smsp_analytics.wire.values import number, plain_numbers

    for values in (["266", "0.090", "-3", ".5", "5."], [2050, 0, -1]):
        assert plain_numbers(values) == [number(v) for v in values]
    for odd in (["1e3"], [" 12"], [""], ["12", None], [True], ["1" * 400], ["1\x002"], [1, "2"]):
        assert plain_numbers(odd) is None, odd  # read one by one: number says what is wrong


def test_the_frames_bench_runs_and_prints_its_targets():
    import subprocess
    import sys

    bench = Path(__file__).resolve().parents[1] / "bench" / "frames.py"
    out = subprocess.run(
        [sys.executable, str(bench), "--runs", "2"], capture_output=True, text=True, timeout=300
    )
    assert "JSON -> frame: best" in out.stdout, out.stderr
    assert "(target median <= 50 ms): target" in out.stdout
