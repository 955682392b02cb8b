"""smsp-analytics: size, price and rent opt-in SMS audiences from Jupyter.

>>> from smsp_analytics import Client, Targeting
>>> with Client() as client:                       # no key: the offline sandbox
...     df = client.calcul(Targeting(gender="f", age=(25, 35), interest=14,
...                                  departments=["60", "02"]))
>>> list(df["locality"]), bool(df.attrs["synthetic"])
(['60', '02'], True)

Public names are imported lazily, so that ``smsp sandbox`` (which needs none of the client
side) does not pay for pandas, requests or plotly at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from smsp_analytics._compat import install as _install_old_paths

__version__ = "0.1.0"

_install_old_paths()  # old module paths (smsp_analytics.sweeps, ...) for one release

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        [
            "Targeting",
            "departments_of_region",
            "validate_parameters",
            "normalize_volumes",
            "Catalogue",
        ],
        "smsp_analytics.targeting",
    ),
    **dict.fromkeys(
        ["Client", "Rental", "client_or_default", "make_client"], "smsp_analytics.client.facade"
    ),
    **dict.fromkeys(
        ["Credits", "load_categories_csv", "documented_categories"], "smsp_analytics.frames"
    ),
    "sweep": "smsp_analytics.analysis.sweeps",
    **dict.fromkeys(["plan_budget", "BudgetPlan"], "smsp_analytics.analysis.budget"),
    **dict.fromkeys(
        [
            "SmsPartnerError",
            "AuthenticationError",
            "InsufficientCreditError",
            "InvalidRequestError",
            "TargetingError",
            "RentalError",
            "DownloadWriteError",
            "RateLimitError",
            "ServiceUnavailableError",
            "MalformedResponseError",
            "RentConsentError",
            "RentBlockedError",
            "JournalUnknownStateError",
            "JournalError",
            "RentOutcomeUnknownError",
            "SweepError",
            "TotalMismatchWarning",
            "SyntheticDataWarning",
        ],
        "smsp_analytics.errors",
    ),
    # ``panel`` (the function) is reached as ``smsp_analytics.panel.panel``: the package
    # attribute ``panel`` is the subpackage, which an import of it would rebind anyway.
    "Panel": "smsp_analytics.panel",
    **dict.fromkeys(
        [
            "build_report",
            "Report",
            "Scenario",
            "default_scenarios",
            "load_scenarios",
            "ScenarioFileError",
        ],
        "smsp_analytics.report",
    ),
    **dict.fromkeys(["Sandbox"], "smsp_analytics.sandbox"),
    **dict.fromkeys(
        ["drift", "QuoteHistory", "key_hash", "HistoryUnavailableWarning"], "smsp_analytics.history"
    ),
    **dict.fromkeys(
        ["message_parts", "MessageParts", "campaign_cost"], "smsp_analytics.campaign.messages"
    ),
    **dict.fromkeys(["send_windows", "next_send_time"], "smsp_analytics.campaign.sendwindows"),
    **dict.fromkeys(
        ["vendor_delivery", "vendor_flags"], "smsp_analytics.campaign.sendwindows_vendor"
    ),
    **dict.fromkeys(
        ["reachable", "ACCOUNT_STOP_LIST", "NOT_VALID_MOBILE"],
        "smsp_analytics.campaign.reachability",
    ),
    **dict.fromkeys(
        ["cleaning_funnel", "account_price", "price_basis_text", "FUNNEL_STEPS"],
        "smsp_analytics.campaign.funnel",
    ),
    "unknown_name": "smsp_analytics.accounts",
    **dict.fromkeys(["write_frame", "DIALECTS"], "smsp_analytics.exports"),
    **dict.fromkeys(["set_lang", "use_lang", "get_lang", "LANGUAGES"], "smsp_analytics.i18n"),
    "parse_number": "smsp_analytics.display",
}
# Subpackages reachable as attributes (``smsp_analytics.charts.map_departments``).
_SUBMODULES = {
    "charts",
    "refdata",
    "sandbox",
    "report",
    "panel",
    "wire",
    "client",
    "money",
    "analysis",
    "campaign",
    "cli",
    "app",
    "history",
    "display",
    "i18n",
}

__all__ = sorted([*_EXPORTS, *_SUBMODULES, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
    elif name in _SUBMODULES:
        value = import_module(f"smsp_analytics.{name}")
    else:
        raise AttributeError(f"module 'smsp_analytics' has no attribute {name!r}")
    globals()[name] = value  # cache: the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # static checkers and IDEs see the real names
    from smsp_analytics import charts, panel, refdata, report, sandbox
    from smsp_analytics.analysis.budget import BudgetPlan, plan_budget
    from smsp_analytics.analysis.sweeps import sweep
    from smsp_analytics.campaign.messages import MessageParts, campaign_cost, message_parts
    from smsp_analytics.campaign.reachability import reachable
    from smsp_analytics.campaign.sendwindows import next_send_time, send_windows
    from smsp_analytics.campaign.sendwindows_vendor import vendor_delivery, vendor_flags
    from smsp_analytics.client.facade import Client, Rental, client_or_default, make_client
    from smsp_analytics.errors import (
        AuthenticationError,
        DownloadWriteError,
        InsufficientCreditError,
        InvalidRequestError,
        JournalError,
        JournalUnknownStateError,
        MalformedResponseError,
        RateLimitError,
        RentalError,
        RentBlockedError,
        RentConsentError,
        RentOutcomeUnknownError,
        ServiceUnavailableError,
        SmsPartnerError,
        SweepError,
        SyntheticDataWarning,
        TargetingError,
        TotalMismatchWarning,
    )
    from smsp_analytics.exports import write_frame
    from smsp_analytics.frames import Credits, documented_categories, load_categories_csv
    from smsp_analytics.history import HistoryUnavailableWarning, QuoteHistory, drift, key_hash
    from smsp_analytics.panel import Panel
    from smsp_analytics.report import (
        Report,
        Scenario,
        ScenarioFileError,
        build_report,
        default_scenarios,
        load_scenarios,
    )
    from smsp_analytics.sandbox import Sandbox
    from smsp_analytics.targeting import (
        Catalogue,
        Targeting,
        departments_of_region,
        normalize_volumes,
        validate_parameters,
    )
