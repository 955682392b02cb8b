"""The panel in both languages (issue 17): its words, its numbers and its charts follow
``panel(lang=)``, else the language in force when it is built, whatever is in force later."""

from __future__ import annotations

import pytest

from smsp_analytics.i18n import use_lang
from smsp_analytics.panel import panel
from smsp_analytics.targeting import Targeting

NNBSP, NBSP = "\u202f", "\u00a0"  # CLDR's French: thousands, and before € and %


def french_int(n: int) -> str:
    return f"{n:,}".replace(",", NNBSP)


def french_eur(x: float) -> str:
    return f"{x:,.2f}".replace(",", " ").replace(".", ",").replace(" ", NNBSP) + f"{NBSP}€"


@pytest.mark.parametrize(
    "lang, words",
    [
        ("en", ("men and women, 18-98", "Contacts", "Unit price", "Total cost", "Account balance")),
        (
            "fr",
            (
                "hommes et femmes, 18-98",
                "Contacts",
                "Prix unitaire",
                "Coût total",
                "Solde du compte",
            ),
        ),
    ],
)
def test_headline_in_each_language(client, oracle, lang, words):
    p = panel(client, debounce=0, lang=lang)
    try:
        p.apply(gender="m", departments=("60", "02"))
        want = oracle.calcul(Targeting(interest=14, departments=("60", "02")))
        volume, cost = int(want.attrs["total_quantity"]), float(want.attrs["total_cost_eur"])
        html = p.headline_html.value
        for word in words:
            assert word in html, (word, html)
        if lang == "fr":
            assert f">{french_int(volume)}<" in html and f">{french_eur(cost)}<" in html
            assert "€" + french_int(volume)[:1] not in html  # no English money
        else:
            assert f">{volume:,}<" in html and f">€{cost:,.2f}<" in html
        p.apply(gender="f")
        assert (">femmes, 18-98" if lang == "fr" else ">women, 18-98") in p.headline_html.value
    finally:
        p.close()


def test_the_panel_keeps_the_language_it_was_built_in(client):
    """Built in French (the language in force), it stays French when its callbacks run
    later in English: labels, hints, headline, message box, rent box, charts."""
    with use_lang("fr"):
        p = panel(client, debounce=0)
    try:
        assert p.lang == "fr" and "smsp-lang-fr" in p._dom_classes
        with use_lang("en"):
            p.controls["age"].value = (25, 49)  # the observe callback runs in English
        assert "25-49 ans" in p.headline_html.value and "Coût total" in p.headline_html.value
        assert [label for label, _ in p.controls["gender"].options] == ["Mixte", "Hommes", "Femmes"]
        assert p.controls["zipcodes"].description == "Codes postaux"
        assert "Les 101 départements" in p.hint.value
        # The charts: French words, French separators; the update writes French too.
        assert p.bars.layout.separators == "," + NNBSP
        assert "par département" in p.bars.layout.title.text
        assert "25-49 ans" in p.bars.layout.title.text and "25-49 ans" in p.map.layout.title.text
        p.apply(departments=("60",))
        assert p.bars.data[0].text[0].count(NNBSP) == 1  # "28 517"-like
        oise = next(t for t in p.map.data if t.name == "60")
        assert "Coût" in oise.text and NBSP + "€" in oise.text
        # The message box and the rent box.
        box = p.campaign
        assert box.widgets["price"].value == "0,038"
        box.widgets["text"].value = "Bonjour"
        assert "caractères" in box.counts.value and "Envoi :" in box.costs.value
        box.widgets["price"].value = "0,05 €"
        assert box.state["price_per_sms"] == 0.05
        box.widgets["price"].value = "abc"
        assert "Prix par SMS : valeur 'abc' invalide" in box.state["error"]
        assert p.rent.widgets["confirm"].description == "Confirmer la location"
        assert "(synthetic)" not in p.summary() and "Explorateur d’audience" in p.summary()
    finally:
        p.close()


def test_an_error_is_said_in_the_panels_language(client):
    p = panel(client, debounce=0, lang="fr")
    try:
        p.controls["zipcodes"].value = "6020x"
        assert "Codes postaux" in p.message.value and "data-field='zipcodes'" in p.message.value
    finally:
        p.close()


def test_rent_confirmation_reads_the_cost_written_either_way(client):
    p = panel(client, debounce=0, lang="fr")
    try:
        p.apply(departments=("60",))
        p.rent.widgets["volume"].value = 10
        quote = p.rent.ask_quote()
        assert quote is not None
        typed = f"{quote['cost_eur']:.2f}".replace(".", ",")
        assert f"<code>{typed}</code>" in p.rent.widgets["prompt"].value
        assert "Le compte sera débité" in p.rent.widgets["prompt"].value
        p.rent.widgets["confirm_text"].value = typed + " €"
        result = p.rent.confirm()
        assert result is not None, p.rent.widgets["output"].value
        assert "contacts loués pour" in p.rent.widgets["output"].value
    finally:
        p.close()
