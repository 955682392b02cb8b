"""House style of every chart: number and euro formatting, palette, template, synthetic mark.

House style (English UI, applied everywhere: axis ticks, hover labels, text on bars):

* euros: ``€1,234.56`` (euro sign first, comma thousands separator, dot decimals, always two
  decimals in text and hover). Axis ticks drop the cents (``€1,235``) unless the axis range
  is under €100, where cents matter (unit costs are a few cents).
* counts: ``12,345`` (comma thousands separator, no decimals).
* shares: ``12.3%``.
* missing values: ``no data``.

The plotly d3 formats below give the same strings as the Python helpers, so a hover label
and a text label of the same value read the same.

>>> fmt_eur(1234.5)
'€1,234.50'
>>> fmt_int(1234567)
'1,234,567'
>>> fmt_pct(0.1234)
'12.3%'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

__all__ = [
    "TEMPLATE",
    "PALETTE",
    "COLORSCALE",
    "MISSING_COLOR",
    "NO_DATA",
    "is_missing",
    "SYNTHETIC_MARK_NAME",
    "SYNTHETIC_MARK_TEXT",
    "GENDER_LABELS",
    "fmt_eur",
    "fmt_int",
    "fmt_pct",
    "fmt_value",
    "value_kind",
    "axis_title",
    "axis_format",
    "is_synthetic",
    "apply_house_style",
]

#: One template for every figure, so charts in one notebook look alike.
TEMPLATE = "plotly_white"
#: Qualitative palette (colour-blind safe) for ``color=`` groups, in order of appearance.
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
#: Single colour of bars without ``color=``.
BAR_COLOR = "#1f77b4"
#: Sequential scale of the map: Viridis gets lighter monotonically with the value and never
#: reaches the light grey used for "no data".
COLORSCALE = "Viridis"
MISSING_COLOR = "#d9d9d9"
NO_DATA = "no data"

SYNTHETIC_MARK_NAME = "synthetic-mark"
SYNTHETIC_MARK_TEXT = "SYNTHETIC DATA (sandbox)"

#: Gender codes of the API -> UI labels ("m" is the mixed, both-genders audience).
GENDER_LABELS: dict[str, str] = {"f": "Women", "h": "Men", "m": "Mixed"}

# d3 formats used by plotly for the same house style as the Python helpers.
D3_EUR = ",.2f"  # with prefix "€"
D3_INT = ",.0f"
D3_PCT = ".1%"

# Units shown in axis titles, by column name; unknown columns fall back to value_kind().
_AXIS_TITLES: dict[str, str] = {
    "volume": "Volume (contacts)",
    "cost_eur": "Cost (€)",
    "unit_cost_eur": "Unit cost (€ per contact)",
    "penetration": "Penetration (% of adults)",
    "department": "Department",
    "locality": "Locality",
    "age_band": "Age band (years)",
    "age": "Age band (years)",  # a sweep's age column holds bands ("18-24")
    "gender": "Gender",
    "interest": "Interest",
    "sub_interest": "Sub-interest",
    "category": "Category",
    "scenario": "Scenario",
    "department_label": "Department",
    "department_name": "Department",
    "region_name": "Region",
    "csp": "Socio-professional category",
}


def is_missing(x: Any) -> bool:
    """True for None, ``pd.NA`` and NaN: a value shown as ``no data``."""
    if x is None or x is pd.NA:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def fmt_eur(x: Any, decimals: int = 2) -> str:
    """Euros in house style: ``€1,234.56``; negative as ``-€1.00``; missing as ``no data``.

    >>> fmt_eur(0.045, decimals=3)
    '€0.045'
    """
    if is_missing(x):
        return NO_DATA
    x = float(x)
    sign = "-" if x < 0 else ""
    return f"{sign}€{abs(x):,.{decimals}f}"


def fmt_int(x: Any) -> str:
    """Counts with thousands separators: ``12,345``; missing as ``no data``.

    >>> fmt_int(999.6)
    '1,000'
    """
    if is_missing(x):
        return NO_DATA
    return f"{round(float(x)):,}"


def fmt_pct(x: Any, decimals: int = 1) -> str:
    """A ratio as a percentage: ``0.1234`` -> ``12.3%``; missing as ``no data``."""
    if is_missing(x):
        return NO_DATA
    return f"{float(x) * 100:,.{decimals}f}%"


def value_kind(column: str) -> str:
    """How a column's values are formatted: ``"eur"``, ``"pct"`` or ``"int"``.

    Why by name: the frames carry euros in ``*_eur`` columns (``cost_eur``,
    ``unit_cost_eur``), so the unit follows the column without another argument.

    >>> value_kind("cost_eur"), value_kind("penetration"), value_kind("volume")
    ('eur', 'pct', 'int')
    """
    if column.endswith("_eur"):
        return "eur"
    if column in ("penetration",) or column.endswith("_share"):
        return "pct"
    return "int"


def fmt_value(x: Any, column: str) -> str:
    """Format ``x`` as the values of ``column`` are formatted (see :func:`value_kind`)."""
    kind = value_kind(column)
    if kind == "eur":
        # Unit costs are a few cents: keep three decimals so 0.045 does not read 0.05.
        return fmt_eur(x, 3 if column.startswith("unit_") else 2)
    if kind == "pct":
        return fmt_pct(x, 1 if is_missing(x) or abs(float(x)) >= 0.01 else 3)
    return fmt_int(x)


def axis_title(column: str) -> str:
    """Axis title with unit for a column name (``"cost_eur"`` -> ``"Cost (€)"``)."""
    if column in _AXIS_TITLES:
        return _AXIS_TITLES[column]
    base = column[: -len("_eur")] if column.endswith("_eur") else column
    label = base.replace("_", " ").capitalize()
    return {"eur": f"{label} (€)", "pct": f"{label} (%)"}.get(value_kind(column), label)


def axis_format(column: str, max_abs: float | None = None) -> dict[str, Any]:
    """Plotly axis (or colorbar) properties formatting ``column``'s values in house style."""
    kind = value_kind(column)
    if kind == "eur":
        small = max_abs is not None and max_abs < 100
        return {"tickprefix": "€", "tickformat": ",.2f" if small else ",.0f"}
    if kind == "pct":
        # Sub-percent penetrations would read "0.1%, 0.1%, 0.1%" with one decimal.
        return {"tickformat": ".1%" if max_abs is None or max_abs >= 0.05 else ".2%"}
    return {"tickformat": ",~f"}


def is_synthetic(df: pd.DataFrame, synthetic: bool | None = None) -> bool:
    """Whether a figure of ``df`` carries the synthetic-data mark.

    An explicit ``synthetic=`` wins; otherwise ``df.attrs["synthetic"]`` (set by the client
    for sandbox answers). Read it from the caller's frame: group-bys may drop ``attrs``.
    """
    if synthetic is not None:
        return bool(synthetic)
    return bool(df.attrs.get("synthetic", False))


def synthetic_annotation() -> dict[str, Any]:
    """The layout annotation marking a figure built from sandbox data (fixed name)."""
    return dict(
        name=SYNTHETIC_MARK_NAME,
        text=SYNTHETIC_MARK_TEXT,
        # Raised into the top margin, level with the title: clear of facet titles, legends
        # and bar labels whatever the chart.
        xref="paper", yref="paper", x=1, y=1.0, xanchor="right", yanchor="bottom", yshift=28,
        showarrow=False,
        font=dict(color="#b00020", size=12),
        bordercolor="#b00020", borderwidth=1, borderpad=3,
        bgcolor="rgba(255,255,255,0.85)",
    )


def set_synthetic_mark(fig: go.Figure, synthetic: bool) -> None:
    """Add or remove the synthetic mark in place (used by the update functions too)."""
    others = [a for a in fig.layout.annotations if a.name != SYNTHETIC_MARK_NAME]
    if synthetic:
        others.append(go.layout.Annotation(**synthetic_annotation()))
    fig.layout.annotations = others


def apply_house_style(
    fig: go.Figure,
    *,
    title: str,
    synthetic: bool,
    meta: Mapping[str, Any] | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """Title, template, margins and synthetic mark shared by every chart; returns ``fig``.

    ``meta`` (JSON-able) records how the figure was built so update functions can redo it.
    """
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title, x=0.0, xanchor="left"),
        margin=dict(l=60, r=30, t=80, b=60),
        hoverlabel=dict(align="left"),
        separators=".,",  # decimal ".", thousands "," in every d3 format
    )
    if height is not None:
        fig.update_layout(height=height)
    if width is not None:
        fig.update_layout(width=width)
    if meta is not None:
        fig.update_layout(meta=dict(meta))
    set_synthetic_mark(fig, synthetic)
    return fig


#: Fixed colours per gender code, so Women/Men/Mixed look the same in every chart.
GENDER_COLORS: dict[str, str] = {"f": "#d62728", "h": "#1f77b4", "m": "#7f7f7f"}


def palette_map(values: list[Any], column: str | None = None) -> dict[Any, str]:
    """Deterministic colour per group value, in order of appearance (cycling the palette).

    Gender codes keep their fixed :data:`GENDER_COLORS` whatever their order.
    """
    if column == "gender" and all(str(v) in GENDER_COLORS for v in values):
        return {v: GENDER_COLORS[str(v)] for v in values}
    return {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(values)}

