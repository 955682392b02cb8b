"""The report's "What changed since ..." part: the scenarios' earlier quotes in the quote
history against the report's own quotes, per locality (:func:`smsp_analytics.history.drift`).

The report's own calcul answers are the "after" side (whether or not the client recorded
them); the "before" side is, per scenario, the latest earlier quote of the same targeting
(``op`` calcul, ``as_of`` strictly before the report's, or the same ``as_of`` and fetched
before the report's answers: drift's own tie rule, so that on the sandbox, whose clock
reads noon all day, ``smsp calcul`` then ``smsp report`` compares) at or before ``since``, whose
default is the latest such quote of any scenario (``since`` is read by
:func:`smsp_analytics.vocab.parse_utc`, a bare date covering its whole day). No earlier
quote: no section.

>>> import pandas as pd
>>> frame = pd.DataFrame()
>>> frame.attrs["as_of"] = "2026-11-01T09:00:00+01:00"
>>> report_as_of([frame])
Timestamp('2026-11-01 08:00:00+0000', tz='UTC')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from smsp_analytics import refdata
from smsp_analytics.history import QuoteHistory, drift
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.scenarios import Scenario
from smsp_analytics.vocab import to_utc

__all__ = [
    "Changes",
    "history_of",
    "history_where",
    "scenario_changes",
    "report_as_of",
    "report_fetched_at",
]

_NEEDED = ["as_of", "source", "targeting_key", "locality", "volume", "unit_cost_eur"]
#: drift's statuses, in words of the language in force in the report's table.
_STATUS_WORDS = {
    "both": N_("both"),
    "before only": N_("before only"),
    "after only": N_("after only"),
}


@dataclass(frozen=True)
class Changes:
    """What the report shows: the drift frame (for the charts), its table, and ``since``."""

    drift: pd.DataFrame
    table: pd.DataFrame
    since: pd.Timestamp


def report_as_of(frames: Sequence[pd.DataFrame]) -> pd.Timestamp | None:
    """The earliest ``as_of`` (the server's clock) of the report's calcul answers."""
    stamps = []
    for f in frames:
        value = f.attrs.get("as_of") or f.attrs.get("fetched_at")
        if value:
            stamps.append(to_utc(value))
    return min(stamps) if stamps else None


def report_fetched_at(frames: Sequence[pd.DataFrame]) -> pd.Timestamp | None:
    """The earliest ``fetched_at`` (this machine's clock) of the report's calcul answers."""
    stamps = [to_utc(f.attrs["fetched_at"]) for f in frames if f.attrs.get("fetched_at")]
    return min(stamps) if stamps else None


def history_where(history: Any) -> str | None:
    """Where the report read the quote history when it was given a store (``smsp report``
    passes the one the other commands record into): its URL, password redacted; None
    otherwise (a frame, or the client's own history, perhaps a throw-away one).

    >>> history_where(QuoteHistory.open("sqlite://")), history_where(None)
    ('sqlite://', None)
    """
    return history.url if isinstance(history, QuoteHistory) else None


def history_of(
    client: Any, history: pd.DataFrame | QuoteHistory | None, scenarios: Sequence[Scenario]
) -> tuple[pd.DataFrame | None, str]:
    """The history frame to read (``history``; from a
    :class:`~smsp_analytics.history.QuoteHistory`, or without ``history`` from
    ``client.history(targeting, op="calcul")`` when the client has that method: the
    scenarios' calcul quotes) and, when there is none, a one-line note saying why."""
    if isinstance(history, pd.DataFrame):
        return history, ""
    if history is not None and not isinstance(history, QuoteHistory):
        raise TypeError(
            _(
                "history: expected a DataFrame from QuoteHistory.frame() or "
                "client.history(), or a QuoteHistory, got {type}"
            ).format(type=type(history).__name__)
        )
    reader = history.frame if history is not None else getattr(client, "history", None)
    if not callable(reader):
        return None, ""
    try:
        # One targeting at a time: a shared store may hold millions of other quotes.
        frames = [reader(s.targeting, op="calcul") for s in scenarios]
        return pd.concat(frames, ignore_index=True) if frames else None, ""
    except Exception as exc:  # the report never fails for the history: it says so instead
        return None, _(
            "What changed since the last quotes: not shown, the quote history could not be "
            "read ({error}: {reason})."
        ).format(error=type(exc).__name__, reason=exc)


def _own_rows(frame: pd.DataFrame, key: str, source: str, as_of: pd.Timestamp) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "as_of": as_of,
            "fetched_at": as_of,
            "source": source,
            "targeting_key": key,
            "op": "calcul",
            "locality": frame["locality"].astype(str).to_numpy(),
            "volume": pd.array(frame["volume"], dtype="Int64"),
            "unit_cost_eur": pd.array(frame["unit_cost_eur"], dtype="Float64"),
        }
    )


def _date(value: Any) -> Any:
    """The calendar day of a quote (UTC), None when the locality was not quoted then."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def scenario_changes(
    history: pd.DataFrame,
    scenarios: Sequence[Scenario],
    frames: Sequence[pd.DataFrame],
    as_of: pd.Timestamp,
    since: pd.Timestamp | None,
    synthetic: bool | None = None,
    fetched_at: pd.Timestamp | None = None,
) -> Changes | None:
    """The scenarios' changes since ``since`` (None: no earlier quote of any scenario).

    ``fetched_at``: when the report's answers were fetched (:func:`report_fetched_at`); a
    quote of the same ``as_of`` as the report's fetched before it is an earlier one.
    ``synthetic``: compare with sandbox quotes only (True) or API quotes only (False): a
    shared history holds both, and sandbox numbers say nothing about live ones."""
    missing = [c for c in _NEEDED if c not in history.columns]
    if missing:
        raise ValueError(
            _(
                "history: missing column(s) {columns}; pass the frame of "
                "QuoteHistory.frame() or client.history()"
            ).format(columns=", ".join(missing))
        )
    keys = {QuoteHistory.targeting_key(s.targeting): s for s in scenarios}
    stamps = pd.to_datetime(history["as_of"], utc=True)
    prior = stamps < as_of
    if fetched_at is not None and "fetched_at" in history.columns:
        fetched = pd.to_datetime(history["fetched_at"], utc=True)
        prior |= (stamps == as_of) & (fetched < fetched_at)
    mask = history["targeting_key"].astype(str).isin(keys).to_numpy() & prior.to_numpy()
    if "op" in history.columns:
        mask &= (history["op"].astype(str) == "calcul").to_numpy()
    if synthetic is not None:
        mask &= (history["source"].astype(str).str.startswith("sandbox") == synthetic).to_numpy()
    earlier = history.loc[mask, [c for c in _NEEDED + ["fetched_at"] if c in history.columns]]
    earlier = earlier.assign(as_of=stamps[mask], op="calcul")
    if "fetched_at" not in earlier.columns:
        earlier["fetched_at"] = earlier["as_of"]
    if earlier.empty:
        return None
    if since is None:
        since = earlier["as_of"].max()
    # The report's answers come after every earlier quote, even one of the same server time
    # (the sandbox's noon): drift compares by as_of, so they are placed just after it.
    after = max(as_of, earlier["as_of"].max() + pd.Timedelta(microseconds=1))
    own = []
    for key, frame in zip(keys, frames):
        quoted = earlier[earlier["targeting_key"].astype(str) == key]
        if quoted.empty:
            continue
        latest = quoted.sort_values(["as_of", "fetched_at"], kind="stable").iloc[-1]
        own.append(_own_rows(frame, key, str(latest["source"]), after))
    earlier = earlier.assign(fetched_at=pd.to_datetime(earlier["fetched_at"], utc=True))
    combined = pd.concat(
        [earlier.astype({"volume": "Int64", "unit_cost_eur": "Float64"}), *own], ignore_index=True
    )
    combined["locality"] = combined["locality"].astype(str)
    out = drift(combined, since=since)
    if not out["status"].isin(["both", "before only"]).any():
        return None
    names = refdata.departments()["name"]
    scenario = [keys[str(k)].name for k in out["targeting_key"]]
    out = out.assign(scenario=scenario)
    before = out["volume_before"].astype("Float64")
    ratio = out["volume_change"].astype("Float64") / before.where(before != 0)
    table = pd.DataFrame(
        {
            "scenario": scenario,
            "locality": out["locality"].astype(str),
            "locality_name": [str(names.get(c, c)) for c in out["locality"]],
            "status": [_(_STATUS_WORDS.get(str(v), str(v))) for v in out["status"]],
            "volume_before": out["volume_before"],
            "volume_after": out["volume_after"],
            "volume_change": out["volume_change"],
            "volume_change_ratio": ratio.astype("Float64").round(6),
            "unit_cost_before_eur": out["unit_cost_before"],
            "unit_cost_after_eur": out["unit_cost_after"],
            "quoted_before": [_date(v) for v in out["as_of_before"]],
            "quoted_after": [_date(v) for v in out["as_of_after"]],
        }
    )
    order = {s.name: i for i, s in enumerate(scenarios)}
    table = table.sort_values(
        ["scenario", "locality"],
        key=lambda c: c.map(order) if c.name == "scenario" else c,
        kind="stable",
    )
    return Changes(drift=out, table=table.reset_index(drop=True), since=since)
