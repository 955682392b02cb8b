"""Number formatting of the report tables (the charts' house style: ``€1,234.56``, ``12,345``).

Cells use the charts' public formatters, so tables and hover labels read the same.

>>> fmt_cell(1234.5, "cost_eur"), fmt_cell(0.09, "unit_cost_eur"), fmt_cell(12345, "volume")
('€1,234.50', '€0.090', '12,345')
>>> fmt_cell(0.123, "share")
'12.3%'
"""

from __future__ import annotations

import math
from typing import Any


from smsp_analytics.charts import NO_DATA, fmt_eur, fmt_int, fmt_pct, is_missing

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
    if is_missing(x):
        return NO_DATA if kind(column) != "text" else ""
    k = kind(column)
    if k == "eur":
        return fmt_eur(x, 3 if column.startswith("unit_") else 2)
    if k == "pct":
        return fmt_pct(x)
    if k == "int":
        return fmt_int(x)
    if isinstance(x, float) and math.isfinite(x) and x.is_integer():
        return str(int(x))
    return str(x)


def header(column: str) -> str:
    return HEADERS.get(column, column.replace("_", " ").capitalize())
