"""Issue 14, wrong answers of ``reachable``: a lower-case region, STOP numbers as floats."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from smsp_analytics import reachable
from smsp_analytics.campaign.reachability import normalise_number

RENTED = ["+33612345678", "+33698765432", "+590690123456"]


@pytest.mark.parametrize("region", ["fr", "Fr", " FR ", "fR"])
def test_a_region_in_any_case_reads_the_numbers(region: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "could not be read" warning either
        kept = reachable(
            ["06 12 34 56 78", "0690 12 34 56", "+33698765432"],
            exclude={"stop": ["06 98 76 54 32"]},
            region=region,
        )
    assert kept["phone_number"].tolist() == ["+33612345678", "+590690123456"]
    assert kept.attrs["unparseable_rented"] == 0 and kept.attrs["excluded"] == {"stop": 1}
    assert normalise_number("0690 12 34 56", region) == "+590690123456"


@pytest.mark.parametrize("region", ["france", "XX", "", 33, None, "F R"])
def test_an_unknown_region_is_refused_by_name(region: object) -> None:
    with pytest.raises(ValueError, match=r"region: .*allowed: .*'FR'"):
        reachable(RENTED, region=region)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"region: .*allowed"):
        normalise_number("0612345678", region)  # type: ignore[arg-type]


def test_stop_numbers_written_as_floats_match_their_number(tmp_path) -> None:
    # A spreadsheet column with a blank cell comes back as floats; an export writes "612345678.0".
    frame = pd.DataFrame({"phone_number": [612345678.0, np.nan, 698765432.0]})
    csv = tmp_path / "stop.csv"
    csv.write_text("phone_number\n612345678.0\n690123456.0\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert reachable(RENTED, exclude={"stop": frame}).attrs["excluded"] == {"stop": 2}
        kept = reachable(RENTED, exclude={"stop": csv})
        assert kept.attrs["excluded"] == {"stop": 2}
        assert kept["phone_number"].tolist() == ["+33698765432"]
        listed = reachable(RENTED, exclude={"stop": [np.float64(612345678.0), 33698765432.0]})
    assert listed.attrs["excluded"] == {"stop": 2} and listed.attrs["unparseable"] == {"stop": 0}


@pytest.mark.parametrize(
    "value,expected",
    [
        (612345678.0, "+33612345678"),
        ("612345678.0", "+33612345678"),
        ("0612345678.00", "+33612345678"),
        (612345678, "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),  # dots that are separators are left alone
        (612345678.5, None),
        ("612345678.5", None),
        (float("inf"), None),
    ],
)
def test_float_forms_of_a_number(value: object, expected: str | None) -> None:
    assert normalise_number(value) == expected
