"""What a report holds: its tables, figures and texts, and the provenance every part repeats.

The writers (:mod:`.html`, :mod:`.excel`) read a :class:`ReportModel`; the builder
(:mod:`.build`) fills one. Nothing here computes or writes.

>>> TABLE_TITLES["summary"]
'Scenarios: available contacts and cost (calcul)'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from smsp_analytics.display import SYNTHETIC_MARK

from smsp_analytics.report.scenarios import Scenario

__all__ = ["ReportModel", "Section", "TABLE_TITLES", "DEFAULT_SEED", "DEFAULT_TITLE"]

DEFAULT_SEED = 0
DEFAULT_TITLE = "SMS audience cost comparison"

#: Table key -> title (the order is the sheet order of the workbook).
TABLE_TITLES: dict[str, str] = {
    "summary": "Scenarios: available contacts and cost (calcul)",
    "by_department": "By department",
    "by_age": "By age band",
    "by_gender": "By gender",
    "by_interest": "By interest",
    "by_csp": "By socio-professional category (CSP)",
    "budget_plan": "Budget plan",
    "campaign": "Campaign cost: rental and sending, per scenario",
    "send_windows": "Send windows of the targeted departments",
    "drift": "What changed since the earlier quotes",
    "about": "About this report",
}


@dataclass(frozen=True)
class Section:
    """A part of the HTML page: figures then tables."""

    key: str
    title: str
    intro: str = ""
    figures: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    collapse_tables: bool = False


@dataclass
class ReportModel:
    """The report's content. ``tables`` and ``figures`` are plain dicts keyed by name.

    ``fetched_at``: when live figures were fetched (None for the sandbox, whose figures
    depend on the seed only, so that a report is reproducible byte for byte).
    """

    tables: dict[str, pd.DataFrame]
    figures: dict[str, Any]
    synthetic: bool
    seed: int | None
    scenarios: tuple[Scenario, ...]
    budget_eur: float
    title: str = DEFAULT_TITLE
    fetched_at: str | None = None
    subtitle: str = ""
    summary: str = ""
    sections: list[Section] = field(default_factory=list)
    method: list[tuple[str, str]] = field(default_factory=list)
    source_notes: list[str] = field(default_factory=list)
    table_titles: dict[str, str] = field(default_factory=lambda: dict(TABLE_TITLES))
    #: The campaign part: the message's parts (a ``MessageParts``), the price per SMS
    #: applied, the first day of the send-window table, how many targeted departments the
    #: table leaves out, and the ``since`` of the changes (None: no such section) with the
    #: note saying why they are not shown (empty when nothing is to be said).
    message: Any = None
    message_text: str = ""
    price_per_sms: float | None = None
    send_start: Any = None
    windows_left_out: int = 0
    since: Any = None
    history_note: str = ""

    @property
    def synthetic_text(self) -> str:
        seed = f", seed {self.seed}" if self.seed is not None else ", seed not known"
        return (f"{SYNTHETIC_MARK}{seed}: invented audiences from the offline sandbox, "
                "not SMS Partner's real figures")

    @property
    def source_text(self) -> str:
        """The provenance line repeated on every sheet, in the footer and the properties."""
        if self.synthetic:
            return self.synthetic_text
        when = f", fetched {self.fetched_at}" if self.fetched_at else ""
        return f"Source: SMS Partner API (live figures){when}"

    @property
    def footer(self) -> str:
        return f"smsp-analytics cost comparison report. {self.source_text}."

    def _repr_html_(self) -> str:  # a notebook shows the summary table, not 5 MB of page
        return self.tables["summary"].to_html(index=False)

    def __repr__(self) -> str:
        return (f"Report({len(self.scenarios)} scenarios, tables={list(self.tables)}, "
                f"figures={list(self.figures)}, synthetic={self.synthetic})")
