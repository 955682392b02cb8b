"""Turn API responses (JSON dicts, or XML read back by :mod:`xmlparse`) into DataFrames.

Every frame carries its provenance in ``attrs`` (pandas-datareader style): ``source``
("api", "sandbox" or "csv"), ``synthetic``, ``op``, the targeting, the API's totals and
``fetched_at``. Both spellings of the contract (optin's ``Localite``/``CP`` and status's
``Location``/``cp``, numbers as strings, costs as 3-decimal strings) give the same columns.

Locality frames (calcul, price, rent, status) have one row per locality, no total row:
``locality_type`` (category: department, zipcode, france), ``locality`` (zero-padded
string), ``department`` (string; <NA> for France), ``volume`` (Int64), ``unit_cost_eur``,
``cost_eur`` (Float64, volume x unit cost rounded half-up to the cent). A targeting with no
geography gives a single row ``locality_type="france"``, ``locality="FR"``.

>>> payload = {"success": True, "op": "calcul",
...            "datas": [{"Type": "DEP", "Localite": "60", "Volume": 120},
...                      {"Type": "total", "Localite": "total", "Volume": 120}],
...            "cost": {"quantity": 120, "total": 10.8, "cost_unity": 0.09}}
>>> locality_frame(payload, op="calcul")[["locality", "volume", "cost_eur"]].to_dict("list")
{'locality': ['60'], 'volume': [120], 'cost_eur': [10.8]}
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from smsp_analytics import refdata
from smsp_analytics.accounts import (
    Credits,
    categories_frame,
    credits_from,
    documented_categories,
    load_categories_csv,
    phone_frame,
)
from smsp_analytics.errors import MalformedResponseError
from smsp_analytics.i18n import _
from smsp_analytics.vocab import GENDER_SPELLINGS
from smsp_analytics.wire.decoding import excerpt
from smsp_analytics.wire.spellings import (
    STATUS_CODES,
    normalise_location,
    normalise_rows,
    status_code_of,
)
from smsp_analytics.wire.values import (
    base_attrs,
    categorical_labels,
    check_totals,
    cost_object,
    number,
    plain_numbers,
    round_cents,
    whole_count,
)

__all__ = [
    "LOCALITY_COLUMNS",
    "LocalityRows",
    "parse_locality_rows",
    "rows_frame",
    "STATUS_CODES",
    "Credits",
    "locality_frame",
    "status_frame",
    "categories_frame",
    "load_categories_csv",
    "documented_categories",
    "phone_frame",
    "credits_from",
    "status_code_of",
]

LOCALITY_COLUMNS = [
    "locality_type",
    "locality",
    "department",
    "volume",
    "unit_cost_eur",
    "cost_eur",
]
LOCALITY_TYPES = ["department", "zipcode", "france"]


@cache
def _zip_department() -> dict[str, str]:
    z = refdata.zipcodes()
    return dict(zip(z.index, z["department"]))


@dataclass(frozen=True)
class LocalityRows:
    """A parsed calcul/price/rent/status answer: plain lists, cheap to keep in a memo and
    to concatenate (sweeps build one frame from many of them)."""

    kinds: list[str | None]
    localities: list[str | None]
    departments: list[str | None]
    volumes: list[float | None]
    unit: float | None
    quantity: float | None
    total_cost: float | None
    total_row: float | None


def _rows(
    kinds: list[str | None],
    locs: list[str | None],
    volumes: list[Any],
    unit: float | None,
    quantity: float | None,
    total_cost: float | None,
) -> LocalityRows:
    total_row = next(
        (number(v, "datas.Volume (total)") for k, v in zip(kinds, volumes) if k == "total"), None
    )
    keep = [i for i, k in enumerate(kinds) if k != "total"]
    if not keep:
        # No geography: one row for France as a whole, from the total row or the quantity.
        kinds_k: list[str | None] = ["france"]
        locs_k: list[str | None] = ["FR"]
        vols_k: list[float | None] = [total_row if total_row is not None else quantity]
    else:
        kinds_k = [kinds[i] for i in keep]
        locs_k = [locs[i] for i in keep]
        given = [volumes[i] for i in keep]
        # Thousands of plain numbers are read at once; anything else row by row, which
        # says what is wrong and where.
        plain = plain_numbers(given)
        vols_k = [*plain] if plain is not None else _volumes(given, locs_k)
        if len(set(locs_k)) != len(locs_k):
            seen: set[str | None] = set()
            for loc in locs_k:
                if loc in seen:  # two rows for one locality: which volume is it?
                    raise MalformedResponseError(
                        _("datas.Localite: {value} appears twice").format(value=excerpt(str(loc))),
                        field="datas.Localite",
                    )
                seen.add(loc)
    vol = np.array(vols_k, dtype="float64")  # None -> NaN
    with np.errstate(invalid="ignore"):
        odd = ~np.isnan(vol) & ((vol < 0) | (vol != np.floor(vol)))
    if odd.any():
        # A contact count is whole: truncating it would leave cost_eur (volume x unit
        # cost) disagreeing with the volume shown.
        i = int(np.argmax(odd))
        raise MalformedResponseError(
            _("datas.Volume of {locality}: {volume} is not a whole number >= 0").format(
                locality=locs_k[i], volume=f"{vol[i]:g}"
            ),
            field="datas.Volume",
        )
    for name, value in (
        ("cost.cost_unity", unit),
        ("cost.quantity", quantity),
        ("cost.total", total_cost),
    ):
        if value is not None and value < 0:
            raise MalformedResponseError(
                _("{field}: {value} is negative").format(field=name, value=f"{value:g}"), field=name
            )
    zipdep = _zip_department()
    deps = [
        loc
        if k == "department"
        else (zipdep.get(loc) if k == "zipcode" and loc is not None else None)
        for k, loc in zip(kinds_k, locs_k)
    ]
    return LocalityRows(kinds_k, locs_k, deps, vols_k, unit, quantity, total_cost, total_row)


def _volumes(given: list[Any], locs: list[str | None]) -> list[float | None]:
    """The volumes read one by one: the first unreadable or missing one is named."""
    vols = [number(v, f"datas.Volume of {loc}") for v, loc in zip(given, locs)]
    for v, loc, raw in zip(vols, locs, given):
        if v is None:  # an Int64 <NA> would read as "no contact" and price as 0 EUR
            raise MalformedResponseError(
                _("datas.Volume of {locality}: {value} is missing").format(
                    locality=loc, value=excerpt(repr(raw))
                ),
                field="datas.Volume",
            )
    return vols


def rows_frame(parts: list[LocalityRows], *, compact: bool = False) -> pd.DataFrame:
    """One frame from one or more parsed answers (the locality columns, in order).

    ``compact`` (sweeps: thousands of rows repeating the same labels) makes ``locality``
    and ``department`` categoricals of the labels present, sorted; the values, their
    order, comparisons and missing values are those of the string columns.

    >>> rows = LocalityRows(["department"] * 2, ["60", "02"], ["60", "02"], [5.0, 7.0],
    ...                     0.09, 12.0, 1.08, None)
    >>> df = rows_frame([rows, rows], compact=True)
    >>> df["locality"].tolist(), str(df["locality"].dtype), df["cost_eur"].tolist()
    (['60', '02', '60', '02'], 'category', [0.45, 0.63, 0.45, 0.63])
    """
    kinds = [k for p in parts for k in p.kinds]
    vol = (
        np.concatenate([np.array(p.volumes, dtype="float64") for p in parts])  # None -> NaN
        if parts
        else np.array([], dtype="float64")
    )
    unit = (
        np.concatenate([np.full(len(p.kinds), np.nan if p.unit is None else p.unit) for p in parts])
        if parts
        else np.array([], dtype="float64")
    )
    cost = round_cents(vol * unit)
    labels: dict[str, Any]
    if compact:
        labels = {
            "locality": categorical_labels([p.localities for p in parts]),
            "department": categorical_labels([p.departments for p in parts]),
        }
    else:
        labels = {
            "locality": pd.array([v for p in parts for v in p.localities], dtype="string"),
            "department": pd.array([v for p in parts for v in p.departments], dtype="string"),
        }
    return pd.DataFrame(
        {
            "locality_type": pd.Categorical(kinds, categories=LOCALITY_TYPES),
            **labels,
            "volume": pd.array(vol, dtype="Float64").astype("Int64")
            if len(vol)
            else pd.array([], dtype="Int64"),
            "unit_cost_eur": pd.array(unit, dtype="Float64"),
            "cost_eur": pd.array(cost, dtype="Float64"),
        }
    )


def parse_locality_rows(payload: dict[str, Any], *, op: str) -> LocalityRows:
    """The rows of a calcul, price or rent answer (warns if they miss the API's totals)."""
    datas = payload.get("datas")
    if not isinstance(datas, list):
        raise MalformedResponseError(
            _("{op} answer without a 'datas' list").format(op=op), field="datas"
        )
    odd = next((r for r in datas if not isinstance(r, dict)), None)
    if odd is not None:
        raise MalformedResponseError(
            _("datas: a row is {value}, not an object").format(value=excerpt(repr(odd))),
            field="datas",
        )
    rows = datas
    cost = cost_object(payload.get("cost"), "cost")
    kinds, locs = normalise_rows(
        [r.get("Type") for r in rows],
        [r["Localite"] if "Localite" in r else r.get("Location") for r in rows],
    )
    if op in ("price", "rent") and (
        number(cost.get("total"), "cost.total") is None
        or number(cost.get("cost_unity"), "cost.cost_unity") is None
    ):
        raise MalformedResponseError(
            _("{op} answer without cost.total and cost.cost_unity").format(op=op), field="cost"
        )
    parsed = _rows(
        kinds,
        locs,
        [r.get("Volume") for r in rows],
        number(cost.get("cost_unity"), "cost.cost_unity"),
        number(cost.get("quantity"), "cost.quantity"),
        number(cost.get("total"), "cost.total"),
    )
    got = int(sum(v for v in parsed.volumes if v is not None))
    check_totals(got, parsed.quantity, parsed.total_row, parsed.total_cost, parsed.unit, op)
    return parsed


def locality_frame(
    payload: dict[str, Any] | LocalityRows,
    *,
    op: str,
    targeting: Any = None,
    source: str = "api",
    synthetic: bool = False,
) -> pd.DataFrame:
    """The frame of a calcul, price or rent answer (one row per locality)."""
    parsed = payload if isinstance(payload, LocalityRows) else parse_locality_rows(payload, op=op)
    df = rows_frame([parsed])
    df.attrs.update(base_attrs(source, synthetic, op))
    df.attrs.update(
        {
            "targeting": targeting,
            "total_quantity": whole_count(parsed.quantity),
            "total_cost_eur": parsed.total_cost,
            "unit_cost_eur": parsed.unit,
        }
    )
    if isinstance(payload, dict) and payload.get("token"):
        df.attrs["token"] = str(payload["token"])
    return df


def _targeting_from_location(loc: dict[str, Any]) -> Any:
    from smsp_analytics.targeting import (
        Targeting,  # local: frames must not need targeting to import
    )

    try:
        raw = loc.get("sexe")
        sexe = GENDER_SPELLINGS.get(str(raw if raw is not None else "").strip().lower(), raw)
        ints = {}
        for key in ("interest", "subInterest", "category"):
            n = number(loc.get(key))
            if n is not None:
                ints[key] = int(n)
        lo, hi = number(loc.get("minAge")), number(loc.get("maxAge"))
        if not isinstance(sexe, str) or lo is None or hi is None:
            return None  # Targeting would refuse it: no gender spelling, no age bound
        deps = [d for d in str(loc.get("department") or "").split(",") if d.strip()]
        zips = [z for z in str(loc.get("zipcode") or "").split(",") if z.strip()]
        return Targeting(
            gender=sexe,
            age=(int(lo), int(hi)),
            interest=ints.get("interest"),
            sub_interest=ints.get("subInterest"),
            category=ints.get("category"),
            departments=tuple(deps),
            zipcodes=tuple(zips),
        )
    except (ValueError, TypeError):
        return None  # the raw location stays in attrs["location"]


def status_frame(
    payload: dict[str, Any], *, source: str = "api", synthetic: bool = False
) -> pd.DataFrame:
    """The frame of a status response: the locality columns (``volume`` = rented volume),
    plus ``available``, ``token``, ``status`` and ``status_code`` (Int64)."""
    loc = payload.get("location") or {}
    details = [r for r in (loc.get("details_localisation") or []) if isinstance(r, dict)]
    types = [r.get("Type") for r in details]
    locs = [r.get("Location", r.get("Localite")) for r in details]
    desired = [r.get("VolumeDesired", r.get("Volume")) for r in details]
    avail = [r.get("Volume") for r in details]
    cost = cost_object(loc.get("cost"), "location.cost")
    unit = number(cost.get("cost_unity"))
    quantity = number(cost.get("quantity"))
    kinds, locs_n = normalise_rows(types, locs)
    parsed = _rows(kinds, locs_n, desired, unit, quantity, number(cost.get("total")))
    df = rows_frame([parsed])
    keep = [i for i, k in enumerate(kinds) if k != "total"]
    av = (
        [avail[i] for i in keep]
        if keep
        else [next((avail[i] for i, k in enumerate(kinds) if k == "total"), None)]
    )
    df.insert(4, "available", pd.array([number(v) for v in av], dtype="Float64").astype("Int64"))
    token = payload.get("token")
    status = payload.get("status")
    code = status_code_of(status, payload.get("statusCode"))
    df.insert(0, "token", pd.Series([token] * len(df), dtype="string"))
    df.insert(1, "status", pd.Series([status] * len(df), dtype="string"))
    df.insert(2, "status_code", pd.array([code] * len(df), dtype="Int64"))
    check_totals(
        int(sum(v for v in parsed.volumes if v is not None)),
        quantity,
        None,
        parsed.total_cost,
        unit,
        "status",
    )
    df.attrs.update(base_attrs(source, synthetic, "status"))
    phone = number((payload.get("file") or {}).get("phoneNumbers"))
    df.attrs.update(
        {
            "token": token,
            "status": status,
            "status_code": code,
            "targeting": _targeting_from_location(loc),
            "location": normalise_location(loc),
            "total_quantity": whole_count(quantity),
            "total_cost_eur": number(cost.get("total")),
            "unit_cost_eur": unit,
            "phone_numbers": None if phone is None else int(phone),
        }
    )
    return df
