"""Paid data is never lost: the raw file is kept before anything else touches it, a bad
destination fails before the one-shot request, and a kept token answers from its copy."""

from __future__ import annotations

import threading
import time

import pytest

from smsp_analytics.errors import DownloadWriteError, ServiceUnavailableError
from smsp_analytics.money import rentals
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])


def _rent(client):
    return client.rent(T, {"60": 3, "02": 2}, confirm=True, again=True)


@pytest.mark.parametrize("bad", ["/proc/nope/out.csv", "DIR"])
def test_bad_destination_fails_before_the_download(admin, client, tmp_path, bad):
    token = _rent(client).token
    dest = tmp_path if bad == "DIR" else bad
    with pytest.raises(ValueError, match="path"):
        client.download(token, dest)
    assert "download" not in admin.stats()  # nothing used up
    df = client.download(token)
    assert len(df) == 5 and df.attrs["kept"] is False


def test_destination_failing_after_the_download_names_the_kept_copy(admin, client, tmp_path):
    token = _rent(client).token
    folder = tmp_path / "sub"
    out = folder / "out.csv"

    def sabotage():
        # While the answer is on its way, the destination folder becomes a file.
        time.sleep(0.3)
        folder.rmdir()
        folder.write_text("not a folder")

    admin.fault(kind="delay", op="download", delay=0.8, count=1)
    saboteur = threading.Thread(target=sabotage)
    saboteur.start()
    try:
        with pytest.raises(OSError) as info:
            client.download(token, out)  # passes the early check, fails to write
    finally:
        saboteur.join()
    kept = client.kept_download(token)
    assert kept is not None and str(kept) in str(info.value) and token in str(info.value)
    assert isinstance(info.value, DownloadWriteError)  # never a bare OSError
    assert info.value.saved_at == kept and len(info.value.frame) == 5
    assert kept.read_text().splitlines()[0] == "phone_number"
    folder.unlink()
    again = client.download(token, out)  # from the kept copy: no second request
    assert again.attrs["kept"] is True and admin.stats()["download"] == 1
    assert out.read_text() == kept.read_text() and len(again) == 5


def test_a_download_lost_on_the_wire_after_the_server_marked_it(admin, client):
    # "after" phase: the server marks the file used, then the answer is cut.
    token = _rent(client).token
    admin.fault(kind="reset", op="download", count=1, phase="after")
    with pytest.raises(ServiceUnavailableError):
        client.download(token)
    assert admin.stats()["download"] == 1  # never retried once bytes may have been sent
    assert client.status(token)["status_code"].tolist()[0] == 5
    assert client.kept_download(token) is None  # nothing arrived: nothing to keep


def test_kept_copy_has_its_record(client, tmp_path):
    r = _rent(client)
    df = client.download(r.token, tmp_path / "n.csv")
    info = rentals.kept_info(df.attrs["kept_path"])
    assert info["token"] == r.token and info["entry_id"] == r.entry_id
    assert info["downloaded_at"].endswith("Z") and df.attrs["path"] == str(tmp_path / "n.csv")
    assert rentals.default_file_name(r.token) == f"smsp-rental-{r.token}.csv"


def test_vendor_errors_sent_with_http_200_on_download(tmp_path):
    from smsp_analytics.client.facade import Client
    from smsp_analytics.errors import RentalError
    from smsp_analytics.sandbox import Sandbox

    with (
        Sandbox(api_key="k200", errors_http_200=True, rental_delay=0) as sb,
        Client(
            "k200",
            base_url=sb.base_url,
            cache=False,
            journal=tmp_path / "j",
            rentals_dir=tmp_path / "r",
        ) as c,
    ):
        with pytest.raises(RentalError) as info:
            c.download("0" * 32)
        assert info.value.code == 32 and info.value.http_status == 200


def test_a_5xx_after_the_server_marked_the_file_is_not_retried_blindly(admin, client):
    from smsp_analytics.errors import RentalError

    token = _rent(client).token
    admin.fault(kind="server_error", op="download", count=1, phase="after")
    with pytest.raises(RentalError) as info:
        client.download(token)
    text = str(info.value)
    assert "marked the file downloaded during a failed transfer" in text
    assert "could not be received" in text and f"make token {token} downloadable" in text
    assert "another program" not in text
    assert admin.stats()["download"] == 1  # status was asked instead of a second try
    assert client.kept_download(token) is None
    # A later try gets code 34 and says what happened here, from the local record.
    with pytest.raises(RentalError) as later:
        client.download(token)
    assert later.value.code == 34 and "another program" not in str(later.value)
    assert "failed in transit" in str(later.value) and token in str(later.value)


def test_a_503_before_the_server_handled_the_download_is_retried(admin, client):
    token = _rent(client).token
    admin.fault(kind="server_error", op="download", count=1, phase="before")
    df = client.download(token)
    assert len(df) == 5 and df.attrs["kept"] is False
    assert admin.stats()["download"] == 2
    assert client.kept_download(token) is not None
    assert not rentals.partial_path(client.rentals_dir, token).exists()


def test_a_truncated_download_keeps_the_bytes_that_arrived(admin, client):
    from smsp_analytics.errors import RentalError

    r = client.rent(T, {"60": 40, "02": 30}, confirm=True, again=True)
    admin.fault(kind="truncate", op="download", count=1, phase="after")
    with pytest.raises(ServiceUnavailableError) as info:
        client.download(r.token)
    partial = rentals.partial_path(client.rentals_dir, r.token)
    text = str(info.value)
    data = partial.read_bytes()
    lines = data.count(b"\n")
    assert data.startswith(b"phone_number") and 1 < lines < 71
    assert str(partial) in text and f"{lines} complete line" in text
    assert "may now be used up" in text and r.token in text
    assert client.kept_download(r.token) is None  # never taken for the full file
    assert admin.stats()["download"] == 1
    with pytest.raises(RentalError) as later:
        client.download(r.token)
    assert later.value.code == 34 and str(partial) in str(later.value)
    assert "another program" not in str(later.value)
    assert partial.read_bytes() == data  # the error envelope did not overwrite it


def test_a_reset_after_the_server_marked_the_file_names_the_token(admin, client):
    token = _rent(client).token
    admin.fault(kind="reset", op="download", count=1, phase="after")
    with pytest.raises(ServiceUnavailableError) as info:
        client.download(token)
    text = str(info.value)
    assert "may now be used up" in text and f"quote the token {token}" in text
    assert rentals.attempt_info(client.rentals_dir, token) is not None


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "server_error", "phase": "after", "retries": 0},
        {"kind": "rate_limit", "phase": "after", "retry_after": 3600, "retries": 3},
        {"kind": "server_error", "phase": "before", "retries": 0},
    ],
)
def test_a_download_error_without_a_retry_says_whether_the_file_is_used(admin, make_client, fault):
    from smsp_analytics.errors import RentalError

    rule = dict(fault)
    c = make_client(retries=rule.pop("retries"))
    token = _rent(c).token
    admin.fault(op="download", count=1, **rule)
    expected = RentalError if rule["phase"] == "after" else ServiceUnavailableError
    with pytest.raises(expected) as info:
        c.download(token)
    text = str(info.value)
    assert admin.stats()["download"] == 1 and admin.stats()["status"] == 1
    if rule["phase"] == "after":
        assert "during a failed transfer" in text and f"make token {token}" in text
    else:
        assert "still ready" in text and "nothing was used up" in text
        assert len(c.download(token)) == 5


def test_the_kept_path_of_an_odd_token_is_the_same_in_every_process(tmp_path):
    import os
    import subprocess
    import sys

    code = "from smsp_analytics.money.rentals import kept_path; print(kept_path('/k', 'a/b c'))"
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert seen == {str(rentals.kept_path("/k", "a/b c"))}
