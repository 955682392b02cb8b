"""Streaming a response body to a file as it arrives, within a deadline.

Used by :class:`~smsp_analytics.wire.transport.Transport` for one-shot downloads: the bytes that
arrive are on disk even if the transfer is cut, a disk that fails while they arrive costs
none of them (they are kept in memory), and a server that trickles its answer (each read
within the read timeout) cannot hold the call past its deadline.

>>> import requests
>>> r = requests.Response(); r.headers["Content-Type"] = "application/json"
>>> is_envelope(r)
True
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import requests
import urllib3

from smsp_analytics.i18n import _

__all__ = ["PastDeadline", "Sink", "Watchdog", "is_envelope", "stream_into"]


class PastDeadline(Exception):
    """The body was still arriving when the call's deadline passed (args[0]: what
    arrived)."""


def is_envelope(resp: requests.Response) -> bool:
    """Whether an answer is a JSON/XML/HTML document (a vendor envelope, not a file)."""
    ctype = resp.headers.get("Content-Type", "").lower()
    return "json" in ctype or "xml" in ctype or "html" in ctype


class Sink:
    """Where a streamed body goes: a file written as the bytes arrive, and memory.

    The file is opened at the first byte (an answer cut before any byte leaves an earlier
    copy alone). A disk that fails (full, read-only) stops the writing, not the transfer:
    the error is kept in ``error``, the bytes still arrive in memory (``received``), and
    ``on_disk`` says how many of them reached the file.

    >>> import tempfile
    >>> s = Sink(Path(tempfile.mkdtemp()) / "t.partial")
    >>> s.begin(); s.write(b"ab"); s.write(b"c"); s.close()
    >>> s.received, s.on_disk, s.error, s.path.read_bytes()
    (b'abc', 3, None, b'abc')
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.error: OSError | None = None
        self.on_disk = 0
        self._parts: list[bytes] = []
        self._fd: int | None = None

    def begin(self) -> None:
        """A new body: forget any earlier one."""
        self.close()
        self.error, self.on_disk, self._parts = None, 0, []

    @property
    def received(self) -> bytes:
        """Every byte that arrived, whether or not it reached the file."""
        return b"".join(self._parts)

    def write(self, chunk: bytes) -> None:
        """Keep ``chunk``; write it to the file unless the disk failed already."""
        self._parts.append(chunk)
        if self.error is not None:
            return
        try:
            if self._fd is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            view = memoryview(chunk)
            while view:  # os.write may write less than asked (a disk filling up)
                n = os.write(self._fd, view)
                self.on_disk += n
                view = view[n:]
        except OSError as exc:
            self.error = exc
            self.close()

    def close(self) -> None:
        """fsync and close the file (a failure here is kept in ``error`` too)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.fsync(fd)
        except OSError as exc:
            self.error = self.error or exc
        finally:
            os.close(fd)


def stream_into(resp: requests.Response, sink: Path | Sink, ends: float, deadline: float) -> bytes:
    """Write the body to ``sink`` as it arrives (see :class:`Sink`: a failing disk does not
    stop the transfer) and return it whole; raises :class:`PastDeadline` when
    ``time.monotonic()`` passes ``ends`` between chunks.

    >>> import io, tempfile
    >>> r = requests.Response(); r.raw = io.BytesIO(b"phone_number\\n+33600000001\\n")
    >>> sink = Path(tempfile.mkdtemp()) / "t.csv.partial"
    >>> stream_into(r, sink, time.monotonic() + 5, 5) == sink.read_bytes()
    True
    """
    raw = resp.raw
    # urllib3's read1 returns after one socket read, so a trickle is seen chunk by chunk.
    read1 = raw.read1 if isinstance(raw, urllib3.response.BaseHTTPResponse) else None
    chunks = (
        iter(lambda: read1(65536, decode_content=True), b"")
        if read1 is not None
        else resp.iter_content(65536)
    )
    target = sink if isinstance(sink, Sink) else Sink(sink)
    target.begin()
    received = 0
    try:
        for chunk in chunks:
            if chunk:
                target.write(chunk)
                received += len(chunk)
            if time.monotonic() > ends:
                raise PastDeadline(
                    _("{count} bytes received in {deadline} s").format(
                        count=received, deadline=f"{deadline:g}"
                    )
                )
    finally:
        target.close()
        resp.close()
    return target.received


class Watchdog:
    """Cuts a response's connection when the call's deadline passes while its body is
    still arriving: requests' read timeout is per socket read, so a server sending a byte
    now and then would otherwise hold the call for ever. Pass :meth:`hook` as requests'
    ``response`` hook (it runs when the headers are in, before the body is read); call
    :meth:`stop` once the body is read; ``cut`` tells whether it fired.

    >>> w = Watchdog(time.monotonic() + 5)
    >>> r = requests.Response()
    >>> w.hook(r) is r, w.cut  # no live connection (e.g. a cached answer): nothing to watch
    (True, False)
    >>> w.stop()
    """

    def __init__(self, ends: float) -> None:
        self.ends = ends
        self.cut = False
        self._done = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def hook(self, resp: requests.Response, *args: object, **kwargs: object) -> requests.Response:
        """requests ``response`` hook: arm the timer on the answer's socket."""
        sock = getattr(getattr(resp.raw, "connection", None), "sock", None)
        if sock is None:
            return resp
        with self._lock:
            if self._done or self._timer is not None:
                return resp
            self._timer = threading.Timer(
                max(self.ends - time.monotonic(), 0.0), self._fire, args=(sock,)
            )
            self._timer.daemon = True
            self._timer.start()
        return resp

    def _fire(self, sock: socket.socket) -> None:
        with self._lock:
            if self._done:
                return
            self.cut = True
        try:
            # Wakes the reading thread with an end of stream: urllib3 then reports an
            # incomplete read, which the transport names as a deadline.
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            return  # already closed: the read has ended on its own

    def stop(self) -> None:
        """The body is read (or the call failed): disarm."""
        with self._lock:
            self._done = True
            timer = self._timer
        if timer is not None:
            timer.cancel()
