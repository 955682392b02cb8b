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
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from smsp_analytics.campaign.cost_inputs import (
    ACCOUNT_PRICE,
    SANDBOX_PRICE_PER_SMS,
    amounts,
    check_price,
    row_labels,
    row_names,
    to_cents,
)
from smsp_analytics.campaign.funnel import account_price
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
from smsp_analytics.client.building import client_or_default
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import _

if TYPE_CHECKING:
    from smsp_analytics.client.facade import Client

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
        raise TypeError(_("text: expected a string, got {kind}").format(kind=type(text).__name__))
    if not text.strip() or (BREAK_TAG in text and not text.replace(BREAK_TAG, "").strip()):
        raise TargetingError(
            "text", text, _("a message"), code=None, label="text", message=_("the message is empty")
        )
    if not isinstance(unicode, bool):
        raise TypeError(
            _("unicode: {value} is not allowed; allowed: True, False").format(value=repr(unicode))
        )
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
        if m.range == "lowcost":
            return _(
                "{option} keeps them, but the message would not fit in Unicode mode "
                "(Low Cost: one SMS of 70)"
            ).format(option=option)
        return _(
            "{option} keeps them, but the message would not fit in Unicode mode "
            "(at most {most} SMS of 67)"
        ).format(option=option, most=MAX_PARTS)
    if m.unicode_parts == m.parts:
        return _(
            "{option} (the account's isUnicode=1) keeps them at no extra cost: "
            "{parts} SMS per message, as in GSM-7"
        ).format(option=option, parts=m.parts)
    return _(
        "{option} (the account's isUnicode=1) keeps them: {unicode_parts} SMS per "
        "message instead of {parts}"
    ).format(option=option, unicode_parts=m.unicode_parts, parts=m.parts)


def _price_basis(price_per_sms: Any, synthetic: bool, client: Client | None) -> dict[str, Any]:
    """The price of one SMS and where it comes from (``attrs["price_basis"]``)."""
    if isinstance(price_per_sms, str) and price_per_sms.strip().lower() == ACCOUNT_PRICE:
        with client_or_default(client) as account:
            return account_price(account)
    price = check_price(price_per_sms, synthetic)
    return {
        "kind": "given" if price_per_sms is not None else "sandbox_default",
        "price_per_sms": price,
    }


def campaign_cost(
    frame: pd.DataFrame,
    message: str | MessageParts,
    *,
    price_per_sms: float | str | None = None,
    unicode: bool = False,
    range: str = "premium",
    stop_mention: str | bool | None = None,
    client: Client | None = None,
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
    :data:`SANDBOX_PRICE_PER_SMS`; ``"account"`` is the account's average cost per SMS over
    the last twelve months (``client``'s sending history, see
    :func:`~smsp_analytics.campaign.funnel.account_price`: an error when it sent nothing).
    ``attrs["price_basis"]`` says which (``kind``: "given", "sandbox_default" or "account",
    with the history's figures; :func:`~smsp_analytics.campaign.funnel.price_basis_text`
    words it). ``message`` may be a :class:`MessageParts` already
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
            _(
                "frame: expected a DataFrame (calcul, price, sweep, or a rental's "
                ".frame), got {kind}"
            ).format(kind=type(frame).__name__)
        )
    missing = [c for c in ("volume", "cost_eur") if c not in frame.columns]
    if missing:
        raise ValueError(
            _(
                "frame: missing column(s) {missing}; expected a calcul, price, "
                "sweep or rental frame with 'volume' and 'cost_eur'"
            ).format(missing=missing)
        )
    m = (
        message
        if isinstance(message, MessageParts)
        else message_parts(message, unicode=unicode, stop_mention=stop_mention, range=range)
    )
    basis = _price_basis(price_per_sms, bool(frame.attrs.get("synthetic", False)), client)
    price = float(basis["price_per_sms"])
    volume = amounts(frame, "volume", _("a number of contacts >= 0"))
    rental = amounts(frame, "cost_eur", _("a cost in EUR >= 0, or missing"))
    unknown = np.isnan(volume)
    if unknown.any():
        raise ValueError(
            _(
                "frame: column 'volume' is missing for {rows}; allowed: a number of "
                "contacts >= 0 (an audience of unknown size cannot be costed)"
            ).format(rows=row_names(frame, unknown))
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
        "price_basis": basis,
        "message_parts": m,
    }
    return out
