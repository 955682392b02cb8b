"""The quote history and drift in French (issue 17): their errors and warnings are French
sentences, the store's URL and the arguments' names stay as they are, and drift's frame stays
machine-readable (its ``status`` values are data, the same in every language)."""

from __future__ import annotations

from pathlib import Path

import pytest
from history_helpers import KEY, answer, params

from smsp_analytics import HistoryUnavailableWarning, QuoteHistory, drift, key_hash
from smsp_analytics.history import HistoryError
from smsp_analytics.i18n import use_lang


def _record(h: QuoteHistory, volumes: list[int], as_of: str) -> None:
    h.record(
        answer(volumes),
        op="calcul",
        targeting_params=params(),
        volumes=None,
        key_hash=key_hash(KEY),
        source="sandbox:seed=0",
        as_of=as_of,
    )


def test_drift_messages_in_french(tmp_path: Path) -> None:
    h = QuoteHistory.open(tmp_path / "history.sqlite")
    _record(h, [100], "2026-10-01")
    _record(h, [110], "2026-11-01")
    hist = h.frame()
    h.close()
    with use_lang("fr"):
        with pytest.raises(ValueError) as info:
            drift(hist, since="2026-10-02", until="2026-10-01")
        assert str(info.value) == "until: '2026-10-01' est avant since '2026-10-02'"
        with pytest.raises(ValueError) as info:
            drift(hist.drop(columns=["volume"]), since="2026-10-01")
        assert str(info.value).startswith("history: colonne(s) manquante(s) volume ; passez")
        with pytest.raises(ValueError) as info:
            drift(hist, since="2026-10-01", op="x")
        assert str(info.value) == (
            "op: 'x' n'est pas admis ; valeurs admises : calcul, price, rent "
            "(ou une liste de celles-ci)"
        )
        changes = drift(hist, since="2026-10-15")
    # data, not sentences: a French reader's frame is the English reader's frame
    assert changes[["status", "volume_change"]].values.tolist() == [["both", 10]]


def test_an_unusable_store_warns_in_french(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a directory")
    h = QuoteHistory.open(tmp_path / "afile" / "history.sqlite")
    with use_lang("fr"):
        with pytest.warns(HistoryUnavailableWarning) as warned:
            _record(h, [1], "2026-10-01")
        with pytest.raises(HistoryError, match="afile/history.sqlite"):
            h.frame()
    said = str(warned[0].message)
    assert said.startswith("historique des devis sqlite:///")
    assert "afile/history.sqlite indisponible ; cette réponse de calcul n'a pas été" in said


def test_a_bad_database_url_in_french() -> None:
    with use_lang("fr"), pytest.raises(ValueError) as info:
        QuoteHistory.open("postgresql+psycopg://ana:pq@RY-9f3e@127.0.0.1/quotes")
    said = str(info.value)
    assert said.startswith("history: les identifiants de cette URL postgresql+psycopg:// sont")
    assert "encodez-les en pourcentage" in said and "RY-9f3e" not in said
