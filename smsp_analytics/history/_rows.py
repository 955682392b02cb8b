"""The quote history's columns, and answers turned into rows (and rows back into a frame)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from smsp_analytics.frames import LocalityRows
from smsp_analytics.i18n import _
from smsp_analytics.vocab import TARGETING_COLUMNS

__all__ = ["FRAME_COLUMNS", "QUOTE_FIELDS", "ROW_FIELDS", "rows_of", "typed"]


FRAME_COLUMNS = [
    "quote_id",
    "as_of",
    "fetched_at",
    "source",
    "op",
    "key_hash",
    "targeting_key",
    *TARGETING_COLUMNS,
    "locality_type",
    "locality",
    "volume",
    "unit_cost_eur",
    "cost_eur",
]
QUOTE_FIELDS = [
    "as_of",
    "fetched_at",
    "source",
    "op",
    "key_hash",
    "targeting_key",
    "targeting_json",
    *TARGETING_COLUMNS,
    "volumes_asked",
]
ROW_FIELDS = [
    "quote_id",
    "position",
    "locality_type",
    "locality",
    "volume",
    "unit_cost_eur",
    "cost_eur",
]
_INT_COLUMNS = ["quote_id", "min_age", "max_age", "interest", "sub_interest", "category", "volume"]
_STRING_COLUMNS = [
    "source",
    "op",
    "key_hash",
    "targeting_key",
    "gender",
    "departments",
    "zipcodes",
    "locality_type",
    "locality",
]


def _py(value: Any, kind: type) -> Any:
    return None if value is None or pd.isna(value) else kind(value)


def rows_of(frame: pd.DataFrame | LocalityRows) -> list[dict[str, Any]]:
    """The ``quote_rows`` of an answer (its frame, or its parsed rows without building one:
    sweeps record many answers).

    >>> rows_of(pd.DataFrame({"locality": ["60"], "volume": [3], "unit_cost_eur": [0.1],
    ...                       "cost_eur": [0.3]}))[0]["volume"]
    3
    """
    if isinstance(frame, LocalityRows):  # plain Python values already
        unit = frame.unit
        return [
            {
                "position": i,
                "locality_type": t,
                "locality": loc,
                "volume": None if v is None else int(v),
                "unit_cost_eur": unit,
                # volume x unit cost, half-up to the cent: the rule of frames.rows_frame
                "cost_eur": None
                if v is None or unit is None
                else math.floor(v * unit * 100.0 + 0.5 + 1e-7) / 100.0,
            }
            for i, (t, loc, v) in enumerate(zip(frame.kinds, frame.localities, frame.volumes))
        ]
    missing = [
        c for c in ("locality", "volume", "unit_cost_eur", "cost_eur") if c not in frame.columns
    ]
    if missing:
        raise ValueError(_("frame: missing column(s) {columns}").format(columns=", ".join(missing)))
    columns = [
        frame["locality_type"].tolist()
        if "locality_type" in frame.columns
        else [None] * len(frame),
        *(frame[c].tolist() for c in ("locality", "volume", "unit_cost_eur", "cost_eur")),
    ]
    return [
        {
            "position": i,
            "locality_type": _py(t, str),
            "locality": _py(loc, str),
            "volume": _py(v, int),
            "unit_cost_eur": _py(u, float),
            "cost_eur": _py(c, float),
        }
        for i, (t, loc, v, u, c) in enumerate(zip(*columns))
    ]


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """The history frame's dtypes: UTC times, nullable integers, floats and strings."""
    for c in ("as_of", "fetched_at"):
        df[c] = (
            pd.to_datetime(df[c]).dt.tz_localize("UTC")
            if len(df)
            else pd.Series([], dtype="datetime64[us, UTC]")
        )
    for c in _INT_COLUMNS:
        df[c] = df[c].astype("Int64")
    for c in ("unit_cost_eur", "cost_eur"):
        df[c] = df[c].astype("Float64")
    for c in _STRING_COLUMNS:
        df[c] = df[c].astype("string")
    return df
