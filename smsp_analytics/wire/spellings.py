"""The vendor's several spellings of one thing in its answers, read into one: the ``Type``
and code of a locality row (calcul's ``DEP``/``CP``, status's ``dep``/``cp``; codes
zero-padded), the rental state (``status`` text or ``statusCode``) and the targeting a status
answer echoes (``location``). :mod:`smsp_analytics.frames` builds its frames from them and
re-exports :data:`STATUS_CODES` and :func:`status_code_of`.

>>> normalise_rows(["DEP", "cp", "total"], ["1", "1000", "total"])
(['department', 'zipcode', 'total'], ['01', '01000', 'total'])
>>> status_code_of("File ready to download"), status_code_of(None, "5")
(2, 5)
>>> normalise_location({"sexe": "Femme", "minAge": "25", "zipcode": " "})["gender"]
'f'
"""

from __future__ import annotations

from typing import Any

from smsp_analytics.vocab import GENDER_SPELLINGS, VENDOR_COLUMNS, pad_department
from smsp_analytics.wire.values import number

__all__ = ["STATUS_CODES", "normalise_rows", "status_code_of", "normalise_location"]

# The vendor's ``Type`` spellings of a locality (calcul says "DEP"/"CP", status "dep"/"cp").
_TYPE_OF = {
    "cp": "zipcode",
    "zipcode": "zipcode",
    "zip": "zipcode",
    "dep": "department",
    "dept": "department",
    "department": "department",
    "departement": "department",
}
#: The rental states as the status answer words them, and their ``statusCode``.
STATUS_CODES = {
    "Request received": 0,
    "File being generated": 1,
    "File ready to download": 2,
    "Rental failed": 3,
    "File downloaded by user from api": 5,
}


def normalise_rows(types: list[Any], locs: list[Any]) -> tuple[list[str | None], list[str | None]]:
    """Locality types (department/zipcode/total; None for a row with neither a type nor a
    code) and zero-padded codes."""
    out_t: list[str | None] = []
    out_l: list[str | None] = []
    for t, loc in zip(types, locs):
        s = None if loc is None else str(loc).strip()
        kind = _TYPE_OF.get(str(t).strip().lower()) if t is not None else None
        if str(t).strip().lower() == "total" or (s or "").lower() == "total":
            kind = "total"
        elif kind is None and s is not None:  # unknown Type spelling: infer from the code
            kind = "zipcode" if len(s) >= 4 and s.isdigit() and len(s) != 3 else "department"
        if s is not None and kind == "zipcode" and s.isdigit():
            s = s.zfill(5)
        elif s is not None and kind == "department":
            s = pad_department(s)
        out_t.append(kind)
        out_l.append(s)
    return out_t, out_l


def status_code_of(status: Any, status_code: Any = None) -> int | None:
    """The numeric rental state: ``statusCode`` when given, else from the status string."""
    n = number(status_code)
    if n is not None:
        return int(n)
    if status is None:
        return None
    s = str(status).strip()
    if s in STATUS_CODES:
        return STATUS_CODES[s]
    low = s.lower()
    for needle, code in (
        ("downloaded", 5),
        ("ready", 2),
        ("generat", 1),
        ("fail", 3),
        ("receiv", 0),
        ("request", 0),
    ):
        if needle in low:
            return code
    return int(s) if s.isdigit() else None


def normalise_location(loc: dict[str, Any]) -> dict[str, Any]:
    """The status ``location`` with one spelling: gender letter, ints, strings or None."""
    out: dict[str, Any] = {}
    sexe = loc.get("sexe")
    out["gender"] = GENDER_SPELLINGS.get(str(sexe).strip().lower(), sexe) if sexe else None
    for key in ("minAge", "maxAge", "interest", "subInterest", "category"):
        n = number(loc.get(key))
        out[VENDOR_COLUMNS[key]] = None if n is None else int(n)
    for key in ("zipcode", "department"):
        v = loc.get(key)
        out[key] = None if v is None or str(v).strip() == "" else str(v).strip()
    return out
