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
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from smsp_analytics.client.facade import client_or_default
from smsp_analytics.errors import TargetingError
from smsp_analytics.campaign.sendwindows import check_start

from smsp_analytics.report import texts
from smsp_analytics.report.campaign import DEMO_MESSAGE, campaign_table, check_message, scenario_departments, windows_table
from smsp_analytics.report.changes import history_of, parse_since, report_as_of, scenario_changes
from smsp_analytics.report.excel import write_excel
from smsp_analytics.report.figures import campaign_figures, map_key, report_figures
from smsp_analytics.report.html import render
from smsp_analytics.report.model import DEFAULT_SEED, DEFAULT_TITLE, ReportModel
from smsp_analytics.report.scenarios import (
    CSP_OPTIONS,
    DEFAULT_BUDGET_EUR,
    GENDER_OPTIONS,
    Scenario,
    age_bands_within,
    band_label,
    default_scenarios,
    with_changes,
)
from smsp_analytics.report.tables import (
    budget_plan_table,
    department_table,
    dimension_table,
    interest_names,
    main_interests,
    summary_table,
)

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


def _sandbox_defaults(seed: int) -> dict[str, Any]:
    """No cache (a user's cache never changes the report), no announcement on stderr
    (the report says itself that its data are synthetic), and no quote history (the
    user's history would make two runs differ, and sandbox quotes do not belong in it)."""
    return {"cache": False, "announce": False, "sandbox": {"seed": seed}, "history": False}


def _check_price(price_per_sms: Any) -> float | None:
    if price_per_sms is None:
        return None
    if isinstance(price_per_sms, bool) or not isinstance(price_per_sms, (int, float)) \
            or not math.isfinite(price_per_sms) or price_per_sms <= 0:
        raise ValueError(f"price_per_sms: invalid value {price_per_sms!r}; allowed: your "
                         "price per SMS in EUR, a number > 0 (e.g. 0.038)")
    return float(price_per_sms)


def _check_start(send_start: Any) -> dt.date | None:
    # The report shows a week of windows: the whole week must lie in the supported range,
    # checked before any API call.
    if send_start is None:
        return None
    return check_start(send_start, 7, field="send_start")


def build_report(client: Any = None, *, scenarios: Iterable[Scenario] | None = None,
                 title: str | None = None, seed: int | None = None,
                 budget_eur: float = DEFAULT_BUDGET_EUR,
                 interests: Sequence[int] | None = None, message: str | None = None,
                 price_per_sms: float | None = None, unicode: bool = False,
                 range: str = "premium", send_start: Any = None,
                 history: pd.DataFrame | None = None, since: Any = None) -> Report:
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

    Changes: ``history``, a frame of ``QuoteHistory.frame()`` / ``client.history()``
    (default: ``client.history()`` when the client has it; the sandbox client built here
    keeps no history). The "What changed since ..." section appears when it holds earlier
    calcul quotes of the scenarios; ``since`` (default: the latest of those quotes) picks
    the earlier side. An unreadable history skips the section with a one-line note.
    """
    scenarios = tuple(scenarios) if scenarios is not None else default_scenarios()
    if not scenarios:
        raise ValueError("scenarios: at least one scenario is needed")
    names = [s.name for s in scenarios]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate is not None:
        raise ValueError(f"scenarios: the name {duplicate!r} is used twice; names must be "
                         "unique (they label every table and chart)")
    if not budget_eur > 0:
        raise ValueError(f"budget_eur: invalid value {budget_eur!r}; allowed: a number > 0")
    parts = check_message(message, unicode=unicode, range=range)
    price = _check_price(price_per_sms)
    start = _check_start(send_start)
    since_ts = parse_since(since)
    if history is not None and not isinstance(history, pd.DataFrame):
        raise TypeError(f"history: expected a DataFrame from QuoteHistory.frame() or "
                        f"client.history(), got {type(history).__name__}")
    if client is not None and price is None and not getattr(client, "synthetic", False):
        raise ValueError("price_per_sms: required against the real API (your contract price "
                         "per SMS in EUR, e.g. 0.038); the sandbox default applies to "
                         "synthetic data only")
    campaign = {"text": DEMO_MESSAGE if message is None else message, "parts": parts, "price": price, "start": start, "history": history,
                "since": since_ts}
    if client is None:
        seed = DEFAULT_SEED if seed is None else seed
    elif seed is None:
        known = getattr(client, "sandbox_seed", None)
        seed = known if isinstance(known, int) else None
    with client_or_default(client, **_sandbox_defaults(seed)) as c:
        return _build(c, scenarios, title or DEFAULT_TITLE, seed, budget_eur, interests,
                      campaign)


def _check_interests(scenarios: Sequence[Scenario], names: dict[int, str]) -> None:
    """Every scenario's interest ids are in the catalogue, before any count is asked."""
    for s in scenarios:
        for field in ("interest", "sub_interest"):
            value = getattr(s.targeting, field)
            if value is not None and value not in names:
                raise TargetingError(
                    field, value, "an id of the catalogue", code=61,
                    message=f"scenario {s.name!r}: {field} = {value}: not in the catalogue; "
                            "list the valid ids with `smsp categories`")


def _build(client: Any, scenarios: tuple[Scenario, ...], title: str, seed: int | None,
           budget_eur: float, interests: Sequence[int] | None,
           campaign: dict[str, Any]) -> Report:
    synthetic = bool(getattr(client, "synthetic", False))
    categories = client.categories()
    names = interest_names(categories)
    _check_interests(scenarios, names)
    mains = list(interests) if interests is not None else main_interests(categories)

    def ages(s: Scenario):
        bands = age_bands_within(s.targeting.age)
        return s.targeting, bands, [band_label(b) for b in bands]

    def genders(s: Scenario):
        return s.targeting, list(GENDER_OPTIONS), list(GENDER_OPTIONS.values())

    def interests_of(s: Scenario):
        base = with_changes(s.targeting, sub_interest=None,
                            interest=s.targeting.interest or mains[0])
        return base, mains, [str(i) for i in mains]

    def csps(s: Scenario):
        return (with_changes(s.targeting, category=None), list(CSP_OPTIONS),
                list(CSP_OPTIONS.values()))

    frames = [client.calcul(s.targeting) for s in scenarios]
    tables: dict[str, pd.DataFrame] = {"summary": summary_table(client, scenarios, names,
                                                                frames)}
    tables["by_department"] = department_table(client, scenarios)
    tables["by_age"] = dimension_table(client, scenarios, "age", "age_band", ages)
    tables["by_gender"] = dimension_table(client, scenarios, "gender", "gender", genders)
    by_interest = dimension_table(client, scenarios, "interest", "interest", interests_of)
    by_interest["interest"] = by_interest["interest"].astype("int64")
    by_interest.insert(2, "interest_name", [names.get(i, str(i)) for i in by_interest["interest"]])
    tables["by_interest"] = by_interest
    tables["by_csp"] = dimension_table(client, scenarios, "category", "csp", csps)
    tables["budget_plan"] = budget_plan_table(client, scenarios, budget_eur)
    tables["campaign"] = campaign_table(frames, scenarios, campaign["parts"], campaign["price"])
    as_of = report_as_of(frames)
    start = campaign["start"] or (as_of.date() if as_of is not None
                                  else pd.Timestamp.now(tz="UTC").date())
    targeted_by = scenario_departments(scenarios)
    tables["send_windows"], windows, left_out = windows_table(targeted_by, start)
    hist, note = history_of(client, campaign["history"], scenarios)
    changes = None
    if hist is not None and as_of is not None:
        changes = scenario_changes(hist, scenarios, frames, as_of, campaign["since"],
                                   synthetic)
    if changes is not None:
        tables["drift"] = changes.table

    report = Report(tables=tables, figures={}, synthetic=synthetic,
                    seed=seed if synthetic else None, scenarios=scenarios,
                    budget_eur=budget_eur, title=title,
                    fetched_at=None if synthetic else tables["summary"].attrs["fetched_at"],
                    message=campaign["parts"], message_text=campaign["text"],
                    price_per_sms=tables["campaign"].attrs["price_per_sms"],
                    send_start=start, windows_left_out=left_out,
                    since=None if changes is None else changes.since, history_note=note)
    tables["about"] = texts.about_table(report)
    report.figures = report_figures(tables, synthetic, names, scenarios, budget_eur)
    report.figures.update(campaign_figures(
        tables["campaign"], windows, targeted_by,
        None if changes is None else changes.drift, report.since, synthetic))
    report.subtitle = texts.subtitle(report)
    report.summary = texts.summary_line(report)
    report.sections = texts.sections(budget_eur, [map_key(i) for i in range(len(scenarios))],
                                     report=report)
    report.method = texts.method(report)
    report.source_notes = texts.source_notes(report)
    return report
