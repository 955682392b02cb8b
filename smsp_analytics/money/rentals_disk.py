"""The files of kept downloads, and the disks that fail under a one-shot download.

Kept files: ``<rentals dir>/<token>.csv`` with its record ``<token>.json``, the bytes of a
download being streamed (``<token>.csv.partial``) and the record of a failed download
(``<token>.attempt``); :mod:`.rentals` describes how a download uses them.

Disks: before the download request, the destination (:func:`check_destination`) and the
rentals folder must be writable and have room for the file (its size estimated from the
journal's volumes, at least :data:`MIN_FREE_BYTES`), or a ValueError (the destination) or
:class:`~smsp_analytics.errors.DownloadWriteError` (the folder, with the token) says so and
nothing is sent. When the folder still fails once the vendor has sent the file, the
numbers go to a copy in the temp dir (:func:`fallback_dir`) that a later download finds
(its record names the client's origin and rentals folder), besides the destination.

>>> space_needed(None) == MIN_FREE_BYTES, space_needed(2000) > 2000 * BYTES_PER_NUMBER
(True, True)
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp()) / "rentals"
>>> check_rentals_dir(folder, "tok_1", 5)
>>> p = keep(folder, "tok_1", b"phone_number\\n", extra={"rentals_dir": "/r"})
>>> find_kept(folder, "tok_1") == p, kept_info(p)["rentals_dir"]
(True, '/r')
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from smsp_analytics.errors import DownloadWriteError
from smsp_analytics.i18n import _
from smsp_analytics.vocab import APP_NAME
from smsp_analytics.wire.streaming import Sink

__all__ = [
    "MIN_FREE_BYTES",
    "BYTES_PER_NUMBER",
    "expected_numbers",
    "space_needed",
    "free_space",
    "check_rentals_dir",
    "fallback_dir",
    "reason",
    "kib",
    "kept_path",
    "find_kept",
    "partial_path",
    "attempt_path",
    "keep",
    "kept_info",
    "atomic_write",
    "record_attempt",
    "attempt_info",
    "partial_note",
    "find_fallback",
    "fallback_attempt",
    "check_destination",
]


#: Free space the rentals folder must have before a download whose size is unknown.
MIN_FREE_BYTES = 16 * 1024
#: A generous size of one number's line in the vendor's file (``+33612345678\n`` is 13).
BYTES_PER_NUMBER = 16

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


# -- kept files ------------------------------------------------------------------------------


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


def attempt_path(rentals_dir: str | Path, token: str) -> Path:
    """Where the record of a failed download of ``token`` is (``<token>.attempt``)."""
    return Path(rentals_dir) / f"{_stem(token)}.attempt"


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


def keep(
    rentals_dir: str | Path,
    token: str,
    data: bytes,
    *,
    entry_id: int | None = None,
    origin: str | None = None,
    partial: Sink | None = None,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Keep a downloaded file (atomically, with its record); returns its path.

    ``partial``: the sink the file was streamed into; when every byte reached it, it is
    moved into place (no second copy on a nearly full disk). The record is written first:
    a record without its file is never taken for a kept file; a file without its record
    would be."""
    path = kept_path(rentals_dir, token)
    record = {
        "token": token,
        "entry_id": entry_id,
        "origin": origin,
        "bytes": len(data),
        "downloaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **(extra or {}),
    }
    meta = path.with_suffix(".json")
    atomic_write(meta, json.dumps(record, indent=1).encode())
    try:
        if (
            partial is not None
            and partial.error is None
            and partial.on_disk == len(data)
            and partial.path.parent == path.parent
            and partial.path.is_file()
        ):
            os.replace(partial.path, path)
        else:
            atomic_write(path, data)
    except BaseException:
        with suppress(OSError):
            meta.unlink(missing_ok=True)
        raise
    return path


def kept_info(path: str | Path) -> dict[str, Any]:
    """The record written beside a kept file (token, entry_id, downloaded_at, origin)."""
    meta = Path(path).with_suffix(".json")
    try:
        return json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def record_attempt(
    rentals_dir: str | Path,
    token: str,
    error: str,
    partial: Path | None = None,
    lines: int = 0,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Record (``<token>.attempt``) a download of ``token`` that failed after the vendor
    may have marked the file downloaded, so a later code 34 can be explained truthfully.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = record_attempt(folder, "tok_2", "HTTP 503")
    >>> attempt_info(folder, "tok_2")["error"], attempt_info(folder, "tok_3")
    ('HTTP 503', None)
    """
    record = {
        "token": token,
        "error": error,
        "partial": None if partial is None else str(partial),
        "lines": lines,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **(extra or {}),
    }
    path = attempt_path(rentals_dir, token)
    atomic_write(path, json.dumps(record, indent=1).encode())
    return path


def attempt_info(rentals_dir: str | Path, token: str) -> dict[str, Any] | None:
    """The record of a failed download of ``token`` on this machine, or None."""
    try:
        return json.loads(attempt_path(rentals_dir, token).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        return {
            "token": token,
            "error": _("unreadable record ({error})").format(error=type(exc).__name__),
            "partial": None,
            "lines": 0,
            "at": "?",
        }


def partial_note(partial: Path) -> tuple[Path | None, int, str]:
    """The partial copy (if any byte arrived), its complete lines, and a sentence."""
    try:
        data = partial.read_bytes()
    except FileNotFoundError:
        return None, 0, ""
    if not data:
        return None, 0, ""
    lines = data.count(b"\n")
    return (
        partial,
        lines,
        " "
        + _(
            "The bytes that did arrive are kept in {path} ({lines} complete line(s), header "
            "included): an incomplete copy, not the full file."
        ).format(path=partial, lines=lines),
    )


# -- disks ------------------------------------------------------------------------------------


def expected_numbers(entry: Any) -> int | None:
    """How many numbers a rental's file holds, from its journal entry (None: unknown)."""
    volumes = getattr(entry, "volumes", None)
    if not isinstance(volumes, dict) or not volumes:
        return None
    counts = [v for v in volumes.values() if isinstance(v, int) and not isinstance(v, bool)]
    return sum(counts) if len(counts) == len(volumes) else None


def space_needed(numbers: int | None) -> int:
    """Bytes of free space asked for before downloading a file of ``numbers`` numbers:
    the file, its record and some slack (filesystems count whole blocks)."""
    if numbers is None:
        return MIN_FREE_BYTES
    return max(MIN_FREE_BYTES, BYTES_PER_NUMBER * (numbers + 1) + 8192)


def free_space(folder: Path) -> int:
    """Bytes an unprivileged writer may still use on ``folder``'s filesystem."""
    st = os.statvfs(folder)
    return st.f_bavail * st.f_frsize


def kib(n: int) -> str:
    """A size for people: ``kib(40208)`` -> ``'39 KiB'``."""
    return _("{size} KiB").format(size=f"{n / 1024:.0f}")


def reason(exc: OSError) -> str:
    """An OSError's reason without its own path (the caller names the place)."""
    return exc.strerror or str(exc) or type(exc).__name__


def check_rentals_dir(folder: Path, token: str, numbers: int | None) -> None:
    """Before the one-shot request: ``folder`` exists (created if need be), a file can be
    created in it and it has :func:`space_needed` bytes free; otherwise
    :class:`DownloadWriteError` naming the folder and the token (nothing was sent)."""
    need = space_needed(numbers)
    errno = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A real file, not os.access: permission bits say nothing to root.
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".probe-", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
        free = free_space(folder)
    except OSError as exc:
        errno, problem = exc.errno, _("cannot be written ({error})").format(error=reason(exc))
    else:
        if free >= need:
            return
        problem = (
            _("has {free} free; the file of token {token} ({numbers} numbers) needs about {need}")
            if numbers is not None
            else _("has {free} free; at least {need} are needed")
        ).format(free=kib(free), token=token, numbers=numbers, need=kib(need))
    raise DownloadWriteError(
        _(
            "download of token {token}: the rentals folder {folder}, where the file is kept "
            "before anything else, {problem}. Nothing was downloaded (the file is still "
            "ready): free some space or fix the folder, or choose another with "
            "Client(rentals_dir=...), then download again."
        ).format(token=token, folder=folder, problem=problem),
        errno=errno,
    )


def check_destination(path: str | Path, need: int = 0) -> Path:
    """``path`` if a file can be written there (with ``need`` bytes free on its disk);
    ValueError naming ``path`` otherwise.

    Checked before the one-shot download request, so a typo costs nothing.
    """
    dest = Path(path).expanduser()
    if dest.is_dir():
        raise ValueError(
            _("path: {path} is a directory; allowed: a file path").format(path=repr(str(dest)))
        )
    parent = dest.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(
            _(
                "path: cannot create the folder {folder} ({error}); allowed: a file path in a "
                "writable folder"
            ).format(folder=repr(str(parent)), error=reason(exc))
        ) from None
    if not os.access(parent, os.W_OK | os.X_OK) or (dest.exists() and not os.access(dest, os.W_OK)):
        raise ValueError(
            _("path: {path} is not writable; allowed: a file path in a writable folder").format(
                path=repr(str(dest))
            )
        )
    free = free_space(parent)
    if free < need:
        raise ValueError(
            _(
                "path: {path} is on a disk with {free} free space, about {need} needed; "
                "allowed: a file path on a disk with room for the file"
            ).format(path=repr(str(dest)), free=kib(free), need=kib(need))
        )
    return dest


def fallback_dir(create: bool = True) -> Path:
    """``<temp dir>/smsp-analytics-<uid>/rentals``: where numbers go when the rentals folder
    fails after the vendor sent them. Private (0700) and owned by this user: a folder there
    owned by someone else, or a link, is refused (PermissionError), as anyone can create
    names in a temp dir. ``create=False``: FileNotFoundError when it does not exist."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    base = Path(tempfile.gettempdir()) / f"{APP_NAME}-{uid if uid is not None else 'user'}"
    if create:
        with suppress(FileExistsError):
            base.mkdir(mode=0o700)
    info = os.lstat(base)
    if not stat.S_ISDIR(info.st_mode) or (uid is not None and info.st_uid != uid):
        raise PermissionError(13, "not a private folder of this user", str(base))
    folder = base / "rentals"
    if create:
        folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def find_fallback(token: str, origin: str, rentals_dir: Path) -> Path | None:
    """The copy of ``token`` kept in :func:`fallback_dir` for this origin and rentals
    folder (a copy for another API or folder is not this client's), or None."""
    try:
        copy = find_kept(fallback_dir(create=False), token)
    except OSError:
        return None
    if copy is None:
        return None
    info = kept_info(copy)
    ours = info.get("origin") == origin and info.get("rentals_dir") == str(rentals_dir)
    return copy if ours else None


def fallback_attempt(token: str, rentals_dir: Path) -> dict[str, Any] | None:
    """The record of a failed download of ``token`` written to the temp dir because the
    rentals folder could not take it, or None."""
    try:
        info = attempt_info(fallback_dir(create=False), token)
    except OSError:
        return None
    return info if info and info.get("rentals_dir") == str(rentals_dir) else None
