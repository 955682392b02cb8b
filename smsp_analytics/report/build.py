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

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from smsp_analytics.client.facade import client_or_default
from smsp_analytics.errors import TargetingError
from smsp_analytics.history import QuoteHistory
from smsp_analytics.i18n import _, get_lang, use_lang
from smsp_analytics.report import texts
from smsp_analytics.report.arguments import (
    check_history,
    check_price,
    check_scenarios,
    check_start_day,
    read_numbers,
)
from smsp_analytics.report.campaign import check_message, demo_message
from smsp_analytics.report.changes import report_as_of
from smsp_analytics.report.excel import write_excel
from smsp_analytics.report.html import render, table_html
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
        """The self-contained page (plotly.js inline, no network) in the report's language;
        written to ``path`` if given."""
        with use_lang(self.lang):
            text = render(self)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_excel(self, path: str | Path) -> Path:
        """The workbook in the report's language: one sheet per table, numbers and dates as
        numbers and dates, the source on every sheet."""
        with use_lang(self.lang):
            return write_excel(self, path)

    def _repr_html_(self) -> str:  # a notebook shows the summary table, not 5 MB of page
        with use_lang(self.lang):
            return table_html(
                self.tables[SUMMARY], key=SUMMARY, caption=self.summary, synthetic=self.synthetic
            )


def _sandbox_defaults(seed: int | None) -> dict[str, Any]:
    """No cache (a user's cache never changes the report), no announcement on stderr
    (the report says itself that its data are synthetic), and no quote history (the
    user's history would make two runs differ, and sandbox quotes do not belong in it)."""
    return {"cache": False, "announce": False, "sandbox": {"seed": seed}, "history": False}


def build_report(
    client: Any = None,
    *,
    scenarios: Iterable[Scenario] | None = None,
    title: str | None = None,
    seed: int | None = None,
    budget_eur: float = DEFAULT_BUDGET_EUR,
    interests: Sequence[int] | None = None,
    message: str | None = None,
    price_per_sms: float | str | None = None,
    unicode: bool = False,
    range: str = "premium",
    send_start: Any = None,
    history: pd.DataFrame | QuoteHistory | None = None,
    since: Any = None,
    lang: str | None = None,
    numbers: Any = None,
    check_numbers: bool = True,
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

    ``lang``: the language of the report, ``"en"`` or ``"fr"`` (default: the language in
    force, :func:`smsp_analytics.i18n.get_lang`): its titles and sentences, numbers, money
    and dates (``9 051,39 €`` in French), ``<html lang>``, the workbook's sheet names and
    headers. The report keeps it: its writers speak it whatever is in force later.

    Campaign: ``message`` (default :data:`~smsp_analytics.report.campaign.DEMO_MESSAGE`,
    one SMS, in the report's language) costed with ``unicode`` and ``range`` (premium or lowcost) at ``price_per_sms``
    EUR (default: the sandbox's :data:`~smsp_analytics.campaign.messages.SANDBOX_PRICE_PER_SMS` on
    synthetic data; required against the real API), or ``"account"``: the account's
    average cost per SMS over the last twelve months (its sending history; an error when it
    sent nothing then). The campaign section says which price it used and why. When the
    account has sending history, a section shows it: SMS sent and cost per SMS per month.

    Cleaning: ``numbers``, the numbers you rented (a CSV path with a ``phone_number``
    column or the numbers first, a frame, or a list), adds the cleaning funnel: how many
    remain once the account's STOP list is removed and, with ``check_numbers`` (default),
    how many of those the vendor's free number check says are valid mobiles. Nothing is
    written to the account.

    ``send_start``: first day of the send-window table (a date or ISO string; default the date of the report's quotes, the
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
    with use_lang(lang):  # checked first: a wrong lang is refused before any call
        return _checked_build(
            client,
            scenarios=scenarios,
            title=title,
            seed=seed,
            budget_eur=budget_eur,
            interests=interests,
            message=message,
            price_per_sms=price_per_sms,
            unicode=unicode,
            range=range,
            send_start=send_start,
            history=history,
            since=since,
            numbers=numbers,
            check=check_numbers,
        )


def _checked_build(
    client: Any,
    *,
    scenarios: Iterable[Scenario] | None,
    title: str | None,
    seed: int | None,
    budget_eur: float,
    interests: Sequence[int] | None,
    message: str | None,
    price_per_sms: float | str | None,
    unicode: bool,
    range: str,
    send_start: Any,
    history: pd.DataFrame | QuoteHistory | None,
    since: Any,
    numbers: Any,
    check: bool,
) -> Report:
    """:func:`build_report` in the language in force: every argument checked before any
    call, then the client made (or the one given used) and the sections run."""
    scenarios = tuple(scenarios) if scenarios is not None else default_scenarios()
    check_scenarios(scenarios, budget_eur)
    parts = check_message(message, unicode=unicode, range=range)
    price = check_price(price_per_sms)
    start = check_start_day(send_start)
    since_ts = parse_utc(since, "since", end_of_day=True)
    check_history(history)
    rented = read_numbers(numbers)
    if client is not None and price is None and not getattr(client, "synthetic", False):
        raise TargetingError(
            "price_per_sms",
            None,
            _("your price per SMS in EUR, or 'account'"),
            code=None,
            label="price_per_sms",
            message=_(
                "required against the real API (your contract price per SMS in EUR, e.g. "
                "0.038, or 'account': the account's average over the last twelve months); "
                "the sandbox default applies to synthetic data only"
            ),
        )
    campaign = {
        "text": demo_message() if message is None else message,
        "parts": parts,
        "price": price,
        "start": start,
        "history": history,
        "since": since_ts,
        "numbers": rented,
        "check": bool(check),
    }
    if client is None:
        seed = DEFAULT_SEED if seed is None else seed
    elif seed is None:
        known = getattr(client, "sandbox_seed", None)
        seed = known if isinstance(known, int) else None
    with client_or_default(client, **_sandbox_defaults(seed)) as c:
        return _build(
            c, scenarios, title or _(DEFAULT_TITLE), seed, budget_eur, interests, campaign
        )


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
        numbers=campaign["numbers"],
        check=campaign["check"],
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
        table_titles={key: _(title) for key, title in TABLE_TITLES.items()},
        lang=get_lang(),
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
