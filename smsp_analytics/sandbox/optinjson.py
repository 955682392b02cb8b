"""The JSON answer of calcul / price / rent, written from a per-targeting template.

A 101-department answer is 102 rows of three keys: building them as dicts and serialising
them is most of what an uncached calcul costs. The rows' text depends only on the
localities, so it is prepared once per localities as one ``%d`` template, and an answer
is a single formatting of the volumes into it: byte for byte what ``orjson.dumps`` writes
for the same answer (a test holds the two together).

>>> import orjson
>>> cost = {"quantity": 12, "total": 1.08, "cost_unity": 0.09}
>>> body = optin_json("calcul", None, ("01",), ("60200",), [5, 7], 12, cost)
>>> body == orjson.dumps({"success": True, "op": "calcul", "datas": [
...     {"Type": "DEP", "Localite": "01", "Volume": 5},
...     {"Type": "CP", "Localite": "60200", "Volume": 7},
...     {"Type": "total", "Localite": "total", "Volume": 12}],
...     "cost": cost})
True
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import orjson

__all__ = ["optin_json"]

#: Targetings with more localities than this get a template made for them alone (a few
#: thousand zip codes would make the kept templates large; they are rare and slow anyway).
_KEPT_UP_TO = 200
_TOTAL = b'{"Type":"total","Localite":"total","Volume":%d}'


def _template(departments: tuple[str, ...], zipcodes: tuple[str, ...]) -> bytes:
    localities = [("DEP", d) for d in departments] + [("CP", z) for z in zipcodes]
    rows = [
        orjson.dumps({"Type": typ, "Localite": code, "Volume": 0})[:-2].replace(b"%", b"%%")
        + b"%d}"
        for typ, code in localities
    ]
    rows.append(_TOTAL)
    return b",".join(rows)


_kept_template = lru_cache(maxsize=128)(_template)


@lru_cache(maxsize=8)
def _head(op: str) -> bytes:
    return orjson.dumps({"success": True, "op": op})[:-1]


def _head_with_token(op: str, token: str) -> bytes:
    return orjson.dumps({"success": True, "op": op, "token": token})[:-1]


def optin_json(
    op: str,
    token: str | None,
    departments: tuple[str, ...],
    zipcodes: tuple[str, ...],
    volumes: Sequence[int],
    quantity: int,
    cost: dict,
) -> bytes:
    """The answer's JSON bytes: ``success``, ``op``, ``token`` (rent only), ``datas`` (one
    row per department, then per zip code, then the total row) and ``cost``, in the
    vendor's order."""
    small = len(departments) + len(zipcodes) <= _KEPT_UP_TO
    template = (_kept_template if small else _template)(departments, zipcodes)
    return b"".join(
        (
            _head(op) if token is None else _head_with_token(op, token),
            b',"datas":[',
            template % (*volumes, quantity),
            b'],"cost":',
            orjson.dumps(cost),
            b"}",
        )
    )
