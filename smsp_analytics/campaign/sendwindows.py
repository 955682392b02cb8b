"""When commercial SMS may go out: the allowed send windows per department and day.

The vendor's words (``pages/docs/SMS/envoyer-des-sms/``, the send pages): "La plateforme
n'envoie pas de SMS commerciaux entre 20h et 8h en semaine et les dimanches et jours fériés
(restriction légale). Si un message SMS est envoyé, le message est en pause jusqu'au prochain
jour ouvrable à 8h." The platform is in Paris. Three readings, chosen with ``rule``:

- ``"vendor"``: what the platform does: 08:00-20:00 Europe/Paris, Monday to Saturday, not a
  national public holiday (``holidays.France()`` without subdivision), whatever the
  recipient's clock says. It delivers to Guadeloupe from 08:00 Paris time, 03:00 there in
  winter, and on Alsace-Moselle's Good Friday;
- ``"local"``: the recipient's clock: 08:00-20:00 local time, Monday to Saturday, not a
  public holiday where they live (``holidays.France(subdiv=...)``: ``"57"`` Moselle,
  ``"6AE"`` for 67 and 68, ``"971"``..``"976"`` overseas; other departments, Corsica
  included, the national list);
- ``"both"`` (the default): the intersection, the prudent reading: both must allow it.

Every frame also carries the vendor's own window of the day (``vendor_open``,
``vendor_start``, ``vendor_end``, Paris instants) and ``vendor_outside_local``: the vendor
would send that day outside 08:00-20:00 local time or on a local holiday, so those messages
are to be scheduled by hand (:mod:`smsp_analytics.campaign.sendwindows_vendor` says when and where).

The vendor's error table contradicts the banner: its error 22 reads "L'heure d'envoi n'est
pas valide, elle doit être comprise entre 8h et 22h" (8 AM to 10 PM). The contract
(``CONTRACT.md``) keeps the banner's 20:00, the legal rule in France; so does this module.

Windows are half-open, ``[start, end)``: 20:00 itself is closed. Time zones come from
``zoneinfo``: metropolitan France and Corsica Europe/Paris, 971 America/Guadeloupe, 972
America/Martinique, 973 America/Cayenne, 974 Indian/Reunion, 976 Indian/Mayotte; the
overseas windows of ``"both"`` shrink by the time difference with Paris (and move when
Paris changes to summer time; the overseas departments have none). Reasons are written in
the language in force when the frame is made (``smsp_analytics.i18n``): holiday names are the
``holidays`` package's English or French ones ("Good Friday" / "Vendredi saint"), "Sunday" /
"dimanche". Dates from :data:`MIN_DATE` to :data:`MAX_DATE`.

>>> from datetime import date
>>> w = send_windows(["75", "974"], date(2025, 12, 19), days=2)
>>> w[["department", "open", "reason"]].values.tolist()
[['75', True, ''], ['75', True, ''], ['974', True, ''], ['974', False, 'Abolition of Slavery']]
>>> str(w.loc[2, "paris_end"].time()), str(w.loc[2, "local_end"].time())
('17:00:00', '20:00:00')
>>> str(w.loc[2, "vendor_end"].time()), bool(w.loc[2, "vendor_outside_local"])
('20:00:00', True)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

import holidays
import pandas as pd

from smsp_analytics.campaign.sendwindows_inputs import (
    MAX_DATE,
    MIN_DATE,
    RULES,
    check_department,
    check_rule,
    check_start,
    department_list,
    out_of_range,
)
from smsp_analytics.i18n import _, get_lang
from smsp_analytics.vocab import HOLIDAY_SUBDIVISIONS, PARIS, time_zone

# Paris, the overseas time zones and the holiday subdivisions are the vocabulary's
# (smsp_analytics.vocab): the panel, the report and the CLI read them there.
__all__ = [
    "send_windows",
    "next_send_time",
    "check_start",
    "department_list",
    "local_window",
    "Calendars",
    "OPEN_HOURS",
    "RULES",
    "MIN_DATE",
    "MAX_DATE",
]

OPEN_HOURS = (time(8), time(20))
#: The ``holidays`` package's language of each of the toolkit's languages.
_HOLIDAY_LANGUAGES = {"en": "en_US", "fr": "fr"}
_MAX_SEARCH_DAYS = 400
COLUMNS = [
    "department",
    "date",
    "open",
    "local_start",
    "local_end",
    "paris_start",
    "paris_end",
    "reason",
    "vendor_open",
    "vendor_start",
    "vendor_end",
    "vendor_outside_local",
]

_Window = tuple[datetime | None, datetime | None, str]


class Calendars:
    """Holiday lists built once per call (``holidays`` objects expand years lazily): the
    platform's (national) ones and each department's (its subdivision's), with holiday
    names in ``lang`` (default: the language in force)."""

    def __init__(self, lang: str | None = None) -> None:
        self.language = _HOLIDAY_LANGUAGES[lang or get_lang()]
        self.platform = holidays.France(language=self.language)
        self._local: dict[str | None, Any] = {None: self.platform}

    def local(self, dep: str) -> Any:
        sub = HOLIDAY_SUBDIVISIONS.get(dep)
        if sub not in self._local:
            self._local[sub] = holidays.France(subdiv=sub, language=self.language)
        return self._local[sub]


def _closed_reason(day: date, cal: Any) -> str:
    if day.weekday() == 6:
        return _("Sunday")
    name = cal.get(day)
    return "" if name is None else "; ".join(sorted(set(str(name).split("; "))))


def _vendor_window(day: date, cals: Calendars) -> _Window:
    """The platform's ``[start, end)`` of the Paris date ``day`` (aware, Paris), or why not.

    For every French zone (UTC-4 to UTC+4 against Paris's UTC+1/+2) this window lies inside
    the same local date, so the vendor's window of a row's date is that of the Paris date."""
    reason = _closed_reason(day, cals.platform)
    if reason:
        return None, None, reason
    return (
        datetime.combine(day, OPEN_HOURS[0], tzinfo=PARIS),
        datetime.combine(day, OPEN_HOURS[1], tzinfo=PARIS),
        "",
    )


def local_window(dep: str, day: date, cals: Calendars) -> _Window:
    """The recipient's ``[start, end)`` of the local date ``day`` (aware, local), or why not."""
    reason = _closed_reason(day, cals.local(dep))
    if reason:
        return None, None, reason
    tz = time_zone(dep)
    return (
        datetime.combine(day, OPEN_HOURS[0], tzinfo=tz),
        datetime.combine(day, OPEN_HOURS[1], tzinfo=tz),
        "",
    )


def _both_window(dep: str, day: date, cals: Calendars) -> _Window:
    """The intersection of the local window of ``day`` with the platform's (local zone)."""
    start, end, reason = local_window(dep, day, cals)
    if start is None or end is None:
        return None, None, reason
    tz = time_zone(dep)
    best: tuple[datetime, datetime] | None = None
    platform_reasons = []
    paris_day = start.astimezone(PARIS).date()
    for pday in (paris_day - timedelta(days=1), paris_day, paris_day + timedelta(days=1)):
        p_start = datetime.combine(pday, OPEN_HOURS[0], tzinfo=PARIS)
        p_end = datetime.combine(pday, OPEN_HOURS[1], tzinfo=PARIS)
        if p_end <= start or p_start >= end:
            continue
        why = _closed_reason(pday, cals.platform)
        if why:
            platform_reasons.append(why)
            continue
        lo, hi = max(start, p_start), min(end, p_end)
        # With the French zones the 12-hour windows overlap at most one Paris day.
        if best is None or hi - lo > best[1] - best[0]:
            best = (lo.astimezone(tz), hi.astimezone(tz))
    if best is None:
        why = "; ".join(dict.fromkeys(platform_reasons)) or _("outside platform hours")
        return None, None, _("platform closed: {why}").format(why=why)
    return best[0], best[1], ""


def _window(dep: str, day: date, cals: Calendars, rule: str) -> _Window:
    """The window ``rule`` allows on the local date ``day``, in the department's zone."""
    if rule == "local":
        return local_window(dep, day, cals)
    if rule == "both":
        return _both_window(dep, day, cals)
    lo, hi, reason = _vendor_window(day, cals)
    tz = time_zone(dep)
    return (
        None if lo is None else lo.astimezone(tz),
        None if hi is None else hi.astimezone(tz),
        reason,
    )


def _outside_local(
    dep: str, day: date, cals: Calendars, v_lo: datetime | None, v_hi: datetime | None
) -> bool:
    """The vendor sends on ``day`` at an instant the recipient's window does not allow."""
    if v_lo is None or v_hi is None:
        return False
    lo, hi, _why = local_window(dep, day, cals)
    return lo is None or hi is None or v_lo < lo or v_hi > hi


def send_windows(
    departments: Iterable[str] | str,
    start: date | datetime | str,
    days: int = 7,
    *,
    rule: str = "both",
) -> pd.DataFrame:
    """The allowed send window of each department for ``days`` local dates from ``start``.

    ``departments``: codes as strings (``"75"``, ``"2A"``, ``"974"``), a list or one
    comma-separated string; ``start``: a date, a datetime (its date) or an ISO date string,
    from :data:`MIN_DATE` to :data:`MAX_DATE` with its ``days`` (1 to 366); ``rule``:
    ``"vendor"``, ``"local"`` or ``"both"`` (the module's docstring says which is which).

    One row per department and local date: ``department``, ``date`` (local date),
    ``open`` (bool), ``local_start``/``local_end`` (aware, the department's zone; object
    column since zones differ; NaT when closed), ``paris_start``/``paris_end`` (aware,
    Europe/Paris; NaT when closed) and ``reason`` ("Sunday", the holiday's name, or with
    ``"both"`` "platform closed: ..." when only the Paris platform is closed; empty when
    open): the window ``rule`` allows. Whatever the rule, the vendor's own window of that
    date: ``vendor_open``, ``vendor_start``/``vendor_end`` (Europe/Paris, NaT when closed)
    and ``vendor_outside_local`` (True when the vendor would send that day outside
    08:00-20:00 local time or on a local holiday).

    >>> send_windows("57", "2026-04-03", days=1)[["open", "reason", "vendor_open"]].values.tolist()
    [[False, 'Good Friday', True]]
    >>> g = send_windows("971", "2026-11-27", days=1, rule="vendor").iloc[0]
    >>> f"{g['local_start']:%H:%M}-{g['local_end']:%H:%M}", bool(g["vendor_outside_local"])
    ('03:00-15:00', True)
    """
    deps = department_list(departments)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 366:
        raise ValueError(
            _("days: {value} is not allowed; allowed: an int from 1 to 366").format(
                value=repr(days)
            )
        )
    rule = check_rule(rule)
    first = check_start(start, days)
    cals = Calendars()
    rows = []
    for dep in deps:
        for i in range(days):
            day = first + timedelta(days=i)
            lo, hi, reason = _window(dep, day, cals, rule)
            v_lo, v_hi, _why = _vendor_window(day, cals)
            rows.append(
                (
                    dep,
                    day,
                    lo is not None,
                    lo,
                    hi,
                    None if lo is None else lo.astimezone(PARIS),
                    None if hi is None else hi.astimezone(PARIS),
                    reason,
                    v_lo is not None,
                    v_lo,
                    v_hi,
                    _outside_local(dep, day, cals, v_lo, v_hi),
                )
            )
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["department"] = df["department"].astype("string")
    for col in ("open", "vendor_open", "vendor_outside_local"):
        df[col] = df[col].astype(bool)
    for col in ("local_start", "local_end"):
        df[col] = pd.Series(
            [pd.NaT if v is None else pd.Timestamp(v) for v in df[col]], dtype=object
        )
    for col in ("paris_start", "paris_end", "vendor_start", "vendor_end"):
        df[col] = pd.to_datetime(df[col], utc=True).dt.tz_convert(PARIS)
    df["reason"] = df["reason"].astype("string")
    df.attrs.update(
        {
            "op": "send_windows",
            "start": first.isoformat(),
            "days": days,
            "rule": rule,
            "open_hours": "08:00-20:00",
            "lang": get_lang(),  # the language of the reasons
        }
    )
    return df


def next_send_time(department: str, after: datetime, *, rule: str = "both") -> datetime:
    """The next instant a commercial SMS may go out to ``department`` under ``rule``
    (``"vendor"``, ``"local"`` or ``"both"``): ``after`` itself when it falls inside a
    window, else the start of the next window. With ``rule="vendor"`` it is when the
    platform would deliver a message submitted at ``after`` and not scheduled.

    ``after`` should be aware; a naive datetime is read as Europe/Paris time; its date from
    :data:`MIN_DATE` to :data:`MAX_DATE`. The answer is in ``after``'s zone (Europe/Paris
    for a naive one).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> next_send_time("75", datetime(2026, 11, 28, 20, 0, tzinfo=ZoneInfo("Europe/Paris")))
    datetime.datetime(2026, 11, 30, 8, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/Paris'))
    >>> at = next_send_time("971", datetime(2026, 11, 27, 22, 30), rule="vendor")
    >>> at.isoformat(), at.astimezone(ZoneInfo("America/Guadeloupe")).strftime("%H:%M")
    ('2026-11-28T08:00:00+01:00', '03:00')
    """
    dep = check_department(department, "department")
    rule = check_rule(rule)
    if not isinstance(after, datetime):
        raise TypeError(
            _("after: expected a datetime, got {type}").format(type=type(after).__name__)
        )
    if isinstance(after, pd.Timestamp):
        after = after.to_pydatetime()
    # Checked on the wall date, before any zone conversion (which overflows near 1 and 9999).
    if not MIN_DATE <= after.date() <= MAX_DATE:
        raise out_of_range("after", after)
    if after.tzinfo is None or after.utcoffset() is None:
        after = after.replace(tzinfo=PARIS)
    out_tz = after.tzinfo
    day = after.astimezone(time_zone(dep)).date()
    cals = Calendars()
    for i in range(_MAX_SEARCH_DAYS):
        lo, hi, _why = _window(dep, day + timedelta(days=i), cals, rule)
        if lo is None or hi is None or hi <= after:
            continue
        return after if lo <= after else lo.astimezone(out_tz)
    raise RuntimeError(
        _("no send window within {days} days after {after}").format(
            days=_MAX_SEARCH_DAYS, after=after
        )
    )
