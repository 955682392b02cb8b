"""Issue 19, the campaign side: ``reachable(client=..., check=True)`` removes the account's
STOP list and the numbers that are no valid mobile from a real rental (over HTTP against the
session sandbox, JSON and XML), and :func:`cleaning_funnel` shows the steps."""

from __future__ import annotations

import pandas as pd
import pytest

from smsp_analytics.campaign.funnel import FUNNEL_STEPS, cleaning_funnel
from smsp_analytics.campaign.reachability import ACCOUNT_STOP_LIST, NOT_VALID_MOBILE, reachable
from smsp_analytics.i18n import use_lang

TARGET = {"sexe": "m", "minAge": 18, "maxAge": 98, "interest": 14, "department": "60"}


@pytest.fixture()
def rented(admin, make_client) -> pd.DataFrame:
    """1,000 numbers rented and downloaded (the sandbox adds ~5% of them to the STOP list
    the same day)."""
    c = make_client()
    rental = c.rent(TARGET, {"60": 1000}, confirm=True)
    return c.download(rental.token)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_stop_list_removes_rented_numbers(rented, make_client, fmt):
    c = make_client(format=fmt)
    stop = set(c.stop_list()["phone_number"])
    hit = rented["phone_number"].isin(stop)
    assert 10 <= hit.sum() <= 150  # ~5% of 1,000 (the sandbox's figures)
    kept = reachable(rented, exclude={"customers": rented["phone_number"][:5]}, client=c)
    assert not kept["phone_number"].isin(stop).any()
    excluded = kept.attrs["excluded"]
    assert list(excluded) == [ACCOUNT_STOP_LIST, "customers"]  # the account's list first
    assert excluded[ACCOUNT_STOP_LIST] + excluded["customers"] == 1000 - len(kept)
    # A number in both lists counts for the first: the STOP list.
    assert excluded[ACCOUNT_STOP_LIST] == hit.sum() and excluded["customers"] == 5 - hit[:5].sum()
    assert kept.attrs["stop_list"] == len(stop) and kept.attrs["rented"] == 1000
    assert kept.attrs["token"] == rented.attrs["token"]  # the download's attrs are kept


def test_check_removes_numbers_that_are_no_valid_mobile(rented, admin, make_client):
    c = make_client()
    kept = reachable(rented, client=c, check=True, progress=False)
    excluded = kept.attrs["excluded"]
    assert list(excluded) == [ACCOUNT_STOP_LIST, NOT_VALID_MOBILE]
    assert 1 <= excluded[NOT_VALID_MOBILE] <= 60  # ~2% "not allocated" in the sandbox
    after_stop = 1000 - excluded[ACCOUNT_STOP_LIST]
    assert kept.attrs["checked"] == after_stop  # only the numbers still kept are looked up
    assert admin.stats()["lookup"] == 2  # 950-odd numbers: two requests of at most 500
    assert kept.attrs["check_types"]["invalid"] == excluded[NOT_VALID_MOBILE]
    checked = c.check_numbers(kept["phone_number"])
    assert checked["valid_mobile"].all()

    funnel = cleaning_funnel(kept)
    assert funnel["step"].tolist() == ["rented", "after_stop_list", "valid_mobiles"]
    assert funnel["contacts"].tolist() == [1000, after_stop, len(kept)]
    assert funnel["removed"].tolist() == [
        0,
        excluded[ACCOUNT_STOP_LIST],
        excluded[NOT_VALID_MOBILE],
    ]
    assert funnel["label"].tolist() == [FUNNEL_STEPS[s] for s in funnel["step"]]
    with use_lang("fr"):
        labels = cleaning_funnel(kept)["label"].tolist()
    assert labels[0] == "numéros loués" and labels != funnel["label"].tolist()


def test_check_needs_a_client_and_the_toolkit_names_are_reserved(make_client):
    with pytest.raises(ValueError, match=r"check: .*client="):
        reachable(["+33639980042"], check=True)
    with pytest.raises(TypeError, match=r"check: 'yes' is not allowed"):
        reachable(["+33639980042"], check="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"exclude: 'account STOP list' is a name"):
        reachable(["+33639980042"], exclude={ACCOUNT_STOP_LIST: []}, client=make_client())


def test_without_a_client_nothing_changes():
    kept = reachable(["06 12 34 56 78", "+33698765432"], exclude={"stop": ["0033612345678"]})
    assert kept.attrs["excluded"] == {"stop": 1}
    assert "stop_list" not in kept.attrs and "checked" not in kept.attrs
    assert cleaning_funnel(kept)["step"].tolist() == ["rented", "after_own_lists"]


def test_the_funnel_counts_duplicates_and_unreadable_numbers():
    with pytest.warns(UserWarning, match=r"numbers: 1 entry could not be read .*'nope'"):
        kept = reachable(["0612345678", "06 12 34 56 78", "nope", "0698765432"])
    funnel = cleaning_funnel(kept)
    assert funnel[["step", "contacts", "removed"]].values.tolist() == [
        ["rented", 4, 0],
        ["distinct_readable", 2, 2],
    ]
    with pytest.raises(ValueError, match="result: expected the frame reachable"):
        cleaning_funnel(pd.DataFrame({"phone_number": []}))
