"""client.py over real HTTP against the sandbox: modes, parity, renting safely."""

from __future__ import annotations

import subprocess
import sys
import time
import warnings

import pandas as pd
import pytest

from smsp_analytics.client.facade import Client
from smsp_analytics.errors import (
    InsufficientCreditError,
    JournalUnknownStateError,
    RentalError,
    RentBlockedError,
    RentConsentError,
    RentOutcomeUnknownError,
    SyntheticDataWarning,
    TargetingError,
)
from smsp_analytics.targeting import Targeting

KEY = "sk_test_NEVER_SHOW_4242"  # the session sandbox's key (tests/conftest.py)
T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"], zipcodes=["80000"])
VOLS = {"60": 10, "02": 5}
VOLATILE = ("fetched_at", "from_cache", "as_of")


def _attrs(df):
    return {k: v for k, v in df.attrs.items() if k not in VOLATILE}


def test_no_key_starts_sandbox_once_and_labels_frames(monkeypatch, tmp_path):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = Client()
        df = c.calcul(T)
        c.categories()
    said = [w for w in caught if issubclass(w.category, SyntheticDataWarning)]
    assert len(said) == 1 and "sandbox" in str(said[0].message)
    assert c.synthetic and df.attrs["synthetic"] is True and df.attrs["source"] == "sandbox"
    sb = c.sandbox
    assert sb.running
    c.close()
    assert not sb.running


def test_key_targets_the_real_api_and_env_overrides(monkeypatch):
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    with Client("k", cache=False) as c:
        assert c.base_url == "https://api.smspartner.fr/v1/" and not c.synthetic
        assert c.source == "api"
    monkeypatch.setenv("SMSPARTNER_BASE_URL", "https://example.invalid/v1")
    monkeypatch.setenv("SMSPARTNER_API_KEY", "from-env")
    with Client(cache=False) as c:
        assert c.base_url == "https://example.invalid/v1/" and c.sandbox is None


@pytest.mark.parametrize("key", ["", "   "])
def test_an_empty_key_is_refused_before_anything_starts(key):
    with pytest.raises(ValueError, match="api_key"):
        Client(key, cache=False)


def test_repr_never_shows_the_key(client, sbx):
    key = sbx.api_key
    assert key not in repr(client) and key not in repr(client.transport)


@pytest.mark.parametrize("op", ["calcul", "price", "categories", "credits", "status", "download"])
def test_xml_frames_identical_to_json(admin, make_client, op):
    j = make_client(cache=False)
    x = make_client(cache=False, format="xml")
    if op == "calcul":
        a, b = j.calcul(T), x.calcul(T)
    elif op == "price":
        a, b = j.price(T, VOLS), x.price(T, VOLS)
    elif op == "categories":
        a, b = j.categories(), x.categories()
    elif op == "credits":
        a, b = j.credits().to_frame(), x.credits().to_frame()
    else:
        tokens = [c.rent(T, VOLS, confirm=True, again=True).token for c in (j, x)]
        if op == "status":
            a, b = j.status(tokens[0]), x.status(tokens[0])
        else:
            # Two rentals (a file downloads once): same shape, numbers from the same block.
            a, b = j.download(tokens[0]), x.download(tokens[1])
            assert len(a) == len(b) == 15 and a.dtypes.equals(b.dtypes)
            assert a["phone_number"].str.match(r"^\+336399\d{5}$").all()
            assert b["phone_number"].str.match(r"^\+336399\d{5}$").all()
            own = ("token", "kept_path")  # each names its own rental
            assert {k: v for k, v in _attrs(a).items() if k not in own} == {
                k: v for k, v in _attrs(b).items() if k not in own
            }
            return
    pd.testing.assert_frame_equal(a, b)
    assert _attrs(a) == _attrs(b)


def test_calcul_frame_shape(client):
    df = client.calcul(T)
    assert df["locality"].tolist() == ["60", "02", "80000"]
    assert df["locality_type"].tolist() == ["department", "department", "zipcode"]
    assert df["department"].tolist() == ["60", "02", "80"]
    assert int(df["volume"].sum()) == df.attrs["total_quantity"]
    assert (df["cost_eur"] == (df["volume"] * 0.09).round(2)).all()
    assert df.attrs["targeting"] == T and df.attrs["unit_cost_eur"] == 0.09
    # UTC ISO strings: they survive JSON/parquet round trips of attrs
    assert pd.Timestamp(df.attrs["fetched_at"]).tzname() == "UTC"
    assert pd.Timestamp(df.attrs["as_of"]).tzname() == "UTC"
    assert df.attrs["from_cache"] is False
    france = client.calcul(Targeting(interest=14))
    assert france["locality"].tolist() == ["FR"] and len(france) == 1


def test_raw_parameters_validated_before_any_call(admin, client):
    with pytest.raises(TargetingError) as info:
        client.calcul({"sexe": "m", "minAge": 18, "maxAge": 30})
    assert info.value.code == 19
    client.categories()
    with pytest.raises(TargetingError) as info:
        client.calcul(Targeting(interest=999))
    assert info.value.code == 61
    assert "calcul" not in admin.stats()


def test_rent_without_confirm_shows_quote_and_rents_nothing(admin, client):
    with pytest.raises(RentConsentError) as info:
        client.rent(T, VOLS)
    q = info.value.quote
    assert q["volume"] == 15 and q["cost_eur"] == 1.35 and q["balance_eur"] == 1000
    assert "1.35" in str(info.value)
    stats = admin.stats()
    assert "rent" not in stats and stats["price"] == 1 and stats["me"] == 1
    assert client.journal.entries() == []


def test_rent_checks_max_cost_and_balance_first(admin, client, make_client):
    with pytest.raises(RentConsentError, match="max_cost_eur"):
        client.rent(T, VOLS, confirm=True, max_cost_eur=1.0)
    with pytest.raises(InsufficientCreditError) as info:
        client.rent(Targeting(interest=14, departments=["75"]), "all", confirm=True)
    assert info.value.code == 11
    assert "rent" not in admin.stats()


def test_rent_status_download_and_duplicates(admin, client, tmp_path):
    r = client.rent(T, VOLS, confirm=True)
    assert len(r.token) == 32 and r.cost_eur == 1.35 and r.quantity == 15
    assert client.credits().balance_eur == pytest.approx(1000 - 1.35)
    entry = client.journal.get(r.entry_id)
    assert (entry.state, entry.token, entry.cost_eur) == ("done", r.token, 1.35)
    st = client.status(r.token)
    assert st["status_code"].tolist() == [2, 2, 2] and st["volume"].tolist() == [10, 5, 0]
    with pytest.raises(RentBlockedError, match="24 hours"):
        client.rent(T, VOLS, confirm=True)
    again = client.rent(T, VOLS, confirm=True, again=True)
    assert again.token != r.token and admin.stats()["rent"] == 2
    out = tmp_path / "numbers.csv"
    numbers = client.download(r.token, out)
    assert out.read_text().splitlines()[0] == "phone_number"
    assert out.read_text().splitlines()[1:] == numbers["phone_number"].tolist()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert client.status(r.token)["status_code"].tolist()[0] == 5
    # Downloaded once: this client answers from its kept copy, another one cannot.
    kept = client.download(r.token)
    assert (
        kept.attrs["kept"] is True
        and kept["phone_number"].tolist() == numbers["phone_number"].tolist()
    )
    with pytest.raises(RentalError) as info:
        client_elsewhere = Client(
            KEY,
            base_url=client.base_url,
            cache=False,
            journal=tmp_path / "j2.sqlite",
            rentals_dir=tmp_path / "r2",
        )
        try:
            client_elsewhere.download(r.token)
        finally:
            client_elsewhere.close()
    assert info.value.code == 34 and "already downloaded" in str(info.value)
    with pytest.raises(RentalError) as info:
        client.status("0" * 32)
    assert info.value.code == 32


@pytest.mark.parametrize(
    "fault",
    [dict(kind="reset"), dict(kind="server_error", status=503), dict(kind="delay", delay=1.5)],
)
def test_fault_during_rent_sends_one_request_and_blocks(admin, make_client, fault):
    c = make_client(timeout=(2, 0.5), deadline=1)  # busy_until: request start + 2.5 s
    admin.fault(op="rent", count=1, **fault)
    with pytest.raises(RentOutcomeUnknownError) as info:
        c.rent(T, VOLS, confirm=True)
    assert admin.stats()["rent"] == 1  # never retried
    entry = c.journal.get(info.value.entry_id)
    assert entry.state == "unknown"
    with pytest.raises(JournalUnknownStateError) as blocked:
        c.rent(Targeting(interest=14, departments=["60"]), {"60": 1}, confirm=True)
    assert blocked.value.entries[0].id == entry.id
    assert admin.stats()["rent"] == 1
    if fault["kind"] == "delay":
        # The server did rent (it answered late): find it by its effect and reconcile.
        deadline = time.monotonic() + 5
        while c.credits().balance_eur == 1000 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert c.credits().balance_eur == pytest.approx(1000 - 1.35)
        with pytest.raises(RentalError):
            c.reconcile(entry.id, token="f" * 32)  # checked with status first
        c.journal.resolve(entry.id, token="unknown-token-from-support")
    else:
        assert c.credits().balance_eur == 1000
        while time.time() <= entry.busy_until:  # until then the server may still rent it
            time.sleep(0.1)
        c.reconcile(entry.id, failed=True)
    assert c.journal.blocking(c.journal_scope) == []
    assert c.rent(T, VOLS, confirm=True, again=True).token
    assert admin.stats()["rent"] == 2


def test_reconcile_with_token(admin, make_client):
    c = make_client()
    admin.fault(kind="server_error", status=502, op="rent", count=1)
    with pytest.raises(RentOutcomeUnknownError) as info:
        c.rent(T, VOLS, confirm=True)
    ok = make_client(journal=c.journal.path.parent / "other.sqlite").rent(T, VOLS, confirm=True)
    settled = c.reconcile(info.value.entry_id, token=ok.token)
    assert settled.state == "done" and settled.token == ok.token and settled.cost_eur == 1.35


def test_vendor_refusal_marks_entry_failed(admin, make_client):
    c = make_client()
    admin.fault(kind="rate_limit", op="rent", count=1, retry_after=0)
    from smsp_analytics.errors import RateLimitError

    with pytest.raises(RateLimitError):
        c.rent(T, VOLS, confirm=True)
    assert [e.state for e in c.journal.entries()] == ["failed"]
    assert c.rent(T, VOLS, confirm=True).token


def test_a_client_never_closed_leaves_no_temporary_folder(monkeypatch, tmp_path):
    # A kernel shut down with its panel open, a script without ``with``: the sandbox's
    # folders (the client's cache and history, the sandbox's own state) go with the process.
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    code = (
        "import tempfile\n"
        "from smsp_analytics.client.facade import Client\n"
        "c = Client(announce=False)\n"
        "c.credits()\n"
        "print(len(list(__import__('pathlib').Path(tempfile.gettempdir()).glob('smsp-sandbox-*'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert int(done.stdout) >= 2  # the client's folder and the sandbox's state
    assert not list(tmp_path.glob("smsp-sandbox-*"))
