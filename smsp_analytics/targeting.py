"""Targetings: who to count, price or rent, validated before any call.

:class:`Targeting` is the analyst's side (friendly names, aliases); the vendor's
``parameters`` dict is the wire side. :func:`validate_parameters` checks a raw vendor-style
dict in the vendor's validation order and raises :class:`TargetingError` with the code the
API would answer (the order is the sandbox README's), so the client and the API agree.

>>> t = Targeting(gender="women", age=(25, 35), interest=14, departments=[60, "2"])
>>> t.to_parameters()
{'sexe': 'f', 'minAge': 25, 'maxAge': 35, 'interest': 14, 'department': '60,02'}
>>> Targeting.for_region("hauts de france", interest=14).departments
('02', '59', '60', '62', '80')
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from smsp_analytics import refdata
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import N_, _
from smsp_analytics.vocab import (
    CATEGORY_ALIASES,
    CATEGORY_ALLOWED,
    CATEGORY_CODES,
    GENDER_ALLOWED,
    GENDER_CODES,
    GENDER_SPELLINGS,
    normalize_department,
    pad_department,
)
from smsp_analytics.wire.vendor_rules import MAX_LOCALITIES, Catalogue, as_int, validate_parameters

__all__ = [
    "Targeting",
    "Catalogue",
    "validate_parameters",
    "normalize_volumes",
    "departments_of_region",
    "normalize_department",
    "MAX_LOCALITIES",
    "CATEGORY_CODES",
]


@lru_cache(maxsize=256)
def _check_overlap(departments: tuple[str, ...], zipcodes: tuple[str, ...]) -> None:
    """Refuse zip codes inside targeted departments: the API counts them twice (once in
    their department, once on their own; see the sandbox README), so totals and rentals
    would double them. The API itself accepts the combination, hence no vendor code."""
    of = _department_of_zip()
    chosen = set(departments)
    inside = [z for z in zipcodes if of.get(z) in chosen]
    if inside:

        def said(translate: Callable[[str], str]) -> str:
            # the field keeps the English (translate: str), the message the reader's language
            where = ", ".join(
                translate(_IN_DEPARTMENT).format(zipcode=z, department=of[z]) for z in inside[:5]
            )
            more = f" (+{len(inside) - 5})" if len(inside) > 5 else ""
            return translate(_OVERLAP).format(where=where, more=more)

        raise TargetingError(
            "zipcodes",
            ",".join(inside) if len(inside) <= 5 else inside[:5],
            said(str),
            code=None,
            allowed_text=said(_),
        )


_IN_DEPARTMENT = N_("{zipcode} is in department {department}")
_OVERLAP = N_(
    "zip codes outside the targeted departments ({where}{more}, also targeted: it would be "
    "counted twice); target the department or the zip code"
)


@cache
def _department_of_zip() -> dict[str, str]:
    return {str(z): str(d) for z, d in refdata.zipcodes()["department"].items()}


# -- regions ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def departments_of_region(name: str) -> tuple[str, ...]:
    """Department codes of a region, by name (accent/case-insensitive) or INSEE code.

    >>> departments_of_region("ile-de-France")
    ('75', '77', '78', '91', '92', '93', '94', '95')
    """
    deps = refdata.departments()
    key = _fold(name)
    mask = (deps["region_name"].map(_fold) == key) | (deps["region_code"] == str(name).strip())
    if not mask.any():
        allowed = ", ".join(sorted(refdata.regions()["name"]))
        raise TargetingError("region", name, allowed, code=None)
    return tuple(deps.index[mask])


# -- the analyst's targeting --------------------------------------------------------------

_LOCALITY_ALLOWED = {
    False: N_(
        "a list of department codes ('60', '2A', '971', or ints such as 2) or a "
        "comma-separated string"
    ),
    True: N_(
        "a list of 5-digit zip codes ('06200', or ints such as 6200) or a comma-separated string"
    ),
}


def _locality_tuple(values: Any, *, zip_: bool) -> tuple[str, ...]:
    """Codes as strings, in order, duplicates dropped; odd containers refused.

    Every item is turned into a string *before* the cached cleaning: tuples of mixed types
    compare equal across types (``(1,) == (True,) == (1.0,)``), so caching on raw items let
    ``[True]`` reuse the answer for ``[1]``. Strings (and string items) are split on commas:
    ``"60,02"`` and ``["60,02"]`` are two departments, never the characters "6", "0"...
    """
    if type(values) is tuple and all(type(v) is str for v in values):
        return _clean_tuple(values, zip_)  # the common case (sweeps): cached, no conversion
    name = "zipcodes" if zip_ else "departments"
    if values is None:
        return ()
    if isinstance(values, (str, numbers.Integral, float)) and not isinstance(values, bool):
        values = [values]
    elif isinstance(values, (bytes, bytearray, Mapping)) or not isinstance(values, Iterable):
        # bytes iterate as ints (b"60" -> 54, 48) and a mapping as its keys: refuse both.
        raise TargetingError(name, values, _LOCALITY_ALLOWED[zip_], code=None)
    texts: list[str] = []
    for v in values:
        if isinstance(v, float) and v.is_integer():
            v = int(v)  # pandas turns int columns with gaps into floats
        if isinstance(v, numbers.Integral) and not isinstance(v, bool):
            texts.append(f"{int(v):05d}" if zip_ else pad_department(int(v)))
        elif isinstance(v, str):
            texts.append(v)
        else:
            raise TargetingError(name, v, _LOCALITY_ALLOWED[zip_], code=None)
    if isinstance(values, (set, frozenset)):
        texts.sort()  # no order to keep: a stable one (the request and cache key depend on it)
    return _clean_tuple(tuple(texts), zip_)  # cached: sweeps rebuild the same lists


@lru_cache(maxsize=256)
def _clean_tuple(values: tuple[str, ...], zip_: bool) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for part in values:
        for v in part.split(","):
            s = v.strip()
            if not s:
                continue
            if not zip_:
                s = normalize_department(s) or s
            out[s] = None
    return tuple(out)


def _codes(joined: str | None) -> tuple[str, ...]:
    return tuple(joined.split(",")) if joined else ()


@dataclass(frozen=True)
class Targeting:
    """Who to target. Values are normalised; invalid ones raise :class:`TargetingError`.

    - ``gender``: "m" (mixed), "h" (men), "f" (women); also "all", "men", "women".
    - ``age``: ``(min, max)`` with 18 <= min <= max <= 98.
    - ``interest`` / ``sub_interest``: category ids (at least one).
    - ``category``: 102 / 103, also "CSP+" / "CSP-".
    - ``departments`` / ``zipcodes``: codes ("2A", "971", ints like 2 -> "02").

    >>> Targeting(gender="men", age=(18, 24), sub_interest=35, category="CSP+").category
    102
    """

    gender: str = "m"
    age: tuple[int, int] = (18, 98)
    interest: int | None = None
    sub_interest: int | None = None
    category: int | None = None
    departments: tuple[str, ...] = ()
    zipcodes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        g = self.gender
        if isinstance(g, str) and g.strip():
            g = GENDER_SPELLINGS.get(g.strip().lower(), g)
            if g not in GENDER_CODES:
                raise TargetingError("gender", self.gender, GENDER_ALLOWED, code=8, param="sexe")
        age = self.age
        if isinstance(age, str) and "-" in age:
            age = tuple(a.strip() for a in age.split("-", 1))
        if not isinstance(age, (tuple, list)) or len(age) != 2:
            raise TargetingError("age", age, N_("a (min, max) pair such as (25, 35)"), code=None)
        cat = self.category
        if isinstance(cat, str) and cat.strip().lower() in CATEGORY_ALIASES:
            cat = CATEGORY_ALIASES[cat.strip().lower()]
        elif isinstance(cat, str) and cat.strip() and as_int(cat) is None:
            raise TargetingError("category", cat, CATEGORY_ALLOWED, code=23)
        object.__setattr__(self, "gender", g)
        object.__setattr__(self, "category", cat)
        object.__setattr__(self, "departments", _locality_tuple(self.departments, zip_=False))
        object.__setattr__(self, "zipcodes", _locality_tuple(self.zipcodes, zip_=True))
        raw = self._raw(age)
        norm = validate_parameters(raw)
        object.__setattr__(self, "age", (norm["minAge"], norm["maxAge"]))
        object.__setattr__(self, "interest", norm.get("interest"))
        object.__setattr__(self, "sub_interest", norm.get("subInterest"))
        object.__setattr__(self, "category", norm.get("category"))
        # The validated codes ("6200" -> "06200"), as sent.
        object.__setattr__(self, "departments", _codes(norm.get("department")))
        object.__setattr__(self, "zipcodes", _codes(norm.get("zipcode")))
        if self.departments and self.zipcodes:
            _check_overlap(self.departments, self.zipcodes)

    def _raw(self, age: Any) -> dict[str, Any]:
        raw: dict[str, Any] = {"sexe": self.gender, "minAge": age[0], "maxAge": age[1]}
        for name, value in (
            ("interest", self.interest),
            ("subInterest", self.sub_interest),
            ("category", self.category),
        ):
            if value is not None:
                raw[name] = value
        if self.departments:
            raw["department"] = ",".join(self.departments)
        if self.zipcodes:
            raw["zipcode"] = ",".join(self.zipcodes)
        return raw

    def to_parameters(self) -> dict[str, Any]:
        """The vendor ``parameters`` dict."""
        return self._raw(self.age)

    @property
    def localities(self) -> tuple[str, ...]:
        """Targeted departments then zip codes (the API's row order)."""
        return self.departments + self.zipcodes

    @classmethod
    def from_parameters(
        cls, raw: Mapping[str, Any], *, catalogue: Catalogue | None = None
    ) -> Targeting:
        """A Targeting from a vendor-style ``parameters`` dict (validated like the API)."""
        p = validate_parameters(raw, catalogue=catalogue)
        return cls(
            gender=p["sexe"],
            age=(p["minAge"], p["maxAge"]),
            interest=p.get("interest"),
            sub_interest=p.get("subInterest"),
            category=p.get("category"),
            departments=tuple(p["department"].split(",")) if "department" in p else (),
            zipcodes=tuple(p["zipcode"].split(",")) if "zipcode" in p else (),
        )

    @classmethod
    def for_region(cls, region: str, **kwargs: Any) -> Targeting:
        """A Targeting on the departments of a region (name or INSEE code)."""
        return cls(departments=departments_of_region(region), **kwargs)

    def describe(self) -> str:
        """A one-line summary, gender in words (the vendor's "m" is men and women); the
        same text every output uses (:func:`smsp_analytics.display.describe_targeting`).

        >>> Targeting(age=(25, 35), interest=14, departments=["60"]).describe()
        'men and women, 25-35, interest 14, department 60'
        """
        from smsp_analytics.display import describe_targeting  # late: display is for output only

        return describe_targeting(self)


def normalize_volumes(volumes: Mapping[Any, Any] | None, targeting: Targeting) -> dict[str, int]:
    """Desired volumes keyed like the API (locality codes of the targeting, or "total").

    >>> normalize_volumes({60: 100, "02": 5}, Targeting(interest=14, departments=["60", "02"]))
    {'60': 100, '02': 5}
    """
    if volumes is None:
        return {}
    if not isinstance(volumes, Mapping):
        raise TargetingError("volumes", volumes, N_("a mapping locality -> volume"), code=26)
    deps, zips = set(targeting.departments), set(targeting.zipcodes)
    out: dict[str, int] = {}
    for key, value in volumes.items():
        k = str(key).strip()
        if isinstance(key, int) and not isinstance(key, bool):
            z, d = f"{key:05d}", pad_department(key)
            k = z if z in zips else d
        elif k.lower() == "total":
            k = "total"
        elif k not in zips:
            k = normalize_department(k) or k
        if k == "total":
            if deps or zips:
                raise TargetingError("volumes", key, N_("the targeted localities"), code=61)
        elif k not in deps and k not in zips:
            allowed = ", ".join(targeting.localities[:10]) or N_('"total" (no locality targeted)')
            raise TargetingError("volumes", key, allowed, code=61)
        n = as_int(value)
        if n is None or n < 0:
            raise TargetingError("volumes", value, N_("an integer >= 0"), code=26)
        out[k] = n
    return out
