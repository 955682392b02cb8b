"""Frame builder shared by the chart tests (a uniquely named module, not ``conftest``,
so importing it cannot pick up another directory's conftest)."""

from __future__ import annotations

import pandas as pd


def make_frame(
    rows: list[tuple], *, synthetic: bool | None = True, source: str = "sandbox"
) -> pd.DataFrame:
    """Rows of (locality_type, locality, department, volume, unit_cost_eur)."""
    df = pd.DataFrame(
        rows, columns=["locality_type", "locality", "department", "volume", "unit_cost_eur"]
    )
    df["locality_type"] = df["locality_type"].astype(pd.CategoricalDtype(["zipcode", "department"]))
    for c in ("locality", "department"):
        df[c] = df[c].astype("string")
    df["volume"] = df["volume"].astype("Int64")
    df["unit_cost_eur"] = df["unit_cost_eur"].astype("Float64")
    df["cost_eur"] = (df["volume"] * df["unit_cost_eur"]).round(2).astype("Float64")
    if synthetic is not None:
        df.attrs.update(synthetic=synthetic, source=source, targeting={})
    return df
