"""The standard cost comparison: scenarios, and the tables built from sweeps.

A :class:`Scenario` is a name and a :class:`~smsp_analytics.targeting.Targeting`. The report
compares the scenarios as a whole (one ``calcul`` each: the client's own totals), then breaks
each one down by department and re-runs it with one criterion changed at a time, the others
held (``sweep`` over that criterion):

* age: each standard age band that overlaps the scenario's ages, clipped to them;
* gender: women, men, and men and women (the vendor's mixed audience);
* interest: each main interest of the catalogue (the scenario's sub-interest dropped, since a
  sub-interest must belong to its interest);
* CSP: all, CSP+ (102), CSP- (103).

Then a budget plan (``plan_budget``) of each scenario for the same budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from smsp_analytics import refdata
from smsp_analytics.display import gender_words
from smsp_analytics.i18n import N_, _, use_lang
from smsp_analytics.targeting import Targeting, departments_of_region
from smsp_analytics.vocab import CATEGORY_CODES

__all__ = [
    "Scenario",
    "DEFAULT_REGION",
    "DEFAULT_SCENARIOS",
    "DEFAULT_BUDGET_EUR",
    "AGE_BANDS",
    "CSP_OPTIONS",
    "GENDER_OPTIONS",
    "csp_options",
    "gender_options",
    "default_scenarios",
    "age_bands_within",
    "band_label",
    "describe",
    "with_changes",
]

#: The region of the default scenarios (its 5 departments: 02, 59, 60, 62, 80).
DEFAULT_REGION = "Hauts-de-France"
DEFAULT_BUDGET_EUR = 5000.0
#: Standard age bands (inclusive), the API's full range 18..98.
AGE_BANDS: tuple[tuple[int, int], ...] = ((18, 24), (25, 34), (35, 49), (50, 64), (65, 98))
_GENDERS = ("f", "h", "m")
_ALL = N_("All")
#: Gender codes in the order shown, with their English words (the vendor's ``m`` is mixed);
#: :func:`gender_options` gives them in the language in force.
GENDER_OPTIONS: dict[str, str] = {g: gender_words(g) for g in _GENDERS}
#: CSP options: None = no category filter, then the vendor's categories (English words;
#: :func:`csp_options` in the language in force).
CSP_OPTIONS: dict[int | None, str] = {None: _ALL} | dict(CATEGORY_CODES)


def gender_options() -> dict[str, str]:
    """Gender codes in the order shown, with their words in the language in force.

    >>> from smsp_analytics.i18n import use_lang
    >>> with use_lang("en"):
    ...     gender_options()
    {'f': 'women', 'h': 'men', 'm': 'men and women'}
    """
    return {g: gender_words(g) for g in _GENDERS}


def csp_options() -> dict[int | None, str]:
    """CSP options (None: no category filter) with their words in the language in force."""
    return {None: _(_ALL)} | dict(CATEGORY_CODES)


@dataclass(frozen=True)
class Scenario:
    """A named targeting compared in the report."""

    name: str
    targeting: Targeting

    @classmethod
    def of(cls, name: str, **targeting: Any) -> Scenario:
        """``Scenario.of("Women 25-49", gender="f", age=(25, 49), interest=14)``."""
        return cls(name, Targeting(**targeting))


def default_scenarios(region: str | None = DEFAULT_REGION) -> tuple[Scenario, ...]:
    """The four standard scenarios, on the departments of ``region`` (None: all France),
    named in the language in force."""
    deps = departments_of_region(region) if region else ()
    return (
        Scenario.of(
            _("Women 25-49, Habitation"), gender="f", age=(25, 49), interest=14, departments=deps
        ),
        Scenario.of(
            _("Men 25-49, Habitation"), gender="h", age=(25, 49), interest=14, departments=deps
        ),
        Scenario.of(
            _("Men and women 35-64, Cuisine"),
            gender="m",
            age=(35, 64),
            interest=14,
            sub_interest=35,
            departments=deps,
        ),
        Scenario.of(
            _("CSP+ 25-64, Habitation"),
            gender="m",
            age=(25, 64),
            interest=14,
            category=102,
            departments=deps,
        ),
    )


#: The four standard scenarios, named in English (:func:`default_scenarios` names them in
#: the language in force).
with use_lang("en"):  # a constant: never the language of the moment it is imported
    DEFAULT_SCENARIOS: tuple[Scenario, ...] = default_scenarios()


def age_bands_within(
    age: tuple[int, int], bands: Sequence[tuple[int, int]] = AGE_BANDS
) -> list[tuple[int, int]]:
    """The standard bands overlapping ``age``, clipped to it.

    >>> age_bands_within((25, 49))
    [(25, 34), (35, 49)]
    >>> age_bands_within((30, 70))
    [(30, 34), (35, 49), (50, 64), (65, 70)]
    """
    lo, hi = age
    out = []
    for a, b in bands:
        a2, b2 = max(a, lo), min(b, hi)
        if a2 <= b2:
            out.append((a2, b2))
    return out


def band_label(age: tuple[int, int]) -> str:
    """``(25, 34)`` -> ``"25-34"``, as sweeps label age bands."""
    return f"{age[0]}-{age[1]}"


def describe(t: Targeting, interest_names: dict[int, str] | None = None) -> dict[str, Any]:
    """The scenario columns of the summary table (readable values)."""
    names = interest_names or {}

    def _interest(i: int | None) -> str:
        if i is None:
            return ""
        return f"{i} {names[i]}" if i in names else str(i)

    deps = t.departments
    if not deps and not t.zipcodes:
        where = "France"
    elif deps and len(deps) == len(refdata.department_codes()):
        where = _("all departments")
    else:
        where = ", ".join(deps + t.zipcodes)
        region = _region_of(deps) if deps and not t.zipcodes else None
        if region:
            where = f"{region} ({where})"
    return {
        "gender": gender_words(t.gender),
        "ages": band_label(t.age),
        "interest": _interest(t.interest),
        "sub_interest": _interest(t.sub_interest),
        "csp": CATEGORY_CODES.get(t.category, _(_ALL)) if t.category is not None else _(_ALL),
        "localities": where,
    }


def _region_of(deps: tuple[str, ...]) -> str | None:
    """The region's name when ``deps`` are exactly its departments."""
    ref = refdata.departments()
    regions = {str(ref["region_name"].get(d, "")) for d in deps}
    if len(regions) != 1:
        return None
    name = regions.pop()
    whole = tuple(ref.index[ref["region_name"] == name])
    return name if set(whole) == set(deps) else None


def with_changes(t: Targeting, **changes: Any) -> Targeting:
    """``t`` with some fields replaced (re-validated)."""
    return replace(t, **changes)
