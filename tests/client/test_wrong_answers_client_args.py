"""Issue 14: every Client constructor argument is checked at the call; a bad one raises an
error naming it and its allowed values, instead of being taken for something else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smsp_analytics.client.facade import Client
from smsp_analytics.targeting import Targeting

KEY = "sk_test_NEVER_SHOW_4242"  # the session sandbox's key (tests/conftest.py)
T = Targeting(interest=14, departments=["60"])


@pytest.mark.parametrize(
    "kwargs,name",
    [
        (dict(cache_expire_after="x"), "cache_expire_after"),
        (dict(cache_expire_after=True), "cache_expire_after"),
        (dict(cache_expire_after=-1), "cache_expire_after"),
        (dict(cache_expire_after=float("nan")), "cache_expire_after"),
        (dict(cache_expire_after=dt.timedelta(seconds=-5)), "cache_expire_after"),
        (dict(synthetic="no"), "synthetic"),
        (dict(synthetic=0), "synthetic"),
        (dict(announce="no"), "announce"),
        (dict(announce=None), "announce"),
        (dict(memo="off"), "memo"),
        (dict(memo=0), "memo"),
        (dict(journal=123), "journal"),
        (dict(journal=""), "journal"),
        (dict(rentals_dir=5), "rentals_dir"),
        (dict(rentals_dir=["rentals"]), "rentals_dir"),
        (dict(cache=""), "cache"),
        (dict(cache=1.5), "cache"),
        (dict(format=["json"]), "format"),
        (dict(format="JSONP"), "format"),
        (dict(history=3), "history"),
        (dict(sandbox="seed=1"), "sandbox"),
    ],
)
def test_each_bad_argument_is_refused_by_name_with_the_allowed_values(kwargs, name, sbx):
    kwargs = {"base_url": sbx.base_url, "cache": False, "history": False, **kwargs}
    with pytest.raises((TypeError, ValueError), match=rf"^{name}: .*allowed: ") as info:
        Client(KEY, **kwargs)
    assert KEY not in str(info.value)


def test_a_rentals_dir_that_is_a_file_is_refused_before_a_paid_download(sbx, tmp_path):
    afile = tmp_path / "rentals"
    afile.write_text("not a folder")
    with pytest.raises(ValueError, match=r"^rentals_dir: .* is a file; allowed: a folder"):
        Client(KEY, base_url=sbx.base_url, cache=False, history=False, rentals_dir=afile)


def test_sandbox_options_with_a_key_are_refused_or_said_ignored(sbx, monkeypatch):
    # A key and sandbox options in one call contradict each other: refused.
    with pytest.raises(ValueError, match=r"^sandbox: .*'seed'.*only used without an API key"):
        Client(KEY, base_url=sbx.base_url, cache=False, history=False, sandbox={"seed": 3})
    # A key in the environment wins over a notebook's sandbox options, which then say
    # they are not used (never silently dropped).
    monkeypatch.setenv("SMSPARTNER_API_KEY", KEY)
    monkeypatch.setenv("SMSPARTNER_BASE_URL", sbx.base_url)
    with pytest.warns(UserWarning, match=r"^sandbox: .*'date'.* ignored: SMSPARTNER_API_KEY"):
        c = Client(cache=False, history=False, announce=False, sandbox={"date": "2027-01-01"})
    with c:
        assert (
            c.base_url == sbx.base_url
            and not c.calcul({"sexe": "f", "minAge": 25, "maxAge": 34, "interest": 14}).empty
        )


def test_an_unknown_sandbox_option_is_named(monkeypatch):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    with pytest.raises(
        ValueError,
        match=r"^sandbox: 'sede' is not a sandbox option; "
        r"allowed: .*seed",
    ):
        Client(cache=False, history=False, announce=False, sandbox={"sede": 1})


def test_the_allowed_forms_work_over_http(admin, make_client, tmp_path):
    hour = make_client(
        cache_expire_after=dt.timedelta(hours=1),
        memo=False,
        synthetic=True,
        announce=False,
        rentals_dir=tmp_path / "new" / "dir",
    )
    assert hour.calcul(T).attrs["from_cache"] is False
    assert hour.calcul(T).attrs["from_cache"] is True  # kept for the hour
    never = make_client(cache=tmp_path / "never.sqlite", cache_expire_after=None, memo=False)
    never.calcul(T)
    assert never.calcul(T).attrs["from_cache"] is True
    now = make_client(cache=tmp_path / "now.sqlite", cache_expire_after=0, memo=False)
    now.calcul(T)
    assert now.calcul(T).attrs["from_cache"] is False  # expired at once: asked again
    assert admin.stats()["calcul"] == 4
    assert Path(hour.rentals_dir) == tmp_path / "new" / "dir"
