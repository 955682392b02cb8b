"""The vendor's rules on a message text, before and after its characters are counted: the
range (Premium or Low Cost), the STOP mention appended, the SMS a length takes and the limits
(vendor errors 42 and 52), and the refusal of a message with nothing left to send.

:mod:`smsp_analytics.campaign.messages` applies them (see its docstring for the rules); its
names are re-exported there.

>>> stop_text(None, "Promo -20%", "premium"), stop_text(None, "Promo NoPub=STOP", "lowcost")
('STOP au 36173', '')
>>> count_parts(161, 160, 153, "premium", "GSM-7"), ucs2_length("10€ 😀")
(2, 6)
"""

from __future__ import annotations

import re
from typing import Any

from smsp_analytics.errors import TargetingError, not_allowed
from smsp_analytics.i18n import N_, _

__all__ = [
    "DEFAULT_STOP_MENTION",
    "LOWCOST_STOP_MENTION",
    "MAX_PARTS",
    "RANGES",
    "STOP_SEPARATOR",
    "BREAK_TAG",
    "check_range",
    "stop_text",
    "count_parts",
    "ucs2_length",
    "check_left",
]


DEFAULT_STOP_MENTION = "STOP au 36173"
#: The mention the sender writes on the Low Cost range (the vendor's send page).
LOWCOST_STOP_MENTION = "NoPub=STOP"
_NOPUB = re.compile(r"nopub\s*=\s*stop", re.IGNORECASE)
_ANY_LETTER = re.compile(r"[0-9A-Za-z]")  # never removed nor dropped in GSM-7
#: At most this many concatenated SMS (vendor error 52).
MAX_PARTS = 10
RANGES = ("premium", "lowcost")
STOP_SEPARATOR = " "
BREAK_TAG = ":br:"


def check_range(range: Any) -> str:
    """``range`` as ``"premium"`` or ``"lowcost"`` (any case, spaces around); ValueError else."""
    if range == "premium" or range == "lowcost":
        return range
    if not isinstance(range, str) or range.strip().lower() not in RANGES:
        raise ValueError(not_allowed("range", range, "'premium', 'lowcost'"))
    return range.strip().lower()


def stop_text(stop_mention: Any, text: str, rng: str) -> str:
    """The STOP mention appended to ``text`` on range ``rng`` ("" when none is appended)."""
    if stop_mention is None or stop_mention is True:
        mention = LOWCOST_STOP_MENTION if rng == "lowcost" else DEFAULT_STOP_MENTION
    elif stop_mention is False:
        return ""
    elif isinstance(stop_mention, str):
        mention = stop_mention.strip()
    else:
        raise TypeError(
            not_allowed(
                "stop_mention",
                stop_mention,
                N_("None (the default), a string, or False/'' for none"),
            )
        )
    if not mention:
        return ""
    # Low Cost: the sender writes the mention; the vendor appends nothing (no isStopSms).
    if rng == "lowcost" and (_NOPUB.search(text) or mention.casefold() in text.casefold()):
        return ""
    return mention


def count_parts(length: int, single: int, multi: int, rng: str, encoding: str) -> int:
    """The SMS that ``length`` positions take (``single`` in one SMS, ``multi`` per part);
    a ValueError (:class:`TargetingError`) over the Low Cost or the 10-part limit."""
    parts = 1 if length <= single else -(-length // multi)
    if rng == "lowcost" and parts > 1:
        raise TargetingError(
            "text",
            length,
            f"one SMS of {single} ({encoding})",
            code=None,
            label="message",
            message=_(
                "{length} positions; the Low Cost range allows one SMS of {single} ({encoding}) "
                "at most (vendor error 42)"
            ).format(length=length, single=single, encoding=encoding),
        )
    if parts > MAX_PARTS:
        raise TargetingError(
            "text",
            length,
            f"at most {MAX_PARTS} SMS",
            code=None,
            label="message",
            message=_(
                "{length} positions need {parts} SMS; at most {most} concatenated SMS are "
                "allowed (vendor error 52)"
            ).format(length=length, parts=parts, most=MAX_PARTS),
        )
    return parts


def ucs2_length(full: str) -> int:
    """The length of ``full`` in UTF-16 code units, as billed in Unicode mode."""
    # UTF-16 code units: characters outside the BMP are surrogate pairs.
    return len(full.encode("utf-16-le", "surrogatepass")) // 2


def check_left(text: str, gone: list[str]) -> None:
    """ValueError when the message is nothing but characters removed or dropped in GSM-7
    (and spaces, line breaks): it would be billed as an SMS carrying nothing."""
    body = text.replace(BREAK_TAG, "") if BREAK_TAG in text else text
    if _ANY_LETTER.search(body):  # the usual case, decided without rebuilding the text
        return
    if not body.translate(dict.fromkeys(map(ord, gone))).strip():
        shown = ", ".join(map(repr, gone))
        one = len(gone) == 1
        raise TargetingError(
            "text",
            text,
            "a message",
            code=None,
            label="text",
            message=(
                _(
                    "nothing is left to send in GSM-7 once {shown} is removed (the vendor's "
                    "table) or dropped (not GSM-7); use unicode=True (the account's "
                    "isUnicode=1) to keep it"
                )
                if one
                else _(
                    "nothing is left to send in GSM-7 once {shown} are removed (the vendor's "
                    "table) or dropped (not GSM-7); use unicode=True (the account's "
                    "isUnicode=1) to keep them"
                )
            ).format(shown=shown),
        )
