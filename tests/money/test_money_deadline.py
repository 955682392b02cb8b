"""One retry layer and a deadline: no call returns later than its deadline plus one read
timeout, whatever the server does; Retry-After honoured up to a cap; honest messages."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from smsp_analytics.client.facade import Client
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


def _make_call(c: Client, call: str, *, volume: int) -> object:
    """One client call by name (a rent of ``volume`` contacts in department 60)."""
    if call == "calcul":
        return c.calcul(T)
    if call == "credits":
        return c.credits()
    if call in ("status", "download"):
        return getattr(c, call)("t" * 32)
    return c.rent(T, {"60": volume}, confirm=True)


@pytest.mark.parametrize("call", ["calcul", "credits", "status", "download", "rent"])
def test_a_stalled_server_is_given_up_within_the_deadline(tmp_path, call):
    server = Stalled()
    try:
        with Client(
            "k",
            base_url=server.base_url,
            cache=False,
            timeout=(1, READ),
            retries=50,
            backoff_factor=0.01,
            deadline=1.2,
            journal=tmp_path / "j",
            rentals_dir=tmp_path / "r",
        ) as c:
            started = time.monotonic()
            with pytest.raises(ServiceUnavailableError) as info:
                _make_call(c, call, volume=1)
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


class Trickle:
    """A raw-socket server answering like the fake vendor, except for the ``slow`` ops:
    their headers come at once, then the body one byte every 0.5 s (each read well within
    the read timeout, so only a bound on the whole call stops it)."""

    def __init__(self, slow: set[str]) -> None:
        from fakevendor import defaults

        self.answers = defaults()
        self.slow = slow
        self.hits: dict[str, int] = {}
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1/"
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn = self.sock.accept()[0]
            except OSError:
                continue
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(t)
            t.start()

    @staticmethod
    def _op(target: str, body: bytes) -> str:
        import json
        from urllib.parse import urlsplit

        path = urlsplit(target).path
        if path.endswith("/location/optin"):
            return str(json.loads(body or b"{}").get("op"))
        return {
            "/v1/me": "me",
            "/v1/location/status": "status",
            "/v1/location/file/download": "download",
        }.get(path, "?")

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                while not self._stop.is_set():  # keep-alive: one request after another
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        data += chunk
                    head, body = data.split(b"\r\n\r\n", 1)
                    lines = head.decode("latin-1").split("\r\n")
                    length = next(
                        (
                            int(line.split(":", 1)[1])
                            for line in lines[1:]
                            if line.lower().startswith("content-length:")
                        ),
                        0,
                    )
                    while len(body) < length:
                        body += conn.recv(65536)
                    op = self._op(lines[0].split()[1], body)
                    self.hits[op] = self.hits.get(op, 0) + 1
                    status, payload, ctype = self.answers.get(op, (404, b"{}", "application/json"))
                    conn.sendall(
                        f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\n"
                        f"Content-Length: {len(payload)}\r\n\r\n".encode()
                    )
                    if op not in self.slow:
                        conn.sendall(payload)
                        continue
                    for i in range(len(payload)):
                        if self._stop.wait(0.5):
                            return
                        conn.sendall(payload[i : i + 1])
            except OSError:
                return  # the client cut the connection: what this test wants

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(2)
        self.sock.close()


@pytest.mark.parametrize("call", ["calcul", "status", "download", "rent"])
def test_a_trickling_answer_is_given_up_at_the_deadline(tmp_path, call):
    from fakevendor import KEY

    from smsp_analytics.errors import RentOutcomeUnknownError

    server = Trickle({call})
    try:
        with Client(
            KEY,
            base_url=server.base_url,
            cache=False,
            timeout=(1, 1),
            retries=3,
            backoff_factor=0.01,
            deadline=1.5,
            journal=tmp_path / "j",
            rentals_dir=tmp_path / "r",
        ) as c:
            started = time.monotonic()
            expected = RentOutcomeUnknownError if call == "rent" else ServiceUnavailableError
            with pytest.raises(expected) as info:
                _make_call(c, call, volume=120)
            elapsed = time.monotonic() - started
            text = str(info.value)
            assert "deadline=1.5" in text, text
            assert server.hits[call] == 1  # never retried once bytes may have come
            if call == "rent":
                # The server may have rented: the journal says unknown, never failed.
                assert [e.state for e in c.journal.entries()] == ["unknown"]
            if call == "download":
                partial = tmp_path / "r" / ("t" * 32 + ".csv.partial")
                assert partial.read_bytes() and str(partial) in text
        limit = 1.5 + 1 + 0.5 + (3 if call == "rent" else 0)
        assert elapsed <= limit, elapsed
    finally:
        server.close()
