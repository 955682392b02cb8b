"""Build the cost comparison report: :func:`build_report` and the :class:`Report` it returns.

One code path for the CLI (``smsp report``) and notebook 03::

    >>> import tempfile, pathlib
    >>> from smsp_analytics.report import Scenario, build_report
    >>> rep = build_report(scenarios=[Scenario.of("Oise", interest=14, departments=["60"])])
    >>> list(rep.tables)[:3]
    ['summary', 'by_department', 'by_age']
    >>> rep.to_excel(pathlib.Path(tempfile.mkdtemp()) / "report.xlsx").suffix
    '.xlsx'

Without a client (and without ``SMSPARTNER_API_KEY``) the report runs on the offline sandbox
with a fixed seed: same seed, same report, byte for byte (no timestamps anywhere).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from smsp_analytics.campaign.sendwindows import check_start
from smsp_analytics.client.facade import client_or_default
from smsp_analytics.errors import TargetingError
from smsp_analytics.history import QuoteHistory
from smsp_analytics.report import texts
from smsp_analytics.report.campaign import DEMO_MESSAGE, check_message
from smsp_analytics.report.changes import report_as_of
from smsp_analytics.report.excel import write_excel
from smsp_analytics.report.html import render
from smsp_analytics.report.model import DEFAULT_SEED, DEFAULT_TITLE, ReportModel
from smsp_analytics.report.scenarios import DEFAULT_BUDGET_EUR, Scenario, default_scenarios
from smsp_analytics.report.sections import SECTIONS, TABLE_TITLES, Inputs, Part
from smsp_analytics.report.sections.scenarios import SUMMARY
from smsp_analytics.report.tables import check_interests, interest_names, main_interests
from smsp_analytics.vocab import parse_utc

__all__ = ["Report", "build_report"]


class Report(ReportModel):
    """The report's content (see :class:`~smsp_analytics.report.model.ReportModel`) and
    its two writers."""

    def to_html(self, path: str | Path | None = None) -> str:
        """The self-contained page (plotly.js inline, no network); written to ``path`` if given."""
        text = render(self)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_excel(self, path: str | Path) -> Path:
        """The workbook: one sheet per table, numbers as numbers, the source on every sheet."""
        return write_excel(self, path)

    def _repr_html_(self) -> str:  # a notebook shows the summary table, not 5 MB of page
        return self.tables[SUMMARY].to_html(index=False)


def _sandbox_defaults(seed: int | None) -> dict[str, Any]:
    """No cache (a user's cache never changes the report), no announcement on stderr
    (the report says itself that its data are synthetic), and no quote history (the
    user's history would make two runs differ, and sandbox quotes do not belong in it)."""
    return {"cache": False, "announce": False, "sandbox": {"seed": seed}, "history": False}


def _check_price(price_per_sms: Any) -> float | None:
    if price_per_sms is None:
        return None
    if (
        isinstance(price_per_sms, bool)
        or not isinstance(price_per_sms, (int, float))
        or not math.isfinite(price_per_sms)
        or price_per_sms <= 0
    ):
        raise ValueError(
            f"price_per_sms: invalid value {price_per_sms!r}; allowed: your "
            "price per SMS in EUR, a number > 0 (e.g. 0.038)"
        )
    return float(price_per_sms)


def _check_start(send_start: Any) -> dt.date | None:
    # The report shows a week of windows: the whole week must lie in the supported range,
    # checked before any API call.
    if send_start is None:
        return None
    return check_start(send_start, 7, field="send_start")


def build_report(
    client: Any = None,
    *,
    scenarios: Iterable[Scenario] | None = None,
    title: str | None = None,
    seed: int | None = None,
    budget_eur: float = DEFAULT_BUDGET_EUR,
    interests: Sequence[int] | None = None,
    message: str | None = None,
    price_per_sms: float | None = None,
    unicode: bool = False,
    range: str = "premium",
    send_start: Any = None,
    history: pd.DataFrame | QuoteHistory | None = None,
    since: Any = None,
) -> Report:
    """Compute every table and figure of the cost comparison report.

    ``client``: a :class:`~smsp_analytics.client.facade.Client`; ``None`` builds one without a key
    (the offline sandbox, synthetic data, with ``seed``, default 0) and no cache, and closes
    it; with a client, ``seed`` defaults to its sandbox's (None when not known).
    ``scenarios``: :class:`Scenario` objects, e.g. from
    :func:`~smsp_analytics.report.load_scenarios` (default: four audiences in
    Hauts-de-France). ``title``: the page's and workbook's title. ``budget_eur``: the
    budget of the plan. ``interests``: main interest ids compared in the interest
    breakdown (default: every main interest of the catalogue). Nothing is rented.

    Campaign: ``message`` (default :data:`~smsp_analytics.report.campaign.DEMO_MESSAGE`,
    one SMS) costed with ``unicode`` and ``range`` (premium or lowcost) at ``price_per_sms``
    EUR (default: the sandbox's :data:`~smsp_analytics.campaign.messages.SANDBOX_PRICE_PER_SMS` on
    synthetic data; required against the real API). ``send_start``: first day of the
    send-window table (a date or ISO string; default the date of the report's quotes, the
    sandbox's fixed clock on synthetic data, never the wall clock there).

    Changes: ``history``, a frame of ``QuoteHistory.frame()`` / ``client.history()``, or
    a :class:`~smsp_analytics.history.QuoteHistory` to read the scenarios' quotes from (as
    ``smsp report`` passes the store the other commands record into; then, without an
    earlier quote, the report says so and names the store). Default: ``client.history()``
    when the client has it; the sandbox client built here keeps no history. The "What
    changed since ..." section appears when it holds earlier calcul quotes of the
    scenarios (fetched before the report's, see :mod:`~smsp_analytics.report.changes`);
    ``since`` (default: the latest of those quotes) picks the earlier side. An unreadable
    history skips the section with a one-line note.
    """
    scenarios = tuple(scenarios) if scenarios is not None else default_scenarios()
    if not scenarios:
        raise ValueError("scenarios: at least one scenario is needed")
    names = [s.name for s in scenarios]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate is not None:
        raise ValueError(
            f"scenarios: the name {duplicate!r} is used twice; names must be "
            "unique (they label every table and chart)"
        )
    if not budget_eur > 0:
        raise ValueError(f"budget_eur: invalid value {budget_eur!r}; allowed: a number > 0")
    parts = check_message(message, unicode=unicode, range=range)
    price = _check_price(price_per_sms)
    start = _check_start(send_start)
    since_ts = parse_utc(since, "since", end_of_day=True)
    if history is not None and not isinstance(history, (pd.DataFrame, QuoteHistory)):
        raise TypeError(
            f"history: expected a DataFrame from QuoteHistory.frame() or "
            f"client.history(), or a QuoteHistory, got {type(history).__name__}"
        )
    if client is not None and price is None and not getattr(client, "synthetic", False):
        raise TargetingError(
            "price_per_sms",
            None,
            "your price per SMS in EUR",
            code=None,
            label="price_per_sms",
            message="required against the real API "
            "(your contract price per SMS in EUR, e.g. 0.038); the sandbox "
            "default applies to synthetic data only",
        )
    campaign = {
        "text": DEMO_MESSAGE if message is None else message,
        "parts": parts,
        "price": price,
        "start": start,
        "history": history,
        "since": since_ts,
    }
    if client is None:
        seed = DEFAULT_SEED if seed is None else seed
    elif seed is None:
        known = getattr(client, "sandbox_seed", None)
        seed = known if isinstance(known, int) else None
    with client_or_default(client, **_sandbox_defaults(seed)) as c:
        return _build(c, scenarios, title or DEFAULT_TITLE, seed, budget_eur, interests, campaign)


def _build(
    client: Any,
    scenarios: tuple[Scenario, ...],
    title: str,
    seed: int | None,
    budget_eur: float,
    interests: Sequence[int] | None,
    campaign: dict[str, Any],
) -> Report:
    """Each section of the registry, in order: its data, then its figures, then its text."""
    synthetic = bool(getattr(client, "synthetic", False))
    categories = client.categories()
    names = interest_names(categories)
    check_interests(scenarios, names)
    mains = list(interests) if interests is not None else main_interests(categories)
    # One calcul per scenario, shared: the summary, the campaign and the changes read them.
    frames = tuple(client.calcul(s.targeting) for s in scenarios)
    inputs = Inputs(
        client=client,
        scenarios=scenarios,
        synthetic=synthetic,
        budget_eur=budget_eur,
        frames=frames,
        names=names,
        mains=tuple(mains),
        message=campaign["parts"],
        message_text=campaign["text"],
        price=campaign["price"],
        start=campaign["start"],
        history=campaign["history"],
        since=campaign["since"],
        as_of=report_as_of(frames),
    )
    report = Report(
        tables={},
        figures={},
        synthetic=synthetic,
        seed=seed if synthetic else None,
        scenarios=scenarios,
        budget_eur=budget_eur,
        title=title,
        message=campaign["parts"],
        message_text=campaign["text"],
        table_titles=dict(TABLE_TITLES),
    )
    parts: list[Part] = []
    for section in SECTIONS:  # a section reads the report as the earlier ones left it
        part = section.data(inputs, report)
        report.tables.update(part.tables)
        for name, value in part.fields.items():
            setattr(report, name, value)
        parts.append(part)
    for section, part in zip(SECTIONS, parts):
        if part.present and section.figures is not None:
            part.figures = section.figures(inputs, report, part)
            report.figures.update(part.figures)
    report.subtitle = texts.subtitle(report)
    report.summary = texts.summary_line(report)
    report.sections = [
        section.page(report, part) for section, part in zip(SECTIONS, parts) if part.present
    ]
    report.method = texts.method(report)
    report.source_notes = texts.source_notes(report)
    return report
