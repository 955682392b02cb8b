"""Streaming a response body to a file as it arrives, within a deadline.

Used by :class:`~smsp_analytics.transport.Transport` for one-shot downloads: the bytes that
arrive are on disk even if the transfer is cut, and a server that trickles its answer (each
read within the read timeout) cannot hold the call past its deadline.

>>> import requests
>>> r = requests.Response(); r.headers["Content-Type"] = "application/json"
>>> is_envelope(r)
True
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import requests
import urllib3

__all__ = ["PastDeadline", "is_envelope", "stream_into"]


class PastDeadline(Exception):
    """The body was still arriving when the call's deadline passed (args[0]: what
    arrived)."""


def is_envelope(resp: requests.Response) -> bool:
    """Whether an answer is a JSON/XML/HTML document (a vendor envelope, not a file)."""
    ctype = resp.headers.get("Content-Type", "").lower()
    return "json" in ctype or "xml" in ctype or "html" in ctype


def stream_into(resp: requests.Response, sink: Path, ends: float, deadline: float) -> bytes:
    """Write the body to ``sink`` as it arrives (opened at the first byte, so an answer
    cut before any byte leaves an earlier copy alone) and return it whole; raises
    :class:`PastDeadline` when ``time.monotonic()`` passes ``ends`` between chunks.

    >>> import io, tempfile
    >>> r = requests.Response(); r.raw = io.BytesIO(b"phone_number\\n+33600000001\\n")
    >>> sink = Path(tempfile.mkdtemp()) / "t.csv.partial"
    >>> stream_into(r, sink, time.monotonic() + 5, 5) == sink.read_bytes()
    True
    """
    raw = resp.raw
    # urllib3's read1 returns after one socket read, so a trickle is seen chunk by chunk.
    read1 = raw.read1 if isinstance(raw, urllib3.response.BaseHTTPResponse) else None
    chunks = (iter(lambda: read1(65536, decode_content=True), b"") if read1 is not None
              else resp.iter_content(65536))
    parts: list[bytes] = []
    received = 0
    fh = None
    try:
        for chunk in chunks:
            if chunk:
                if fh is None:
                    sink.parent.mkdir(parents=True, exist_ok=True)
                    fh = open(sink, "wb")
                fh.write(chunk)
                fh.flush()
                parts.append(chunk)
                received += len(chunk)
            if time.monotonic() > ends:
                raise PastDeadline(f"{received} bytes received in {deadline:g} s")
    finally:
        if fh is not None:
            os.fsync(fh.fileno())
            fh.close()
        resp.close()
    return b"".join(parts)
