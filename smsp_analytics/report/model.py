"""What a report holds: its tables, figures and texts, and the provenance every part repeats.

The writers (:mod:`.html`, :mod:`.excel`) read a :class:`ReportModel`; the builder
(:mod:`.build`) fills one from the sections (:mod:`.sections`). Nothing here computes or
writes.

>>> Section("about", "About", tables=("about",)).collapse_tables
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from smsp_analytics.display import synthetic_text as mark_text
from smsp_analytics.i18n import DEFAULT_LANG, N_, _, use_lang
from smsp_analytics.report.scenarios import Scenario
from smsp_analytics.vocab import APP_NAME

__all__ = ["ReportModel", "Section", "DEFAULT_SEED", "DEFAULT_TITLE"]

DEFAULT_SEED = 0
#: The title when none is given (translated when the report is built).
DEFAULT_TITLE = N_("SMS audience cost comparison")


@dataclass(frozen=True)
class Section:
    """A part of the HTML page as a report shows it: figures then tables (the page part of
    a :class:`~smsp_analytics.report.sections.base.ReportSection`)."""

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
    depend on the seed only, so that a report is reproducible byte for byte). ``lang``: the
    language it was built in (``en`` or ``fr``); its texts are in that language, and its
    writers and provenance lines speak it whatever language is in force when they run.
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
    #: Table key -> title (the sections' titles, set by the builder).
    table_titles: dict[str, str] = field(default_factory=dict)
    #: The campaign part: the message's parts (a ``MessageParts``), the price per SMS
    #: applied, the first day of the send-window table, how many targeted departments the
    #: table leaves out, and the ``since`` of the changes (None: no such section) with the
    #: note saying why they are not shown (empty when nothing is to be said).
    message: Any = None
    message_text: str = ""
    price_per_sms: float | None = None
    #: Why that price (``campaign_cost``'s ``attrs["price_basis"]``: ``kind`` "given",
    #: "sandbox_default" or "account", with the sending history's figures).
    price_basis: dict[str, Any] | None = None
    send_start: Any = None
    windows_left_out: int = 0
    since: Any = None
    history_note: str = ""
    #: Why the account's sending history is not shown ("" when it is, or has none).
    sending_note: str = ""
    lang: str = DEFAULT_LANG

    @property
    def synthetic_text(self) -> str:
        with use_lang(self.lang):
            mark = mark_text()
            if self.seed is None:
                return _(
                    "{mark}, seed not known: invented audiences from the offline sandbox, "
                    "not SMS Partner's real figures"
                ).format(mark=mark)
            return _(
                "{mark}, seed {seed}: invented audiences from the offline sandbox, "
                "not SMS Partner's real figures"
            ).format(mark=mark, seed=self.seed)

    @property
    def source_text(self) -> str:
        """The provenance line repeated on every sheet, in the footer and the properties."""
        if self.synthetic:
            return self.synthetic_text
        with use_lang(self.lang):
            if self.fetched_at:
                return _("Source: SMS Partner API (live figures), fetched {when}").format(
                    when=self.fetched_at
                )
            return _("Source: SMS Partner API (live figures)")

    @property
    def footer(self) -> str:
        with use_lang(self.lang):
            return _("{app} cost comparison report. {source}.").format(
                app=APP_NAME, source=self.source_text
            )

    def __repr__(self) -> str:
        return (
            f"Report({len(self.scenarios)} scenarios, tables={list(self.tables)}, "
            f"figures={list(self.figures)}, synthetic={self.synthetic})"
        )
