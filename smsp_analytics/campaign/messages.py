"""What a campaign costs: SMS parts of a message, and sending plus rental cost per contact.

The vendor's documented rules (public Send SMS, "List of Replaced Characters" and error-code
pages) and the readings made where they are silent:

- **GSM 03.38.** Without Unicode mode the text is sent in the GSM 7-bit alphabet: 160
  positions in one SMS, 153 per part when longer. Characters of the basic table count one
  position; those of the extension table (``€`` and form feed; the vendor replaces or
  removes ``[ ] { } \\ ~ ^ |``) count two.
- **The vendor's replaced characters** (:data:`smsp_analytics.campaign.gsm_table.VENDOR_REPLACEMENTS`,
  its source named there): in GSM-7 mode each character of the table is replaced as the
  table says before counting: ``[ ]``/``{ }`` -> ``( )`` (1 position each), ``œ`` -> ``oe``
  (2), ``^ ~ | \\ ¨ §`` removed (0), ``ä ö ü ñ`` -> plain letters although GSM-7, ``°`` ->
  ``.``, ``’`` and the backquote -> ``‘`` (sent as a plain quote, 1). ``MessageParts.replaced``
  lists each ``(character, replacement)`` pair of the table that occurred, in order of first
  occurrence (replacement ``""`` = removed).
- **Characters in neither GSM-7 nor the table** (emoji, CJK, dashes...): undocumented. The
  toolkit assumes the usual substitute (``–`` -> ``-``, ``…`` -> ``...``), else the Unicode
  decomposition without accents when that is GSM-7, else the character is dropped. They are
  listed apart in ``MessageParts.unsupported``, with ``unicode_parts`` (the SMS per message
  in Unicode mode, which keeps them): see :func:`unicode_hint`. A message with nothing left
  once they are dropped is refused (``unicode=True`` keeps them).
- **Unicode mode** (``unicode=True``, the account's ``isUnicode=1``): every message is sent
  as UCS-2, 70 units in one SMS, 67 per part; characters outside the Basic Multilingual
  Plane (most emoji) take two UTF-16 units. Nothing is replaced.
- **``:br:``** is a line break billed as two positions, in both encodings.
- **STOP mention.** Mandatory for commercial SMS. Premium: the vendor appends it
  (``isStopSms=1``); its exact text is not documented, so it is the ``stop_mention``
  parameter, default :data:`DEFAULT_STOP_MENTION` (``"STOP au 36173"``), appended after one
  space (counted). Low Cost (ECO): ``isStopSms`` does not apply, the sender writes
  ``NoPub=STOP`` (:data:`LOWCOST_STOP_MENTION`) in the text; a text that carries it (any
  case, any spacing around ``=``) gets nothing more, else ``NoPub=STOP`` is appended after
  a space and counted. ``stop_mention=False`` or ``""`` counts none (transactional messages).
- **Limits.** At most 10 parts (vendor error 52). Low Cost sends one SMS only: 160 GSM-7
  positions, mention included (error 42); in Unicode mode that single SMS holds 70 units.
- Parts are the vendor's arithmetic, ``ceil(length / 153)``: handsets that avoid splitting
  an extension character or a surrogate pair across parts may need one more in rare cases.

>>> m = message_parts("Soldes d'été : -20% ce week-end !")
>>> m.encoding, m.length, m.parts
('GSM-7', 47, 1)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from smsp_analytics.campaign.cost_inputs import (
    SANDBOX_PRICE_PER_SMS,
    amounts,
    check_price,
    row_labels,
    row_names,
    to_cents,
)
from smsp_analytics.campaign.gsm_table import (
    AS_IS,
    GSM_BASIC,
    GSM_EXTENSION,
    UNSUPPORTED,
    VENDOR,
    VENDOR_REPLACEMENTS,
    sent_as,
)
from smsp_analytics.campaign.message_rules import (
    BREAK_TAG,
    DEFAULT_STOP_MENTION,
    LOWCOST_STOP_MENTION,
    MAX_PARTS,
    RANGES,
    STOP_SEPARATOR,
    check_left,
    check_range,
    count_parts,
    stop_text,
    ucs2_length,
)
from smsp_analytics.errors import TargetingError

__all__ = [
    "MessageParts",
    "message_parts",
    "campaign_cost",
    "unicode_hint",
    "DEFAULT_STOP_MENTION",
    "LOWCOST_STOP_MENTION",
    "SANDBOX_PRICE_PER_SMS",
    "MAX_PARTS",
    "RANGES",
    "GSM_BASIC",
    "GSM_EXTENSION",
]


# Deleting the ASCII characters of the basic table from the UTF-8 bytes (C loops, about a
# nanosecond a byte) leaves the few characters that need a look; UTF-8 continuation bytes
# are never ASCII, so what is left still decodes. None of them is in the vendor's table.
_ASCII_BASIC = bytes(
    sorted(ord(c) for c in GSM_BASIC if ord(c) < 128 and c not in VENDOR_REPLACEMENTS)
)


class MessageParts(NamedTuple):
    """How the vendor bills one message (an immutable named tuple: cheap to build).

    ``length`` is in positions as billed (GSM-7 positions or UTF-16 units, STOP mention and
    its separator included); ``per_part`` is 160/153 (GSM-7) or 70/67 (UCS-2), the capacity
    of each SMS given the number of parts; ``replaced`` lists the ``(character,
    replacement)`` pairs of the vendor's table that occurred (replacement ``""`` when the
    vendor removes it); ``remaining`` is how many positions are left in the last part
    before another SMS is billed. ``unsupported`` lists the characters in neither GSM-7
    nor the vendor's table with the toolkit's assumption (``""`` when dropped), and
    ``unicode_parts`` the SMS per message in Unicode mode, which keeps them (None when
    there are none, in Unicode mode, or when the message would not fit: error 42 or 52).
    """

    encoding: str
    length: int
    parts: int
    per_part: int
    replaced: tuple[tuple[str, str], ...]
    stop_mention: str
    range: str
    remaining: int
    unsupported: tuple[tuple[str, str], ...] = ()
    unicode_parts: int | None = None


def message_parts(
    text: str,
    *,
    unicode: bool = False,
    stop_mention: str | bool | None = None,
    range: str = "premium",
) -> MessageParts:
    """The encoding, billed length and number of SMS of ``text`` (see the module's rules).

    Raises ValueError over 10 parts (vendor error 52), on Low Cost over one SMS (vendor
    error 42), and when nothing is left to send in GSM-7 once the characters the vendor
    removes and those GSM-7 cannot carry are gone (``unicode=True`` keeps them).

    >>> message_parts("x" * 147).parts, message_parts("x" * 147, stop_mention=False).parts
    (2, 1)
    >>> m = message_parts("Prix [promo] : 10€ 😀", stop_mention=False)
    >>> m.length, m.replaced, m.unsupported, m.unicode_parts
    (20, (('[', '('), (']', ')')), (('😀', ''),), 1)
    >>> message_parts("Prix [promo] : 10€ 😀", unicode=True, stop_mention=False).length
    21
    >>> message_parts("Promo -20% NoPub = STOP", range="lowcost").stop_mention
    ''
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a string, got {type(text).__name__}")
    if not text.strip() or (BREAK_TAG in text and not text.replace(BREAK_TAG, "").strip()):
        raise TargetingError(
            "text", text, "a message", code=None, label="text", message="the message is empty"
        )
    if not isinstance(unicode, bool):
        raise TypeError(f"unicode: {unicode!r} is not allowed; allowed: True, False")
    rng = check_range(range)
    mention = stop_text(stop_mention, text, rng)
    full = text + STOP_SEPARATOR + mention if mention else text
    breaks = 2 * full.count(BREAK_TAG)  # ":br:" is four characters billed as two
    replaced: tuple[tuple[str, str], ...] = ()
    unsupported: tuple[tuple[str, str], ...] = ()
    unicode_parts = None
    if unicode:
        encoding, single, multi = "UCS-2", 70, 67
        length = ucs2_length(full) - breaks
    else:
        encoding, single, multi = "GSM-7", 160, 153
        length = len(full) - breaks
        found = (
            full.encode("utf-8", "surrogatepass")
            .translate(None, _ASCII_BASIC)
            .decode("utf-8", "surrogatepass")
        )
        if found:
            rep, uns, gone = [], [], []
            for c in dict.fromkeys(found):  # first occurrences, in order
                extra, kind, sent = sent_as(c)
                if extra:
                    length += extra * found.count(c)
                if kind == VENDOR:
                    rep.append((c, sent))
                elif kind == UNSUPPORTED:
                    uns.append((c, sent))
                if kind != AS_IS and not sent.strip():  # '¯' is sent as a bare space
                    gone.append(c)
            replaced, unsupported = tuple(rep), tuple(uns)
            if gone:
                check_left(text, gone)
            if unsupported:
                try:
                    unicode_parts = count_parts(ucs2_length(full) - breaks, 70, 67, rng, "UCS-2")
                except ValueError:
                    unicode_parts = None  # Unicode mode would not fit either
    parts = count_parts(length, single, multi, rng, encoding)
    per_part = single if parts == 1 else multi
    return MessageParts(
        encoding,
        length,
        parts,
        per_part,
        replaced,
        mention,
        rng,
        per_part * parts - length,
        unsupported,
        unicode_parts,
    )


def unicode_hint(m: MessageParts, option: str = "unicode=True") -> str:
    """What Unicode mode would change for a message with characters GSM-7 cannot carry
    ("" when there are none): it keeps them, at ``m.unicode_parts`` SMS per message.
    ``option`` names the switch for the reader (``--unicode`` on the command line).

    >>> unicode_hint(message_parts("Joyeux Noël 🎄 " + "x" * 50))
    "unicode=True (the account's isUnicode=1) keeps them: 2 SMS per message instead of 1"
    >>> unicode_hint(message_parts("x" * 60 + " 😀", range="lowcost"), "--unicode")
    '--unicode keeps them, but the message would not fit in Unicode mode (Low Cost: one SMS of 70)'
    """
    if not m.unsupported:
        return ""
    if m.unicode_parts is None:
        limit = (
            "Low Cost: one SMS of 70" if m.range == "lowcost" else f"at most {MAX_PARTS} SMS of 67"
        )
        return f"{option} keeps them, but the message would not fit in Unicode mode ({limit})"
    if m.unicode_parts == m.parts:
        return (
            f"{option} (the account's isUnicode=1) keeps them at no extra cost: "
            f"{m.parts} SMS per message, as in GSM-7"
        )
    return (
        f"{option} (the account's isUnicode=1) keeps them: {m.unicode_parts} SMS per "
        f"message instead of {m.parts}"
    )


def campaign_cost(
    frame: pd.DataFrame,
    message: str | MessageParts,
    *,
    price_per_sms: float | None = None,
    unicode: bool = False,
    range: str = "premium",
    stop_mention: str | bool | None = None,
) -> pd.DataFrame:
    """Rental plus sending cost of a campaign, per row of a calcul/price/sweep/rental frame.

    Returns a copy of ``frame`` (attrs kept) with ``parts``, ``sending_cost_eur`` (contacts x
    parts x price per SMS, to the cent), ``rental_cost_eur`` (the frame's ``cost_eur``),
    ``total_cost_eur`` and ``cost_per_contact_eur`` (NaN for no contact). ``attrs`` gain the
    totals over every row: ``total_sending_cost_eur``, ``total_rental_cost_eur``,
    ``total_cost_eur``, ``total_contacts``, ``cost_per_contact_eur``, plus ``parts``,
    ``price_per_sms`` and ``message_parts`` (the input's own ``total_cost_eur``, the rental
    quote, is replaced by the campaign total and kept as ``total_rental_cost_eur`` summed
    from the rows); for a sweep (several scenarios), select one
    scenario first or group the columns. ``price_per_sms`` is your contract price in EUR:
    required for real-API frames; synthetic (sandbox) frames default to
    :data:`SANDBOX_PRICE_PER_SMS`. ``message`` may be a :class:`MessageParts` already
    counted (then ``unicode``, ``range`` and ``stop_mention`` are its own).

    A row without a rental cost (the real API can answer a calcul without one) has
    ``total_cost_eur`` <NA>, and so do the totals in ``attrs`` (never a smaller number);
    ``attrs["incomplete"]`` lists those localities ([] when every cost is known). A
    negative, infinite or non-numeric ``volume`` or ``cost_eur``, or a missing volume, is a
    ValueError naming the column.

    >>> df = pd.DataFrame({"locality": ["60", "02"], "volume": [1000, 500],
    ...                    "cost_eur": [90.0, 45.0]})
    >>> out = campaign_cost(df, "x" * 200, price_per_sms=0.04)
    >>> out[["parts", "sending_cost_eur", "total_cost_eur"]].to_dict("list")
    {'parts': [2, 2], 'sending_cost_eur': [80.0, 40.0], 'total_cost_eur': [170.0, 85.0]}
    >>> out.attrs["total_cost_eur"], out.attrs["cost_per_contact_eur"]
    (255.0, 0.17)
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"frame: expected a DataFrame (calcul, price, sweep, or a rental's "
            f".frame), got {type(frame).__name__}"
        )
    missing = [c for c in ("volume", "cost_eur") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"frame: missing column(s) {missing}; expected a calcul, price, "
            "sweep or rental frame with 'volume' and 'cost_eur'"
        )
    m = (
        message
        if isinstance(message, MessageParts)
        else message_parts(message, unicode=unicode, stop_mention=stop_mention, range=range)
    )
    price = check_price(price_per_sms, bool(frame.attrs.get("synthetic", False)))
    volume = amounts(frame, "volume", "a number of contacts >= 0")
    rental = amounts(frame, "cost_eur", "a cost in EUR >= 0, or missing")
    unknown = np.isnan(volume)
    if unknown.any():
        raise ValueError(
            f"frame: column 'volume' is missing for {row_names(frame, unknown)}; "
            "allowed: a number of contacts >= 0 (an audience of unknown size "
            "cannot be costed)"
        )
    sending = to_cents(volume * (m.parts * price))
    total = rental + sending
    with np.errstate(divide="ignore", invalid="ignore"):
        per_contact = np.where(volume > 0, total / volume, np.nan)
    out = frame.copy()
    out["parts"] = pd.array(np.full(len(out), m.parts), dtype="Int64")
    out["sending_cost_eur"] = pd.array(sending, dtype="Float64")
    out["rental_cost_eur"] = pd.array(rental, dtype="Float64")
    out["total_cost_eur"] = pd.array(total, dtype="Float64")
    out["cost_per_contact_eur"] = pd.array(per_contact, dtype="Float64")
    contacts = float(volume.sum())
    tot_send = round(float(sending.sum()), 2)
    # A missing rental cost (the real API may answer a calcul without one) leaves the
    # totals unknown: NaN, never a smaller number; attrs["incomplete"] names the rows.
    missing_cost = np.isnan(rental)
    tot_rent = math.nan if missing_cost.any() else round(float(rental.sum()), 2)
    tot = round(tot_send + tot_rent, 2)
    out.attrs = {
        **frame.attrs,
        "total_sending_cost_eur": tot_send,
        "total_rental_cost_eur": tot_rent,
        "total_cost_eur": tot,
        "total_contacts": int(contacts) if contacts.is_integer() else contacts,
        "cost_per_contact_eur": tot / contacts if contacts > 0 else math.nan,
        "incomplete": (
            list(dict.fromkeys(row_labels(frame)[missing_cost].tolist()))
            if missing_cost.any()
            else []
        ),
        "parts": m.parts,
        "price_per_sms": price,
        "message_parts": m,
    }
    return out
