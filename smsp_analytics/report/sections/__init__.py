"""The report's sections, one module each, registered once here in the report's order.

A section (:class:`~smsp_analytics.report.sections.base.ReportSection`) holds its key (the
page anchor), its tables with their titles, and the functions computing its data, its
figures and its text; its module alone types those keys. The builder, the HTML page and the
workbook follow :data:`SECTIONS`: page sections, tables (sheets) and figures come in this
order, and a section without data (no earlier quotes: no "What changed") is left out.

>>> [s.key for s in SECTIONS]
['scenarios', 'departments', 'age', 'gender', 'interest', 'csp', 'budget', 'campaign', 'sending', 'cleaning', 'windows', 'changes', 'about']
>>> list(TABLE_TITLES)[:3], list(SHEET_NAMES.values())[:3]
(['summary', 'by_department', 'by_age'], ['Summary', 'By department', 'By age band'])
"""

from __future__ import annotations

from smsp_analytics.report.sections import (
    about,
    age,
    budget,
    campaign,
    changes,
    cleaning,
    csp,
    departments,
    gender,
    interest,
    scenarios,
    sending,
    windows,
)
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection

__all__ = ["SECTIONS", "TABLE_TITLES", "SHEET_NAMES", "ReportSection", "Inputs", "Part"]

#: The report's sections, in the order of the page and of the workbook's sheets.
SECTIONS: tuple[ReportSection, ...] = tuple(
    m.SECTION
    for m in (
        scenarios,
        departments,
        age,
        gender,
        interest,
        csp,
        budget,
        campaign,
        sending,
        cleaning,
        windows,
        changes,
        about,
    )
)

#: Table key -> title, in the sheet order of the workbook (English, marked for translation).
TABLE_TITLES: dict[str, str] = {key: title for s in SECTIONS for key, title in s.tables.items()}
#: Table key -> the workbook's sheet name (English words, marked for translation).
SHEET_NAMES: dict[str, str] = {key: name for s in SECTIONS for key, name in s.sheets.items()}
