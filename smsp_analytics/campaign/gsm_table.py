"""The characters of an SMS in GSM-7 mode: the GSM 03.38 alphabet, the vendor's table of
replaced characters, and the toolkit's treatment of what neither covers.

The vendor's table is :data:`VENDOR_REPLACEMENTS`, copied entry by entry, in the page's
order, from :data:`VENDOR_TABLE_SOURCE` (the same table in French and English; the project's
API contract, CONTRACT.md "Replaced characters", carries it too, and a test checks this copy
against the contract's). It is kept here, in one place: :mod:`smsp_analytics.campaign.messages` counts
with it; the sandbox has no message endpoint and does not import it (should it ever need the
table it reads the contract's own, independently).

>>> VENDOR_REPLACEMENTS["["], VENDOR_REPLACEMENTS["œ"], VENDOR_REPLACEMENTS["^"]
('(', 'oe', '')
>>> positions("oe"), positions(""), positions("€"), positions("‘")
(2, 0, 2, 1)
>>> toolkit_guess("–"), toolkit_guess("ŝ"), toolkit_guess("😀")
('-', 's', '')
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = [
    "GSM_BASIC",
    "GSM_EXTENSION",
    "VENDOR_REPLACEMENTS",
    "VENDOR_TABLE_SOURCE",
    "TOOLKIT_GUESSES",
    "positions",
    "toolkit_guess",
    "sent_as",
    "AS_IS",
    "VENDOR",
    "UNSUPPORTED",
]

# GSM 03.38 default alphabet (3GPP TS 23.038), listed in code order; ESC (0x1B) left out.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: Characters of the extension table: two positions each (escape + code).
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

VENDOR_TABLE_SOURCE = (
    'SMS Partner, "List of Replaced Characters" / "Liste des caractères remplacés" '
    "(docpartner.dev /docs/sms/envoyer-des-sms/envois_smsp4; GitHub toodiz/docpartner, "
    "pages/docs/SMS/envoyer-des-sms/envois_smsp4.md and .en.md)"
)

#: The vendor's table, in its order: character -> what is sent ("" = removed, 0 positions).
#: It wins over the GSM alphabet: ``ä ö ü Ä Ö Ü ñ Ñ §`` are GSM-7 yet replaced or removed.
#: The targets ``‘`` and ``“`` are not GSM-7: the vendor sends a plain quote, one position.
VENDOR_REPLACEMENTS: dict[str, str] = {
    "ą": "à",
    "’": "‘",
    "ÿ": "y",
    "ç": "Ç",
    "û": "u",
    "ü": "u",
    "ï": "i",
    "ô": "o",
    "ö": "o",
    "ó": "o",
    "î": "i",
    "ë": "e",
    "ê": "e",
    "[": "(",
    "]": ")",
    "{": "(",
    "}": ")",
    "`": "‘",
    "µ": "u",
    "Ä": "A",
    "À": "A",
    "Á": "A",
    "Â": "A",
    "Ã": "A",
    "È": "E",
    "Ê": "E",
    "Ë": "E",
    "Î": "I",
    "Ü": "U",
    "Ù": "U",
    "Ú": "U",
    "Û": "U",
    "Ý": "Y",
    "ä": "a",
    "á": "a",
    "â": "a",
    "ã": "a",
    "Ö": "O",
    "Ô": "O",
    "œ": "oe",
    "^": "",
    "~": "",
    "|": "",
    "\\": "",
    "¨": "",
    "°": ".",
    "‘": "‘",
    "“": "‘",
    "ñ": "n",
    "Ñ": "N",
    "§": "",
    "«": "“",
    "»": "“",
}

#: The toolkit's reading for characters in neither GSM-7 nor the vendor's table (the vendor
#: documents nothing for them): the usual typographic substitutes; any other character
#: falls back to its Unicode decomposition without accents when that is GSM-7, else it is
#: dropped (emoji, CJK...). Unicode mode (``isUnicode=1``) keeps them all.
TOOLKIT_GUESSES: dict[str, str] = {
    "ā": "a",
    "Ā": "A",
    "ē": "e",
    "Ē": "E",
    "í": "i",
    "Í": "I",
    "Ì": "I",
    "Ï": "I",
    "õ": "o",
    "Ó": "O",
    "Ò": "O",
    "Õ": "O",
    "ú": "u",
    "ū": "u",
    "Ÿ": "Y",
    "ý": "y",
    "Œ": "OE",
    **dict.fromkeys("‚′´", "'"),
    **dict.fromkeys("”„″", '"'),
    **dict.fromkeys("–—‐‑−", "-"),
    "…": "...",
    "•": "-",
    "·": ".",
    **dict.fromkeys("\u00a0\u202f\u2009\u2007\t", " "),
    "\u200b": "",
    "\ufeff": "",
    "©": "(c)",
    "®": "(R)",
    "™": "TM",
    "×": "x",
    "÷": "/",
}


def positions(sent: str) -> int:
    """GSM-7 positions billed for ``sent`` (a replacement): extension characters count two,
    every other character one (``‘`` and ``“`` go out as a plain quote)."""
    return sum(2 if c in GSM_EXTENSION else 1 for c in sent)


@lru_cache(maxsize=4096)
def toolkit_guess(ch: str) -> str:
    """What the toolkit assumes is sent for a character outside GSM-7 and outside the
    vendor's table ("" = dropped). Cached per character (bounded).

    >>> toolkit_guess("ǖ"), toolkit_guess("［"), toolkit_guess("中")
    ('u', '(', '')
    """
    if ch in TOOLKIT_GUESSES:
        return TOOLKIT_GUESSES[ch]
    bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if not bare or not all(c in GSM_BASIC or c in GSM_EXTENSION for c in bare):
        return ""
    # What lands on a character of the vendor's table is replaced as the table says
    # (fullwidth "［" -> "[" -> "(").
    return "".join(VENDOR_REPLACEMENTS.get(c, c) for c in bare)


#: Kinds of :func:`sent_as`: sent as it is (GSM-7), replaced by the vendor's table, or
#: outside both (the toolkit's guess).
AS_IS, VENDOR, UNSUPPORTED = 0, 1, 2


@lru_cache(maxsize=4096)
def sent_as(ch: str) -> tuple[int, int, str]:
    """``(positions - 1, kind, what is sent)`` for one character: kind :data:`VENDOR` (the
    vendor's table, which wins over GSM-7), :data:`AS_IS` (GSM-7) or :data:`UNSUPPORTED`
    (the toolkit's guess). Cached per character (bounded).

    >>> sent_as("ä"), sent_as("€"), sent_as("😀")
    ((0, 1, 'a'), (1, 0, '€'), (-1, 2, ''))
    """
    if ch in VENDOR_REPLACEMENTS:
        sent = VENDOR_REPLACEMENTS[ch]
        return positions(sent) - 1, VENDOR, sent
    if ch in GSM_BASIC or ch in GSM_EXTENSION:
        return (1 if ch in GSM_EXTENSION else 0), AS_IS, ch
    sent = toolkit_guess(ch)
    return positions(sent) - 1, UNSUPPORTED, sent
