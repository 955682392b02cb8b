"""The XML reader's fast path (runs of three-value rows read by a regular expression) gives
what expat alone gives, on every document: the same nested lists, or the same refusal.

Documents are generated with the constructs that could fool a pattern (CDATA sections
holding markup, comments, processing instructions, references, attributes, white space
XML refuses, rows at the root) and then garbled (cut, characters dropped or inserted), so
that malformed documents are covered too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smsp_analytics import refdata
from smsp_analytics.errors import MalformedResponseError
from smsp_analytics.frames import locality_frame
from smsp_analytics.sandbox import Sandbox
from smsp_analytics.wire.xmlparse import from_xml, parse_entries, parse_entries_slow

KEY = "sk_test_NEVER_SHOW_4242"  # the session sandbox's key (tests/conftest.py)
ROW = "<entry>{a}</entry><entry>{b}</entry><entry>{c}</entry>"
CLEAN = st.sampled_from(["CP", " 06200 ", "\n  <![CDATA[01000]]>\n ", "<![CDATA[]]>", "28", ""])
ODD = st.sampled_from(
    [
        "CP",
        " 06200 ",
        "\n  <![CDATA[01000]]>\n ",
        "<![CDATA[]]>",
        "<![CDATA[ a ]]>",
        "28",
        "",
        " ",
        "a&amp;b",
        "&#x41;",
        "<![CDATA[<entry>x</entry>]]>",
        "<![CDATA[a]b]]>",
        "x<![CDATA[y]]>",
        "<!-- c -->7",
        "<?pi x?>8",
        "\u00a0<![CDATA[9]]>",
        "\u00a0",
        "\x1c",
        "é",
        "1\r\n2",
        "a]]>b",
        "<entry/>",
        "<entry>n</entry>",
    ]
)
# Mostly what answers hold (so that the fast path is taken), sometimes anything odd.
VALUES = st.one_of(CLEAN, CLEAN, CLEAN, ODD)
SPACE = st.one_of(
    st.sampled_from(["", " ", "\n    ", "\r\n"]),
    st.sampled_from(["\t", "\u00a0", "\x0b", "<!-- -->", "x"]),
)


@st.composite
def rows(draw: st.DrawFn) -> str:
    a, b, c = draw(VALUES), draw(VALUES), draw(VALUES)
    gap = draw(SPACE)
    tag = draw(st.sampled_from(["<entry>"] * 8 + ["<entry a='1'>", "<entry >"]))
    return f"{tag}{gap}{ROW.format(a=a, b=b, c=c)}{gap}</entry>"


@st.composite
def documents(draw: st.DrawFn) -> str:
    run = st.lists(rows(), min_size=1, max_size=4).map(
        lambda r: "<entry>" + "\n".join(r) + "</entry>"
    )
    odd = st.sampled_from(
        [
            "<!-- <entry><entry>a</entry><entry>b</entry><entry>c</entry></entry> -->",
            "<![CDATA[<entry><entry>a</entry><entry>b</entry><entry>c</entry></entry>]]>",
            "<?pi <entry><entry>a</entry><entry>b</entry><entry>c</entry></entry> ?>",
            "<entry a='&lt;entry&gt;'/>",
            # a row pattern that starts inside a CDATA section and ends after it
            "<entry><entry><![CDATA[<entry><entry>a</entry><entry>b</entry><entry>"
            "<![CDATA[c]]></entry></entry>",
        ]
    )
    value = VALUES.map(lambda v: f"<entry>{v}</entry>")
    items = draw(st.lists(st.one_of(rows(), run, run, value, value, odd), min_size=1, max_size=5))
    head = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>\n', " "]))
    root = draw(st.sampled_from(["result"] * 5 + ["entry"]))
    body = draw(SPACE).join(items)
    if root == "entry" and draw(st.booleans()):
        return head + "\n".join(draw(st.lists(rows(), min_size=1, max_size=2)))  # rows as root
    return f"{head}<{root}>{body}</{root}>"


@st.composite
def garbled(draw: st.DrawFn) -> str:
    text = draw(documents())
    if not text or draw(st.integers(0, 3)):
        return text
    i = draw(st.integers(0, len(text)))
    action = draw(st.sampled_from(["cut", "drop", "insert"]))
    if action == "cut":
        return text[:i]
    if action == "drop":
        return text[:i] + text[i + 1 :]
    return text[:i] + draw(st.sampled_from(["<", ">", "]", "&", "\x00", "<entry>"])) + text[i:]


def reading(read: Callable[[Any], Any], text: str | bytes) -> tuple[str, Any]:
    try:
        return "ok", read(text)
    except MalformedResponseError as exc:
        return "refused", str(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(garbled())
def test_the_fast_path_reads_what_expat_reads(text: str) -> None:
    fast, slow = reading(parse_entries, text), reading(parse_entries_slow, text)
    assert fast == slow, text
    data = text.encode("utf-8", "surrogatepass")
    assert reading(parse_entries, data) == reading(parse_entries_slow, data), data


def test_every_row_of_a_zip_code_answer_goes_through_the_fast_path() -> None:
    rows = "".join(
        f"<entry>\n  <entry><![CDATA[CP]]></entry>\n  <entry>\n <![CDATA[{z:05d}]]>\n</entry>"
        f"<entry>{z % 97}</entry></entry>"
        for z in range(1000, 7000)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><result><entry>true</entry>'
        f"<entry><![CDATA[calcul]]></entry><entry>{rows}</entry>"
        "<entry><entry>1</entry><entry>2</entry><entry>3</entry></entry></result>"
    )
    got = parse_entries(xml)
    assert got == parse_entries_slow(xml)
    assert len(got[2]) == 6000 and got[2][0] == ["CP", "01000", "30"] and got[3] == ["1", "2", "3"]


@pytest.mark.parametrize(
    "body",
    [
        b'<!DOCTYPE r [<!ENTITY a "aaaa">]><result><entry>&a;</entry></result>',
        b'<!DOCTYPE r SYSTEM "http://example.com/x.dtd"><result><entry>1</entry></result>',
        b"<!DOCTYPE result><result><entry>true</entry></result>",
        # the same declaration in UTF-16: the check reads what the parser reads
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'.encode(
            "utf-16"
        ),
        '<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE r><result/>'.encode("latin-1"),
    ],
)
def test_doctypes_are_refused_whatever_the_encoding(body: bytes) -> None:
    with pytest.raises(MalformedResponseError, match="DOCTYPE"):
        parse_entries(body)


def test_declared_encodings_are_read() -> None:
    text = '<?xml version="1.0" encoding="{}"?><result><entry>Clé</entry></result>'
    assert parse_entries(text.format("ISO-8859-1").encode("latin-1")) == ["Clé"]
    assert parse_entries(text.format("UTF-16").encode("utf-16")) == ["Clé"]
    assert parse_entries(b"\xef\xbb\xbf" + text.format("UTF-8").encode()) == ["Clé"]
    with pytest.raises(MalformedResponseError, match="LookupError"):
        parse_entries(text.format("no-such-codec").encode())


def test_the_seed_answer_reads_the_same_both_ways() -> None:
    seed = (Path(__file__).resolve().parents[1] / "data" / "seed_price_response.xml").read_bytes()
    assert parse_entries(seed) == parse_entries_slow(seed)


@pytest.fixture(scope="module")
def xml_and_json_of_all_zipcodes(sbx: Sandbox) -> tuple[bytes, bytes]:
    """The session sandbox's answer to a calcul on every zip code, in XML and in JSON."""
    zips = ",".join(sorted(refdata.zipcode_set()))
    body = {
        "apiKey": KEY,
        "op": "calcul",
        "parameters": {"sexe": "m", "minAge": 18, "maxAge": 98, "interest": 14, "zipcode": zips},
    }
    url = sbx.base_url + "location/optin"
    xml = requests.post(url + "?_format=xml", json=body, timeout=60)
    answer = requests.post(url, json=body, timeout=60)
    assert xml.ok and answer.ok and xml.content.lstrip().startswith(b"<?xml")
    return xml.content, answer.content


def test_json_and_xml_of_every_zip_code_give_one_frame(
    xml_and_json_of_all_zipcodes: tuple[bytes, bytes],
) -> None:
    xml, body = xml_and_json_of_all_zipcodes
    from_json = locality_frame(json.loads(body), op="calcul")
    from_xml_ = locality_frame(from_xml(xml, "optin"), op="calcul")
    pd.testing.assert_frame_equal(from_json, from_xml_)
    assert len(from_json) > 6000 and from_json["volume"].sum() > 0
