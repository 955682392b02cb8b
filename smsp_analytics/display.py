"""How values read in every output: numbers, euros, percentages, titles, genders, sources.

The one house for display text, at the bottom of the one-way flow (it imports only the
standard library, pandas, the reference data and the vocabulary), so charts, the report,
the panel and the CLI read the same:

* euros: ``€1,234.56`` (euro sign first, comma thousands, dot decimals, two decimals; unit
  prices, the columns of :data:`UNIT_PRICE_COLUMNS`, three, since they are a few cents);
* counts: ``12,345``; shares (ratios): ``12.3%``; missing values: ``no data``;
* genders in words: the vendor's ``m`` is *mixed*, spelled "men and women".

>>> fmt_eur(1234.5), fmt_int(1234567), fmt_pct(0.1234), fmt_unit_price(0.045)
('€1,234.50', '1,234,567', '12.3%', '€0.045')
>>> gender_words("m"), column_title("cost_eur"), department_label("60")
('men and women', 'Cost (€)', '60 Oise')
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from smsp_analytics import refdata
from smsp_analytics.vocab import (
    CATEGORY_CODES,
    GENDER_ALLOWED,
    GENDER_SPELLINGS,
    GENDER_WORDS,
    SYNTHETIC_MARK,
    TARGETING_FIELDS,
    VENDOR_FIELDS,
    normalize_department,
)

__all__ = [
    "NO_DATA",
    "SYNTHETIC_MARK",
    "GENDER_WORDS",
    "UNIT_PRICE_COLUMNS",
    "Totals",
    "is_missing",
    "fmt_int",
    "fmt_eur",
    "fmt_unit_price",
    "fmt_pct",
    "fmt_value",
    "value_kind",
    "is_unit_price",
    "column_title",
    "gender_words",
    "gender_code",
    "describe_targeting",
    "department_label",
    "is_synthetic",
    "source_line",
    "frame_totals",
]

NO_DATA = "no data"
# SYNTHETIC_MARK and GENDER_WORDS (the vendor's ``m`` is the mixed audience: never just
# "men") come from the vocabulary and are re-exported: outputs read them from here.

#: Euro columns holding a price per contact or per SMS: a few cents, shown with three
#: decimals (0.038 must not read 0.04) wherever they are displayed (Excel too).
UNIT_PRICE_COLUMNS: frozenset[str] = frozenset(
    {
        "unit_cost_eur",
        "unit_cost_before_eur",
        "unit_cost_after_eur",
        "price_per_sms_eur",
        "cost_per_contact_eur",
    }
)

# Titles with unit, by column name; unknown columns fall back to a capitalised name with the
# unit read from the name (see value_kind).
_TITLES: dict[str, str] = {
    "volume": "Volume (contacts)",
    "available": "Available (contacts)",
    "planned_volume": "Planned volume (contacts)",
    "cost_eur": "Cost (€)",
    "unit_cost_eur": "Unit cost (€ per contact)",
    "penetration": "Penetration (% of adults)",
    "department": "Department",
    "locality": "Locality",
    "age_band": "Age band (years)",
    "age": "Age band (years)",  # a sweep's age column holds bands ("18-24")
    "ages": "Ages",
    "gender": "Gender",
    "interest": "Interest",
    "interest_name": "Interest name",
    "sub_interest": "Sub-interest",
    "category": "Category",
    "csp": "Socio-professional category",
    "scenario": "Scenario",
    "targeting": "Targeting",
    "department_label": "Department",
    "department_name": "Department name",
    "region_name": "Region",
    "locality_type": "Locality type",
    "share": "Share",
    "rental_cost_eur": "Rental cost (€)",
    "sending_cost_eur": "Sending cost (€)",
    "total_cost_eur": "Total cost (€)",
    "volume_change_pct": "Change in volume (%)",
    "volume_change_ratio": "Change in volume (%)",
    "parts": "SMS parts per message",
}


def is_missing(x: Any) -> bool:
    """True for None, ``pd.NA``, NaN and NaT: a value shown as ``no data``.

    >>> is_missing(None), is_missing(float("nan")), is_missing(0)
    (True, True, False)
    """
    if x is None or x is pd.NA:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):  # list-likes: not one missing value
        return False


def fmt_int(x: Any) -> str:
    """Counts with thousands separators: ``12,345``; missing as ``no data``.

    >>> fmt_int(999.6)
    '1,000'
    """
    if is_missing(x):
        return NO_DATA
    return f"{round(float(x)):,}"


def fmt_eur(x: Any, decimals: int = 2) -> str:
    """Euros: ``€1,234.56``; negative as ``-€1.00``; missing as ``no data``.

    >>> fmt_eur(-1), fmt_eur(0.045, decimals=3)
    ('-€1.00', '€0.045')
    """
    if is_missing(x):
        return NO_DATA
    x = float(x)
    sign = "-" if x < 0 else ""
    return f"{sign}€{abs(x):,.{decimals}f}"


def fmt_unit_price(x: Any) -> str:
    """A price per contact, three decimals so 0.045 does not read 0.05.

    >>> fmt_unit_price(0.09)
    '€0.090'
    """
    return fmt_eur(x, 3)


def fmt_pct(x: Any, decimals: int = 1) -> str:
    """A ratio as a percentage: ``0.1234`` -> ``12.3%``; missing as ``no data``.

    >>> fmt_pct(0.5, decimals=0)
    '50%'
    """
    if is_missing(x):
        return NO_DATA
    return f"{float(x) * 100:,.{decimals}f}%"


def value_kind(column: str) -> str:
    """How a column's values are formatted: ``"eur"``, ``"pct"`` or ``"int"``.

    By name: euros live in ``*_eur`` columns, ratios in ``penetration``, ``share``,
    ``*_share`` and ``*_ratio``, so the unit follows the column without another argument.

    >>> value_kind("cost_eur"), value_kind("penetration"), value_kind("volume")
    ('eur', 'pct', 'int')
    """
    if column.endswith("_eur"):
        return "eur"
    if column in ("penetration", "share") or column.endswith(("_share", "_ratio")):
        return "pct"
    return "int"


def is_unit_price(column: str) -> bool:
    """Whether a column holds unit prices (three decimals): one of
    :data:`UNIT_PRICE_COLUMNS`, or any ``unit_*_eur`` column.

    >>> is_unit_price("price_per_sms_eur"), is_unit_price("unit_x_eur"), is_unit_price("cost_eur")
    (True, True, False)
    """
    return column in UNIT_PRICE_COLUMNS or (column.startswith("unit_") and column.endswith("_eur"))


def fmt_value(x: Any, column: str) -> str:
    """Format ``x`` as the values of ``column`` are formatted (see :func:`value_kind`).

    Text (an age band, a name) is shown as it is.

    >>> fmt_value(0.045, "unit_cost_eur"), fmt_value(1234, "volume"), fmt_value("18-24", "age")
    ('€0.045', '1,234', '18-24')
    >>> fmt_value(0.038, "price_per_sms_eur"), fmt_value(12, "cost_eur")
    ('€0.038', '€12.00')
    """
    if is_missing(x):
        return NO_DATA
    if isinstance(x, str) or isinstance(x, bool) or not isinstance(x, numbers.Real):
        return str(x)
    kind = value_kind(column)
    if kind == "eur":
        return fmt_unit_price(x) if is_unit_price(column) else fmt_eur(x)
    if kind == "pct":
        # Sub-percent penetrations would all read "0.1%" with one decimal.
        return fmt_pct(x, 1 if abs(float(x)) >= 0.01 else 3)
    return fmt_int(x)


def column_title(column: str) -> str:
    """Title with unit for a column (axis, table header, sheet header).

    >>> column_title("volume"), column_title("budget_eur"), column_title("region_name")
    ('Volume (contacts)', 'Budget (€)', 'Region')
    """
    if column in _TITLES:
        return _TITLES[column]
    base = column[: -len("_eur")] if column.endswith("_eur") else column
    label = base.replace("_", " ").capitalize()
    return {"eur": f"{label} (€)", "pct": f"{label} (%)"}.get(value_kind(column), label)


def gender_code(value: Any) -> str:
    """The vendor code (``"m"``, ``"h"``, ``"f"``) of any spelling Targeting accepts.

    >>> gender_code("Women"), gender_code("all")
    ('f', 'm')
    """
    code = GENDER_SPELLINGS.get(str(value).strip().lower())
    if code is None:
        raise ValueError(f"gender: unknown value {value!r}; allowed: {GENDER_ALLOWED}")
    return code


def gender_words(code: Any) -> str:
    """Gender in words: ``f`` -> women, ``h`` -> men, ``m`` (mixed) -> men and women.

    >>> gender_words("h"), gender_words("mixed")
    ('men', 'men and women')
    """
    return GENDER_WORDS[gender_code(code)]


@cache
def _department_names() -> dict[str, str]:
    deps = refdata.departments()
    return {str(c): str(n) for c, n in zip(deps.index, deps["name"])}


def department_label(code: Any) -> str:
    """A department code with its name: ``"60 Oise"``; other localities as given.

    Integer-like codes are padded (``2`` -> ``"02 Aisne"``); a zip code or an unknown code
    is returned as text, so any locality column can be labelled.

    >>> department_label(2), department_label("75000")
    ('02 Aisne', '75000')
    """
    if is_missing(code):
        return NO_DATA
    s = normalize_department(code)
    name = None if s is None else _department_names().get(s)
    return f"{s} {name}" if name else str(code)


def _targeting_fields(t: Any) -> dict[str, Any]:
    """Targeting fields from a ``Targeting``, its fields dict or a vendor parameters dict."""
    if not isinstance(t, Mapping):
        return {k: getattr(t, k, None) for k in TARGETING_FIELDS}
    if "sexe" in t or "minAge" in t:  # the vendor's spelling

        def codes(v: Any) -> tuple[str, ...]:
            return tuple(c.strip() for c in str(v).split(",") if c.strip()) if v else ()

        out: dict[str, Any] = {VENDOR_FIELDS[p]: t.get(p) for p in VENDOR_FIELDS}
        out.update(
            gender=t.get("sexe", "m"),
            age=(t.get("minAge"), t.get("maxAge")),
            departments=codes(t.get("department")),
            zipcodes=codes(t.get("zipcode")),
        )
        return out
    return dict(t)


def describe_targeting(t: Any, max_localities: int = 6) -> str:
    """One line describing a targeting, gender in words.

    Accepts a ``Targeting``, a dict of its fields, or the vendor ``parameters`` dict.

    >>> describe_targeting({"sexe": "f", "minAge": 25, "maxAge": 35, "interest": 14,
    ...                     "department": "60,02"})
    'women, 25-35, interest 14, departments 60, 02'
    """
    f = _targeting_fields(t)
    parts = [gender_words(f.get("gender") or "m")]
    age = f.get("age")
    if isinstance(age, str):
        parts.append(age)
    elif age and not any(is_missing(a) for a in age):
        parts.append(f"{int(age[0])}-{int(age[1])}")
    for key, word in (("interest", "interest"), ("sub_interest", "sub-interest")):
        if not is_missing(f.get(key)):
            parts.append(f"{word} {f[key]}")
    cat = f.get("category")
    if cat is not None and not is_missing(cat):  # `is not None` narrows for the type checker
        parts.append(
            CATEGORY_CODES.get(int(cat), f"category {cat}") if str(cat).isdigit() else str(cat)
        )
    for key, word in (("departments", "department"), ("zipcodes", "zip code")):
        codes = [str(c) for c in (f.get(key) or ())]
        if codes:
            shown = ", ".join(codes[:max_localities])
            more = f" (+{len(codes) - max_localities})" if len(codes) > max_localities else ""
            parts.append(f"{word}{'s' if len(codes) > 1 else ''} {shown}{more}")
    if not f.get("departments") and not f.get("zipcodes"):
        parts.append("all France")
    return ", ".join(parts)


def is_synthetic(df: pd.DataFrame, synthetic: bool | None = None) -> bool:
    """Whether ``df`` comes from the sandbox (``attrs["synthetic"]``); ``synthetic=`` wins.

    >>> df = pd.DataFrame({"volume": [1]}); df.attrs["synthetic"] = True
    >>> is_synthetic(df), is_synthetic(df, synthetic=False)
    (True, False)
    """
    if synthetic is not None:
        return bool(synthetic)
    return bool(df.attrs.get("synthetic", False))


def source_line(df: pd.DataFrame) -> str:
    """Where a frame's numbers come from: the synthetic mark, or the API and fetch time.

    >>> df = pd.DataFrame(); df.attrs.update(synthetic=False, fetched_at="2026-01-02T03:04:05")
    >>> source_line(df)
    'Source: SMS Partner API, fetched 2026-01-02T03:04:05'
    """
    if is_synthetic(df):
        return SYNTHETIC_MARK
    fetched = df.attrs.get("fetched_at")
    return "Source: SMS Partner API" + (f", fetched {fetched}" if fetched else "")


@dataclass(frozen=True)
class Totals:
    """A frame's totals: contacts, cost and price per contact (None when unknown)."""

    volume: int
    cost_eur: float | None
    unit_cost_eur: float | None


def _number(x: Any) -> float | None:
    return None if is_missing(x) else float(x)


def frame_totals(df: pd.DataFrame) -> Totals:
    """Totals of a calcul/price/sweep frame: the API's totals (``attrs``) when present.

    Otherwise the sum of the ``volume`` and ``cost_eur`` columns, and the first unit cost.

    >>> df = pd.DataFrame({"volume": [10, 5], "cost_eur": [0.9, 0.45]})
    >>> frame_totals(df)
    Totals(volume=15, cost_eur=1.35, unit_cost_eur=None)
    >>> df.attrs.update(unit_cost_eur=0.09, total_quantity=15, total_cost_eur=1.35)
    >>> frame_totals(df).unit_cost_eur
    0.09
    """
    a = df.attrs
    volume = _number(a.get("total_quantity"))
    if volume is None:
        volume = float(df["volume"].sum()) if "volume" in df.columns else 0.0
    cost = _number(a.get("total_cost_eur"))
    if cost is None and "cost_eur" in df.columns and df["cost_eur"].notna().any():
        cost = float(df["cost_eur"].sum())
    unit = _number(a.get("unit_cost_eur"))
    if unit is None and "unit_cost_eur" in df.columns and df["unit_cost_eur"].notna().any():
        unit = float(df["unit_cost_eur"].dropna().iloc[0])
    return Totals(int(round(volume)), None if cost is None else round(cost, 2), unit)
