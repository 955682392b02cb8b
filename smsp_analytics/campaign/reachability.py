"""After a download: which rented numbers may actually be messaged.

Every number, rented or in the analyst's lists, is normalised with ``phonenumbers``
(default region FR) to E.164, so ``06 12 34 56 78``, ``+33612345678`` and
``0033612345678`` are one number. Choices where the issue is silent:

- ``region`` is read in any case ("fr" is "FR"); an unknown one is refused by name.
- A number stored as a float (``612345678.0``, as a spreadsheet column with blank cells
  gives, or that text) is the whole number it holds, not a ten-digit one.
- A number counts as readable when ``phonenumbers`` parses it and finds it possible for
  its country (length check, not the operator's allocation ranges).
- Unparseable entries in the analyst's lists cannot remove anything: they are counted per
  list in ``attrs["unparseable"]`` and a warning names the list and an example. Blank cells
  are ignored.
- An unparseable *rented* number cannot be reached: it is removed, counted in
  ``attrs["unparseable_rented"]`` and warned about. A rented number seen twice is one
  contact: duplicates are removed and counted in ``attrs["duplicates"]``.
- A number in several lists counts for the first list (in ``exclude``'s order), so the
  per-list counts add up to the numbers removed.

(The module is not named ``reachable``: importing a submodule rebinds the package
attribute of that name, which would shadow the exported function.)

>>> kept = reachable(["06 12 34 56 78", "+33698765432"], exclude={"stop": ["0033612345678"]})
>>> kept["phone_number"].tolist(), kept.attrs["excluded"]
(['+33698765432'], {'stop': 1})
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from smsp_analytics.i18n import N_, _, ngettext
from smsp_analytics.wire.phone_numbers import (
    COLUMN,
    DEFAULT_REGION,
    check_region,
    is_blank,
    normalise_number,
    number_values,
)

if TYPE_CHECKING:
    from smsp_analytics.client.facade import Client

__all__ = [
    "reachable",
    "normalise_number",
    "check_region",
    "DEFAULT_REGION",
    "ACCOUNT_STOP_LIST",
    "NOT_VALID_MOBILE",
]

#: The name of the account's STOP list in ``attrs["excluded"]`` (a key: display ``_(name)``).
ACCOUNT_STOP_LIST = N_("account STOP list")
#: The name of the numbers the format check says are no valid mobile, in ``attrs["excluded"]``.
NOT_VALID_MOBILE = N_("not a valid mobile (number check)")


def _warn(what: str, bad: list[Any]) -> None:
    warnings.warn(
        ngettext(
            "{what}: {count} entry could not be read as phone numbers (e.g. {example})",
            "{what}: {count} entries could not be read as phone numbers (e.g. {example})",
            len(bad),
        ).format(what=what, count=len(bad), example=repr(str(bad[0]))),
        UserWarning,
        stacklevel=3,
    )


def _rented(numbers: Any) -> tuple[pd.DataFrame, list[Any]]:
    """The frame the result is cut from, and its raw numbers."""
    if isinstance(numbers, pd.DataFrame):
        if COLUMN not in numbers.columns:
            raise ValueError(
                _("numbers: the frame has no {column} column (columns: {columns})").format(
                    column=repr(COLUMN), columns=list(numbers.columns)
                )
            )
        base = numbers.reset_index(drop=True)
        return base, base[COLUMN].tolist()
    if isinstance(numbers, (str, bytes, Mapping)):
        raise ValueError(
            _("numbers: expected a download frame or a list of numbers, not a {kind}").format(
                kind=type(numbers).__name__
            )
        )
    raw = number_values(numbers, "numbers")
    return pd.DataFrame({COLUMN: raw}), raw


def _account_lists(exclude: Mapping[str, Any], client: Client | None, check: Any) -> dict[str, Any]:
    """``exclude`` with the account's STOP list first (when a client is given); refusals
    name ``check`` or the list before any request."""
    if not isinstance(check, bool):
        raise TypeError(
            _("check: {value} is not allowed; allowed: True, False").format(value=repr(check))
        )
    if check and client is None:
        raise ValueError(
            _("check: the number check needs the account: pass client= (a Client) with check=True")
        )
    if client is None:
        return dict(exclude)
    if ACCOUNT_STOP_LIST in exclude or NOT_VALID_MOBILE in exclude:
        raise ValueError(
            _("exclude: {name} is a name the toolkit uses; name your list otherwise").format(
                name=repr(ACCOUNT_STOP_LIST if ACCOUNT_STOP_LIST in exclude else NOT_VALID_MOBILE)
            )
        )
    return {ACCOUNT_STOP_LIST: client.stop_list(), **exclude}


def reachable(
    numbers: pd.DataFrame | Iterable[str],
    exclude: Mapping[str, Any] | None = None,
    *,
    region: str = DEFAULT_REGION,
    client: Client | None = None,
    check: bool = False,
    progress: bool | None = None,
) -> pd.DataFrame:
    """The rented numbers left once every number of the ``exclude`` lists is removed.

    ``numbers``: a download frame (its ``phone_number`` column; other columns and attrs
    are kept) or a list of numbers. ``exclude``: list name -> CSV path (a ``phone_number``
    column, else the first one), frame or list. Returns a frame whose ``phone_number`` is
    E.164, with ``attrs``: ``excluded`` (name -> rented numbers it removed), ``unparseable``
    (name -> entries of that list that could not be read), ``unparseable_rented``,
    ``duplicates``, ``rented`` (numbers given) and ``reachable`` (numbers kept).

    With ``client`` (a :class:`~smsp_analytics.Client`), the account's STOP list
    (``client.stop_list()``) is removed too, first, as :data:`ACCOUNT_STOP_LIST`
    (``attrs["stop_list"]``: its size). With ``check=True`` the numbers still kept are
    checked with ``client.check_numbers`` (``progress`` as there) and those that are no
    valid mobile are removed last, as :data:`NOT_VALID_MOBILE` (``attrs["checked"]``:
    numbers checked, ``attrs["check_types"]``: type -> count among them, "invalid" for
    invalid ones). :func:`~smsp_analytics.campaign.funnel.cleaning_funnel` shows the steps.

    >>> reachable(["0612345678", "06 12 34 56 78"]).attrs["duplicates"]
    1
    """
    if exclude is None:
        exclude = {}
    if not isinstance(exclude, Mapping):
        raise ValueError(
            _(
                "exclude: expected a dict from list name to a CSV path, frame or "
                "list, e.g. {example}"
            ).format(example="{'customers': 'customers.csv', 'stop': stop_list}")
        )
    region = check_region(region)  # "fr" must read like "FR", not mark every number unreadable
    base, raw = _rented(numbers)
    sources = _account_lists(exclude, client, check)
    memo: dict[str, str | None] = {}

    def norm(v: Any) -> str | None:
        key = str(v)
        if key not in memo:
            memo[key] = normalise_number(v, region)
        return memo[key]

    # Read the lists first: a bad list fails before any work on the numbers.
    lists: dict[str, set[str]] = {}
    unparseable: dict[str, int] = {}
    for name, source in sources.items():
        entries = [v for v in number_values(source, f"exclude[{name!r}]") if not is_blank(v)]
        got = [(v, norm(v)) for v in entries]
        bad = [v for v, n in got if n is None]
        unparseable[str(name)] = len(bad)
        if bad:
            _warn(f"exclude[{name!r}]", bad)
        lists[str(name)] = {n for _v, n in got if n is not None}

    e164 = [norm(v) for v in raw]
    bad_rented = [v for v, n in zip(raw, e164) if n is None]
    if bad_rented:
        _warn("numbers", bad_rented)
    keep: list[int] = []
    seen: set[str] = set()
    excluded = dict.fromkeys(lists, 0)
    duplicates = 0
    for i, n in enumerate(e164):
        if n is None:
            continue
        if n in seen:
            duplicates += 1
            continue
        seen.add(n)
        hit = next((name for name, s in lists.items() if n in s), None)
        if hit is None:
            keep.append(i)
        else:
            excluded[hit] += 1
    extra: dict[str, Any] = {}
    if client is not None:
        extra["stop_list"] = len(sources[ACCOUNT_STOP_LIST])
    if check:
        assert client is not None  # _account_lists refused it otherwise
        checked = client.check_numbers([e164[i] for i in keep], progress=progress)
        mobile = checked["valid_mobile"].fillna(False).to_numpy(dtype=bool)
        excluded[NOT_VALID_MOBILE] = int((~mobile).sum())
        keep = [i for i, ok in zip(keep, mobile) if ok]
        extra.update(checked=len(checked), check_types=dict(checked.attrs.get("types", {})))
    out = base.iloc[keep].copy()
    out[COLUMN] = pd.array([e164[i] for i in keep], dtype="string")
    out = out.reset_index(drop=True)
    out.attrs = {
        **(numbers.attrs if isinstance(numbers, pd.DataFrame) else {}),
        "excluded": excluded,
        "unparseable": unparseable,
        "unparseable_rented": len(bad_rented),
        "duplicates": duplicates,
        "rented": len(raw),
        "reachable": len(keep),
        **extra,
    }
    return out
