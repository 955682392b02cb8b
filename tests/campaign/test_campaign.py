"""message_parts (the vendor's billing rules, GSM 03.38) and campaign_cost (hand-computed)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smsp_analytics import MessageParts, campaign_cost, message_parts
from smsp_analytics.campaign.messages import (
    DEFAULT_STOP_MENTION,
    GSM_BASIC,
    GSM_EXTENSION,
    SANDBOX_PRICE_PER_SMS,
)


def parts(text: str, **kw) -> MessageParts:
    return message_parts(text, stop_mention=False, **kw)


# --- segment counts at every boundary ---------------------------------------------------


@pytest.mark.parametrize(
    "n, expected, per_part",
    [
        (1, 1, 160),
        (160, 1, 160),
        (161, 2, 153),
        (306, 2, 153),
        (307, 3, 153),
        (459, 3, 153),
        (460, 4, 153),
        (1530, 10, 153),
    ],
)
def test_gsm_boundaries(n: int, expected: int, per_part: int) -> None:
    m = parts("a" * n)
    assert (m.encoding, m.length, m.parts, m.per_part) == ("GSM-7", n, expected, per_part)
    assert m.remaining == per_part * expected - n


@pytest.mark.parametrize(
    "n, expected, per_part", [(70, 1, 70), (71, 2, 67), (134, 2, 67), (135, 3, 67), (670, 10, 67)]
)
def test_unicode_boundaries(n: int, expected: int, per_part: int) -> None:
    m = parts("a" * n, unicode=True)
    assert (m.encoding, m.length, m.parts, m.per_part) == ("UCS-2", n, expected, per_part)
    assert m.replaced == ()


def test_more_than_ten_parts_names_the_limit_and_code_52() -> None:
    with pytest.raises(ValueError, match=r"10 .*error 52"):
        parts("a" * 1531)
    with pytest.raises(ValueError, match=r"10 .*error 52"):
        parts("a" * 671, unicode=True)


def test_low_cost_allows_160_then_error_42() -> None:
    assert parts("a" * 160, range="lowcost").parts == 1
    with pytest.raises(ValueError, match=r"Low Cost.*160.*error 42"):
        parts("a" * 161, range="lowcost")
    with pytest.raises(ValueError, match=r"error 42"):
        parts("a" * 71, range="lowcost", unicode=True)


# --- characters -------------------------------------------------------------------------


def test_tables_are_gsm_03_38() -> None:
    assert len(GSM_BASIC) == 127  # 128 codes minus the escape
    assert GSM_EXTENSION == set("€[]{}\\~^|\f")
    assert set("éèùìòÇàäöüñÄÖÜÑÅåØøÆæßÉ@£$¥§¿¡ΔΦΓΛΩΠΨΣΘΞ") <= GSM_BASIC


@pytest.mark.parametrize("ch", list("€\f"))
def test_extension_characters_take_two_positions(ch: str) -> None:
    # The other extension characters are in the vendor's table (replaced or removed):
    # tests/test_message_parts_vendor.py.
    m = parts("a" * 158 + ch)
    assert (m.length, m.parts, m.replaced, m.unsupported) == (160, 1, (), ())
    assert parts("a" * 159 + ch).parts == 2
    assert parts("a" + ch, unicode=True).length == 2


def test_br_tag_counts_two_in_both_encodings() -> None:
    assert parts("a:br:b").length == 4
    assert parts("a:br:b", unicode=True).length == 4
    assert parts("a" * 156 + ":br:").parts == 1  # 158 positions, not 160
    assert parts("a" * 159 + ":br:").parts == 2


def test_replaced_and_dropped_characters() -> None:
    m = parts("Où ça ? À côté, l’œuvre « top » 😀 ñ")
    assert m.replaced == (
        ("ç", "Ç"),
        ("À", "A"),
        ("ô", "o"),
        ("’", "‘"),
        ("œ", "oe"),
        ("«", "“"),
        ("»", "“"),
        ("ñ", "n"),
    )
    assert m.unsupported == (("😀", ""),)
    # "Où Ça ? A coté, l‘oeuvre “ top “  n": œ grows, the emoji goes.
    assert m.length == len("Où Ça ? A coté, l‘oeuvre “ top “  n")
    assert m.encoding == "GSM-7"


def test_unicode_decomposition_fallback() -> None:
    m = parts("ŝ ą ĉ 中")  # ą is the vendor's (-> à); the others are not: accents stripped,
    assert m.replaced == (("ą", "à"),)  # CJK dropped
    assert m.unsupported == (("ŝ", "s"), ("ĉ", "c"), ("中", ""))
    assert m.length == 6


def test_every_replacement_is_gsm() -> None:
    from smsp_analytics.campaign.gsm_table import (
        TOOLKIT_GUESSES,
        VENDOR_REPLACEMENTS,
        toolkit_guess,
    )

    for ch in [*TOOLKIT_GUESSES, *"ŝĉǖ＾［中"]:  # the toolkit's guesses: GSM-7, no table char
        assert all(
            c in GSM_BASIC | GSM_EXTENSION and c not in VENDOR_REPLACEMENTS
            for c in toolkit_guess(ch)
        ), ch
    # The vendor's targets: GSM-7, except the quotes it sends as a plain quote.
    targets = {c for sent in VENDOR_REPLACEMENTS.values() for c in sent}
    assert targets - GSM_BASIC == {"‘", "“"}


def test_outside_bmp_counts_two_utf16_units_in_unicode() -> None:
    assert parts("😀" * 35, unicode=True).length == 70
    assert parts("😀" * 35, unicode=True).parts == 1
    assert parts("😀" * 36, unicode=True).parts == 2
    assert parts("é" * 70, unicode=True).parts == 1


# --- STOP mention -----------------------------------------------------------------------


def test_stop_mention_default_and_separator_are_counted() -> None:
    assert message_parts("x").length == 1 + 1 + len(DEFAULT_STOP_MENTION)
    assert message_parts("x").stop_mention == DEFAULT_STOP_MENTION == "STOP au 36173"
    assert message_parts("x" * 146).parts == 1  # 146 + 1 + 13 = 160
    assert message_parts("x" * 147).parts == 2


def test_stop_mention_custom_none_and_low_cost() -> None:
    assert message_parts("x", stop_mention="STOP 36111").length == 12
    assert message_parts("x", stop_mention="").length == 1
    assert message_parts("x", stop_mention=False).stop_mention == ""
    # Low Cost: the sender writes NoPub=STOP; counted unless already in the text.
    assert message_parts("x", range="lowcost").length == 1 + 1 + len("NoPub=STOP")
    assert message_parts("Promo NoPub=STOP", range="lowcost").length == 16
    assert message_parts("Promo NoPub=STOP").length == 16 + 14  # Premium: vendor appends
    # A custom mention already written is not counted twice either.
    assert (
        message_parts("Promo STOP au 36173", range="lowcost", stop_mention="STOP au 36173").length
        == 19
    )
    with pytest.raises(ValueError, match="error 42"):
        message_parts("x" * 150, range="lowcost")


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw, exc, field",
    [
        ({"text": 42}, TypeError, "text"),
        ({"text": None}, TypeError, "text"),
        ({"text": "  "}, ValueError, "text"),
        ({"text": "x", "range": "gold"}, ValueError, "range"),
        ({"text": "x", "unicode": "yes"}, TypeError, "unicode"),
        ({"text": "x", "stop_mention": 3}, TypeError, "stop_mention"),
    ],
)
def test_bad_input_names_the_field(kw, exc, field) -> None:
    text = kw.pop("text")
    with pytest.raises(exc, match=field) as err:
        message_parts(text, **kw)
    if field == "range":
        assert "'premium', 'lowcost'" in str(err.value)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab€é😀œ:"), max_size=400), st.booleans())
def test_parts_monotonic_in_length(text: str, unicode: bool) -> None:
    def count(s: str) -> int:
        try:
            return message_parts("a" + s, stop_mention=False, unicode=unicode).parts
        except ValueError:
            return 11

    assert count(text) <= count(text + "a")
    m = None if count(text) > 10 else message_parts("a" + text, stop_mention=False, unicode=unicode)
    if m is not None:
        assert 0 <= m.remaining < m.per_part or m.parts == 1
        assert (m.parts - 1) * m.per_part < m.length <= m.parts * m.per_part or m.parts == 1


# --- campaign_cost ----------------------------------------------------------------------


def frame(synthetic: bool) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "locality": pd.array(["60", "02", "75"], dtype="string"),
            "volume": pd.array([1000, 333, 0], dtype="Int64"),
            "unit_cost_eur": pd.array([0.09, 0.09, 0.09], dtype="Float64"),
            "cost_eur": pd.array([90.0, 29.97, 0.0], dtype="Float64"),
        }
    )
    df.attrs.update(
        {
            "source": "sandbox" if synthetic else "api",
            "synthetic": synthetic,
            "op": "calcul",
            "total_cost_eur": 119.97,
        }
    )
    return df


def test_campaign_cost_hand_computed() -> None:
    df = frame(synthetic=False)
    out = campaign_cost(df, "a" * 200, price_per_sms=0.045)  # 200 + 14 -> 2 SMS
    assert out["parts"].tolist() == [2, 2, 2]
    # 1000 x 2 x 0.045 = 90.00; 333 x 2 x 0.045 = 29.97
    assert out["sending_cost_eur"].tolist() == [90.0, 29.97, 0.0]
    assert out["rental_cost_eur"].tolist() == [90.0, 29.97, 0.0]
    assert out["total_cost_eur"].tolist() == [180.0, 59.94, 0.0]
    assert out["cost_per_contact_eur"].iloc[0] == pytest.approx(0.18)
    assert out["cost_per_contact_eur"].iloc[1] == pytest.approx(0.18)
    assert pd.isna(out["cost_per_contact_eur"].iloc[2])
    a = out.attrs
    assert (
        a["total_sending_cost_eur"],
        a["total_rental_cost_eur"],
        a["total_cost_eur"],
        a["total_contacts"],
        a["parts"],
    ) == (119.97, 119.97, 239.94, 1333, 2)
    assert a["cost_per_contact_eur"] == pytest.approx(239.94 / 1333)
    assert a["source"] == "api" and a["op"] == "calcul"  # input attrs kept
    assert "parts" not in df.columns and df.attrs["total_cost_eur"] == 119.97  # input intact


def test_campaign_cost_rounds_half_up_to_the_cent() -> None:
    df = pd.DataFrame({"volume": [7], "cost_eur": [0.63]})
    out = campaign_cost(df, "hi", price_per_sms=0.0375, stop_mention=False)
    assert out["sending_cost_eur"].tolist() == [0.26]  # 0.2625 -> 0.26
    out = campaign_cost(
        pd.DataFrame({"volume": [1], "cost_eur": [0.0]}),
        "hi",
        price_per_sms=0.125,
        stop_mention=False,
    )
    assert out["sending_cost_eur"].tolist() == [0.13]  # 0.125 -> 0.13 (half up)


def test_price_required_on_real_frames_default_on_sandbox() -> None:
    with pytest.raises(ValueError, match="price_per_sms"):
        campaign_cost(frame(synthetic=False), "hello")
    out = campaign_cost(frame(synthetic=True), "hello", unicode=True)
    assert out.attrs["price_per_sms"] == SANDBOX_PRICE_PER_SMS == 0.038
    assert out["sending_cost_eur"].tolist() == [38.0, 12.65, 0.0]  # 333 x 0.038 = 12.654


@pytest.mark.parametrize("price", [0, -0.01, math.nan, math.inf, "0.04", True])
def test_bad_price_is_refused(price) -> None:
    with pytest.raises((ValueError, TypeError), match="price_per_sms"):
        campaign_cost(frame(synthetic=True), "hello", price_per_sms=price)


def test_bad_frame_and_message() -> None:
    with pytest.raises(ValueError, match="frame.*volume"):
        campaign_cost(pd.DataFrame({"x": [1]}), "hello", price_per_sms=0.04)
    with pytest.raises(TypeError, match="frame"):
        campaign_cost([1, 2], "hello", price_per_sms=0.04)
    with pytest.raises(ValueError, match="error 42"):
        campaign_cost(frame(True), "a" * 200, range="lowcost")


def test_campaign_cost_accepts_counted_parts_and_a_sandbox_frame(client) -> None:
    from smsp_analytics import Targeting

    df = client.calcul(Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"]))
    m = message_parts("é" * 100, unicode=True)  # 100 + 14 -> 2 SMS of 67
    out = campaign_cost(df, m)
    assert out.attrs["parts"] == 2
    expected = [round(v * 2 * 0.038 + 1e-9, 2) for v in df["volume"].tolist()]
    assert out["sending_cost_eur"].tolist() == pytest.approx(expected)
    assert out.attrs["total_contacts"] == int(df["volume"].sum())


def _sent_reference(text: str) -> str:
    """What goes out in GSM-7, the slow, obvious way: character by character."""
    from smsp_analytics.campaign.gsm_table import VENDOR_REPLACEMENTS, toolkit_guess

    return "".join(
        VENDOR_REPLACEMENTS[ch]
        if ch in VENDOR_REPLACEMENTS
        else ch
        if ch in GSM_BASIC | GSM_EXTENSION
        else toolkit_guess(ch)
        for ch in text
    )


def _reference_length(text: str) -> int:
    n = sum(2 if c in GSM_EXTENSION else 1 for c in _sent_reference(text))
    return n - 2 * text.count(":br:")


@settings(max_examples=150, deadline=None)
@given(
    st.text(min_size=1, max_size=300).filter(str.strip)
    | st.text(alphabet=st.sampled_from("a [é]^œ😀–ñ§:br"), min_size=1, max_size=200)
)
def test_fast_count_matches_the_reference(text: str) -> None:
    from smsp_analytics.campaign.gsm_table import VENDOR_REPLACEMENTS

    m = None
    left = _sent_reference(text).replace(":br:", "").strip()
    try:
        m = message_parts(text, stop_mention=False)
    except ValueError as exc:
        assert (
            "error 52" in str(exc)
            or (not left and "nothing is left" in str(exc))
            or not text.replace(":br:", "").strip()
        ), exc
    if m is not None:
        assert left and m.length == _reference_length(text)
        vendor = [c for c in dict.fromkeys(text) if c in VENDOR_REPLACEMENTS]
        outside = [
            c
            for c in dict.fromkeys(text)
            if c not in GSM_BASIC | GSM_EXTENSION and c not in VENDOR_REPLACEMENTS
        ]
        assert m.replaced == tuple((c, VENDOR_REPLACEMENTS[c]) for c in vendor)
        assert [c for c, _ in m.unsupported] == outside


def test_lone_surrogate_and_immutability() -> None:
    m = parts("a\ud800b")
    assert (m.length, m.replaced, m.unsupported) == (2, (), (("\ud800", ""),))
    assert parts("a\ud800b", unicode=True).length == 3
    with pytest.raises(AttributeError):
        m.parts = 3  # type: ignore[misc]
