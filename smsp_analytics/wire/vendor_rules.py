"""The vendor's validation of a ``parameters`` dict, in the vendor's order.

:func:`validate_parameters` checks a raw vendor-style dict and raises
:class:`~smsp_analytics.errors.TargetingError` carrying the code the API would answer (the
order is the sandbox README's), so the client and the API agree (``tests/test_differential.py``
holds them together). :mod:`smsp_analytics.targeting` builds the analyst's side on it.

>>> validate_parameters({"sexe": "m", "minAge": 18, "maxAge": 30, "interest": 14,
...                      "department": "2,60"})
{'sexe': 'm', 'minAge': 18, 'maxAge': 30, 'interest': 14, 'department': '02,60'}
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from smsp_analytics import refdata
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import N_, _
from smsp_analytics.vocab import (
    CATEGORY_ALLOWED,
    CATEGORY_CODES,
    VENDOR_FIELDS,
    normalize_department,
)

__all__ = [
    "Catalogue",
    "validate_parameters",
    "normalize_department",
    "as_int",
    "MAX_LOCALITIES",
    "CATEGORY_CODES",
]


MAX_LOCALITIES = 7000
_INT_RE = re.compile(r"[+-]?[0-9]{1,15}(?:\.0*)?")  # ASCII digits only, like the API

# -- catalogue of interests ---------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """Known interest ids and the parent of each sub-interest (for the vendor's check 61)."""

    interests: frozenset[int]
    parents: Mapping[int, int] = field(default_factory=dict)

    @classmethod
    def from_frame(cls, frame: Any) -> Catalogue:
        """From a ``categories`` frame (columns ``id``, ``parent_id``)."""
        ids = frame["id"].astype("Int64")
        parent = frame["parent_id"].astype("Int64")
        main = frozenset(int(i) for i, p in zip(ids, parent) if p is None or _isna(p))
        parents = {int(i): int(p) for i, p in zip(ids, parent) if not _isna(p)}
        return cls(main, parents)


def _isna(v: Any) -> bool:
    try:
        return v is None or bool(v != v) or str(v) == "<NA>"
    except (TypeError, ValueError):
        return True


# -- scalar parsing, mirroring the API ----------------------------------------------------


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def as_int(v: Any) -> int | None:
    """An integer from a JSON number or numeric string ("25", " 25 ", "25.0"), else None.

    Booleans, non-integral or non-finite numbers and values of 10**15 or more are not
    integers (the API's reading).

    >>> as_int(" 25 "), as_int("25.0"), as_int(True), as_int("٣٠")
    (25, 25, None, None)
    """
    if isinstance(v, bool):
        return None
    if isinstance(v, numbers.Integral):  # numpy integers too, e.g. ids from categories()
        return int(v) if abs(int(v)) < 10**15 else None
    if isinstance(v, float):
        return int(v) if math.isfinite(v) and v.is_integer() and abs(v) < 1e15 else None
    if isinstance(v, str) and len(v) <= 64:
        s = v.strip()
        if _INT_RE.fullmatch(s):
            return int(float(s)) if "." in s else int(s)
    return None


def _split(value: Any) -> list[str] | None:
    """Comma-separated items (ints and lists accepted), empty items dropped; None if unusable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, (list, tuple)):
        items = []
        for v in value:
            if isinstance(v, bool) or not isinstance(v, (str, int)):
                return None
            items.extend(str(v).split(","))
    elif isinstance(value, str):
        return list(_split_text(value))
    else:
        return None
    return [i.strip() for i in items if i.strip()]


@lru_cache(maxsize=256)
def _split_text(value: str) -> tuple[str, ...]:
    return tuple(i.strip() for i in value.split(",") if i.strip())


def _fail(param: str, value: Any, allowed: str, code: int, **values: Any) -> TargetingError:
    # Messages name the field the analyst typed ("age"), the vendor's name is kept in param.
    # ``allowed`` is an English sentence marked for translation; with ``values`` it is a
    # template: the field keeps the English, the message says it in the language in force.
    return TargetingError(
        VENDOR_FIELDS.get(param, param),
        value,
        allowed.format(**values) if values else allowed,
        code=code,
        param=param,
        allowed_text=_(allowed).format(**values) if values else None,
    )


def validate_parameters(raw: Any, *, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """Validate a vendor ``parameters`` dict; return it normalised (ints, joined codes).

    Checks run in the API's order and the first failure raises :class:`TargetingError`
    carrying the vendor code. Interest ids are checked only when a ``catalogue`` is given.

    >>> validate_parameters({"sexe": "f", "minAge": "25", "maxAge": 35, "interest": "14"})
    {'sexe': 'f', 'minAge': 25, 'maxAge': 35, 'interest': 14}
    >>> validate_parameters({"sexe": "x", "minAge": 25}).code
    Traceback (most recent call last):
    ...
    smsp_analytics.errors.TargetingError: [code 8] gender (sexe): invalid value 'x'; allowed: m, h or f
    """
    if not isinstance(raw, Mapping) or not raw:
        raise _fail("parameters", raw, N_("a non-empty object"), 3)
    p = raw
    out: dict[str, Any] = {}

    sexe = p.get("sexe")
    if _empty(sexe):
        raise _fail("sexe", sexe, N_("m, h or f (required)"), 7)
    if sexe not in ("m", "h", "f"):
        raise _fail("sexe", sexe, N_("m, h or f"), 8)
    out["sexe"] = sexe

    lo = p.get("minAge")
    if _empty(lo):
        raise _fail("minAge", lo, N_("an integer from 18 (required)"), 9)
    lo_i = as_int(lo)
    if lo_i is None or lo_i < 18:
        raise _fail("minAge", lo, N_("an integer from 18"), 12)
    hi = p.get("maxAge")
    if _empty(hi):
        raise _fail("maxAge", hi, N_("an integer up to 98 (required)"), 13)
    hi_i = as_int(hi)
    if hi_i is None or hi_i > 98:
        raise _fail("maxAge", hi, N_("an integer up to 98"), 14)
    if lo_i > hi_i:
        raise _fail("minAge", (lo, hi), "minAge <= maxAge", 61)
    out["minAge"], out["maxAge"] = lo_i, hi_i

    if "interest" not in p and "subInterest" not in p:
        raise _fail("interest", None, N_("interest or subInterest is required"), 19)
    ids: dict[str, int] = {}
    for name, c_empty, c_bad in (
        ("interest", 16, 15),
        ("subInterest", 17, 18),
        ("category", 22, 23),
    ):
        if name not in p:
            continue
        v = p[name]
        if _empty(v):
            raise _fail(name, v, N_("an integer > 0 (not empty)"), c_empty)
        n = as_int(v)
        if n is None or n <= 0:
            raise _fail(name, v, N_("an integer > 0"), c_bad)
        ids[name] = n

    if catalogue is not None:
        if "interest" in ids and ids["interest"] not in catalogue.interests:
            raise _fail(
                "interest",
                p["interest"],
                N_("a known interest id; list them with client.categories() or `smsp categories`"),
                61,
            )
        if "subInterest" in ids:
            parent = catalogue.parents.get(ids["subInterest"])
            if parent is None:
                raise _fail(
                    "subInterest",
                    p["subInterest"],
                    N_(
                        "a known sub-interest id; list them with client.categories() or "
                        "`smsp categories`"
                    ),
                    61,
                )
            if "interest" in ids and parent != ids["interest"]:
                kids = sorted(k for k, v in catalogue.parents.items() if v == ids["interest"])
                raise _fail(
                    "subInterest",
                    p["subInterest"],
                    N_(
                        "a sub-interest of interest {interest} ({ids}); list them with "
                        "client.categories() or `smsp categories`"
                    )
                    if kids
                    else N_(
                        "a sub-interest of interest {interest} (none); list them with "
                        "client.categories() or `smsp categories`"
                    ),
                    61,
                    interest=ids["interest"],
                    ids=", ".join(map(str, kids)),
                )
    if "category" in ids and ids["category"] not in CATEGORY_CODES:
        raise _fail("category", p["category"], CATEGORY_ALLOWED, 61)
    out.update(ids)

    n_loc = 0
    for name, check, shape, allowed in _LOCALITY_CHECKS:
        if _empty(p.get(name)):
            continue
        items = _split(p[name])
        if items is None:
            raise _fail(name, p[name], shape, 61)
        codes, bad = check(tuple(items))
        if bad is not None:
            raise _fail(name, bad, allowed, 61)
        if codes:
            out[name] = ",".join(codes)
            n_loc += len(codes)
    if n_loc > MAX_LOCALITIES:
        raise _fail(
            "zipcode" if "zipcode" in out else "department",
            n_loc,
            N_("at most {count} localities"),
            61,
            count=MAX_LOCALITIES,
        )
    return out


@lru_cache(maxsize=256)
def _check_departments(items: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """(normalised unique codes, first unknown item or None); cached: sweeps repeat lists."""
    codes: dict[str, None] = {}
    for item in items:
        code = normalize_department(item)
        if code is None:
            return (), item
        codes[code] = None
    return tuple(codes), None


@lru_cache(maxsize=256)
def _check_zipcodes(items: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    known = refdata.zipcode_set()
    zips: dict[str, None] = {}
    for item in items:
        if len(item) == 4 and item.isdigit():  # a zip whose leading zero was lost
            item = item.zfill(5)
        if item not in known:
            return (), item
        zips[item] = None
    return tuple(zips), None


# Vendor field, its check, and the "allowed" texts for a malformed list and an unknown code.
_LOCALITY_CHECKS = (
    (
        "department",
        _check_departments,
        N_("comma-separated department codes"),
        N_("department codes 01..95, 2A, 2B, 971..976"),
    ),
    (
        "zipcode",
        _check_zipcodes,
        N_("comma-separated 5-digit zip codes"),
        N_("existing 5-digit zip codes"),
    ),
)
