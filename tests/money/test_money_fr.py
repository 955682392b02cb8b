"""Renting, the journal and reconciling in French (issue 17), over real HTTP against the
sandbox: the consent and the advice are French sentences, the commands to run and the fields
stay as they are, amounts are formatted by the display layer, and notes written to the journal
are in the language in force when they are written."""

from __future__ import annotations

import pytest

from smsp_analytics.display import fmt_eur, fmt_int
from smsp_analytics.errors import (
    JournalError,
    JournalUnknownStateError,
    RentConsentError,
    RentOutcomeUnknownError,
)
from smsp_analytics.i18n import use_lang
from smsp_analytics.money.journal import Journal
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])
VOLS = {"60": 10, "02": 5}


def test_the_consent_in_french(admin, client) -> None:
    with use_lang("fr"):
        with pytest.raises(RentConsentError) as info:
            client.rent(T, {"60": 2}, confirm="oui")
        cost, balance = fmt_eur(info.value.quote["cost_eur"]), fmt_eur(1000)
        contacts = fmt_int(2)
    err = info.value
    assert str(err).startswith(f"location non confirmée : {contacts} contacts (")
    assert f"pour {cost} ; solde {balance}" in str(err)
    assert "Appelez rent(..., confirm=True) pour louer" in str(err)
    assert (err.field, err.value, err.quote["volume"]) == ("confirm", "oui", 2)
    assert "rent" not in admin.stats() and client.journal.entries() == []


def test_the_cost_cap_in_french(admin, client) -> None:
    with use_lang("fr"), pytest.raises(RentConsentError) as info:
        client.rent(T, {"60": 20}, confirm=True, max_cost_eur=1.0)
    assert "location refusée : le devis, " in str(info.value)
    assert "dépasse max_cost_eur=1.00" in str(info.value)
    assert info.value.field == "max_cost_eur" and info.value.value == 1.0
    assert "rent" not in admin.stats()


def test_an_unknown_rent_its_block_and_its_reconcile_in_french(admin, client) -> None:
    admin.fault(op="rent", count=1, kind="reset", phase="after")
    with use_lang("fr"):
        with pytest.raises(RentOutcomeUnknownError) as info:
            client.rent(T, VOLS, confirm=True)
        entry = info.value.entry_id
        text = str(info.value)
        assert text.startswith("issue de la location inconnue (")
        # the commands to run are the toolkit's own, in any language
        assert f"régularisez-la avec `smsp reconcile {entry}`" in text
        assert f"client.reconcile({entry})" in text and "liste les entrées" in text
        with pytest.raises(JournalUnknownStateError) as blocked:
            client.rent(T, {"60": 1}, confirm=True)
        assert str(blocked.value).startswith(f"location bloquée : entrée {entry} du journal")
        assert blocked.value.entries[0].id == entry
        settled = client.reconcile(entry)
    assert settled.state == "done" and settled.token is None
    # the note was written in French, and stays so when read in English
    assert settled.note.startswith("régularisée comme faite d'après le solde")
    assert "support du fournisseur" in settled.note
    with use_lang("en"):
        assert client.journal.get(entry).note == settled.note


def test_a_corrupt_journal_in_french(tmp_path) -> None:
    path = tmp_path / "journal.sqlite"
    path.write_bytes(b"not a journal at all" * 100)
    with use_lang("fr"), pytest.raises(JournalError) as info:
        Journal(path)
    text = str(info.value)
    assert text.startswith(f"journal {path} : il est corrompu (")
    assert f"mettez-le de côté (mv '{path}' '{path}.corrupt'" in text
    assert "aucune location n'est envoyée tant qu'il est là" in text
    assert info.value.path == path


def test_an_argument_of_a_rent_in_french(admin, client) -> None:
    with use_lang("fr"), pytest.raises(ValueError) as info:
        client.rent(T, {}, confirm=True)
    assert str(info.value) == (
        'volumes: {} est vide ; valeurs admises : un dict localité -> contacts, ou "all" pour '
        "louer toute l'audience disponible"
    )
    assert admin.stats() == {}
