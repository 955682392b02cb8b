"""Kept downloads: the rented file is written here before anything else touches it.

The vendor lets a rental's file be downloaded once. :meth:`Client.download` writes the raw
bytes atomically to ``<rentals dir>/<token>.csv`` (with ``<token>.json`` beside it: token,
journal entry, time, origin) *before* parsing them or writing the user's destination. A later
``download(token)`` answers from the kept copy instead of failing with code 34.

The body is streamed into ``<token>.csv.partial`` as it arrives: a transfer cut half-way
keeps what arrived there (never parsed as the file) and the error names it. A download
that fails after it may have reached the server is recorded in ``<token>.attempt``, so a
later code 34 says what happened here instead of blaming another machine. A download that
got an HTTP error is retried only while ``status`` still says the file is ready.

The rentals dir is ``<user data dir>/smsp-analytics/rentals`` (``Client(rentals_dir=...)``
overrides it; the no-key sandbox mode keeps its own in its temporary directory).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> p = keep(folder, "tok_1", b"phone_number\\n+33600000001\\n", entry_id=7)
>>> p == kept_path(folder, "tok_1"), find_kept(folder, "tok_1") == p, kept_info(p)["entry_id"]
(True, True, 7)
>>> default_file_name("tok_1")
'smsp-rental-tok_1.csv'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import platformdirs

from .decoding import decode, is_file
from .errors import (MalformedResponseError, RateLimitError, RentalError,
                     ServiceUnavailableError, SmsPartnerError)
from .frames import phone_frame
from .scope import normalise_origin

__all__ = ["DownloadMixin", "check_token", "default_rentals_dir", "kept_path", "find_kept", "keep", "kept_info",
           "default_file_name", "atomic_write", "check_destination", "partial_path",
           "record_attempt", "attempt_info"]

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def default_rentals_dir() -> Path:
    """``<user data dir>/smsp-analytics/rentals``."""
    return Path(platformdirs.user_data_dir("smsp-analytics")) / "rentals"


def _stem(token: str) -> str:
    # Tokens come from the vendor: keep them readable but never a path.
    safe = _SAFE.sub("_", token.strip())[:120] or "token"
    # hashlib, not hash(): str hashes change from one process to the next.
    digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return safe if safe == token.strip() else f"{safe}-{digest}"


def kept_path(rentals_dir: str | Path, token: str) -> Path:
    """Where the raw file of ``token`` is (or would be) kept."""
    return Path(rentals_dir) / f"{_stem(token)}.csv"


def find_kept(rentals_dir: str | Path, token: str) -> Path | None:
    """The kept raw file of ``token``, or None if it was never downloaded here."""
    path = kept_path(rentals_dir, token)
    return path if path.is_file() else None


def partial_path(rentals_dir: str | Path, token: str) -> Path:
    """Where the bytes of a download of ``token`` are streamed as they arrive
    (``<token>.csv.partial``); after a cut transfer it holds what did arrive."""
    return Path(rentals_dir) / f"{_stem(token)}.csv.partial"


def _attempt_path(rentals_dir: str | Path, token: str) -> Path:
    return Path(rentals_dir) / f"{_stem(token)}.attempt"


def record_attempt(rentals_dir: str | Path, token: str, error: str,
                   partial: Path | None = None, lines: int = 0) -> Path:
    """Record (``<token>.attempt``) a download of ``token`` that failed after the vendor
    may have marked the file downloaded, so a later code 34 can be explained truthfully.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = record_attempt(folder, "tok_2", "HTTP 503")
    >>> attempt_info(folder, "tok_2")["error"], attempt_info(folder, "tok_3")
    ('HTTP 503', None)
    """
    record = {"token": token, "error": error,
              "partial": None if partial is None else str(partial), "lines": lines,
              "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path = _attempt_path(rentals_dir, token)
    atomic_write(path, json.dumps(record, indent=1).encode())
    return path


def attempt_info(rentals_dir: str | Path, token: str) -> dict[str, Any] | None:
    """The record of a failed download of ``token`` on this machine, or None."""
    try:
        return json.loads(_attempt_path(rentals_dir, token).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        return {"token": token, "error": f"unreadable record ({type(exc).__name__})",
                "partial": None, "lines": 0, "at": "?"}


def _partial_note(partial: Path) -> tuple[Path | None, int, str]:
    """The partial copy (if any byte arrived), its complete lines, and a sentence."""
    try:
        data = partial.read_bytes()
    except FileNotFoundError:
        return None, 0, ""
    if not data:
        return None, 0, ""
    lines = data.count(b"\n")
    return partial, lines, (f" The bytes that did arrive are kept in {partial} ({lines} "
                            "complete line(s), header included): an incomplete copy, not "
                            "the full file.")


def kept_info(path: str | Path) -> dict[str, Any]:
    """The record written beside a kept file (token, entry_id, downloaded_at, origin)."""
    meta = Path(path).with_suffix(".json")
    try:
        return json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def default_file_name(token: str) -> str:
    """The file name ``smsp download TOKEN`` uses when no ``--out`` is given."""
    return f"smsp-rental-{_stem(token)}.csv"


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same directory, fsync, then ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def keep(rentals_dir: str | Path, token: str, data: bytes, *, entry_id: int | None = None,
         origin: str | None = None) -> Path:
    """Keep a downloaded file (atomically, with its record); returns its path."""
    path = kept_path(rentals_dir, token)
    atomic_write(path, data)
    record = {"token": token, "entry_id": entry_id, "origin": origin, "bytes": len(data),
              "downloaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    atomic_write(path.with_suffix(".json"), json.dumps(record, indent=1).encode())
    return path


def check_destination(path: str | Path) -> Path:
    """``path`` if a file can be written there; ValueError naming ``path`` otherwise.

    Checked before the one-shot download request, so a typo costs nothing.
    """
    dest = Path(path).expanduser()
    if dest.is_dir():
        raise ValueError(f"path: {str(dest)!r} is a directory; allowed: a file path")
    parent = dest.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ValueError(f"path: cannot create the folder {str(parent)!r} ({reason}); "
                         "allowed: a file path in a writable folder") from None
    if not os.access(parent, os.W_OK | os.X_OK) or (dest.exists()
                                                    and not os.access(dest, os.W_OK)):
        raise ValueError(f"path: {str(dest)!r} is not writable; allowed: a file path in a "
                         "writable folder")
    return dest


def check_token(token: Any) -> str:
    """A rental token, stripped; :class:`RentalError` (code 31) naming ``token`` otherwise."""
    if not isinstance(token, str) or not token.strip():
        raise RentalError(f"token: invalid value {token!r}; allowed: a rental token", code=31)
    return token.strip()


class DownloadMixin:
    """``download`` and ``kept_download`` (mixed into :class:`Client`)."""

    def kept_download(self, token: str) -> Path | None:
        """Where this client keeps (or kept) the downloaded file of ``token``, if it did."""
        return find_kept(self.rentals_dir, check_token(token))

    def download(self, token: str, path: str | Path | None = None) -> pd.DataFrame:
        """The rented numbers (E.164 strings). The vendor allows one download: the raw
        file is first kept in ``rentals_dir`` (atomically), then parsed and, with ``path``,
        copied there. A token already kept answers from the copy (``attrs["kept"]``)."""
        token = check_token(token)
        dest = None if path is None else check_destination(path)
        kept = find_kept(self.rentals_dir, token)
        if kept is None:
            raw = self._download_once(token)
            entry = self.journal.by_token(token)
            kept = keep(self.rentals_dir, token, raw.content,
                        entry_id=None if entry is None else entry.id,
                        origin=normalise_origin(self.base_url))
            for stale in (partial_path(self.rentals_dir, token),
                          _attempt_path(self.rentals_dir, token)):
                stale.unlink(missing_ok=True)
            from_copy = False
        else:
            from_copy = True
        data = kept.read_bytes()
        try:
            df = phone_frame(data.decode("utf-8-sig"), token=token, source=self.source,
                             synthetic=self.synthetic)
        except (UnicodeDecodeError, ValueError) as exc:
            raise MalformedResponseError(f"download: the file cannot be read "
                                         f"({type(exc).__name__}); the raw file is kept at "
                                         f"{kept}", field="body") from None
        if dest is not None:
            try:
                atomic_write(dest, data)
            except OSError as exc:
                raise OSError(exc.errno, f"could not write {dest} ({exc.strerror}); the "
                              f"numbers are safe in {kept}") from None
        now = pd.Timestamp.now(tz="UTC")
        self.label_frame(df, now, from_copy)
        df.attrs.update({"kept": from_copy, "kept_path": str(kept),
                         "path": None if dest is None else str(dest)})
        return df

    def _download_once(self, token: str) -> Any:
        """The one-shot download request; its failures explained (see the module doc)."""
        partial = partial_path(self.rentals_dir, token)
        self.calls += 1
        failure: SmsPartnerError | None = None
        try:
            _, raw = self.transport.call(
                "GET", "location/file/download", mode="download", kind=None,
                params={"token": token}, sink=partial,
                before_retry=lambda answer: self._still_ready(token, answer.status))
            if not is_file(raw):
                decode(raw, "status")  # a vendor error sent with HTTP 200: raised
        except RentalError as exc:
            if exc.code == 34 and not getattr(exc, "explained", False):
                exc.explain(self._used_up_text(token))
            raise
        except (ServiceUnavailableError, RateLimitError) as exc:
            if getattr(exc, "sent", True) is False:
                raise  # the request never reached the server: nothing used up
            if exc.http_status not in (None, 200):
                # An HTTP error (retries spent, or a wait the client may not make): the
                # vendor may have marked the file first; its status tells.
                self._still_ready(token, exc.http_status)
                exc.explain(f"{exc.message}; the file of token {token} is still ready to "
                            "download (nothing was used up): try again later")
                raise
            failure = exc
        if failure is not None:
            # Lost in transit: the vendor may have marked the file downloaded already.
            kept_partial, lines, note = _partial_note(partial)
            record_attempt(self.rentals_dir, token, str(failure), kept_partial, lines)
            failure.explain(
                f"download of token {token} failed in transit ({failure.message}): the "
                "vendor may have marked the file downloaded, so it may now be used up."
                f"{note} Try download({token!r}) again; if it answers code 34, quote the "
                f"token {token} to the vendor's support and ask them to make it "
                "downloadable again.")
            raise failure
        if not is_file(raw):
            raise MalformedResponseError("download: the answer is not a file",
                                         field="body", http_status=raw.status)
        return raw

    def _used_up_text(self, token: str) -> str:
        """Why a download answered code 34, from this machine's records."""
        attempt = attempt_info(self.rentals_dir, token)
        if attempt is None:
            return (f"token: this rental's file was already downloaded (the vendor allows "
                    f"one download) and no copy was kept in {self.rentals_dir}: it was "
                    "downloaded by another program or machine")
        partial = attempt.get("partial")
        note = (f"; the {attempt.get('lines', 0)} complete line(s) that arrived are kept in "
                f"{partial} (an incomplete copy)" if partial else "")
        return (f"token: this rental's file is marked downloaded by the vendor, but the "
                f"download from this machine at {attempt.get('at')} failed in transit "
                f"({attempt.get('error')}), so the numbers were never received{note}. Ask "
                f"the vendor's support to make token {token} downloadable again.")

    def _still_ready(self, token: str, http_status: int) -> None:
        """Before retrying a download that got an HTTP error: retry only if the file is
        still ready (status 2); otherwise the failed transfer used it up."""
        try:
            state = self.status(token)
        except SmsPartnerError as exc:
            record_attempt(self.rentals_dir, token, f"HTTP {http_status}")
            raise ServiceUnavailableError(
                f"download of token {token}: HTTP {http_status}, and the rental's state "
                f"could not be checked ({exc}); not retried, as the vendor may have marked "
                f"the file downloaded. Try download({token!r}) later; if it answers code "
                f"34, ask the vendor's support to make token {token} downloadable again.",
                http_status=http_status) from None
        code = state.attrs.get("status_code")
        if code == 2:
            return
        if code == 5:
            record_attempt(self.rentals_dir, token, f"HTTP {http_status}")
            used = RentalError(
                f"token {token}: the vendor marked the file downloaded during a failed "
                f"transfer (it answered HTTP {http_status}); the numbers could not be "
                f"received. Ask the vendor's support to make token {token} downloadable "
                "again.", code=34, http_status=http_status)
            used.explained = True
            raise used
        raise RentalError(
            f"token {token}: the download answered HTTP {http_status} and the rental is "
            f"now in state {code} ({state.attrs.get('status')}), not ready to download; "
            "not retried", code=None, http_status=http_status)
