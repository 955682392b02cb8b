"""The rent journal's entries as a DataFrame: one row each, times as UTC timestamps.

>>> entries_frame([]).columns[:3].tolist()
['id', 'state', 'created_at']
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

__all__ = ["entries_frame"]


def entries_frame(entries: Iterable[Any]) -> Any:
    """Journal entries as a DataFrame (one row each, times as UTC timestamps)."""
    import pandas as pd

    rows = [
        {
            "id": e.id,
            "state": e.state,
            "created_at": e.created_at,
            "updated_at": e.updated_at,
            "quote_eur": e.quote_eur,
            "cost_eur": e.cost_eur,
            "token": e.token,
            "balance_before": e.balance_before,
            "volume": sum(v for v in e.volumes.values() if isinstance(v, (int, float)))
            if e.volumes
            else None,
            "volumes": json.dumps(e.volumes, sort_keys=True),
            "parameters": json.dumps(e.parameters, sort_keys=True),
            "note": e.note,
            "owner": e.owner,
            "busy_until": e.busy_until,
            "scope": e.scope,
        }
        for e in entries
    ]
    times = ["created_at", "updated_at", "busy_until"]
    df = pd.DataFrame(
        rows,
        columns=[
            "id",
            "state",
            "created_at",
            "updated_at",
            "quote_eur",
            "cost_eur",
            "token",
            "balance_before",
            "volume",
            "volumes",
            "parameters",
            "note",
            "owner",
            "busy_until",
            "scope",
        ],
    )
    for col in times:
        df[col] = pd.to_datetime(df[col].astype("float64"), unit="s", utc=True)
    return df
