"""Words around the numbers: column titles, genders, targetings, departments, sources, totals.

Every sentence is translated at use time (``_()``), so a title or a targeting reads in the
language in force; the vendor's and INSEE's names (departments, categories) stay as they are.

>>> gender_words("m"), column_title("cost_eur"), department_label("60")
('men and women', 'Cost (€)', '60 Oise')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from smsp_analytics import refdata
from smsp_analytics.display.formats import is_missing, no_data, value_kind
from smsp_analytics.i18n import N_, _
from smsp_analytics.vocab import (
    CATEGORY_CODES,
    GENDER_ALLOWED,
    GENDER_SPELLINGS,
    GENDER_WORDS,
    SYNTHETIC_MARK,
    SYNTHETIC_MARK_SEEDED,
    TARGETING_FIELDS,
    VENDOR_FIELDS,
    normalize_department,
)

__all__ = [
    "Totals",
    "column_title",
    "gender_words",
    "gender_code",
    "describe_targeting",
    "department_label",
    "is_synthetic",
    "synthetic_text",
    "source_line",
    "frame_totals",
]

# Titles with unit, by column name (English msgids, translated at use time); unknown columns
# fall back to a capitalised name with the unit read from the name (see value_kind).
_TITLES: dict[str, str] = {
    "volume": N_("Volume (contacts)"),
    "available": N_("Available (contacts)"),
    "planned_volume": N_("Planned volume (contacts)"),
    "cost_eur": N_("Cost (€)"),
    "unit_cost_eur": N_("Unit cost (€ per contact)"),
    "penetration": N_("Penetration (% of adults)"),
    "department": N_("Department"),
    "locality": N_("Locality"),
    "age_band": N_("Age band (years)"),
    "age": N_("Age band (years)"),  # a sweep's age column holds bands ("18-24")
    "ages": N_("Ages"),
    "gender": N_("Gender"),
    "interest": N_("Interest"),
    "interest_name": N_("Interest name"),
    "sub_interest": N_("Sub-interest"),
    "category": N_("Category"),
    "csp": N_("Socio-professional category"),
    "scenario": N_("Scenario"),
    "targeting": N_("Targeting"),
    "department_label": N_("Department"),
    "department_name": N_("Department name"),
    "region_name": N_("Region"),
    "locality_type": N_("Locality type"),
    "share": N_("Share"),
    "rental_cost_eur": N_("Rental cost (€)"),
    "sending_cost_eur": N_("Sending cost (€)"),
    "total_cost_eur": N_("Total cost (€)"),
    "volume_change_pct": N_("Change in volume (%)"),
    "volume_change_ratio": N_("Change in volume (%)"),
    "parts": N_("SMS parts per message"),
    "budget_eur": N_("Budget (€)"),
    "price_per_sms_eur": N_("Price per SMS (€)"),
    "cost_per_contact_eur": N_("Cost per contact (€)"),
    "month": N_("Month"),
    "date": N_("Date"),
    "sms_sent": N_("SMS sent"),
    "cost_per_sms_eur": N_("Cost per SMS (€)"),
    "name": N_("Name"),
    "region": N_("Region"),
}


def column_title(column: str) -> str:
    """Title with unit for a column (axis, table header, sheet header).

    >>> column_title("volume"), column_title("budget_eur"), column_title("region_name")
    ('Volume (contacts)', 'Budget (€)', 'Region')
    >>> column_title("some_share"), column_title("spend_eur")
    ('Some share (%)', 'Spend (€)')
    """
    if column in _TITLES:
        return _(_TITLES[column])
    base = column[: -len("_eur")] if column.endswith("_eur") else column
    label = base.replace("_", " ").capitalize()
    kind = value_kind(column)
    if kind == "eur":
        return _("{label} (€)").format(label=label)
    if kind == "pct":
        return _("{label} (%)").format(label=label)
    return label


def gender_code(value: Any) -> str:
    """The vendor code (``"m"``, ``"h"``, ``"f"``) of any spelling Targeting accepts.

    >>> gender_code("Women"), gender_code("all"), gender_code("tous")
    ('f', 'm', 'm')
    """
    code = GENDER_SPELLINGS.get(str(value).strip().lower())
    if code is None:
        raise ValueError(
            _("gender: unknown value {value}; allowed: {allowed}").format(
                value=repr(value), allowed=_(GENDER_ALLOWED)
            )
        )
    return code


def gender_words(code: Any) -> str:
    """Gender in words: ``f`` -> women, ``h`` -> men, ``m`` (mixed) -> men and women.

    >>> gender_words("h"), gender_words("mixed")
    ('men', 'men and women')
    """
    return _(GENDER_WORDS[gender_code(code)])


@cache
def _department_names() -> dict[str, str]:
    deps = refdata.departments()
    return {str(c): str(n) for c, n in zip(deps.index, deps["name"])}


def department_label(code: Any) -> str:
    """A department code with its name: ``"60 Oise"``; other localities as given.

    Integer-like codes are padded (``2`` -> ``"02 Aisne"``); a zip code or an unknown code
    is returned as text, so any locality column can be labelled. INSEE's names, in French
    in both languages.

    >>> department_label(2), department_label("75000")
    ('02 Aisne', '75000')
    """
    if is_missing(code):
        return no_data()
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


def _localities(key: str, codes: list[str], max_localities: int) -> str:
    shown = ", ".join(codes[:max_localities])
    if len(codes) > max_localities:
        shown = _("{shown} (+{more})").format(shown=shown, more=len(codes) - max_localities)
    if key == "departments":
        text = _("department {codes}") if len(codes) == 1 else _("departments {codes}")
    else:
        text = _("zip code {codes}") if len(codes) == 1 else _("zip codes {codes}")
    return text.format(codes=shown)


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
        parts.append(_("{low}-{high}").format(low=int(age[0]), high=int(age[1])))
    if not is_missing(f.get("interest")):
        parts.append(_("interest {id}").format(id=f["interest"]))
    if not is_missing(f.get("sub_interest")):
        parts.append(_("sub-interest {id}").format(id=f["sub_interest"]))
    cat = f.get("category")
    if cat is not None and not is_missing(cat):  # `is not None` narrows for the type checker
        if str(cat).isdigit():
            named = CATEGORY_CODES.get(int(cat))
            parts.append(named or _("category {id}").format(id=cat))
        else:
            parts.append(str(cat))
    for key in ("departments", "zipcodes"):
        codes = [str(c) for c in (f.get(key) or ())]
        if codes:
            parts.append(_localities(key, codes, max_localities))
    if not f.get("departments") and not f.get("zipcodes"):
        parts.append(_("all France"))
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


def synthetic_text(seed: int | None = None) -> str:
    """The synthetic mark as people read it, in the language in force (naming the seed).

    Exports keep the English :data:`~smsp_analytics.vocab.SYNTHETIC_MARK`, machine-readable.

    >>> synthetic_text(3)
    'SYNTHETIC DATA (sandbox, seed 3)'
    """
    return _(SYNTHETIC_MARK) if seed is None else _(SYNTHETIC_MARK_SEEDED).format(seed=seed)


def source_line(df: pd.DataFrame) -> str:
    """Where a frame's numbers come from: the synthetic mark, or the API and fetch time.

    >>> df = pd.DataFrame(); df.attrs.update(synthetic=False, fetched_at="2026-01-02T03:04:05")
    >>> source_line(df)
    'Source: SMS Partner API, fetched 2026-01-02T03:04:05'
    """
    if is_synthetic(df):
        return synthetic_text()
    fetched = df.attrs.get("fetched_at")
    if fetched:
        return _("Source: SMS Partner API, fetched {when}").format(when=fetched)
    return _("Source: SMS Partner API")


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
