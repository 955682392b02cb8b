"""The targeting flags read into a :class:`Targeting`, every problem found at once.

The library stops at the first bad value, in the API's order (``validate_parameters``): a
missing ``--interest`` hid a wrong ``--departments``. Here each flag is checked on its own
(the library's checks, applied to that flag alone), then the whole targeting; every problem
is a :class:`TargetingError` naming its field, and :class:`FlagProblems` carries them all
to :func:`smsp_analytics.cli.main.main`, which prints one line per problem, with the
command's flags, and exits 2 before any call.

>>> try:
...     read_targeting({"age": "90-20", "departments": "999,60"})
... except FlagProblems as exc:
...     print(*(p.text() for p in exc.problems), sep="\\n")
age: the minimum (90) is above the maximum (20)
interest: required (or --sub-interest); `smsp categories` lists the ids
departments: '999' is not a department code; allowed: 01..95, 2A, 2B, 971..976
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from smsp_analytics.cli.registry import Lazy
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import _

if TYPE_CHECKING:
    from smsp_analytics.targeting import Targeting

# Read when a command runs: `smsp --help` (which imports this module) loads no pandas.
targeting = Lazy("smsp_analytics.targeting")
vendor_rules = Lazy("smsp_analytics.wire.vendor_rules")
vocab = Lazy("smsp_analytics.vocab")

__all__ = ["FlagProblems", "read_targeting"]

# A stand-in interest id when a flag other than --interest is checked alone: without a
# catalogue the library only requires "an integer > 0" there, so it never adds a problem.
_ANY_INTEREST = 1


class FlagProblems(ValueError):
    """Every problem of the flags (``problems``: errors naming their field), found before
    any call; the command line prints one line each and exits 2."""

    def __init__(self, problems: list[TargetingError]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _own(field: str, value: Any, message: str) -> TargetingError:
    """A problem in the command's own words (``field: message``)."""
    return TargetingError(field, value, message, code=None, message=message, label=field)


def _integer(name: str, value: str | None, problems: list[TargetingError]) -> Any:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        if name == "category":
            return value  # "CSP+" / "CSP-": the Targeting reads the aliases
        problems.append(TargetingError(name, value, _("an integer"), code=None))
        return None


def _age(text: str, problems: list[TargetingError]) -> tuple[str, str] | None:
    parts = text.split("-")
    if len(parts) != 2:
        problems.append(TargetingError("age", text, _("MIN-MAX such as 25-35"), code=None))
        return None
    lo, hi = (p.strip() for p in parts)
    lo_i, hi_i = vendor_rules.as_int(lo), vendor_rules.as_int(hi)
    if lo_i is not None and hi_i is not None and lo_i > hi_i:
        message = _("the minimum ({low}) is above the maximum ({high})").format(low=lo_i, high=hi_i)
        problems.append(_own("age", text, message))
        return None
    return lo, hi


def _departments(text: str, problems: list[TargetingError]) -> list[str] | None:
    items = [d.strip() for d in text.split(",") if d.strip()]
    bad = [d for d in items if vocab.normalize_department(d) is None]
    if not bad:
        return items
    try:  # the library's words for the allowed codes (one definition)
        targeting.Targeting(interest=_ANY_INTEREST, departments=bad[:1])
        allowed = _("department codes")
    except TargetingError as exc:
        allowed = str(exc.allowed).removeprefix("department codes ")
    shown = ", ".join(repr(d) for d in bad)
    if len(bad) == 1:
        message = _("{codes} is not a department code; allowed: {allowed}")
    else:
        message = _("{codes} are not department codes; allowed: {allowed}")
    problems.append(_own("departments", text, message.format(codes=shown, allowed=allowed)))
    return None


def _alone(
    problems: list[TargetingError], check: Callable[..., Any], *args: Any, **kwargs: Any
) -> None:
    try:
        check(*args, **kwargs)
    except TargetingError as exc:
        problems.append(exc)


def read_targeting(flags: Mapping[str, Any]) -> Targeting:
    """A Targeting from the targeting flags (``cli.options.targeting_options``); raises
    :class:`FlagProblems` with every problem found, in the order of the flags."""
    problems: list[TargetingError] = []
    age = _age(str(flags.get("age") or "18-98"), problems)
    interest = _integer("interest", flags.get("interest"), problems)
    sub_interest = _integer("sub_interest", flags.get("sub_interest"), problems)
    category = _integer("category", flags.get("category"), problems)
    if flags.get("interest") is None and flags.get("sub_interest") is None:
        message = _("required (or --sub-interest); `smsp categories` lists the ids")
        problems.append(_own("interest", None, message))
    zips = flags.get("zipcodes")
    zipcodes = zips.split(",") if zips else []
    region = flags.get("region")
    deps = None if region else flags.get("departments")
    departments = _departments(deps, problems) if deps else []
    kwargs: dict[str, Any] = dict(
        gender=flags.get("gender") or "all",
        age=age,
        interest=interest,
        sub_interest=sub_interest,
        category=category,
        zipcodes=zipcodes,
    )
    # Each flag alone, through the library's own checks (they stop at the first problem).
    for name, value in kwargs.items():
        if value is not None and value not in ("all", []) and name != "interest":
            _alone(problems, targeting.Targeting, interest=_ANY_INTEREST, **{name: value})
    if interest is not None:
        _alone(problems, targeting.Targeting, interest=interest)
    if region:
        _alone(problems, targeting.departments_of_region, region)
    if problems:
        raise FlagProblems(problems)
    kwargs["age"] = age or (18, 98)
    # Together: what only the whole targeting can refuse (zip codes in the departments...).
    if region:
        return targeting.Targeting.for_region(region, **kwargs)
    return targeting.Targeting(departments=departments or (), **kwargs)
