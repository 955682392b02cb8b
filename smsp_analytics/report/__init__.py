"""The cost comparison report: ``smsp report`` and :func:`build_report`.

``smsp report [--scenarios FILE.toml] [--title T] [--budget EUR] [--out report.html]
[--xlsx report.xlsx] [--message TEXT] [--price EUR|account] [--numbers FILE.csv]
[--lang fr|en]`` writes a self-contained HTML page (plotly.js inline, no network needed
to open it) and optionally an Excel workbook with one sheet per table (sheets named in
words of the report's language), in English or French, for the analyst's own
scenarios (a TOML file, see :func:`load_scenarios` and :data:`EXAMPLE_SCENARIOS`) or four
demo ones. Without ``SMSPARTNER_API_KEY`` it runs on the offline sandbox (synthetic data,
marked as such on every part of the page and every sheet). Besides the audiences, the
report costs a campaign (rental plus sending of a message, per scenario, at a price per SMS
whose basis it states: yours, or the account's average from its sending history, which it
shows), cleans the numbers you rented when given them (the account's STOP list, the vendor's
free number check), gives the send windows of the targeted departments for a week, and,
when the quote history holds earlier quotes of its scenarios, what changed since then.

>>> import tempfile, pathlib
>>> from smsp_analytics.report import Scenario, build_report
>>> rep = build_report(scenarios=[Scenario.of("Women 25-34, Oise", gender="women",
...                                           age=(25, 34), interest=14, departments=["60"])])
>>> page = rep.to_html(pathlib.Path(tempfile.mkdtemp()) / "report.html")
>>> "SYNTHETIC DATA" in page and "Women 25-34, Oise" in page and "<script src=" not in page
True

Modules, imports one way: :mod:`.scenarios` (what is compared) and :mod:`.model` (what a
report holds) at the bottom; :mod:`.tables`, :mod:`.campaign` (campaign cost and send
windows) and :mod:`.changes` (what changed since earlier quotes) compute tables;
:mod:`.sections` holds one module per section of the report (its keys, data, figures and
text, registered once in :data:`SECTIONS`, the report's order) and :mod:`.texts` the
report's own words (summary, method, sources); :mod:`.html` and :mod:`.excel` write a model;
:mod:`.build` runs the sections (:func:`build_report`); :mod:`.command` is ``smsp report``;
:mod:`.scenario_file` reads the analyst's TOML.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from smsp_analytics._compat import lazy_exports

# Lazy (PEP 562): ``smsp --help`` registers ``smsp report`` (:mod:`.command`, click only)
# without loading pandas and plotly; a name is imported from its module on first use.
_WHERE = {
    "Report": "smsp_analytics.report.build",
    "build_report": "smsp_analytics.report.build",
    "DEMO_MESSAGE": "smsp_analytics.report.campaign",
    "MAX_WINDOW_DEPARTMENTS": "smsp_analytics.report.campaign",
    "main": "smsp_analytics.report.command",
    "DEFAULT_SEED": "smsp_analytics.report.model",
    "Section": "smsp_analytics.report.model",
    "ScenarioFileError": "smsp_analytics.report.scenario_file",
    "load_scenario_file": "smsp_analytics.report.scenario_file",
    "load_scenarios": "smsp_analytics.report.scenario_file",
    "AGE_BANDS": "smsp_analytics.report.scenarios",
    "DEFAULT_BUDGET_EUR": "smsp_analytics.report.scenarios",
    "DEFAULT_REGION": "smsp_analytics.report.scenarios",
    "DEFAULT_SCENARIOS": "smsp_analytics.report.scenarios",
    "Scenario": "smsp_analytics.report.scenarios",
    "default_scenarios": "smsp_analytics.report.scenarios",
    "SECTIONS": "smsp_analytics.report.sections",
    "TABLE_TITLES": "smsp_analytics.report.sections",
    "SHEET_NAMES": "smsp_analytics.report.sections",
    "ReportSection": "smsp_analytics.report.sections",
}

if TYPE_CHECKING:
    from smsp_analytics.report.build import Report, build_report
    from smsp_analytics.report.campaign import DEMO_MESSAGE, MAX_WINDOW_DEPARTMENTS
    from smsp_analytics.report.command import main
    from smsp_analytics.report.model import DEFAULT_SEED, Section
    from smsp_analytics.report.scenario_file import (
        ScenarioFileError,
        load_scenario_file,
        load_scenarios,
    )
    from smsp_analytics.report.scenarios import (
        AGE_BANDS,
        DEFAULT_BUDGET_EUR,
        DEFAULT_REGION,
        DEFAULT_SCENARIOS,
        Scenario,
        default_scenarios,
    )
    from smsp_analytics.report.sections import SECTIONS, SHEET_NAMES, TABLE_TITLES, ReportSection

#: The example scenarios file shipped with the package (``examples/scenarios.toml`` in the
#: repository holds the same text).
EXAMPLE_SCENARIOS: Path = Path(__file__).with_name("example_scenarios.toml")

__all__ = [
    "Report",
    "Section",
    "Scenario",
    "ScenarioFileError",
    "build_report",
    "load_scenarios",
    "load_scenario_file",
    "DEMO_MESSAGE",
    "MAX_WINDOW_DEPARTMENTS",
    "default_scenarios",
    "main",
    "DEFAULT_SCENARIOS",
    "DEFAULT_REGION",
    "DEFAULT_BUDGET_EUR",
    "DEFAULT_SEED",
    "AGE_BANDS",
    "TABLE_TITLES",
    "SHEET_NAMES",
    "SECTIONS",
    "ReportSection",
    "EXAMPLE_SCENARIOS",
]


__getattr__ = lazy_exports(__name__, _WHERE)
