"""The Excel workbook of a :class:`~smsp_analytics.report.Report`: one sheet per table.

Numbers stay numbers (volumes as integers, euros as floats) with a display format:
euros ``"€"#,##0.00`` (unit costs with three decimals), counts ``#,##0``, shares ``0.0%``.
Row 1 holds the column headers (the same as the HTML report's), frozen, with an autofilter.
The workbook properties say whether the data are synthetic; the ``about`` table (a sheet like
any other) repeats it with the seed and the method.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ._format import header, kind

if TYPE_CHECKING:  # pragma: no cover
    from .core import Report

__all__ = ["write_excel", "sheet_name", "EUR_FORMAT", "UNIT_EUR_FORMAT", "INT_FORMAT", "PCT_FORMAT"]

EUR_FORMAT = '"€"#,##0.00'
UNIT_EUR_FORMAT = '"€"#,##0.000'
INT_FORMAT = "#,##0"
PCT_FORMAT = "0.0%"

_BAD = re.compile(r"[\[\]\:\*\?\/\\]")


def sheet_name(key: str) -> str:
    """An Excel-safe sheet name (31 characters, no ``[]:*?/\\``)."""
    return _BAD.sub("_", key)[:31]


def number_format(column: str) -> str | None:
    k = kind(column)
    if k == "eur":
        return UNIT_EUR_FORMAT if column.startswith("unit_") else EUR_FORMAT
    if k == "int":
        return INT_FORMAT
    if k == "pct":
        return PCT_FORMAT
    return None


def _plain(value):
    """A cell value openpyxl writes natively (numpy scalars -> Python, NA -> empty)."""
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def write_excel(report: Report, path: str | Path) -> Path:
    """Write the workbook; returns its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = report.title
    wb.properties.subject = report.synthetic_text if report.synthetic else report.subtitle
    wb.properties.creator = "smsp-analytics"
    # Fixed dates: the same inputs give the same workbook content.
    fixed = pd.Timestamp("2000-01-01").to_pydatetime()
    wb.properties.created = fixed
    wb.properties.modified = fixed

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F0F2F6")
    used: set[str] = set()
    for key, df in report.tables.items():
        name = sheet_name(key)
        if name in used:
            raise ValueError(f"two tables map to the sheet name {name!r}")
        used.add(name)
        ws = wb.create_sheet(name)
        cols = list(df.columns)
        ws.append([header(c) for c in cols])
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
        for rec in df.itertuples(index=False, name=None):
            ws.append([_plain(v) for v in rec])
        for j, col in enumerate(cols, start=1):
            letter = get_column_letter(j)
            fmt = number_format(col)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = fmt
            width = max([len(header(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
            ws.column_dimensions[letter].width = min(max(width, 8), 60)
        ws.freeze_panes = "A2"
        if len(df):
            ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible(buffer.getvalue(), fixed))
    return path


def _reproducible(xlsx: bytes, when: datetime) -> bytes:
    """The same workbook with fixed zip entry times and modified date: openpyxl stamps both
    with the time of saving, so two runs would differ byte for byte."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6]), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
