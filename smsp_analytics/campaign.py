"""What a campaign costs: SMS parts of a message, and sending plus rental cost per contact.

The vendor's documented rules (public Send SMS and error-code pages) and the readings made
where they are silent:

- **GSM 03.38.** Without Unicode mode the text is sent in the GSM 7-bit alphabet: 160
  positions in one SMS, 153 per part when longer. Characters of the basic table count one
  position; those of the extension table (``€ [ ] { } \\ ~ ^ |`` and form feed) count two.
- **Replaced characters.** The vendor says special characters and accents are "replaced"
  but publishes no table. Modelled here: a table of the usual replacements (``á``->``a``,
  ``ê``->``e``, ``œ``->``oe``, ``’``->``'``, ``«``->``"``, no-break spaces -> space, ``ç``->
  ``Ç``, GSM code 0x09, which most handsets display as ``ç``...), then, for any other
  character, its Unicode decomposition without accents when that lands in GSM-7, else the
  character is dropped (emoji, CJK...). ``MessageParts.replaced`` lists each such character
  once with its replacement (``""`` when dropped); the length counts the replaced text.
  Note ``é è ù ì ò à ä ö ü ñ Ç É Ä Ö Ü Ñ Å å Ø ø Æ æ ß`` are GSM-7 and stay as they are.
- **Unicode mode** (``unicode=True``, the account's ``isUnicode=1``): every message is sent
  as UCS-2, 70 units in one SMS, 67 per part; characters outside the Basic Multilingual
  Plane (most emoji) take two UTF-16 units. Nothing is replaced.
- **``:br:``** is a line break billed as two positions, in both encodings.
- **STOP mention.** Mandatory for commercial SMS; its exact text is not documented, so it
  is the ``stop_mention`` parameter, default :data:`DEFAULT_STOP_MENTION` (``"STOP au
  36173"``, the short number French operators use for opt-out), appended after one space
  (counted). On Premium the vendor appends it (``isStopSms=1``); on Low Cost the sender
  writes it, so it is counted there as well unless the text already contains it.
  ``stop_mention=False`` or ``""`` counts none (transactional messages).
- **Limits.** At most 10 parts (vendor error 52). Low Cost sends one SMS only: 160 GSM-7
  positions (error 42); in Unicode mode that single SMS holds 70 units.
- Parts are the vendor's arithmetic, ``ceil(length / 153)``: handsets that avoid splitting
  an extension character or a surrogate pair across parts may need one more in rare cases.

>>> m = message_parts("Soldes d'été : -20% ce week-end !")
>>> m.encoding, m.length, m.parts
('GSM-7', 47, 1)
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

__all__ = ["MessageParts", "message_parts", "campaign_cost", "DEFAULT_STOP_MENTION",
           "SANDBOX_PRICE_PER_SMS", "MAX_PARTS", "RANGES", "GSM_BASIC", "GSM_EXTENSION"]

DEFAULT_STOP_MENTION = "STOP au 36173"
#: Price of one SMS on the sandbox: the vendor's public sample shows 0.038 EUR for one SMS.
SANDBOX_PRICE_PER_SMS = 0.038
MAX_PARTS = 10
RANGES = ("premium", "lowcost")
STOP_SEPARATOR = " "
BREAK_TAG = ":br:"

# GSM 03.38 default alphabet (3GPP TS 23.038), listed in code order; ESC (0x1B) left out.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
_GSM_ALL = GSM_BASIC | GSM_EXTENSION
# Deleting the ASCII characters of the basic table from the UTF-8 bytes (C loops, about a
# nanosecond a byte) leaves the few characters that need a look; UTF-8 continuation bytes
# are never ASCII, so what is left still decodes.
_ASCII_BASIC = bytes(sorted(ord(c) for c in GSM_BASIC if ord(c) < 128))

_REPLACEMENTS = {
    **dict.fromkeys("áâãā", "a"), **dict.fromkeys("ÁÀÂÃĀ", "A"),
    **dict.fromkeys("êëē", "e"), **dict.fromkeys("ÈÊËĒ", "E"),
    **dict.fromkeys("íîï", "i"), **dict.fromkeys("ÍÌÎÏ", "I"),
    **dict.fromkeys("óôõ", "o"), **dict.fromkeys("ÓÒÔÕ", "O"),
    **dict.fromkeys("úûū", "u"), **dict.fromkeys("ÚÙÛ", "U"),
    "ÿ": "y", "Ÿ": "Y", "ý": "y", "Ý": "Y", "ç": "Ç", "œ": "oe", "Œ": "OE",
    **dict.fromkeys("’‘‚′`´", "'"), **dict.fromkeys("“”„«»″", '"'),
    **dict.fromkeys("–—‐‑−", "-"), "…": "...", "•": "-", "·": ".",
    **dict.fromkeys("\u00a0\u202f\u2009\u2007\t", " "), "\u200b": "", "\ufeff": "",
    "°": "o", "©": "(c)", "®": "(R)", "™": "TM", "×": "x", "÷": "/",
}


@lru_cache(maxsize=4096)
def _replacement(ch: str) -> str:
    """What the GSM-7 sending makes of one character outside the alphabet ("" = dropped).

    Cached per character (bounded), not per message."""
    if ch in _REPLACEMENTS:
        return _REPLACEMENTS[ch]
    bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return bare if bare and all(c in _GSM_ALL for c in bare) else ""


@lru_cache(maxsize=4096)
def _extra(ch: str) -> int:
    """Positions billed for one character, minus one (0 for the basic table)."""
    if ch in GSM_BASIC:
        return 0
    if ch in GSM_EXTENSION:
        return 1
    return sum(2 if c in GSM_EXTENSION else 1 for c in _replacement(ch)) - 1


@lru_cache(maxsize=4096)
def _pair(ch: str) -> tuple[str, str] | None:
    """``(character, replacement)`` for ``MessageParts.replaced``; None when it is sent."""
    return None if ch in _GSM_ALL else (ch, _replacement(ch))


class MessageParts(NamedTuple):
    """How the vendor bills one message (an immutable named tuple: cheap to build).

    ``length`` is in positions as billed (GSM-7 positions or UTF-16 units, STOP mention and
    its separator included); ``per_part`` is 160/153 (GSM-7) or 70/67 (UCS-2), the capacity
    of each SMS given the number of parts; ``replaced`` lists ``(character, replacement)``
    pairs (replacement ``""`` when dropped); ``remaining`` is how many positions are left
    in the last part before another SMS is billed.
    """

    encoding: str
    length: int
    parts: int
    per_part: int
    replaced: tuple[tuple[str, str], ...]
    stop_mention: str
    range: str
    remaining: int


def _check_range(range: Any) -> str:
    if range == "premium" or range == "lowcost":
        return range
    if not isinstance(range, str) or range.strip().lower() not in RANGES:
        raise ValueError(f"range: {range!r} is not allowed; allowed: 'premium', 'lowcost'")
    return range.strip().lower()


def _stop_text(stop_mention: Any, text: str, rng: str) -> str:
    if stop_mention is None or stop_mention is True:
        mention = DEFAULT_STOP_MENTION
    elif stop_mention is False:
        return ""
    elif isinstance(stop_mention, str):
        mention = stop_mention.strip()
    else:
        raise TypeError(f"stop_mention: {stop_mention!r} is not allowed; allowed: None (the "
                        "default), a string, or False/'' for none")
    if not mention:
        return ""
    if rng == "lowcost" and mention.casefold() in text.casefold():
        return ""  # the sender already wrote it
    return mention


def message_parts(text: str, *, unicode: bool = False, stop_mention: str | bool | None = None,
                  range: str = "premium") -> MessageParts:
    """The encoding, billed length and number of SMS of ``text`` (see the module's rules).

    Raises ValueError over 10 parts (vendor error 52) or, on Low Cost, over one SMS
    (vendor error 42).

    >>> message_parts("x" * 147).parts, message_parts("x" * 147, stop_mention=False).parts
    (2, 1)
    >>> m = message_parts("Prix : 10€ 😀", stop_mention=False)
    >>> m.length, m.replaced
    (12, (('😀', ''),))
    >>> message_parts("Prix : 10€ 😀", unicode=True, stop_mention=False).length
    13
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a string, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("text: the message is empty")
    if not isinstance(unicode, bool):
        raise TypeError(f"unicode: {unicode!r} is not allowed; allowed: True, False")
    rng = _check_range(range)
    mention = _stop_text(stop_mention, text, rng)
    full = text + STOP_SEPARATOR + mention if mention else text
    breaks = full.count(BREAK_TAG)
    replaced: tuple[tuple[str, str], ...] = ()
    if unicode:
        encoding, single, multi = "UCS-2", 70, 67
        # UTF-16 code units: characters outside the BMP are surrogate pairs.
        length = len(full.encode("utf-16-le", "surrogatepass")) // 2
    else:
        encoding, single, multi = "GSM-7", 160, 153
        length = len(full)
        found = full.encode("utf-8", "surrogatepass").translate(None, _ASCII_BASIC).decode(
            "utf-8", "surrogatepass")
        if found:
            seen = dict.fromkeys(found)
            replaced = tuple(filter(None, map(_pair, seen)))
            for c in seen:
                extra = _extra(c)
                if extra:
                    length += extra * found.count(c)
    length -= 2 * breaks  # ":br:" is four characters billed as two
    parts = 1 if length <= single else -(-length // multi)
    if rng == "lowcost" and parts > 1:
        raise ValueError(f"message: {length} positions; the Low Cost range allows one SMS "
                         f"of {single} ({encoding}) at most (vendor error 42)")
    if parts > MAX_PARTS:
        raise ValueError(f"message: {length} positions need {parts} SMS; at most "
                         f"{MAX_PARTS} concatenated SMS are allowed (vendor error 52)")
    per_part = single if parts == 1 else multi
    return MessageParts(encoding, length, parts, per_part, replaced, mention, rng,
                        per_part * parts - length)


def _price(price_per_sms: Any, synthetic: bool) -> float:
    if price_per_sms is None:
        if synthetic:
            return SANDBOX_PRICE_PER_SMS
        raise ValueError("price_per_sms: required for a frame from the real API (your "
                         "contract price per SMS in EUR, e.g. 0.038); the sandbox default "
                         f"{SANDBOX_PRICE_PER_SMS} applies to synthetic frames only")
    if isinstance(price_per_sms, bool) or not isinstance(price_per_sms, (int, float, np.number)):
        raise TypeError(f"price_per_sms: {price_per_sms!r} is not allowed; allowed: a "
                        "number of EUR > 0")
    value = float(price_per_sms)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"price_per_sms: {price_per_sms!r} is not allowed; allowed: a "
                         "finite number of EUR > 0")
    return value


def _cents(x: np.ndarray) -> np.ndarray:
    # Half-up to the cent like the API's costs; the epsilon absorbs binary noise.
    return np.floor(x * 100.0 + 0.5 + 1e-7) / 100.0


def campaign_cost(frame: pd.DataFrame, message: str | MessageParts, *,
                  price_per_sms: float | None = None, unicode: bool = False,
                  range: str = "premium",
                  stop_mention: str | bool | None = None) -> pd.DataFrame:
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

    >>> df = pd.DataFrame({"locality": ["60", "02"], "volume": [1000, 500],
    ...                    "cost_eur": [90.0, 45.0]})
    >>> out = campaign_cost(df, "x" * 200, price_per_sms=0.04)
    >>> out[["parts", "sending_cost_eur", "total_cost_eur"]].to_dict("list")
    {'parts': [2, 2], 'sending_cost_eur': [80.0, 40.0], 'total_cost_eur': [170.0, 85.0]}
    >>> out.attrs["total_cost_eur"], out.attrs["cost_per_contact_eur"]
    (255.0, 0.17)
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame: expected a DataFrame (calcul, price, sweep, or a rental's "
                        f".frame), got {type(frame).__name__}")
    missing = [c for c in ("volume", "cost_eur") if c not in frame.columns]
    if missing:
        raise ValueError(f"frame: missing column(s) {missing}; expected a calcul, price, "
                         "sweep or rental frame with 'volume' and 'cost_eur'")
    m = message if isinstance(message, MessageParts) else message_parts(
        message, unicode=unicode, stop_mention=stop_mention, range=range)
    price = _price(price_per_sms, bool(frame.attrs.get("synthetic", False)))
    volume = frame["volume"].to_numpy(dtype="float64", na_value=np.nan)
    rental = frame["cost_eur"].to_numpy(dtype="float64", na_value=np.nan)
    sending = _cents(volume * (m.parts * price))
    total = rental + sending
    with np.errstate(divide="ignore", invalid="ignore"):
        per_contact = np.where(volume > 0, total / volume, np.nan)
    out = frame.copy()
    out["parts"] = pd.array(np.full(len(out), m.parts), dtype="Int64")
    out["sending_cost_eur"] = pd.array(sending, dtype="Float64")
    out["rental_cost_eur"] = pd.array(rental, dtype="Float64")
    out["total_cost_eur"] = pd.array(total, dtype="Float64")
    out["cost_per_contact_eur"] = pd.array(per_contact, dtype="Float64")
    contacts = float(np.nansum(volume))
    tot_send = round(float(np.nansum(sending)), 2)
    tot_rent = round(float(np.nansum(rental)), 2)
    tot = round(tot_send + tot_rent, 2)
    out.attrs = {**frame.attrs,
                 "total_sending_cost_eur": tot_send, "total_rental_cost_eur": tot_rent,
                 "total_cost_eur": tot,
                 "total_contacts": int(contacts) if contacts.is_integer() else contacts,
                 "cost_per_contact_eur": tot / contacts if contacts > 0 else math.nan,
                 "parts": m.parts, "price_per_sms": price, "message_parts": m}
    return out
