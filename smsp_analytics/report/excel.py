"""The Excel workbook of a :class:`~smsp_analytics.report.Report`: one sheet per table, in
the report's language.

Sheets are named in words of the language (``Summary``, ``By department``... /
``Synthèse``, ``Par département``...: :data:`~smsp_analytics.report.sections.SHEET_NAMES`,
translated; at most 31 characters, none of ``[]:*?/\\``), headers are the HTML report's.
Numbers stay numbers (volumes as integers, euros as floats) and dates real dates, each with
a display format that Excel renders in the reader's own locale (its decimal and grouping
marks, its short date): euros ``"€"#,##0.00`` in English, ``#,##0.00 "€"`` in French (unit
prices with three decimals, the columns :func:`smsp_analytics.display.is_unit_price` names,
as every displayed number), counts ``#,##0``, shares ``0.0%``, dates Excel's built-in
short date (format 14, which follows the reader's regional settings).
Row 1 of every sheet says where the numbers come from (the synthetic-data line for the
sandbox, the source and fetch time for the live API), so a sheet copied out of the workbook
keeps it; row 2 holds the column headers (the same as the HTML report's), frozen with row 1,
with an autofilter. The workbook properties (title, subject, keywords, description) say it
too. The file is byte-for-byte reproducible: fixed dates inside and in the zip entries.

>>> from smsp_analytics.i18n import use_lang
>>> with use_lang("en"):
...     sheet_name("summary"), sheet_name("by/department")
('Summary', 'by_department')
>>> with use_lang("fr"):
...     sheet_name("summary"), number_format("cost_eur")
('Synthèse', '#,##0.00 "€"')
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from smsp_analytics.display import is_unit_price, value_kind
from smsp_analytics.i18n import _, get_lang
from smsp_analytics.report.columns import header
from smsp_analytics.report.model import ReportModel
from smsp_analytics.report.sections import SHEET_NAMES
from smsp_analytics.vocab import APP_NAME

__all__ = [
    "write_excel",
    "sheet_name",
    "number_format",
    "is_date_column",
    "EUR_FORMAT",
    "UNIT_EUR_FORMAT",
    "FR_EUR_FORMAT",
    "FR_UNIT_EUR_FORMAT",
    "INT_FORMAT",
    "PCT_FORMAT",
    "DATE_FORMAT",
    "HEADER_ROW",
]

# The grouping "," and decimal "." of a format code are placeholders: Excel shows the
# reader's own marks. Only the euro sign's place is the language's.
EUR_FORMAT = '"€"#,##0.00'
UNIT_EUR_FORMAT = '"€"#,##0.000'
FR_EUR_FORMAT = '#,##0.00 "€"'
FR_UNIT_EUR_FORMAT = '#,##0.000 "€"'
INT_FORMAT = "#,##0"
PCT_FORMAT = "0.0%"
#: Excel's built-in format 14, the short date of the reader's regional settings.
DATE_FORMAT = "mm-dd-yy"

#: Row of the column headers; row 1 holds the source line.
HEADER_ROW = 2

_BAD = re.compile(r"[\[\]\:\*\?\/\\]")


def sheet_name(key: str) -> str:
    """The sheet of table ``key``: its name in the language in force (a table the sections
    do not name keeps its key), Excel-safe (31 characters, no ``[]:*?/\\``, no apostrophe
    at either end)."""
    name = _(SHEET_NAMES[key]) if key in SHEET_NAMES else key
    return _BAD.sub("_", name)[:31].strip("'") or "_"


def number_format(column: str) -> str:
    """The Excel display format of a numeric column, in the language in force.

    >>> from smsp_analytics.i18n import use_lang
    >>> with use_lang("en"):
    ...     number_format("unit_cost_eur"), number_format("price_per_sms_eur")
    ('"€"#,##0.000', '"€"#,##0.000')
    >>> number_format("volume")
    '#,##0'
    """
    kind = value_kind(column)
    if kind == "eur":
        french = get_lang() == "fr"
        if is_unit_price(column):
            return FR_UNIT_EUR_FORMAT if french else UNIT_EUR_FORMAT
        return FR_EUR_FORMAT if french else EUR_FORMAT
    return PCT_FORMAT if kind == "pct" else INT_FORMAT


def is_date_column(series: pd.Series) -> bool:
    """Whether a column holds dates (datetime64, or dates and datetimes with gaps).

    >>> is_date_column(pd.Series([dt.date(2026, 11, 1), None])), is_date_column(pd.Series(["x"]))
    (True, False)
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    values = series.dropna()
    return len(values) > 0 and all(isinstance(v, dt.date) for v in values)


def _plain(value: Any) -> Any:
    """A cell value openpyxl writes natively (numpy scalars -> Python, NA -> empty, a
    time-zone-aware datetime -> its wall time, which Excel can hold)."""
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "item"):
        return value.item()
    return value


def write_excel(report: ReportModel, path: str | Path) -> Path:
    """Write the workbook; returns its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    if wb.active is not None:  # a new workbook comes with one empty sheet
        wb.remove(wb.active)
    names = "; ".join(s.name for s in report.scenarios)
    wb.properties.title = report.title
    wb.properties.subject = report.source_text
    wb.properties.keywords = ", ".join(
        [
            APP_NAME,
            _("cost comparison"),
            _("synthetic data") if report.synthetic else "SMS Partner API",
        ]
    )
    wb.properties.description = _("{source}. Scenarios: {names}. {summary}").format(
        source=report.source_text, names=names, summary=report.summary
    )
    wb.properties.language = get_lang()
    wb.properties.creator = APP_NAME
    # Fixed dates: the same inputs give the same workbook content.
    fixed = pd.Timestamp("2000-01-01").to_pydatetime()
    wb.properties.created = fixed
    wb.properties.modified = fixed

    bold = Font(bold=True)
    mark = Font(bold=True, color="B00020" if report.synthetic else "1D2330")
    fill = PatternFill("solid", fgColor="F0F2F6")
    used: set[str] = set()
    for key, df in report.tables.items():
        name = sheet_name(key)
        if name in used:
            raise ValueError(_("two tables map to the sheet name {name}").format(name=repr(name)))
        used.add(name)
        ws = wb.create_sheet(name)
        cols = list(df.columns)
        ws.append([report.source_text])
        ws["A1"].font = mark
        ws.append([header(c) for c in cols])
        for cell in ws[HEADER_ROW]:
            cell.font = bold
            cell.fill = fill
        for rec in df.itertuples(index=False, name=None):
            ws.append([_plain(v) for v in rec])
        for j, col in enumerate(cols, start=1):
            letter = get_column_letter(j)
            fmt = None
            if is_date_column(df[col]):
                fmt = DATE_FORMAT
            elif pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col]):
                fmt = number_format(col)
            if fmt is not None:
                for (cell,) in ws.iter_rows(min_row=HEADER_ROW + 1, min_col=j, max_col=j):
                    cell.number_format = fmt
            width = max([len(header(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
            ws.column_dimensions[letter].width = min(max(width, 8), 60)
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        if len(df):
            last = get_column_letter(len(cols))
            ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(df)}"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible(buffer.getvalue(), fixed))
    return path


def _reproducible(xlsx: bytes, when: datetime) -> bytes:
    """The same workbook with fixed zip entry times and modified date: openpyxl stamps both
    with the time of saving, so two runs would differ byte for byte."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            dst.writestr(
                zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6]),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()
