"""The analyst's scenarios file: a TOML list of named targetings, all checked before any call.

Format (read with the standard library's :mod:`tomllib`)::

    title = "Spring campaign"            # optional
    message = "Soldes : -20% samedi"      # optional: the message costed (default: a demo)
    price_per_sms = 0.038                 # optional: your price per SMS in EUR
    [[scenario]]
    name = "Women 25-34, Oise"
    gender = "women"                      # any spelling Targeting accepts
    age = [25, 34]
    interest = 14
    departments = ["60"]                  # or zipcodes, or region = "Hauts-de-France"

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "s.toml"
>>> _ = path.write_text('[[scenario]]\\nname = "Oise"\\ninterest = 14\\ndepartments = ["60"]\\n')
>>> title, scenarios = load_scenarios(path)
>>> title, scenarios[0].name, scenarios[0].targeting.departments
(None, 'Oise', ('60',))
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from smsp_analytics.campaign.messages import message_parts
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.scenarios import Scenario
from smsp_analytics.targeting import Targeting, departments_of_region
from smsp_analytics.vocab import TARGETING_FIELDS, VENDOR_FIELDS

__all__ = [
    "ScenarioFileError",
    "load_scenarios",
    "load_scenario_file",
    "parse_scenarios",
    "campaign_settings",
    "SCENARIO_FIELDS",
    "TOP_LEVEL_FIELDS",
]

#: The fields a ``[[scenario]]`` table may hold, with what each accepts.
#: (English, marked for translation: shown with ``_()``.)
SCENARIO_FIELDS: dict[str, str] = {
    "name": N_("a non-empty text, unique in the file"),
    "gender": N_("women, men, all (or f, h, m)"),
    "age": N_("[min, max] with 18 <= min <= max <= 98"),
    "interest": N_("an interest id (e.g. 14)"),
    "sub_interest": N_("a sub-interest id (e.g. 35)"),
    "category": N_("CSP+ or CSP- (or 102, 103)"),
    "departments": N_('a list of department codes (e.g. ["60", "2A"])'),
    "zipcodes": N_('a list of 5-digit zip codes (e.g. ["60200"])'),
    "region": N_('a region name (e.g. "Hauts-de-France"): its departments'),
}
#: The top-level keys of the file, with what each accepts (English, marked).
TOP_LEVEL_FIELDS: dict[str, str] = {
    "title": N_("a non-empty text"),
    "message": N_("the text of the SMS to cost, non-empty (at most 10 SMS)"),
    "price_per_sms": N_(
        'your price per SMS in EUR, a number > 0 (e.g. 0.038), or "account" (the '
        "account's average over the last twelve months)"
    ),
    "scenario": N_("[[scenario]] tables"),
}
_TOP_LEVEL = tuple(TOP_LEVEL_FIELDS)


class ScenarioFileError(ValueError):
    """An invalid scenarios file: names the file, the scenario and the field with its value.

    >>> str(ScenarioFileError("s.toml", "bad value", scenario="Oise", field="age", value=[9]))
    "s.toml: scenario 'Oise': age = [9]: bad value"
    """

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        scenario: str | None = None,
        field: str | None = None,
        value: Any = None,
    ) -> None:
        self.path = str(path)
        self.scenario = scenario
        self.field = field
        self.value = value
        where = [self.path]
        if scenario is not None:
            where.append(_("scenario {name}").format(name=repr(scenario)))
        if field is not None:
            where.append(f"{field} = {value!r}" if value is not None else field)
        super().__init__(": ".join(where + [problem]))


def load_scenarios(path: str | Path) -> tuple[str | None, list[Scenario]]:
    """Read and check a scenarios file: ``(title or None, scenarios)``.

    Raises :class:`ScenarioFileError` for anything wrong (unreadable file, TOML syntax,
    unknown or invalid field, unknown region, duplicate names, no scenario), before any call.
    """
    title, scenarios, _ = load_scenario_file(path)
    return title, scenarios


def load_scenario_file(path: str | Path) -> tuple[str | None, list[Scenario], dict[str, Any]]:
    """:func:`load_scenarios` plus the file's campaign settings (``message``,
    ``price_per_sms`` when given, see :func:`campaign_settings`), all checked before any call.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.toml"
    >>> _ = path.write_text('price_per_sms = 0.04\\n[[scenario]]\\nname = "All"\\ninterest = 14\\n')
    >>> load_scenario_file(path)[2]
    {'price_per_sms': 0.04}
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioFileError(
            path, _("cannot read the file ({reason})").format(reason=exc)
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioFileError(path, _("not valid TOML ({reason})").format(reason=exc)) from None
    title, scenarios = parse_scenarios(data, path)
    return title, scenarios, campaign_settings(data, path)


def parse_scenarios(
    data: dict[str, Any], path: str | Path = "<scenarios>"
) -> tuple[str | None, list[Scenario]]:
    """Check the parsed TOML of a scenarios file (see :func:`load_scenarios`).

    >>> parse_scenarios({"scenario": [{"name": "All", "interest": 14}]})[1][0].name
    'All'
    """
    unknown = [k for k in data if k not in _TOP_LEVEL]
    if unknown:
        raise ScenarioFileError(
            path,
            _(
                "unknown top-level key {key}; allowed: title, message, price_per_sms, "
                "[[scenario]] tables"
            ).format(key=repr(unknown[0])),
        )
    campaign_settings(data, path)
    title = data.get("title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise ScenarioFileError(
            path, _("the title must be a non-empty text"), field="title", value=title
        )
    tables = data.get("scenario", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ScenarioFileError(
            path, _("scenarios are [[scenario]] tables"), field="scenario", value=tables
        )
    if not tables:
        raise ScenarioFileError(
            path,
            _("no scenario: add at least one [[scenario]] table with a name and targeting fields"),
        )
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    for i, table in enumerate(tables, start=1):
        s = _scenario(table, i, path)
        if s.name in seen:
            raise ScenarioFileError(
                path,
                _("duplicate scenario name; names must be unique"),
                scenario=s.name,
                field="name",
                value=s.name,
            )
        seen.add(s.name)
        scenarios.append(s)
    return (title.strip() if title else None), scenarios


def campaign_settings(data: dict[str, Any], path: str | Path = "<scenarios>") -> dict[str, Any]:
    """The file's ``message`` and ``price_per_sms`` (absent keys left out), checked.

    >>> campaign_settings({"message": "Hello", "price_per_sms": 0.04})
    {'message': 'Hello', 'price_per_sms': 0.04}
    >>> campaign_settings({"price_per_sms": 0})
    Traceback (most recent call last):
    ...
    smsp_analytics.report.scenario_file.ScenarioFileError: <scenarios>: price_per_sms = 0: invalid value; allowed: your price per SMS in EUR, a number > 0 (e.g. 0.038), or "account" (the account's average over the last twelve months)
    >>> campaign_settings({"price_per_sms": "Account"})
    {'price_per_sms': 'account'}
    """
    out: dict[str, Any] = {}
    if "message" in data:
        text = data["message"]
        if not isinstance(text, str) or not text.strip():
            raise ScenarioFileError(
                path,
                _("invalid value; allowed: {allowed}").format(
                    allowed=_(TOP_LEVEL_FIELDS["message"])
                ),
                field="message",
                value=text,
            )
        try:
            message_parts(text)
        except ValueError as exc:
            raise ScenarioFileError(
                path, str(exc).removeprefix("message: "), field="message", value=text
            ) from None
        out["message"] = text
    if "price_per_sms" in data:
        price = data["price_per_sms"]
        if isinstance(price, str) and price.strip().lower() == "account":
            out["price_per_sms"] = "account"
        elif (
            isinstance(price, bool)
            or not isinstance(price, (int, float))
            or not math.isfinite(price)
            or price <= 0
        ):
            raise ScenarioFileError(
                path,
                _("invalid value; allowed: {allowed}").format(
                    allowed=_(TOP_LEVEL_FIELDS["price_per_sms"])
                ),
                field="price_per_sms",
                value=price,
            )
        else:
            out["price_per_sms"] = float(price)
    return out


def _scenario(table: dict[str, Any], index: int, path: str | Path) -> Scenario:
    name = table.get("name")
    label = name if isinstance(name, str) and name.strip() else f"#{index}"
    if not isinstance(name, str) or not name.strip():
        raise ScenarioFileError(
            path,
            _("allowed: {allowed}").format(allowed=_(SCENARIO_FIELDS["name"])),
            scenario=label,
            field="name",
            value=name,
        )
    name = name.strip()

    def fail(field: str, problem: str) -> ScenarioFileError:
        return ScenarioFileError(path, problem, scenario=name, field=field, value=table.get(field))

    for key in table:
        if key not in SCENARIO_FIELDS:
            raise ScenarioFileError(
                path,
                _("unknown field; allowed: {allowed}").format(allowed=", ".join(SCENARIO_FIELDS)),
                scenario=name,
                field=key,
                value=table[key],
            )
    fields = {k: v for k, v in table.items() if k not in ("name", "region")}
    if "age" in fields:
        age = fields["age"]
        if (
            not isinstance(age, list)
            or len(age) != 2
            or not all(isinstance(a, int) and not isinstance(a, bool) for a in age)
        ):
            raise fail("age", _("allowed: {allowed}").format(allowed=_(SCENARIO_FIELDS["age"])))
        fields["age"] = tuple(age)
    for key in ("departments", "zipcodes"):
        if key in fields and not isinstance(fields[key], list):
            raise fail(key, _("allowed: {allowed}").format(allowed=_(SCENARIO_FIELDS[key])))
    if "region" in table:
        if "departments" in table:
            raise fail("region", _("give either region or departments, not both"))
        region = table["region"]
        if not isinstance(region, str):
            raise fail(
                "region", _("allowed: {allowed}").format(allowed=_(SCENARIO_FIELDS["region"]))
            )
        try:
            fields["departments"] = departments_of_region(region)
        except TargetingError as exc:
            raise fail(
                "region", _("unknown region; allowed: {allowed}").format(allowed=exc.allowed)
            ) from None
    try:
        targeting = Targeting(**fields)
    except TargetingError as exc:
        field = exc.field if exc.field in SCENARIO_FIELDS else _field_of(exc, fields)
        allowed = _(SCENARIO_FIELDS[field]) if field in SCENARIO_FIELDS else ""
        problem = (
            _("missing; {allowed}").format(allowed=exc.allowed)
            if exc.value is None
            else _("invalid value {value}; allowed: {allowed}").format(
                value=repr(exc.value), allowed=exc.allowed or allowed
            )
        )
        raise ScenarioFileError(
            path, problem, scenario=name, field=field, value=table.get(field, exc.value)
        ) from None
    return Scenario(name, targeting)


def _field_of(exc: TargetingError, fields: dict[str, Any]) -> str:
    """The file's field for a Targeting error whose field is a vendor parameter name."""
    for name in (exc.field, exc.param):
        if name in TARGETING_FIELDS:
            return name
        if name in VENDOR_FIELDS:
            return VENDOR_FIELDS[name]
    return next((k for k in fields if k in str(exc)), exc.field or "")
