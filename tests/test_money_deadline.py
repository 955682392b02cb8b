"""One retry layer and a deadline: no call returns later than its deadline plus one read
timeout, whatever the server does; Retry-After honoured up to a cap; honest messages."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from smsp_analytics.client import Client
from smsp_analytics.errors import RateLimitError, ServiceUnavailableError
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"])
READ = 0.4


class Stalled:
    """A server that accepts connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.conns: list[socket.socket] = []
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1/"
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.05)
        while not self._stop:
            try:
                self.conns.append(self.sock.accept()[0])
            except OSError:
                continue

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        for c in self.conns:
            c.close()
        self.sock.close()


@pytest.mark.parametrize("call", ["calcul", "credits", "status", "download", "rent"])
def test_a_stalled_server_is_given_up_within_the_deadline(tmp_path, call):
    server = Stalled()
    try:
        with Client("k", base_url=server.base_url, cache=False, timeout=(1, READ),
                    retries=50, backoff_factor=0.01, deadline=1.2,
                    journal=tmp_path / "j", rentals_dir=tmp_path / "r") as c:
            started = time.monotonic()
            with pytest.raises(ServiceUnavailableError) as info:
                if call == "calcul":
                    c.calcul(T)
                elif call == "credits":
                    c.credits()
                elif call == "status":
                    c.status("t" * 32)
                elif call == "download":
                    c.download("t" * 32)
                else:
                    c.rent(T, {"60": 1}, confirm=True)
            elapsed = time.monotonic() - started
        assert elapsed <= 1.2 + READ + 0.3, elapsed
        assert "Timeout" in str(info.value)
    finally:
        server.close()


def test_slow_answers_with_retries_stay_within_the_deadline(admin, make_client):
    admin.fault(kind="delay", op="calcul", delay=2)
    c = make_client(cache=False, timeout=(1, READ), retries=20, deadline=1.5)
    started = time.monotonic()
    with pytest.raises(ServiceUnavailableError, match="deadline=1.5"):
        c.calcul(T)
    assert time.monotonic() - started <= 1.5 + READ + 0.3


def test_retry_after_beyond_the_cap_raises_at_once(admin, make_client):
    admin.fault(kind="rate_limit", op="calcul", retry_after=3600)
    c = make_client(cache=False)
    started = time.monotonic()
    with pytest.raises(RateLimitError) as info:
        c.calcul(T)
    assert time.monotonic() - started < 2 and info.value.retry_after == 3600
    assert "3600" in str(info.value) and "retry_after_max=30" in str(info.value)
    assert admin.stats()["calcul"] == 1


def test_retry_after_past_the_deadline_raises_at_once(admin, make_client):
    admin.fault(kind="rate_limit", op="me", retry_after=5)
    c = make_client(cache=False, deadline=2)
    started = time.monotonic()
    with pytest.raises(RateLimitError, match="deadline") as info:
        c.credits()
    assert time.monotonic() - started < 1.5 and info.value.retry_after == 5


def test_a_429_on_rent_says_nothing_was_rented(admin, client):
    admin.fault(kind="rate_limit", op="rent", retry_after=2, count=1)
    with pytest.raises(RateLimitError) as info:
        client.rent(T, {"60": 1}, confirm=True)
    text = str(info.value)
    assert "nothing was rented" in text and "exhausted" not in text
    assert info.value.retry_after == 2 and admin.stats()["rent"] == 1
    assert [e.state for e in client.journal.entries()] == ["failed"]


def test_backoff_has_jitter(admin, make_client):
    # Two identical failing calls do not wait the same: concurrent clients spread out.
    admin.fault(kind="server_error", status=502, op="me")
    c = make_client(cache=False, retries=3, backoff_factor=0.05)
    took = []
    for _ in range(2):
        started = time.monotonic()
        with pytest.raises(ServiceUnavailableError, match="4 attempt"):
            c.credits()
        took.append(time.monotonic() - started)
    assert took[0] != took[1]
