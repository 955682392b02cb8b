"""Small, explicit frames shaped like the client's ``calcul`` / ``price`` / ``sweep`` output.

Built by hand on purpose: the chart tests must not depend on the client.
"""

from __future__ import annotations

import pandas as pd
import pytest
from charts_frames import make_frame


@pytest.fixture
def dept_frame() -> pd.DataFrame:
    """Department-level sandbox answer, rows deliberately not sorted by volume."""
    return make_frame(
        [
            ("department", "60", "60", 12345, 0.1),
            ("department", "2A", "2A", 800, 0.1),
            ("department", "75", "75", 250000, 0.09),
            ("department", "01", "01", 4000, 0.1),
            ("department", "971", "971", 3000, 0.12),
            ("department", "13", "13", 90000, 0.095),
        ]
    )


@pytest.fixture
def zip_frame() -> pd.DataFrame:
    """Zip-level real-API answer: several zips per department."""
    return make_frame(
        [
            ("zipcode", "60200", "60", 1000, 0.1),
            ("zipcode", "60000", "60", 2500, 0.1),
            ("zipcode", "75001", "75", 700, 0.09),
            ("zipcode", "75015", "75", 9000, 0.09),
            ("zipcode", "13001", "13", 4000, 0.095),
            ("zipcode", "01000", "01", 150, 0.1),
        ],
        synthetic=False,
        source="api",
    )


@pytest.fixture
def sweep_frame() -> pd.DataFrame:
    """A sweep over gender x age band x interest, two localities per combination."""
    rows = []
    bands = ["25-34", "18-24", "35-49"]  # sweep order is not lexical order
    for gi, g in enumerate(["f", "h"]):
        for bi, band in enumerate(bands):
            for ii, interest in enumerate([12, 3]):
                for li, loc in enumerate(["60", "75"]):
                    vol = 100 * (gi + 1) + 10 * (bi + 1) + (ii + 1) + 1000 * li
                    rows.append((g, band, interest, loc, vol, round(vol * 0.1, 2)))
    df = pd.DataFrame(
        rows, columns=["gender", "age_band", "interest", "department", "volume", "cost_eur"]
    )
    df["locality"] = df["department"]
    df["locality_type"] = "department"
    df["volume"] = df["volume"].astype("Int64")
    df["cost_eur"] = df["cost_eur"].astype("Float64")
    df.attrs.update(synthetic=True, source="sandbox")
    return df


@pytest.fixture
def scenario_frame() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "scenario": ["Oise women", "Oise women", "Paris all", "Oise all", "Paris all"],
            "department": ["60", "60", "75", "60", "75"],
            "locality": ["60200", "60000", "75", "60", "75"],
            "gender": ["f", "f", "m", "m", "m"],
            "volume": pd.array([1000, 2345, 250000, 7000, 1], dtype="Int64"),
            "cost_eur": pd.array([100.0, 234.5, 22500.0, 700.0, 0.09], dtype="Float64"),
        }
    )
    df.attrs.update(synthetic=False, source="api")
    return df
