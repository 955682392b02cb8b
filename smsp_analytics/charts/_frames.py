"""Frame preparation shared by the charts: per-department sums and ordered group sums."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["require_columns", "by_department", "grouped_sum"]


def require_columns(df: pd.DataFrame, columns: Sequence[str | None], func: str) -> None:
    """Check ``df`` can be drawn: a readable ``KeyError`` naming the missing columns and the
    ones available, or a ``ValueError`` for a frame without rows.

    Why refuse an empty frame: plotly would draw a blank figure (or fail deep inside an
    update) and the analyst would not know the calcul or sweep returned nothing.

    >>> require_columns(pd.DataFrame({"volume": []}), ["volume"], "bar_departments")
    Traceback (most recent call last):
    ...
    ValueError: bar_departments(): the frame has no rows; nothing to plot (did the calcul or sweep return no locality?)
    """
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise KeyError(
            f"{func}(): column(s) {missing} not in frame; columns are {list(df.columns)}"
        )
    if len(df) == 0:
        raise ValueError(
            f"{func}(): the frame has no rows; nothing to plot (did the calcul "
            "or sweep return no locality?)"
        )


def by_department(df: pd.DataFrame, department: str, values: Sequence[str]) -> pd.DataFrame:
    """Sum ``values`` per department code; index = code (string), in code order.

    Zip-level rows carry their department, so summing by the department column aggregates
    them; department-level rows are their own department. ``min_count=1`` keeps an all-NA
    department NA instead of a misleading 0.
    """
    present = [v for v in dict.fromkeys(values) if v in df.columns]
    codes = df[department].astype("string")
    data = {v: pd.to_numeric(df[v], errors="coerce").astype("Float64") for v in present}
    frame = pd.DataFrame(data, index=df.index).assign(_code=codes)
    out = frame.groupby("_code", sort=True, dropna=True).sum(min_count=1)
    out.index = out.index.astype(str)
    out.index.name = "department"
    return out


def grouped_sum(
    df: pd.DataFrame, keys: Sequence[str | None], values: Sequence[str]
) -> pd.DataFrame:
    """Sum ``values`` per distinct ``keys`` combination, keeping order of first appearance.

    Why ``sort=False``: a sweep lists age bands, scenarios... in the order the analyst asked
    for them ("18-24" before "25-34"), which a lexical sort would not always keep.
    """
    keys = [k for k in dict.fromkeys(keys) if k is not None]
    present = [v for v in dict.fromkeys(values) if v in df.columns and v not in keys]
    frame = df[keys + present].copy()
    for v in present:
        frame[v] = pd.to_numeric(frame[v], errors="coerce").astype("Float64")
    for k in keys:
        # Categories would add unobserved values; plain objects keep only what is there.
        if isinstance(frame[k].dtype, pd.CategoricalDtype):
            frame[k] = frame[k].astype(object)
    if not keys:
        return frame[present].sum(min_count=1).to_frame().T
    out = frame.groupby(keys, sort=False, dropna=False).sum(min_count=1).reset_index()
    return out
