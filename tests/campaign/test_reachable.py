"""reachable: rented numbers minus the analyst's lists, every number normalised to E.164."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from smsp_analytics import reachable
from smsp_analytics.campaign.reachability import normalise_number

RENTED = ["+33612345678", "+33698765432", "+33711223344", "+33639980001", "+33639980002"]


def download_frame() -> pd.DataFrame:
    df = pd.DataFrame({"phone_number": pd.Series(RENTED, dtype="string")})
    df.attrs.update({"source": "sandbox", "synthetic": True, "op": "download", "token": "t1"})
    return df


@pytest.mark.parametrize(
    "written",
    [
        "06 12 34 56 78",
        "+33612345678",
        "0033612345678",
        "06.12.34.56.78",
        "+33 (0)6 12 34 56 78",
        "612345678",
    ],
)
def test_one_number_written_many_ways(written: str) -> None:
    assert normalise_number(written) == "+33612345678"


def test_numbers_written_three_ways_across_lists(tmp_path) -> None:
    csv = tmp_path / "customers.csv"
    csv.write_text("name;phone_number\nAnne;06 12 34 56 78\nBob;\n", encoding="utf-8")
    stop = pd.DataFrame({"tel": ["0033698765432", "07 11 22 33 44"]})
    df = download_frame()
    out = reachable(
        df, exclude={"customers": csv, "stop": stop, "other": ["+33612345678"]}
    )  # already removed: counts 0
    assert out["phone_number"].tolist() == ["+33639980001", "+33639980002"]
    assert str(out["phone_number"].dtype) == "string"
    assert out.attrs["excluded"] == {"customers": 1, "stop": 2, "other": 0}
    assert out.attrs["unparseable"] == {"customers": 0, "stop": 0, "other": 0}
    assert (out.attrs["rented"], out.attrs["reachable"]) == (5, 2)
    assert out.attrs["token"] == "t1" and out.attrs["synthetic"] is True  # attrs kept
    assert df["phone_number"].tolist() == RENTED and "excluded" not in df.attrs  # intact


def test_overseas_numbers_written_the_national_way_match_their_e164_form() -> None:
    # 0690 (Guadeloupe), 0692 (La Reunion), 0696 (Martinique), 0694 (Guyane): France's
    # national format, but +590/+262/+596/+594 numbers, as the vendor's rentals give them.
    rented = [
        "+590690123456",
        "+262692123456",
        "+596696123456",
        "+594694123456",
        "+33612345678",
        "+33639981234",
    ]
    customers = ["0690 12 34 56", "0692123456", "06 96 12 34 56", "0694-12-34-56"]
    out = reachable(rented, exclude={"customers": customers})
    assert out.attrs["excluded"] == {"customers": 4}
    assert out["phone_number"].tolist() == ["+33612345678", "+33639981234"]
    assert normalise_number("0612345678") == "+33612345678"  # metropolitan stays +33


def test_unparseable_list_entries_are_counted_and_warned(tmp_path) -> None:
    csv = tmp_path / "stop.csv"
    csv.write_text("0612345678\nnot a number\n12\n\n+33698765432\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"exclude\['stop'\]: 2 entries.*'not a number'"):
        out = reachable(RENTED, exclude={"stop": str(csv)})
    assert out.attrs["unparseable"] == {"stop": 2}
    assert out.attrs["excluded"] == {"stop": 2}
    assert len(out) == 3


def test_csv_first_column_with_a_header(tmp_path) -> None:
    csv = tmp_path / "clients.csv"
    csv.write_text("mobile,name\n+33711223344,Cleo\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing unparseable: no warning
        out = reachable(RENTED, exclude={"clients": csv})
    assert out.attrs["excluded"] == {"clients": 1} and out.attrs["unparseable"] == {"clients": 0}


def test_rented_duplicates_and_unparseable_are_removed_and_reported() -> None:
    with pytest.warns(UserWarning, match="numbers: 1 entry"):
        out = reachable(["06 12 34 56 78", "+33612345678", "garbage", "+33698765432"])
    assert out["phone_number"].tolist() == ["+33612345678", "+33698765432"]
    assert (out.attrs["duplicates"], out.attrs["unparseable_rented"]) == (1, 1)
    assert out.attrs["excluded"] == {} and out.attrs["unparseable"] == {}


def test_bad_input_names_the_field(tmp_path) -> None:
    with pytest.raises(ValueError, match="numbers.*phone_number"):
        reachable(pd.DataFrame({"x": ["0612345678"]}))
    with pytest.raises(ValueError, match=r"exclude\['stop'\].*CSV"):
        reachable(RENTED, exclude={"stop": str(tmp_path / "missing.csv")})
    with pytest.raises(ValueError, match="exclude"):
        reachable(RENTED, exclude=["0612345678"])
    with pytest.raises(ValueError, match="numbers"):
        reachable("0612345678")
    with pytest.raises(ValueError, match="region"):
        reachable(RENTED, region="XX")


def test_on_a_sandbox_download(client, admin) -> None:  # admin: a fresh balance
    from smsp_analytics import Targeting

    t = Targeting(gender="f", age=(25, 35), interest=14, departments=["60"])
    rental = client.rent(t, {"60": 20}, confirm=True)
    numbers = client.download(rental.token)
    customers = [n.replace("+33", "0") for n in numbers["phone_number"].tolist()[:3]]
    out = reachable(numbers, exclude={"customers": customers})
    assert out.attrs["excluded"] == {"customers": 3}
    assert len(out) == len(numbers) - 3
