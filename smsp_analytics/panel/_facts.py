"""What the panel reads from a calcul frame, read once per frame: per-department sums for
the figures, per-locality volumes for the rent box, totals for the campaign box.

Why once: the bars, the map, the rent box and the campaign box all need the same few
columns, and pandas copies a frame's ``attrs`` (its targeting, with every department) into
each column it hands out; reading the columns once, as lists, keeps an update cheap.

>>> import pandas as pd
>>> rows = pd.DataFrame({"locality_type": ["department"] * 3, "locality": ["60", "02", "60200"],
...                      "department": ["60", "02", "60"], "volume": [10, 30, 5],
...                      "cost_eur": [0.9, 2.7, 0.45]})
>>> facts = frame_facts(rows)
>>> [(s.code, s.volume) for s in facts.departments], facts.contacts, facts.rental_cost_eur
([('02', 30.0), ('60', 15.0)], 45, 4.05)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd

from smsp_analytics.display import is_missing

__all__ = ["DepartmentSum", "FrameFacts", "frame_facts"]


@dataclass(frozen=True)
class DepartmentSum:
    """Volume and cost of one department (None when every row of it lacks the value)."""

    code: str
    volume: float | None
    cost: float | None


@dataclass(frozen=True)
class FrameFacts:
    """``departments``: per-department sums, largest volume first, ties (and missing
    volumes, last) by code (the bars' order); ``localities``: volume per targeted locality
    (``{"total": n}`` for a nationwide answer); ``contacts`` and ``rental_cost_eur``: the
    sums over every row; ``department_codes``: the departments in the frame's order."""

    departments: tuple[DepartmentSum, ...]
    localities: dict[str, int]
    contacts: int
    rental_cost_eur: float
    department_codes: tuple[str, ...]


def _add(total: float | None, value: Any) -> float | None:
    if is_missing(value):
        return total
    return float(value) + (total or 0.0)


def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


# The last frame read and its facts: the panel, the rent box and the campaign box ask in turn.
_last: tuple[pd.DataFrame | None, FrameFacts | None] = (None, None)
_lock = threading.Lock()


def frame_facts(frame: pd.DataFrame) -> FrameFacts:
    """The facts of ``frame`` (a calcul or price frame), computed once per frame object."""
    global _last
    with _lock:
        seen, facts = _last
    if seen is frame and facts is not None:
        return facts
    bare = pd.DataFrame(frame)  # no attrs: pandas would copy them into each column read
    kinds, localities = _column(bare, "locality_type"), _column(bare, "locality")
    codes, volumes = _column(bare, "department"), _column(bare, "volume")
    costs = _column(bare, "cost_eur")
    sums: dict[str, list[float | None]] = {}
    for code, volume, cost in zip(codes, volumes, costs):
        if is_missing(code):
            continue
        entry = sums.setdefault(str(code), [None, None])
        entry[0] = _add(entry[0], volume)
        entry[1] = _add(entry[1], cost)
    ordered = sorted(sums.items(), key=lambda kv: (kv[1][0] is None, -(kv[1][0] or 0.0), kv[0]))
    contacts = int(sum(float(v) for v in volumes if not is_missing(v)))
    targeted = {
        str(loc): int(v)
        for loc, kind, v in zip(localities, kinds, volumes)
        if str(kind).lower() not in ("total", "france") and not is_missing(v)
    }
    facts = FrameFacts(
        departments=tuple(DepartmentSum(code, vol, cost) for code, (vol, cost) in ordered),
        localities=targeted or {"total": contacts},
        contacts=contacts,
        rental_cost_eur=round(sum(float(c) for c in costs if not is_missing(c)), 2),
        department_codes=tuple(dict.fromkeys(str(c) for c in codes if not is_missing(c))),
    )
    with _lock:
        _last = (frame, facts)
    return facts
