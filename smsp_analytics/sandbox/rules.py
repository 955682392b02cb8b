"""Validation of the vendor requests, in the order documented in README ("Validation order").

Every check raises :class:`VendorError` with the vendor code of the first failing rule.
Values may be hostile (wrong types, huge numbers, NaN, very long strings, null bytes):
nothing here raises anything but VendorError.

>>> t = validate_optin({"apiKey": "k", "op": "calcul", "parameters": {"sexe": "m",
...     "minAge": "25", "maxAge": 35, "interest": 14, "zipcode": "60200"}}, "k")
>>> (t.op, t.min_age, t.zipcodes)
('calcul', 25, ('60200',))
>>> validate_optin({"apiKey": "x"}, "k")
Traceback (most recent call last):
...
smsp_analytics.sandbox.messages.VendorError: (10, 'Clé API incorrecte')
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from smsp_analytics import refdata
from smsp_analytics.sandbox.catalogue import catalogue
from smsp_analytics.sandbox.messages import VendorError
from smsp_analytics.sandbox.model import Query

__all__ = [
    "Targeting",
    "parse_int",
    "is_empty",
    "check_ip",
    "check_key",
    "validate_optin",
    "validate_token",
    "desired_volumes",
    "norm_department",
    "norm_zipcode",
    "MAX_LOCALITIES",
    "OPS",
]

OPS = ("calcul", "price", "rent")
MAX_LOCALITIES = 7000
# ASCII digits only: in Python patterns \d also matches "٣" or "２", and int() would read
# them (and "1_000"); a PHP API reads none of them as a number.
_INT_RE = re.compile(r"[+-]?[0-9]{1,15}(?:\.0*)?", re.ASCII)
# PHP's trim() set: str.strip() would also remove Unicode spaces (NBSP, ...).
_ASCII_SPACE = " \t\n\r\x0b\x0c"
_SEXES = {"m": (0, 1), "h": (0,), "f": (1,)}
_INT_LIMIT = 10**15  # parse_int's bound
_ABSENT = object()


def is_empty(value: Any) -> bool:
    """Missing-like: None or a blank string (PHP-style emptiness for the vendor's checks)."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_int(value: Any) -> int | None:
    """An integer from a JSON number or numeric string, or None when it is not one.

    >>> [parse_int(v) for v in (25, "25", 25.0, " 25 ", True, 2.5, float("nan"), 10**100)]
    [25, 25, 25, 25, None, None, None, None]
    >>> [parse_int(v) for v in ("٣٥", "２５", "1_000", "25\u00a0", "0x10", "1e3")]
    [None, None, None, None, None, None]
    """
    if isinstance(value, bool):  # bool is an int subclass: true is not 1 here
        return None
    if isinstance(value, int):
        return value if abs(value) < 10**15 else None
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return int(value)
        return None
    if isinstance(value, str) and len(value) <= 64:
        text = value.strip(_ASCII_SPACE)
        if _INT_RE.fullmatch(text):
            return int(float(text)) if "." in text else int(text)
    return None


def check_ip(client_host: str | None, allowed_ips: Iterable[str] | None) -> None:
    """Code 96 when an allow list is configured and the client is not in it."""
    if allowed_ips is None:
        return
    try:
        client = ipaddress.ip_address(client_host or "")
    except ValueError:
        raise VendorError(96) from None
    for item in allowed_ips:
        if client in ipaddress.ip_network(item, strict=False):
            return
    raise VendorError(96)


def check_key(provided: Any, expected: str) -> None:
    """Code 1 when no key is given, 10 when it is not the sandbox's key."""
    if is_empty(provided):
        raise VendorError(1)
    if not isinstance(provided, str) or not hmac.compare_digest(
        provided.encode("utf-8", "surrogatepass"), expected.encode("utf-8")
    ):
        raise VendorError(10)


def norm_department(value: str) -> str:
    """'1' -> '01', '2a' -> '2A' (ASCII spaces trimmed; a no-break space is kept, so the
    code is unknown)."""
    code = value.strip(_ASCII_SPACE).upper()
    return "0" + code if len(code) == 1 and code in "0123456789" else code


def norm_zipcode(value: str) -> str:
    """'6200' -> '06200' (a zip whose leading zero was lost to a number)."""
    code = value.strip(_ASCII_SPACE)
    return code.zfill(5) if len(code) == 4 and code.isascii() and code.isdigit() else code


def _split_codes(raw: Any) -> list[str] | None:
    """Items of a comma-separated list (or a JSON list, or a number); None if invalid."""
    if raw is None:
        return []
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, str)):
        raw = [raw]
    if not isinstance(raw, list):
        return None
    items: list[str] = []
    for item in raw:
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            return None
        for part in str(item).split(","):
            if part.strip(_ASCII_SPACE):
                items.append(part)
            if len(items) > MAX_LOCALITIES:
                return None
    return items


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@cache
def _known_departments() -> frozenset[str]:
    return frozenset(refdata.department_codes())


def _localities(deps_raw: Any, zips_raw: Any) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The normalised (departments, zip codes) of a targeting; None when step 14 fails."""
    raw_deps = _split_codes(deps_raw)
    raw_zips = _split_codes(zips_raw)
    if raw_deps is None or raw_zips is None:
        return None
    deps = _dedupe(norm_department(d) for d in raw_deps)
    zips = _dedupe(norm_zipcode(z) for z in raw_zips)
    if len(deps) + len(zips) > MAX_LOCALITIES:
        return None
    known_deps, known_zips = _known_departments(), refdata.zipcode_set()
    if any(d not in known_deps for d in deps) or any(z not in known_zips for z in zips):
        return None
    return deps, zips


# Repeated targetings (a sweep, a panel) send the same locality strings again and again:
# their reading is cached. Only exact str (or None) keys: True == 1 would share an entry.
_CACHED_TEXT = 4096
_cached_localities = lru_cache(maxsize=256)(_localities)


def _cacheable(value: Any) -> bool:
    return value is None or (type(value) is str and len(value) <= _CACHED_TEXT)


class Targeting(NamedTuple):
    """A validated optin request (steps 1 to 14); a named tuple, cheap to make."""

    op: str
    sexe: str
    min_age: int
    max_age: int
    interest: int | None
    sub_interest: int | None
    category: int | None
    departments: tuple[str, ...]
    zipcodes: tuple[str, ...]

    def query(self) -> Query:
        """The model query (the sub-interest's affinity when one is given)."""
        interest = self.sub_interest if self.sub_interest is not None else self.interest
        assert interest is not None
        return Query(_SEXES[self.sexe], self.min_age, self.max_age, interest, self.category)

    def localities(self) -> list[tuple[str, str]]:
        """(Type, code) of each row: departments first, then zip codes."""
        return [("DEP", d) for d in self.departments] + [("CP", z) for z in self.zipcodes]


def _optional_id(params: dict, key: str, empty_code: int, invalid_code: int) -> int | None:
    value = params.get(key, _ABSENT)
    if value is _ABSENT:
        return None
    if type(value) is int and 0 < value < _INT_LIMIT:  # the usual case, decided at once
        return value
    if is_empty(value):
        raise VendorError(empty_code)
    number = parse_int(value)
    if number is None or number <= 0:
        raise VendorError(invalid_code)
    return number


def validate_optin(
    body: dict,
    api_key: str,
    client_host: str | None = None,
    allowed_ips: Iterable[str] | None = None,
    query_key: Any = None,
) -> Targeting:
    """Steps 1 to 14 of the README for POST /v1/location/optin.

    Each step tests the usual case first (a known op, an int age...) and only then works
    out which error applies: one request is validated per distinct calcul."""
    if allowed_ips is not None:
        check_ip(client_host, allowed_ips)
    key = body.get("apiKey")
    check_key(query_key if is_empty(key) else key, api_key)

    op = body.get("op")
    if op not in OPS:
        raise VendorError(4 if is_empty(op) else 6)

    params = body.get("parameters")
    if not isinstance(params, dict) or not params:
        raise VendorError(3)

    url = body.get("urlNotification")
    if url is not None and not is_empty(url):
        try:
            parts = urlsplit(url) if isinstance(url, str) and len(url) <= 2048 else None
            ok = parts is not None and parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            ok = False
        if not ok:
            raise VendorError(5)

    sexe = params.get("sexe")
    if not (isinstance(sexe, str) and sexe in _SEXES):
        raise VendorError(7 if is_empty(sexe) else 8)

    min_age = params.get("minAge")
    if not (type(min_age) is int and 18 <= min_age < _INT_LIMIT):
        if is_empty(min_age):
            raise VendorError(9)
        min_age = parse_int(min_age)
        if min_age is None or min_age < 18:
            raise VendorError(12)
    max_age = params.get("maxAge")
    if not (type(max_age) is int and -_INT_LIMIT < max_age <= 98):
        if is_empty(max_age):
            raise VendorError(13)
        max_age = parse_int(max_age)
        if max_age is None or max_age > 98:
            raise VendorError(14)
    if min_age > max_age:
        raise VendorError(61)

    if "interest" not in params and "subInterest" not in params:
        raise VendorError(19)
    interest = _optional_id(params, "interest", 16, 15)
    sub = _optional_id(params, "subInterest", 17, 18)
    category = _optional_id(params, "category", 22, 23)

    cat = catalogue().by_id
    if interest is not None and (interest not in cat or cat[interest].parent is not None):
        raise VendorError(61)
    if sub is not None:
        if sub not in cat or cat[sub].parent is None:
            raise VendorError(61)
        if interest is not None and cat[sub].parent != interest:
            raise VendorError(61)
    if category is not None and category not in (102, 103):
        raise VendorError(61)

    deps_raw, zips_raw = params.get("department"), params.get("zipcode")
    if _cacheable(deps_raw) and _cacheable(zips_raw):
        found = _cached_localities(deps_raw, zips_raw)
    else:
        found = _localities(deps_raw, zips_raw)
    if found is None:
        raise VendorError(61)
    deps, zips = found
    return Targeting(op, sexe, min_age, max_age, interest, sub, category, deps, zips)


def validate_token(
    query: Mapping[str, Any],
    api_key: str,
    client_host: str | None = None,
    allowed_ips: Iterable[str] | None = None,
) -> str:
    """96, then 1 / 10, then 31 for the GET endpoints that take a rental token."""
    check_ip(client_host, allowed_ips)
    check_key(query.get("apiKey"), api_key)
    token = query.get("token")
    if token is None or is_empty(token):  # is_empty covers None; this narrows for mypy
        raise VendorError(31)
    return token.strip()


def _locality_key(key: Any, targeting: Targeting) -> str | None:
    """The targeted locality a volumes key designates ('total' for the total), or None."""
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        return None
    text = str(key).strip(_ASCII_SPACE)
    if text.lower() == "total":
        return "total"
    dep, zipc = norm_department(text), norm_zipcode(text)
    if dep in targeting.departments:
        return dep
    if zipc in targeting.zipcodes:
        return zipc
    return None


def desired_volumes(
    raw: Any, targeting: Targeting, available: list[int], total_available: int
) -> tuple[list[int], int]:
    """Steps 15 and 16: desired volume per row and the quantity to price.

    ``available`` holds the available volume of each locality row. Without ``volumes``
    (absent, null, empty), everything available is asked. Returns (desired per row,
    quantity). A targeting with no locality asks ``{"total": N}``.
    """
    if raw is None or raw == {} or raw == [] or (isinstance(raw, str) and not raw.strip()):
        return list(available), total_available
    pairs: list[tuple[Any, Any]] = []
    if isinstance(raw, dict):
        pairs = list(raw.items())
    elif isinstance(raw, list):
        for row in raw:
            if not isinstance(row, dict):
                raise VendorError(61)
            if is_empty(row.get("Type")):
                raise VendorError(24)
            if is_empty(row.get("Localite")):
                raise VendorError(25)
            if row.get("Volume") is None or row.get("Volume") == "":
                raise VendorError(26)
            pairs.append((row["Localite"], row["Volume"]))
    else:
        raise VendorError(61)

    codes = [code for _, code in targeting.localities()]
    desired = {code: 0 for code in codes}
    total_asked: int | None = None
    for key, value in pairs:
        loc = _locality_key(key, targeting)
        if loc is None:
            raise VendorError(61)
        number = parse_int(value)
        if number is None or number < 0:
            raise VendorError(26)
        if loc == "total":
            total_asked = number
        else:
            desired[loc] = number

    rows = [desired[c] for c in codes]
    for want, have in zip(rows, available):
        if want > have:
            raise VendorError(27)
    quantity = sum(rows) if codes else (total_asked or 0)
    if quantity > total_available or (total_asked is not None and total_asked > total_available):
        raise VendorError(28)
    return rows, quantity
