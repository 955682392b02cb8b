"""message_parts against the vendor's "List of Replaced Characters" and the Low Cost rules.

The vectors below are the vendor's table typed again from its page (docpartner.dev,
envois_smsp4), independently of the package's copy; the contract test reads the table of
the project's API contract (CONTRACT.md) and checks the package's copy entry by entry.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from smsp_analytics import campaign_cost, message_parts
from smsp_analytics.campaign.gsm_table import VENDOR_REPLACEMENTS, VENDOR_TABLE_SOURCE
from smsp_analytics.campaign.messages import LOWCOST_STOP_MENTION, unicode_hint

#: The vendor's page, in its order: (character, what is sent); "" = "Removed"/"Supprimé".
VENDOR_VECTORS = [
    ("ą", "à"),
    ("’", "‘"),
    ("ÿ", "y"),
    ("ç", "Ç"),
    ("û", "u"),
    ("ü", "u"),
    ("ï", "i"),
    ("ô", "o"),
    ("ö", "o"),
    ("ó", "o"),
    ("î", "i"),
    ("ë", "e"),
    ("ê", "e"),
    ("[", "("),
    ("]", ")"),
    ("{", "("),
    ("}", ")"),
    ("`", "‘"),
    ("µ", "u"),
    ("Ä", "A"),
    ("À", "A"),
    ("Á", "A"),
    ("Â", "A"),
    ("Ã", "A"),
    ("È", "E"),
    ("Ê", "E"),
    ("Ë", "E"),
    ("Î", "I"),
    ("Ü", "U"),
    ("Ù", "U"),
    ("Ú", "U"),
    ("Û", "U"),
    ("Ý", "Y"),
    ("ä", "a"),
    ("á", "a"),
    ("â", "a"),
    ("ã", "a"),
    ("Ö", "O"),
    ("Ô", "O"),
    ("œ", "oe"),
    ("^", ""),
    ("~", ""),
    ("|", ""),
    ("\\", ""),
    ("¨", ""),
    ("°", "."),
    ("‘", "‘"),
    ("“", "‘"),
    ("ñ", "n"),
    ("Ñ", "N"),
    ("§", ""),
    ("«", "“"),
    ("»", "“"),
]


def parts(text: str, **kw):
    return message_parts(text, stop_mention=False, **kw)


def _contract_table(markdown: str) -> list[tuple[str, str]]:
    """The "Replaced characters" table of CONTRACT.md: three (character, becomes) pairs a
    row, read row by row; ``\\|`` is an escaped bar, "removed" an empty replacement."""
    section = markdown.split("## Replaced characters", 1)[1].split("\n## ", 1)[0]
    pairs = []
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if cells[0] == "character":
            continue
        for ch, becomes in zip(cells[::2], cells[1::2]):
            if ch:
                pairs.append((ch, "" if becomes == "removed" else becomes))
    return pairs


def test_the_package_table_is_the_contracts_entry_by_entry(contract_md: str) -> None:
    table = _contract_table(contract_md)
    assert len(table) == 53
    assert list(VENDOR_REPLACEMENTS.items()) == table
    assert table == VENDOR_VECTORS
    assert "envois_smsp4" in VENDOR_TABLE_SOURCE


# --- each entry alone, at a part boundary and in mixes -----------------------------------


@pytest.mark.parametrize("ch, sent", VENDOR_VECTORS)
def test_each_vendor_entry_alone(ch: str, sent: str) -> None:
    m = parts("ab" + ch + "cd")
    # Every target is one position a character (œ -> oe: two), "removed": none.
    assert m.length == 4 + len(sent)
    assert m.replaced == ((ch, sent),) and m.unsupported == ()
    # At the 160-position boundary: 159 + the character.
    assert parts("a" * 159 + ch).parts == (2 if len(sent) > 1 else 1)


@pytest.mark.parametrize("ch, sent", VENDOR_VECTORS)
def test_unicode_mode_replaces_nothing(ch: str, sent: str) -> None:
    m = parts("ab" + ch, unicode=True)
    assert (m.length, m.replaced, m.unsupported) == (3, (), ())


def test_mixes_list_each_pair_once_in_order_of_first_occurrence() -> None:
    text = "Prix {spécial} : 20° ~ [µ] « Noël » ^^ l’été ça ü ö ä ñ §§ œ"
    m = parts(text)
    assert m.replaced == (
        ("{", "("),
        ("}", ")"),
        ("°", "."),
        ("~", ""),
        ("[", "("),
        ("µ", "u"),
        ("]", ")"),
        ("«", "“"),
        ("ë", "e"),
        ("»", "“"),
        ("^", ""),
        ("’", "‘"),
        ("ç", "Ç"),
        ("ü", "u"),
        ("ö", "o"),
        ("ä", "a"),
        ("ñ", "n"),
        ("§", ""),
        ("œ", "oe"),
    )
    # By hand: removed characters count 0 (~ ^ ^ § §), œ counts 2, every other one 1.
    assert m.length == len(text) - 5 + 1
    assert m.unsupported == ()


def test_part_boundaries_with_replaced_characters() -> None:
    m = parts("a" * 157 + "[]")  # ( ) : 159 positions, one SMS (not two)
    assert (m.length, m.parts, m.remaining) == (159, 1, 1)
    text = "a" * 160 + "^~|\\¨§"  # 166 characters, 160 positions: one SMS
    assert (len(text), parts(text).length, parts(text).parts) == (166, 160, 1)
    text = "a" * 300 + "^" * 9  # 309 characters, 300 positions: two SMS
    assert (len(text), parts(text).parts) == (309, 2)
    assert parts("a" * 306 + "{}").parts == 3  # 308 positions
    assert parts("a" * 159 + "œ").parts == 2  # oe: 161 positions


# --- characters outside GSM-7 and outside the table --------------------------------------


def test_unsupported_listed_apart_with_the_unicode_hint() -> None:
    m = parts("Offre – 10€ 😀 中 ŝ [x]")
    assert m.replaced == (("[", "("), ("]", ")"))
    assert m.unsupported == (("–", "-"), ("😀", ""), ("中", ""), ("ŝ", "s"))
    assert m.length == len("Offre - 10€   s (x)") + 1  # € counts two
    assert m.unicode_parts == 1
    hint = unicode_hint(m)
    assert "unicode=True" in hint and "1 SMS per message" in hint
    m = parts("x" * 150 + " 😀")  # GSM-7: 151 positions, 1 SMS; Unicode: 154 units, 3 SMS
    assert (m.parts, m.unicode_parts) == (1, 3)
    assert unicode_hint(m, "--unicode") == (
        "--unicode (the account's isUnicode=1) keeps them: 3 SMS per message instead of 1"
    )
    assert unicode_hint(parts("x [y]")) == "" and parts("x [y]").unicode_parts is None
    m = message_parts("x" * 80 + " 😀", range="lowcost")  # Unicode: over one SMS of 70
    assert m.unicode_parts is None and "would not fit" in unicode_hint(m)


@pytest.mark.parametrize(
    "text", ["😀😀", "😀 😀", "^~|", "§ 中:br:", "\u200b", "¯", "¸ ˘"]
)  # ¯ ¸ ˘: sent as spaces
def test_nothing_left_to_send_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"text: nothing is left to send.*unicode=True"):
        message_parts(text, stop_mention=False)
    with pytest.raises(ValueError, match=r"nothing is left to send"):
        message_parts(text)  # a STOP mention alone is no message either
    with pytest.raises(ValueError, match=r"nothing is left to send"):
        campaign_cost(pd.DataFrame({"volume": [1], "cost_eur": [0.1]}), text, price_per_sms=0.04)


def test_nothing_left_unicode_keeps_it() -> None:
    m = message_parts("😀😀", unicode=True, stop_mention=False)
    assert (m.length, m.parts) == (4, 1)


# --- Low Cost: the sender writes NoPub=STOP ----------------------------------------------


@pytest.mark.parametrize(
    "mention", ["NoPub=STOP", "nopub=stop", "NOPUB = STOP", "NoPub =STOP", "NoPub=  Stop"]
)
def test_low_cost_text_with_nopub_gets_no_second_mention(mention: str) -> None:
    text = "a" * 140 + " " + mention
    m = message_parts(text, range="lowcost")
    assert (m.stop_mention, m.length, m.parts) == ("", len(text), 1)


def test_low_cost_commercial_text_gets_nopub_appended_and_counted() -> None:
    assert LOWCOST_STOP_MENTION == "NoPub=STOP"
    m = message_parts("Promo", range="lowcost")
    assert (m.stop_mention, m.length) == ("NoPub=STOP", 5 + 1 + 10)
    # The 160-position limit is checked after the mention: 149 + 11 fits, 150 + 11 not.
    assert message_parts("a" * 149, range="lowcost").length == 160
    with pytest.raises(ValueError, match=r"161 positions.*Low Cost.*error 42"):
        message_parts("a" * 150, range="lowcost")
    assert message_parts("a" * 150, range="lowcost", stop_mention=False).length == 150
    # Premium: the vendor appends its mention (isStopSms) whatever the text says.
    assert message_parts("a NoPub=STOP").stop_mention == "STOP au 36173"


# --- smsp campaign: what it says about the characters ------------------------------------


def test_cli_names_replaced_and_unsupported_with_the_unicode_cost(cli_env, capsys) -> None:
    from smsp_analytics.cli.main import main

    text = "Noël [promo] 🎄 " + "x" * 140  # GSM-7: 154 + 14 -> 2 SMS; UCS-2: 170 units -> 3
    assert (
        main(
            [
                "campaign",
                "--gender",
                "women",
                "--age",
                "25-35",
                "--interest",
                "14",
                "--departments",
                "60",
                "--message",
                text,
                "--days",
                "1",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert (
        "replaced when sent (GSM-7, the vendor's table): 'ë' -> 'e', '[' -> '(', ']' -> ')'"
    ) in out
    assert (
        "not in GSM-7 nor in the vendor's table (the toolkit assumes): '🎄' dropped; "
        "--unicode (the account's isUnicode=1) keeps them: 3 SMS per message instead "
        "of 2"
    ) in out
    assert (
        main(
            [
                "campaign",
                "--gender",
                "women",
                "--age",
                "25-35",
                "--interest",
                "14",
                "--departments",
                "60",
                "--message",
                "🎄🎄",
                "--days",
                "1",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "nothing is left to send" in err and "unicode=True" in err
