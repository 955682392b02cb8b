"""The toolkit's errors in French (issue 17): the message in the language in force when the
error is raised, the fields in the library's and the vendor's words whatever the language,
and the vendor's own French text quoted verbatim in the French explanation."""

from __future__ import annotations

import pytest

from smsp_analytics.cli.main import cli, error_line
from smsp_analytics.errors import (
    ENGLISH,
    VENDOR_LANG,
    AuthenticationError,
    Call,
    MalformedResponseError,
    RentBlockedError,
    SmsPartnerError,
    TargetingError,
    error_from_code,
    not_allowed,
    parts_of,
    render,
)
from smsp_analytics.errors._codes import VENDOR_TEXT
from smsp_analytics.i18n import use_lang
from smsp_analytics.money.journal_entries import JournalEntry, duplicate_error
from smsp_analytics.targeting import Targeting
from smsp_analytics.vocab import GENDER_ALLOWED
from smsp_analytics.wire.checks import check_number


def test_an_argument_error_in_french_keeps_the_vendors_words_as_fields() -> None:
    with use_lang("fr"), pytest.raises(TargetingError) as info:
        Targeting(gender="x", interest=14)
    err = info.value
    assert str(err) == (
        "[code 8] gender (sexe): valeur invalide 'x' ; valeurs admises : femmes (ou f), "
        "hommes (ou h), tous (ou m : hommes et femmes)"
    )
    # the fields are the library's and the vendor's words, not the reader's language
    assert (err.field, err.param, err.value, err.code) == ("gender", "sexe", "x", 8)
    assert err.allowed == GENDER_ALLOWED


def test_the_same_argument_error_in_english_is_unchanged() -> None:
    with use_lang("en"), pytest.raises(TargetingError) as info:
        Targeting(interest=14, age=(10, 30))
    assert (
        str(info.value) == "[code 12] age (minAge): invalid value 10; allowed: an integer from 18"
    )
    with use_lang("fr"), pytest.raises(TargetingError) as info:
        Targeting(interest=14, age=(10, 30))
    assert str(info.value) == (
        "[code 12] age (minAge): valeur invalide 10 ; valeurs admises : un entier à partir de 18"
    )
    assert info.value.allowed == "an integer from 18"


def test_a_python_argument_error_in_french() -> None:
    with use_lang("fr"), pytest.raises(ValueError) as info:
        check_number("retries", -1, low=0, integer=True)
    assert str(info.value) == "retries: -1 n'est pas admis ; valeurs admises : un entier >= 0"
    with use_lang("fr"):
        said = not_allowed("format", "csv", "'json', 'xml'")
    assert said == "format: 'csv' n'est pas admis ; valeurs admises : 'json', 'xml'"


def test_a_vendor_error_in_french_quotes_the_vendor_verbatim() -> None:
    vendor = "Clé API incorrecte"
    with use_lang("fr"):
        err = error_from_code(10, vendor, http_status=401)
    assert type(err) is AuthenticationError and err.vendor_message == vendor
    assert str(err) == (
        "[code 10] api_key: la clé API n'est pas valide pour cette API "
        "(l'API répond : « Clé API incorrecte ») (HTTP 401)"
    )
    with use_lang("en"):  # English readers get the explanation alone, as before
        assert str(error_from_code(10, vendor, http_status=401)) == (
            "[code 10] api_key: the API key is not valid for this API (HTTP 401)"
        )


@pytest.mark.parametrize("code", sorted(VENDOR_TEXT))
def test_every_vendor_code_has_a_french_explanation(code: int) -> None:
    vendor = f"message {code} du fournisseur"
    with use_lang(VENDOR_LANG):
        err = error_from_code(code, vendor, http_status=400)
    english = ENGLISH[code].split(": ", 1)[-1]
    assert english not in err.message and f"« {vendor} »" in err.message
    assert (err.code, err.vendor_message, err.field) == (code, vendor, VENDOR_TEXT[code][0])


def test_a_french_error_presented_later_keeps_its_language_and_its_fields() -> None:
    entry = JournalEntry(7, "s", "done", {}, {}, 1.0, "tok_7", 1.0, None, 0.0, 0.0)
    with use_lang("fr"):
        err = duplicate_error(entry)
    assert isinstance(err, RentBlockedError) and err.field == "again" and err.entries == [entry]
    # str() now, in English, is the sentence as it was raised
    with use_lang("en"):
        text = str(err)
        # the command line presents it later from its fields: the argument as its flag
        line = error_line(err, cli.commands["rent"])
    assert text.startswith("location bloquée : le même ciblage et les mêmes volumes")
    assert "again=True (smsp rent --again)" in text and "tok_7" in text
    assert "passez --again pour les louer à nouveau" in line and "`smsp journal`" in line
    assert "again=True" not in line


def test_a_translation_may_move_the_parts_it_names() -> None:
    calcul = Call("smsp calcul", "client.calcul(targeting)")
    parts = parts_of("{calcul} montre {n} contacts", calcul=calcul, n=3)
    assert render(parts, None) == "client.calcul(targeting) montre 3 contacts"
    assert render(parts, lambda ref: f"`{ref.cli}`") == "`smsp calcul` montre 3 contacts"
    nested = parts_of("voir : {inner}", inner=parts)  # parts spliced, still spelled by readers
    assert render(nested, lambda ref: f"`{ref.cli}`") == "voir : `smsp calcul` montre 3 contacts"
    err = SmsPartnerError(nested, field="volumes")
    assert err.field == "volumes" and "client.calcul(targeting)" in str(err)


def test_a_malformed_answer_in_french() -> None:
    with use_lang("fr"):
        err = MalformedResponseError("volume of 60: -3 is negative", field="volume")
    assert str(err) == "réponse illisible : volume of 60: -3 is negative"
    assert err.field == "volume"
