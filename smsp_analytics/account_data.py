"""Frames of the account's own data: its STOP list, the format check of numbers, and what
sending really cost (the vendor's cost-resume).

Every value is checked as it is read: a row that is not an object, a number that is not one,
an E.164 number that is not one, a month that does not exist, a negative count or cost is a
:class:`~smsp_analytics.errors.MalformedResponseError` naming the field. Readings where the
vendor is silent:

- ``createdAt`` (STOP list) is Paris wall time (the vendor's platform is French; its other
  dates are Paris time): it becomes ``stopped_at`` in UTC. A missing date is NaT.
- A lookup entry's ``success`` says whether the number is valid; ``valid_mobile`` also needs
  the vendor's ``type`` to name a mobile ("Mobile").
- A cost-resume row is the month of ``year`` and ``m``; its ``cost`` is in EUR.

>>> df = stop_list_frame({"success": True, "nbData": 1, "data": [
...     {"id": 19, "phoneNumber": "+33612345678", "createdAt": "2015-07-20 10:19:45"}]})
>>> df["phone_number"].tolist(), str(df["stopped_at"][0])
(['+33612345678'], '2015-07-20 08:19:45+00:00')
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from smsp_analytics.errors import MalformedResponseError, TotalMismatchWarning
from smsp_analytics.i18n import _
from smsp_analytics.vocab import PARIS
from smsp_analytics.wire.decoding import excerpt
from smsp_analytics.wire.phone_numbers import E164, normalise_number
from smsp_analytics.wire.values import base_attrs, flag, number

__all__ = [
    "STOP_LIST_COLUMNS",
    "LOOKUP_COLUMNS",
    "COST_COLUMNS",
    "stop_list_frame",
    "lookup_records",
    "lookup_frame",
    "sending_costs_frame",
    "is_mobile_type",
]

STOP_LIST_COLUMNS = ("phone_number", "stopped_at", "id")
LOOKUP_COLUMNS = (
    "request",
    "valid",
    "phone_number",
    "type",
    "country",
    "prefix",
    "national",
    "international",
    "valid_mobile",
)
COST_COLUMNS = ("month", "sms_sent", "cost_eur", "cost_per_sms_eur")


def _rows(payload: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    rows = payload.get(key)
    if rows is None:
        rows = []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise MalformedResponseError(
            _("answer without a list of objects in {key!r}: {text}").format(
                key=key, text=excerpt(repr(rows))
            ),
            field=key,
        )
    return rows


def _whole(v: Any, field: str, *, required: bool = True) -> int | None:
    n = number(v, field)
    if n is None:
        if required:
            raise MalformedResponseError(_("{field}: missing").format(field=field), field=field)
        return None
    if not n.is_integer() or n < 0:
        raise MalformedResponseError(
            _("{field}: {value} is not a whole number >= 0").format(field=field, value=repr(v)),
            field=field,
        )
    return int(n)


def _e164(v: Any, field: str) -> str:
    text = "" if v is None else str(v).strip()
    if E164.fullmatch(text):
        return text  # the vendor's own E.164 (reading it again costs ~0.2 ms a number)
    e164 = normalise_number(text) if text else None
    if e164 is None:
        raise MalformedResponseError(
            _("{field}: {value} is not a phone number").format(field=field, value=excerpt(text)),
            field=field,
        )
    return e164


def _text(v: Any) -> str | None:
    if v is None:
        return None
    text = str(v).strip()
    return text or None


def stop_list_frame(
    payload: Mapping[str, Any], *, source: str = "api", synthetic: bool = False
) -> pd.DataFrame:
    """The STOP list: ``phone_number`` (E.164), ``stopped_at`` (UTC), ``id``; ``attrs
    ["count"]`` is the vendor's ``nbData`` (a warning when it differs from the rows)."""
    rows = _rows(payload, "data")
    phones = [_e164(r.get("phoneNumber"), "data.phoneNumber") for r in rows]
    ids = [_whole(r.get("id"), "data.id") for r in rows]
    texts = [_text(r.get("createdAt")) for r in rows]
    when = pd.to_datetime(
        pd.Series(texts, dtype="object"), format="%Y-%m-%d %H:%M:%S", errors="coerce"
    )
    bad = [t for t, w in zip(texts, when) if t is not None and pd.isna(w)]
    if bad:
        raise MalformedResponseError(
            _("data.createdAt: {value} is not a date and time").format(value=excerpt(bad[0])),
            field="data.createdAt",
        )
    stopped = (
        when.dt.tz_localize(
            PARIS, ambiguous=np.ones(len(when), dtype=bool), nonexistent="shift_forward"
        )
        .dt.tz_convert("UTC")
        .astype("datetime64[ns, UTC]")
    )
    df = pd.DataFrame(
        {
            "phone_number": pd.array(phones, dtype="string"),
            "stopped_at": stopped.reset_index(drop=True),
            "id": pd.array(ids, dtype="Int64"),
        }
    )
    count = _whole(payload.get("nbData"), "nbData", required=False)
    if count is not None and count != len(df):
        warnings.warn(
            _("STOP list: the API announced {count} numbers and sent {rows}").format(
                count=count, rows=len(df)
            ),
            TotalMismatchWarning,
            stacklevel=2,
        )
    df.attrs.update(base_attrs(source, synthetic, "stop_list"))
    df.attrs["count"] = len(df) if count is None else count
    return df


def is_mobile_type(kind: Any) -> bool:
    """Whether the lookup's ``type`` names a mobile ("Mobile", "Fixed line or mobile").

    >>> is_mobile_type("Mobile"), is_mobile_type("Fixed line"), is_mobile_type(None)
    (True, False, False)
    """
    return isinstance(kind, str) and "mobile" in kind.lower()


_NOT_DIGIT = re.compile(r"[^0-9]+", re.ASCII)


def _same_number(echoed: Any, asked: str) -> bool:
    """Whether the vendor's ``request`` echoes ``asked`` (the vendor's sample drops the +)."""
    if echoed == asked:
        return True
    return _NOT_DIGIT.sub("", str(echoed or "")) == _NOT_DIGIT.sub("", asked)


def lookup_records(payload: Mapping[str, Any], sent: Sequence[str]) -> list[dict[str, Any]]:
    """One record per number ``sent`` (E.164), in order, from one lookup answer: the answer
    must hold one entry per number sent, each echoing its number in ``request``."""
    rows = _rows(payload, "lookup")
    if len(rows) != len(sent):
        raise MalformedResponseError(
            _("lookup: {rows} entries for {sent} numbers sent").format(
                rows=len(rows), sent=len(sent)
            ),
            field="lookup",
        )
    out = []
    for asked, row in zip(sent, rows):
        if not _same_number(row.get("request"), asked):
            raise MalformedResponseError(
                _("lookup.request: {value} answers a number that was not asked ({asked})").format(
                    value=excerpt(str(row.get("request"))), asked=asked
                ),
                field="lookup.request",
            )
        valid = bool(flag(row.get("success")))
        fmt = row.get("format")
        fmt = fmt if isinstance(fmt, dict) else {}
        prefix = _whole(row.get("prefixCode"), "lookup.prefixCode", required=False)
        phone = row.get("phoneNumber") or fmt.get("e164")
        kind = _text(row.get("type"))
        out.append(
            {
                "valid": valid,
                "phone_number": _e164(phone, "lookup.phoneNumber") if valid else None,
                "type": kind if valid else None,
                "country": _text(row.get("countryCode")),
                "prefix": prefix,
                "national": _text(fmt.get("national")),
                "international": _text(fmt.get("international")),
                "valid_mobile": valid and is_mobile_type(kind),
            }
        )
    return out


def lookup_frame(
    requests: Sequence[Any],
    records: Sequence[Mapping[str, Any] | None],
    *,
    source: str = "api",
    synthetic: bool = False,
) -> pd.DataFrame:
    """One row per input: ``request`` (the input as given) and its record (None: not read
    as a number, so not sent: ``valid`` False)."""
    none: dict[str, Any] = {"valid": False, "valid_mobile": False}
    full = [dict(none) if r is None else dict(r) for r in records]

    def col(name: str) -> list[Any]:
        return [r.get(name) for r in full]

    df = pd.DataFrame(
        {
            "request": pd.array([None if v is None else str(v) for v in requests], dtype="string"),
            "valid": pd.array(col("valid"), dtype="boolean"),
            "phone_number": pd.array(col("phone_number"), dtype="string"),
            "type": pd.array(col("type"), dtype="string"),
            "country": pd.array(col("country"), dtype="string"),
            "prefix": pd.array(col("prefix"), dtype="Int64"),
            "national": pd.array(col("national"), dtype="string"),
            "international": pd.array(col("international"), dtype="string"),
            "valid_mobile": pd.array(col("valid_mobile"), dtype="boolean"),
        }
    )
    types: dict[str, int] = {}
    for r in full:
        key = str(r.get("type")) if r.get("valid") and r.get("type") else "invalid"
        types[key] = types.get(key, 0) + 1
    df.attrs.update(base_attrs(source, synthetic, "lookup"))
    df.attrs["types"] = types
    return df


def _month(row: Mapping[str, Any]) -> dt.date:
    year = _whole(row.get("year"), "datas.year", required=False)
    m = _whole(row.get("m"), "datas.m", required=False)
    if year is not None and m is not None:
        if not 1 <= m <= 12 or year < 1970:
            raise MalformedResponseError(
                _("datas: {year}-{month} is not a month").format(year=year, month=m),
                field="datas.m",
            )
        return dt.date(year, m, 1)
    stamp = number(row.get("date"), "datas.date")
    if stamp is None:
        raise MalformedResponseError(_("datas: a row without its month"), field="datas.month")
    local = pd.Timestamp(int(stamp), unit="s", tz="UTC").tz_convert(PARIS)
    return dt.date(local.year, local.month, 1)


def sending_costs_frame(
    payload: Mapping[str, Any], *, source: str = "api", synthetic: bool = False
) -> pd.DataFrame:
    """The months of sending, oldest first: ``month`` (the first day of the month),
    ``sms_sent``, ``cost_eur``, ``cost_per_sms_eur`` (<NA> for a month with no SMS).
    ``attrs``: ``total_sms``, ``total_cost_eur``, ``cost_per_sms_eur`` (total cost / total
    SMS, NaN when none was sent)."""
    rows = _rows(payload, "datas")
    months: dict[dt.date, tuple[int, float]] = {}
    for row in rows:
        kind = _text(row.get("type"))
        if kind is not None and kind.lower() != "month":
            raise MalformedResponseError(
                _("datas.type: {value} is not 'month'").format(value=excerpt(kind)),
                field="datas.type",
            )
        month = _month(row)
        sent = _whole(row.get("nb_send"), "datas.nb_send")
        cost = number(row.get("cost"), "datas.cost")
        if cost is None or cost < 0:
            raise MalformedResponseError(
                _("datas.cost: {value} is not a cost >= 0").format(value=repr(row.get("cost"))),
                field="datas.cost",
            )
        if month in months:
            raise MalformedResponseError(
                _("datas: the month {month} comes twice").format(month=month.isoformat()[:7]),
                field="datas.month",
            )
        assert sent is not None
        months[month] = (sent, cost)
    order = sorted(months)
    sent_list = [months[m][0] for m in order]
    cost_list = [months[m][1] for m in order]
    per_sms = [c / s if s else None for s, c in zip(sent_list, cost_list)]
    df = pd.DataFrame(
        {
            "month": pd.to_datetime(pd.Series(order, dtype="object")).astype("datetime64[ns]"),
            "sms_sent": pd.array(sent_list, dtype="Int64"),
            "cost_eur": pd.array(cost_list, dtype="Float64"),
            "cost_per_sms_eur": pd.array(per_sms, dtype="Float64"),
        }
    )
    total_sms = int(sum(sent_list))
    total_cost = round(float(sum(cost_list)), 6)
    df.attrs.update(base_attrs(source, synthetic, "sending_costs"))
    df.attrs["total_sms"] = total_sms
    df.attrs["total_cost_eur"] = total_cost
    df.attrs["cost_per_sms_eur"] = total_cost / total_sms if total_sms else math.nan
    return df
