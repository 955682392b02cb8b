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

from contextlib import nullcontext
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from smsp_analytics.client import Client
from smsp_analytics.errors import TargetingError

from . import texts
from .excel import write_excel
from .figures import map_key, report_figures
from .html import render
from .model import DEFAULT_SEED, DEFAULT_TITLE, ReportModel
from .scenarios import (
    CSP_OPTIONS,
    DEFAULT_BUDGET_EUR,
    GENDER_OPTIONS,
    Scenario,
    age_bands_within,
    band_label,
    default_scenarios,
    with_changes,
)
from .tables import (
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


def _sandbox_client(seed: int) -> Client:
    """No cache (a user's cache never changes the report) and no announcement on stderr
    (the report says itself that its data are synthetic)."""
    return Client(cache=False, announce=False, sandbox={"seed": seed})


def build_report(client: Any = None, *, scenarios: Iterable[Scenario] | None = None,
                 title: str | None = None, seed: int | None = None,
                 budget_eur: float = DEFAULT_BUDGET_EUR,
                 interests: Sequence[int] | None = None) -> Report:
    """Compute every table and figure of the cost comparison report.

    ``client``: a :class:`~smsp_analytics.client.Client`; ``None`` builds one without a key
    (the offline sandbox, synthetic data, with ``seed``, default 0) and no cache, and closes
    it; with a client, ``seed`` defaults to its sandbox's (None when not known).
    ``scenarios``: :class:`Scenario` objects, e.g. from
    :func:`~smsp_analytics.report.load_scenarios` (default: four audiences in
    Hauts-de-France). ``title``: the page's and workbook's title. ``budget_eur``: the
    budget of the plan. ``interests``: main interest ids compared in the interest
    breakdown (default: every main interest of the catalogue). Nothing is rented.
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
    if client is None:
        seed = DEFAULT_SEED if seed is None else seed
        owned = _sandbox_client(seed)
    else:
        owned = nullcontext(client)
        if seed is None:
            known = getattr(client, "sandbox_seed", None)
            seed = known if isinstance(known, int) else None
    with owned as c:
        return _build(c, scenarios, title or DEFAULT_TITLE, seed, budget_eur, interests)


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
           budget_eur: float, interests: Sequence[int] | None) -> Report:
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

    tables: dict[str, pd.DataFrame] = {"summary": summary_table(client, scenarios, names)}
    tables["by_department"] = department_table(client, scenarios)
    tables["by_age"] = dimension_table(client, scenarios, "age", "age_band", ages)
    tables["by_gender"] = dimension_table(client, scenarios, "gender", "gender", genders)
    by_interest = dimension_table(client, scenarios, "interest", "interest", interests_of)
    by_interest["interest"] = by_interest["interest"].astype("int64")
    by_interest.insert(2, "interest_name", [names.get(i, str(i)) for i in by_interest["interest"]])
    tables["by_interest"] = by_interest
    tables["by_csp"] = dimension_table(client, scenarios, "category", "csp", csps)
    tables["budget_plan"] = budget_plan_table(client, scenarios, budget_eur)

    report = Report(tables=tables, figures={}, synthetic=synthetic,
                    seed=seed if synthetic else None, scenarios=scenarios,
                    budget_eur=budget_eur, title=title,
                    fetched_at=None if synthetic else tables["summary"].attrs["fetched_at"])
    tables["about"] = texts.about_table(report)
    report.figures = report_figures(tables, synthetic, names, scenarios, budget_eur)
    report.subtitle = texts.subtitle(report)
    report.summary = texts.summary_line(report)
    report.sections = texts.sections(budget_eur, [map_key(i) for i in range(len(scenarios))])
    report.method = texts.method(report)
    report.source_notes = texts.source_notes(report)
    return report
