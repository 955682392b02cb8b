"""The self-contained HTML page of a :class:`~smsp_analytics.report.Report`.

Opens with no network at all:

* plotly.js is embedded inline, once, in a ``<script>`` of the ``<head>``; every figure is
  written with ``include_plotlyjs=False`` (no CDN, no ``require.js``, no MathJax);
* no external style sheet, no web font (system font stack only), no image;
* the department map is drawn with cartesian ``Scatter`` polygons by the charts module, never
  with geo traces (which make plotly.js fetch a topojson from its CDN): :func:`render` refuses
  figures holding geo or mapbox/map traces.

Output is deterministic: fixed div ids (``fig-<key>``), no timestamps, no random ids.
It speaks the language in force (the report's own, :meth:`Report.to_html` sees to it):
``<html lang>``, its headings, and every number, amount and date in the language's writing.
"""

from __future__ import annotations

import datetime as dt
import html as _html
from typing import Any

import pandas as pd

from smsp_analytics import charts
from smsp_analytics.display import fmt_date, fmt_value, is_missing
from smsp_analytics.i18n import _, get_lang
from smsp_analytics.report.columns import header
from smsp_analytics.report.model import ReportModel

__all__ = ["render", "table_html", "figure_html", "FORBIDDEN_TRACE_TYPES"]

#: Trace types that need a base map or tiles from the network.
FORBIDDEN_TRACE_TYPES = frozenset(
    {
        "choropleth",
        "scattergeo",
        "choroplethmapbox",
        "scattermapbox",
        "densitymapbox",
        "choroplethmap",
        "scattermap",
        "densitymap",
    }
)

_CSS = """
:root { --mark: #b00020; --ink: #1d2330; --muted: #5b6475; --rule: #d9dde5; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 0 24px 48px; }
.synthetic-banner { position: sticky; top: 0; z-index: 10; background: var(--mark); color: #fff;
       padding: 8px 24px; font-weight: 600; text-align: center; letter-spacing: .02em; }
.synthetic-badge { display: inline-block; border: 1px solid var(--mark); color: var(--mark);
       font-size: 12px; font-weight: 600; padding: 0 6px; margin-left: 8px; vertical-align: middle; }
h1 { font-size: 28px; margin: 28px 0 4px; }
h2 { font-size: 21px; margin: 36px 0 8px; border-bottom: 2px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.lead { color: var(--muted); margin-top: 0; }
.summary { background: #f5f7fa; border-left: 4px solid #1f77b4; padding: 10px 16px; }
.figure { margin: 12px 0 20px; border: 1px solid var(--rule); }
.figure .plotly-graph-div { min-height: 420px; }
table.data { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; }
table.data caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.data th, table.data td { border-bottom: 1px solid var(--rule); padding: 4px 8px; }
table.data th { background: #f0f2f6; text-align: left; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
details { margin: 4px 0 16px; }
details > summary { cursor: pointer; color: #1f5fa8; }
dl.method dt { font-weight: 600; margin-top: 8px; }
dl.method dd { margin-left: 16px; }
footer { color: var(--muted); font-size: 13px; border-top: 1px solid var(--rule); margin-top: 40px; padding-top: 8px; }
@media print { .synthetic-banner { position: static; } .figure { break-inside: avoid; } }
"""


def esc(text: Any) -> str:
    return _html.escape(str(text), quote=True)


#: How the date columns of the report's tables read (:func:`fmt_date` styles); other date
#: columns read ``iso`` (``2026-11-01``, ``01/11/2026`` in French).
DATE_STYLES = {"date": "weekday_iso", "month": "month_long"}


def cell_text(value: Any, column: str, numeric: bool) -> str:
    """A cell as shown: numbers in house style (the one formatter, unit prices with three
    decimals), dates in words of the language, an empty text cell left empty."""
    if not numeric and is_missing(value):
        return ""
    if isinstance(value, dt.date):  # a datetime or pd.Timestamp too
        return fmt_date(value, DATE_STYLES.get(column, "iso"))
    return fmt_value(value, column)


def table_html(
    df: pd.DataFrame, *, key: str, caption: str | None = None, synthetic: bool = False
) -> str:
    """One table in house style (euros ``€1,234.56``, counts ``12,345``; ``1 234,56 €`` and
    ``12 345`` in French), numbers right-aligned.

    >>> table_html(pd.DataFrame({"scenario": ["Oise"], "cost_eur": [12.5]}), key="t")[:60]
    '<table class="data" id="table-t" data-table="t"><thead><tr><'
    """
    cols = list(df.columns)
    numeric = {
        c: pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
        for c in cols
    }
    head = "".join(
        f'<th class="{"num" if numeric[c] else "txt"}" scope="col">{esc(header(c))}</th>'
        for c in cols
    )
    rows = []
    for rec in df.itertuples(index=False, name=None):
        cells = "".join(
            f'<td class="{"num" if numeric[c] else "txt"}">{esc(cell_text(v, c, numeric[c]))}</td>'
            for c, v in zip(cols, rec)
        )
        rows.append(f"<tr>{cells}</tr>")
    cap = ""
    if caption:
        badge = f'<span class="synthetic-badge">{esc(_("synthetic"))}</span>' if synthetic else ""
        cap = f"<caption>{esc(caption)}{badge}</caption>"
    return (
        f'<table class="data" id="table-{esc(key)}" data-table="{esc(key)}">{cap}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def check_offline(fig: Any, key: str) -> None:
    """Refuse figures that would need the network (geo or tile-map traces)."""
    for trace in fig.data:
        if trace.type in FORBIDDEN_TRACE_TYPES:
            raise ValueError(
                f"figure {key!r} holds a {trace.type!r} trace, which needs a "
                "topojson or map tiles from the network; draw it with Scatter "
                "polygons instead"
            )


def figure_html(fig: Any, key: str) -> str:
    """The ``<div>`` of one figure, plotly.js NOT included (it is in the page head)."""
    check_offline(fig, key)
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=f"fig-{key}",
        config=_config(),
        default_width="100%",
        default_height="460px",
    )
    return f'<div class="figure" data-figure="{esc(key)}">{div}</div>'


def _config() -> dict[str, Any]:
    """The charts' quiet toolbar (no logo), responsive to the page width."""
    return {**charts.CONFIG, "responsive": True}


def _plotlyjs() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def render(report: ReportModel) -> str:
    """The whole page as a string."""
    synthetic = report.synthetic
    parts: list[str] = []
    parts.append("<!DOCTYPE html>")
    parts.append(f'<html lang="{esc(get_lang())}"><head><meta charset="utf-8">')
    parts.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    parts.append(f"<title>{esc(report.title)}</title>")
    parts.append(f"<style>{_CSS}</style>")
    # plotly.js, inline, once.
    parts.append(f'<script type="text/javascript">{_plotlyjs()}</script>')
    parts.append("</head><body>")
    if synthetic:
        parts.append(
            f'<div class="synthetic-banner" id="synthetic-banner" role="note">'
            f"{esc(report.synthetic_text)}</div>"
        )
    parts.append("<main>")
    parts.append(f"<h1>{esc(report.title)}</h1>")
    parts.append(f'<p class="lead">{esc(report.subtitle)}</p>')
    parts.append(f'<p class="summary" id="summary">{esc(report.summary)}</p>')

    toc = "".join(f'<li><a href="#{esc(s.key)}">{esc(s.title)}</a></li>' for s in report.sections)
    method, source = esc(_("Method")), esc(_("Data source"))
    parts.append(
        f'<nav><ul>{toc}<li><a href="#method">{method}</a></li>'
        f'<li><a href="#source">{source}</a></li></ul></nav>'
    )

    badge = f'<span class="synthetic-badge">{esc(_("synthetic data"))}</span>' if synthetic else ""
    for section in report.sections:
        parts.append(f'<section id="{esc(section.key)}">')
        parts.append(f"<h2>{esc(section.title)}{badge}</h2>")
        if section.intro:
            parts.append(f"<p>{esc(section.intro)}</p>")
        for fkey in section.figures:
            parts.append(figure_html(report.figures[fkey], fkey))
        for tkey in section.tables:
            df = report.tables[tkey]
            table = table_html(
                df, key=tkey, caption=report.table_titles.get(tkey, tkey), synthetic=synthetic
            )
            if section.collapse_tables:
                summary = _("Table: {title}").format(title=report.table_titles.get(tkey, tkey))
                parts.append(f"<details><summary>{esc(summary)}</summary>{table}</details>")
            else:
                parts.append(table)
        parts.append("</section>")

    parts.append(f'<section id="method"><h2>{method}</h2><dl class="method">')
    for term, text in report.method:
        parts.append(f"<dt>{esc(term)}</dt><dd>{esc(text)}</dd>")
    parts.append("</dl></section>")

    parts.append(f'<section id="source"><h2>{source}</h2>')
    for text in report.source_notes:
        parts.append(f"<p>{esc(text)}</p>")
    parts.append("</section>")
    parts.append(f"<footer>{esc(report.footer)}</footer>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
