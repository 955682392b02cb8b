"""What changed between two dates, per targeting and locality, from a history frame."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from smsp_analytics.history._fields import canonical_targeting, check_ops, until_before_since
from smsp_analytics.i18n import _
from smsp_analytics.vocab import TARGETING_COLUMNS, parse_utc

__all__ = ["drift", "DRIFT_COLUMNS"]


DRIFT_COLUMNS = [
    "source",
    "op",
    "targeting_key",
    *TARGETING_COLUMNS,
    "locality_type",
    "locality",
    "status",
    "volume_before",
    "volume_after",
    "volume_change",
    "volume_change_pct",
    "unit_cost_before",
    "unit_cost_after",
    "as_of_before",
    "as_of_after",
]
_REQUIRED = ["as_of", "fetched_at", "source", "locality", "volume", "unit_cost_eur"]
_STATUS = {"both": "both", "left_only": "before only", "right_only": "after only"}


def _latest(df: pd.DataFrame, qcols: list[str]) -> pd.DataFrame:
    """The rows of the latest quote of each targeting (ties on ``as_of`` broken by
    ``fetched_at``, then by the quote id)."""
    if df.empty:
        return df
    latest = df.drop_duplicates("_key", keep="last")[["_key", *qcols]]
    return df.merge(latest, on=["_key", *qcols]).drop_duplicates(["_key", "locality"], keep="last")


def drift(
    history: pd.DataFrame, *, since: Any, until: Any = None, op: str | Iterable[str] | None = None
) -> pd.DataFrame:
    """For each targeting (and source and op) and locality, the latest quote with ``as_of``
    at or before ``since`` against the latest at or before ``until`` (default: the latest).

    ``history`` is a frame from ``QuoteHistory.frame`` / ``client.history()``. ``since`` and
    ``until`` are dates, ISO strings or datetimes; a bare date covers its whole day. ``op``
    keeps some ops only (pass ``op="calcul"`` to compare audiences, not asked volumes); a
    quote is only ever compared with a quote of the same op (a price's asked volumes are not
    an audience).
    A quote is compared as a whole: a locality present on one side only has ``status``
    "before only" or "after only" (never dropped); else "both". ``volume_change_pct`` is in
    percent (NA when the volume before is 0 or missing).

    >>> h = pd.DataFrame({"as_of": ["2026-09-01", "2026-10-01", "2026-10-01"],
    ...                   "fetched_at": ["2026-09-01", "2026-10-01", "2026-10-01"],
    ...                   "source": "sandbox:seed=0", "targeting_key": "t1",
    ...                   "locality": ["60", "60", "02"], "volume": [100, 110, 5],
    ...                   "unit_cost_eur": 0.09})
    >>> drift(h, since="2026-09-15")[["locality", "status", "volume_change_pct"]]
      locality      status  volume_change_pct
    0       02  after only               <NA>
    1       60        both               10.0
    """
    missing = [c for c in _REQUIRED if c not in history.columns]
    if "targeting_key" not in history.columns:
        missing += [c for c in TARGETING_COLUMNS if c not in history.columns]
    if missing:
        raise ValueError(
            _(
                "history: missing column(s) {columns}; pass the frame of QuoteHistory.frame() "
                "or client.history()"
            ).format(columns=", ".join(missing))
        )
    lo = parse_utc(since, "since", end_of_day=True)
    if lo is None:
        raise ValueError(_("since: required; allowed: a date, a datetime or an ISO string"))
    hi = parse_utc(until, "until", end_of_day=True)
    if hi is not None and hi < lo:
        raise ValueError(until_before_since(until, since))
    ops = check_ops(op)

    df = history.copy()
    if ops is not None and "op" in df.columns:
        df = df[df["op"].isin(ops)]
    for c in ("as_of", "fetched_at"):
        df[c] = pd.to_datetime(df[c], utc=True)
    if "targeting_key" not in df.columns:
        df["targeting_key"] = [
            canonical_targeting(dict(zip(TARGETING_COLUMNS, r)))[0]
            for r in df[list(TARGETING_COLUMNS)].itertuples(index=False)
        ]
    # Plain object keys: pyarrow-backed strings cannot be merged when both sides are empty.
    if "op" not in df.columns:
        df["op"] = pd.NA
    df["_key"] = (
        df["source"].astype(str)
        + "|"
        + df["op"].astype(str)
        + "|"
        + df["targeting_key"].astype(str)
    ).astype(object)
    df["locality"] = df["locality"].astype(object)
    qcols = ["as_of", "fetched_at", *(["quote_id"] if "quote_id" in df.columns else [])]
    df = df.sort_values(qcols, kind="stable")

    side_cols = ["_key", "locality", "volume", "unit_cost_eur", "as_of"]
    before = _latest(df[df["as_of"] <= lo], qcols)[side_cols]
    after = _latest(df if hi is None else df[df["as_of"] <= hi], qcols)[side_cols]
    out = before.merge(
        after,
        on=["_key", "locality"],
        how="outer",
        suffixes=("_before", "_after"),
        indicator=True,
        sort=True,
    )
    out["status"] = out.pop("_merge").astype(str).map(_STATUS)

    info_cols = [c for c in DRIFT_COLUMNS[: len(TARGETING_COLUMNS) + 3] if c in df.columns]
    info = df.drop_duplicates("_key", keep="last").set_index("_key")[info_cols]
    out = out.join(info, on="_key")
    if "locality_type" in df.columns:
        types = df.drop_duplicates(["_key", "locality"], keep="last")
        out = out.merge(
            types[["_key", "locality", "locality_type"]], on=["_key", "locality"], how="left"
        )
    out = out.rename(
        columns={
            "unit_cost_eur_before": "unit_cost_before",
            "unit_cost_eur_after": "unit_cost_after",
        }
    )
    for c in ("volume_before", "volume_after"):
        out[c] = out[c].astype("Int64")
    out["volume_change"] = out["volume_after"] - out["volume_before"]
    base = out["volume_before"].astype("Float64")
    out["volume_change_pct"] = (
        out["volume_change"].astype("Float64") * 100.0 / base.where(base != 0)
    ).round(4)
    for c in ("unit_cost_before", "unit_cost_after"):
        out[c] = out[c].astype("Float64")
    for c in DRIFT_COLUMNS:
        if c not in out.columns:
            out[c] = pd.NA
    out = out[DRIFT_COLUMNS].reset_index(drop=True)
    for c in ("locality", "status"):
        out[c] = out[c].astype("string")
    out.attrs.update(
        {
            "since": lo.isoformat(),
            "until": None if hi is None else hi.isoformat(),
            "synthetic": bool(out["source"].astype(str).str.startswith("sandbox").any()),
        }
    )
    return out
