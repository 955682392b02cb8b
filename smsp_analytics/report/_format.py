"""Number formatting of the report tables (the charts' house style: ``€1,234.56``, ``12,345``).

Kept here rather than imported from the charts' private style module, so the report's tables
do not break when that module moves. Same strings as the charts' hover labels.

>>> fmt_cell(1234.5, "cost_eur"), fmt_cell(0.09, "unit_cost_eur"), fmt_cell(12345, "volume")
('€1,234.50', '€0.090', '12,345')
>>> fmt_cell(0.123, "share")
'12.3%'
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

NO_DATA = "no data"

#: Column name -> header shown in the HTML report and the Excel workbook.
HEADERS: dict[str, str] = {
    "scenario": "Scenario",
    "targeting": "Targeting",
    "gender": "Gender",
    "age_band": "Age band",
    "ages": "Ages",
    "interest": "Interest",
    "interest_name": "Interest name",
    "sub_interest": "Sub-interest",
    "category": "CSP",
    "csp": "CSP",
    "department": "Department",
    "department_name": "Department name",
    "region_name": "Region",
    "locality_type": "Locality type",
    "locality": "Locality",
    "volume": "Volume (contacts)",
    "available": "Available (contacts)",
    "planned_volume": "Planned volume (contacts)",
    "unit_cost_eur": "Unit cost (€)",
    "cost_eur": "Cost (€)",
    "planned_cost_eur": "Planned cost (€)",
    "budget_eur": "Budget (€)",
    "share": "Share",
    "field": "Field",
    "value": "Value",
}


def missing(x: Any) -> bool:
    if x is None or x is pd.NA:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def kind(column: str) -> str:
    """``"eur"`` for ``*_eur`` columns, ``"pct"`` for shares, ``"int"`` for counts, else ``"text"``."""
    if column.endswith("_eur"):
        return "eur"
    if column == "share" or column.endswith("_share"):
        return "pct"
    if column in {"volume", "available", "planned_volume"} or column.endswith("_volume"):
        return "int"
    return "text"


def fmt_cell(x: Any, column: str) -> str:
    """The text of one table cell of ``column``."""
    if missing(x):
        return NO_DATA if kind(column) != "text" else ""
    k = kind(column)
    if k == "eur":
        decimals = 3 if column.startswith("unit_") else 2
        x = float(x)
        sign = "-" if x < 0 else ""
        return f"{sign}€{abs(x):,.{decimals}f}"
    if k == "pct":
        return f"{float(x) * 100:,.1f}%"
    if k == "int":
        return f"{round(float(x)):,}"
    if isinstance(x, float) and math.isfinite(x) and x.is_integer():
        return str(int(x))
    return str(x)


def header(column: str) -> str:
    return HEADERS.get(column, column.replace("_", " ").capitalize())
