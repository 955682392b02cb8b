"""The one table of argument docs shared by every chart function (like plotly express's _doc).

Each public chart writes its summary and example, and a ``{parameters}`` line where
:func:`make_docstring` inserts the "Parameters" section built from :data:`ARG_DOCS`, in
signature order. A function-specific wording lives in the same table under
``"<function>.<argument>"``. A parameter without an entry raises at import time, so a new
argument cannot ship undocumented.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from typing import TypeVar

from smsp_analytics.vocab import SYNTHETIC_MARK

F = TypeVar("F", bound=Callable)

__all__ = ["ARG_DOCS", "make_docstring", "parameters_section"]

ARG_DOCS: dict[str, str] = {
    # --- data
    "df": "Tidy frame from the client (``calcul``, ``price`` or ``sweep``): one row per "
    "locality (and per swept value). ``df.attrs['synthetic']`` marks sandbox data.",
    "fig": "A figure returned by the matching chart function (a ``go.Figure`` or a "
    "``go.FigureWidget``); updated in place and returned.",
    # --- axes and groups (plotly express names)
    "x": "Column giving the categories along the x axis.",
    "y": "Column summed and plotted as bar height. Columns ending in ``_eur`` are "
    "formatted as euros, others as counts with thousands separators.",
    "color": "Column whose values split the bars into coloured groups (one trace per "
    "value, in order of appearance). ``None``: one colour.",
    "facet_col": "Column whose values split the figure into side-by-side panels (shared y "
    "axis), in order of appearance. ``None``: one panel.",
    "names": "Column giving the slice (or bar) labels.",
    "values": "Column summed to give the slice (or bar) sizes.",
    # --- frame columns
    "department": "Column holding the department code (``'60'``, ``'2A'``, ``'971'``); "
    "rows are summed per department, so zip-level frames are aggregated.",
    "volume": "Column holding the number of contacts.",
    "cost": "Column holding the cost in euros.",
    # --- options
    "top": "Keep only the ``top`` departments with the largest value (after sorting in "
    "descending order). ``None``: all.",
    "title": "Figure title. ``None``: a title built from the data (the metric and its unit, "
    "by what, and on a second line the frame's targeting, gender in words).",
    "synthetic": f"Show the '{SYNTHETIC_MARK}' mark. ``None``: follow "
    "``df.attrs['synthetic']`` (set for sandbox answers).",
    "height": "Figure height in pixels. ``None``: plotly's default (or a size suited to "
    "the chart).",
    "width": "Figure width in pixels. ``None``: fill the output cell.",
    "text_auto": "Write each bar's formatted value on the bar (never below 10 px: labels "
    "that do not fit are hidden; values stay in the hover). ``None``: only "
    "when there are at most 20 bars.",
    "labels": "Display names of the interest ids: a mapping ``{id: name}``, a Series "
    "indexed by id, or a categories frame with ``id`` and ``name`` columns (or "
    "indexed by id with a ``name`` column). ``None``: 'Interest <id>'.",
    "sort": "Order of the categories: ``'descending'`` by value, ``'ascending'``, or "
    "``'data'`` (order of first appearance, i.e. sweep order).",
    "kind": "``'donut'``, ``'pie'`` or ``'bar'``.",
    "include_mixed": "Keep rows of the mixed audience (gender ``'m'``, both genders). "
    "``None``: keep them only when the frame does not have both women and "
    "men rows, because mixed then double counts them.",
    "adults": "Adult population per department code (a Series indexed by code) used for "
    "penetration. ``None``: INSEE total population times ``adult_share``.",
    "adult_share": "Share of adults (18 and over) in the population, used when ``adults`` is "
    "not given. Default 0.79 (INSEE age pyramid, about 21% of the French "
    "population is under 18).",
    "colorscale": "Plotly sequential colorscale name or list. Default 'Viridis'.",
    "overseas": "Draw the five overseas departments (971-976) as labelled squares beside "
    "the metropolitan map.",
    "zoom": "``'auto'``: zoom to the frame's departments, the rest of France drawn faint "
    "around them (all of France when the frame covers more than 60 departments). "
    "``False``: all of France.",
    "inset": "Draw Paris and its inner ring (75, 92, 93, 94) again, enlarged, in an inset "
    "in the top-left corner. ``None``: when any of them is in the frame.",
    "frame": "Frame of :func:`smsp_analytics.send_windows`: ``department``, ``date``, "
    "``open``, ``local_start``, ``local_end``, ``paris_start``, ``paris_end`` "
    "(aware; NaT when closed) and ``reason`` (empty when open).",
    # --- function-specific wording
    "drift.df": "Frame of :func:`smsp_analytics.drift`: ``locality``, ``volume_before``, "
    "``volume_after`` (NaN on the side where the locality was not quoted), and "
    "optionally ``unit_cost_before``/``after``, ``as_of_before``/``after``.",
    "drift.kind": "``'bars'`` (diverging bars, red loss, blue gain) or ``'map'`` (% change "
    "on a red-white-blue scale centred on 0).",
    "campaign_cost.df": "Frame of :func:`smsp_analytics.campaign_cost`: "
    "``rental_cost_eur``, ``sending_cost_eur``, ``total_cost_eur``, "
    "optionally ``parts`` and ``volume``, one row per locality (or "
    "scenario).",
    "campaign_cost.x": "Column along the x axis: ``'locality'`` (departments read '60 Oise') "
    "or ``'scenario'``. ``None``: ``'scenario'`` when the frame has one, "
    "else ``'locality'``.",
    "bar_departments.y": "Metric per department: ``'volume'`` (contacts), ``'cost_eur'`` "
    "(euros) or any numeric column (summed per department).",
    "bar_departments.color": "Column constant within a department (e.g. ``'region_name'``, "
    "added from the reference data) colouring the bars. ``None``: "
    "one colour.",
    "bar_departments.text_auto": "Write each bar's formatted value on the bar. ``None``: "
    "only when there are at most 20 bars (more would overlap).",
    "map_departments.color": "Metric coloured per department: ``'volume'`` (contacts), "
    "``'cost_eur'`` (euros) or ``'penetration'`` (volume per adult "
    "inhabitant, shown in %), or any numeric column.",
    "update_map_colors.color": "Metric to colour (as in :func:`map_departments`). ``None``: "
    "the metric the figure was built with.",
    "update_bars.y": "Metric (as in :func:`bar_departments`). ``None``: the one the figure "
    "was built with.",
    "update_bars.top": "As in :func:`bar_departments`. ``None``: the one the figure was "
    "built with.",
    "age_profile.x": "Column of age bands (e.g. ``'18-24'``); bars keep the sweep order. "
    "The default falls back to ``'age'`` (the column a sweep over ages "
    "produces) when the frame has no ``'age_band'``.",
    "interest_comparison.x": "Column of interest ids (or any category column).",
    "cost_comparison.x": "Column of scenario names; scenarios keep their order of appearance.",
    "cost_comparison.y": "Column summed per scenario (euros for ``'cost_eur'``).",
    "cost_comparison.volume": "Column of contacts shown in the hover when present.",
    "sending_costs.df": "Frame of ``client.sending_costs()``: ``month`` (a date, the first day "
    "of the month), ``sms_sent``, ``cost_eur`` (and ``cost_per_sms_eur``, recomputed here "
    "from the sums so that several rows per month add up).",
    "sending_costs.x": "Column of the months (dates; any day of a month counts for its month).",
    "sending_costs.y": "Column of the SMS sent, drawn as bars (left axis).",
    "sending_costs.text_auto": "Write each month's SMS count on its bar (they would cross the "
    "line of the cost per SMS, so by default the values are in the hover only). ``None``: "
    "when there are at most 20 months.",
    "sending_costs.cost": "Column of what the month's sending cost, in euros; the line of the "
    "cost per SMS (right axis) is this over ``y``.",
}


def _doc_for(func_name: str, arg: str) -> str:
    key = f"{func_name}.{arg}"
    if key in ARG_DOCS:
        return ARG_DOCS[key]
    if arg in ARG_DOCS:
        return ARG_DOCS[arg]
    raise KeyError(f"argument {arg!r} of {func_name}() has no entry in charts._docs.ARG_DOCS")


def parameters_section(func: Callable) -> str:
    """The numpy-style "Parameters" section of ``func`` built from :data:`ARG_DOCS`."""
    lines = ["Parameters", "----------"]
    for name, param in inspect.signature(func).parameters.items():
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        default = "" if param.default is param.empty else f", default {param.default!r}"
        lines.append(f"{name}{default}")
        body = textwrap.fill(_doc_for(func.__name__, name), width=84)
        lines.extend(textwrap.indent(body, "    ").splitlines())
    return "\n".join(lines)


def make_docstring(func: F) -> F:
    """Decorator replacing the ``{parameters}`` line of ``func``'s docstring.

    It becomes the "Parameters" section and a "Returns" section: a new figure, or, for the
    update functions (first argument ``fig``), the same figure updated.

    Plain ``str.replace`` rather than ``str.format`` keeps braces in examples literal.
    """
    doc = inspect.cleandoc(func.__doc__ or "")
    if "{parameters}" not in doc:
        raise ValueError(f"{func.__name__}() docstring lacks a {{parameters}} line")
    first = next(iter(inspect.signature(func).parameters), None)
    returns = "The same ``fig``, updated." if first == "fig" else "plotly.graph_objects.Figure"
    sections = f"{parameters_section(func)}\n\nReturns\n-------\n{returns}"
    func.__doc__ = doc.replace("{parameters}", sections)
    return func
