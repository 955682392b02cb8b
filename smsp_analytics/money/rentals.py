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
overrides it; the no-key sandbox mode keeps its own in its temporary directory). It is
checked before the request (writable, with room for the file); if it still fails once the
file has arrived, the numbers go to the destination and to a copy in the temp dir, or stay
in memory, and :class:`~smsp_analytics.errors.DownloadWriteError` says where
(:mod:`.rentals_disk`). The request itself and its failures are :mod:`.rentals_transfer`.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> p = keep(folder, "tok_1", b"phone_number\\n+33600000001\\n", entry_id=7)
>>> p == kept_path(folder, "tok_1"), find_kept(folder, "tok_1") == p, kept_info(p)["entry_id"]
(True, True, 7)
>>> default_file_name("tok_1")
'smsp-rental-tok_1.csv'
"""

from __future__ import annotations

import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd
import platformdirs

from smsp_analytics.errors import DownloadWriteError, MalformedResponseError, RentalError
from smsp_analytics.frames import phone_frame
from smsp_analytics.i18n import _
from smsp_analytics.money.account_journal import AccountJournal
from smsp_analytics.money.context import AccountReader, ClientContext
from smsp_analytics.money.rentals_disk import (
    atomic_write,
    attempt_info,
    attempt_path,
    check_destination,
    check_rentals_dir,
    expected_numbers,
    fallback_dir,
    find_fallback,
    find_kept,
    keep,
    kept_info,
    kept_path,
    partial_path,
    reason,
    record_attempt,
    space_needed,
)
from smsp_analytics.money.rentals_transfer import Transfer
from smsp_analytics.vocab import APP_NAME
from smsp_analytics.wire.scope import normalise_origin
from smsp_analytics.wire.streaming import Sink
from smsp_analytics.wire.transport import Transport

__all__ = [
    "Downloads",
    "check_token",
    "default_rentals_dir",
    "kept_path",
    "find_kept",
    "keep",
    "kept_info",
    "default_file_name",
    "atomic_write",
    "check_destination",
    "partial_path",
    "record_attempt",
    "attempt_info",
]


def default_rentals_dir() -> Path:
    """``<user data dir>/smsp-analytics/rentals``."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "rentals"


def default_file_name(token: str) -> str:
    """The file name ``smsp download TOKEN`` uses when no ``--out`` is given."""
    return f"smsp-rental-{kept_path('.', token).stem}.csv"


def check_token(token: Any) -> str:
    """A rental token, stripped; :class:`RentalError` (code 31) naming ``token`` otherwise."""
    if not isinstance(token, str) or not token.strip():
        raise RentalError(
            _("token: invalid value {value}; allowed: a rental token").format(value=repr(token)),
            code=31,
        )
    return token.strip()


def _not_kept_where(numbers: int | None, dest: Path | None, copy: Path | None) -> str:
    """Where the numbers of a file the rentals folder could not keep are, and what a later
    download answers: a template of ``numbers``, ``dest``, ``copy`` and ``quoted`` (the
    token's repr)."""
    if numbers is None:
        if dest is not None and copy is not None:
            return _(
                "The file is in {dest}, with a copy in {copy}: download({quoted}) reads that "
                "copy (and moves it into the rentals folder once it can be written)."
            )
        if dest is not None:
            return _(
                "The file is in {dest}; download({quoted}) answers from this client's memory "
                "in this session only."
            )
        if copy is not None:
            return _(
                "The file is in {copy}: download({quoted}) reads that copy (and moves it into "
                "the rentals folder once it can be written)."
            )
        return _(
            "The file is only in memory: in this error's .frame (save it, e.g. "
            "err.frame.to_csv(...)); download({quoted}) answers from this client's memory in "
            "this session only."
        )
    if dest is not None and copy is not None:
        return _(
            "The {numbers} numbers are in {dest}, with a copy in {copy}: download({quoted}) "
            "reads that copy (and moves it into the rentals folder once it can be written)."
        )
    if dest is not None:
        return _(
            "The {numbers} numbers are in {dest}; download({quoted}) answers from this "
            "client's memory in this session only."
        )
    if copy is not None:
        return _(
            "The {numbers} numbers are in {copy}: download({quoted}) reads that copy (and "
            "moves it into the rentals folder once it can be written)."
        )
    return _(
        "The {numbers} numbers are only in memory: in this error's .frame (save them, e.g. "
        "err.frame.to_csv(...)); download({quoted}) answers from this client's memory in this "
        "session only."
    )


class Downloads:
    """``download`` and ``kept_download`` (a part of :class:`Client`): the context says
    where files are kept and how frames are labelled; the journal names a token's entry;
    the account part reads a rental's ``status`` before a retry."""

    def __init__(
        self,
        context: ClientContext,
        transport: Transport,
        journal: AccountJournal,
        account: AccountReader,
    ) -> None:
        self._context = context
        self._transport = transport
        self._journal = journal
        self._account = account
        self._transfer = Transfer(context, transport, account)
        #: files received that no disk could take (token -> bytes), for this session
        self._unkept_files: dict[str, bytes] = {}

    @property
    def rentals_dir(self) -> Path:
        """Where downloads are kept."""
        return self._context.rentals_dir

    def _origin(self) -> str:
        return normalise_origin(self._context.base_url)

    def kept_download(self, token: str) -> Path | None:
        """Where this client keeps (or kept) the downloaded file of ``token``, if it did:
        in the rentals folder, or in the temp dir when that folder could not take it."""
        token = check_token(token)
        return find_kept(self.rentals_dir, token) or find_fallback(
            token, self._origin(), self.rentals_dir
        )

    def download(self, token: str, path: str | Path | None = None) -> pd.DataFrame:
        """The rented numbers (E.164 strings). The vendor allows one download: the raw
        file is first kept in ``rentals_dir`` (atomically), then parsed and, with ``path``,
        copied there. A token already kept answers from the copy (``attrs["kept"]``).

        Before the request, ``path`` and ``rentals_dir`` must be writable with room for
        the file (ValueError / :class:`DownloadWriteError`, nothing sent). A disk failing
        after it raises :class:`DownloadWriteError` naming where the numbers are
        (``saved_at``), with the numbers in its ``frame``."""
        token = check_token(token)
        entry = self._journal.journal.by_token(token)
        numbers = expected_numbers(entry)
        dest = None if path is None else check_destination(path, space_needed(numbers))
        data, kept = self._kept_copy(token, entry)
        from_copy = data is not None
        if data is None:
            check_rentals_dir(self.rentals_dir, token, numbers)
            sink = Sink(partial_path(self.rentals_dir, token))
            data = self._transfer.download_once(token, sink).content
            if sink.error is not None:
                with suppress(OSError):  # an incomplete copy: its room may fit the file
                    sink.path.unlink(missing_ok=True)
            failed: OSError | None = None
            try:
                kept = keep(
                    self.rentals_dir,
                    token,
                    data,
                    partial=sink,
                    entry_id=None if entry is None else entry.id,
                    origin=self._origin(),
                )
            except OSError as exc:
                failed = exc
            if failed is not None:
                self._not_kept(token, data, dest, entry, failed, sink)
            for stale in (
                partial_path(self.rentals_dir, token),
                attempt_path(self.rentals_dir, token),
            ):
                with suppress(OSError):  # the numbers are kept: leftovers cost nothing
                    stale.unlink(missing_ok=True)
        df = self._numbers(token, data, kept, from_copy)
        if dest is not None:
            try:
                atomic_write(dest, data)
            except OSError as exc:
                where = kept or _(
                    "memory only: this error's .frame, and this client answers "
                    "download({quoted}) from it in this session"
                ).format(quoted=repr(token))
                raise DownloadWriteError(
                    _(
                        "download of token {token}: could not write {path} ({error}); the "
                        "numbers are safe in {where}"
                    ).format(token=token, path=dest, error=reason(exc), where=where),
                    saved_at=kept,
                    frame=df,
                    errno=exc.errno,
                ) from None
        df.attrs["path"] = None if dest is None else str(dest)
        return df

    def _numbers(self, token: str, data: bytes, kept: Path | None, from_copy: bool) -> pd.DataFrame:
        """The numbers of a file, labelled (MalformedResponseError naming where it is)."""
        try:
            df = phone_frame(
                data.decode("utf-8-sig"),
                token=token,
                source=self._context.source,
                synthetic=self._context.synthetic,
            )
        except (UnicodeDecodeError, ValueError) as exc:
            raise MalformedResponseError(
                _(
                    "download: the file cannot be read ({error}); the raw file is kept at {path}"
                ).format(error=type(exc).__name__, path=kept or _("no path (memory only)")),
                field="body",
            ) from None
        self._context.label(df, pd.Timestamp.now(tz="UTC"), from_copy)
        df.attrs.update(
            {"kept": from_copy, "kept_path": None if kept is None else str(kept), "path": None}
        )
        return df

    def _unkept(self) -> dict[str, bytes]:
        """Files received that no disk could take (token -> bytes), for this session."""
        return self._unkept_files

    def _kept_copy(self, token: str, entry: Any) -> tuple[bytes | None, Path | None]:
        """The kept file of ``token`` and where it is (None: in memory), or (None, None).
        A copy outside the rentals folder moves into it once the folder can be written."""
        kept = find_kept(self.rentals_dir, token)
        if kept is not None:
            return kept.read_bytes(), kept
        origin = self._origin()
        elsewhere = find_fallback(token, origin, self.rentals_dir)
        data = elsewhere.read_bytes() if elsewhere is not None else self._unkept().get(token)
        if data is None:
            return None, None
        try:
            kept = keep(
                self.rentals_dir,
                token,
                data,
                origin=origin,
                entry_id=None if entry is None else entry.id,
            )
        except OSError:
            return data, elsewhere
        self._unkept().pop(token, None)
        if elsewhere is not None:
            with suppress(OSError):
                elsewhere.unlink()
                elsewhere.with_suffix(".json").unlink()
        return data, kept

    def _not_kept(
        self, token: str, data: bytes, dest: Path | None, entry: Any, failed: OSError, sink: Sink
    ) -> NoReturn:
        """The file arrived but the rentals folder could not keep it: put the numbers at
        ``dest`` and in the temp dir (else memory), and raise an error saying where."""
        with suppress(OSError):
            sink.path.unlink(missing_ok=True)  # never taken for the file; frees room
        try:
            df: pd.DataFrame | None = self._numbers(token, data, None, False)
        except MalformedResponseError:
            df = None
        could_not = [
            _("the rentals folder {folder} ({error})").format(
                folder=self.rentals_dir, error=reason(failed)
            )
        ]
        at_dest = False
        if dest is not None:
            try:
                atomic_write(dest, data)
                at_dest = True
            except OSError as exc:
                could_not.append(f"{dest} ({reason(exc)})")  # a path and an OS reason
        copy = None
        try:
            copy = keep(
                fallback_dir(),
                token,
                data,
                origin=self._origin(),
                entry_id=None if entry is None else entry.id,
                extra={"rentals_dir": str(self.rentals_dir)},
            )
        except OSError as exc:
            could_not.append(
                _("the temp dir {folder} ({error})").format(
                    folder=tempfile.gettempdir(), error=reason(exc)
                )
            )
            self._unkept()[token] = data
        where = _not_kept_where(
            numbers=None if df is None else len(df), dest=dest if at_dest else None, copy=copy
        ).format(numbers=None if df is None else len(df), dest=dest, copy=copy, quoted=repr(token))
        if df is not None:
            df.attrs.update(
                {
                    "kept_path": None if copy is None else str(copy),
                    "path": str(dest) if at_dest else None,
                }
            )
        raise DownloadWriteError(
            _(
                "download of token {token}: the file was received (the vendor now counts it as "
                "downloaded) but could not be written to {places}. {where} Free some space in "
                "or fix {folder}."
            ).format(
                token=token,
                places=_(", nor to ").join(could_not),
                where=where,
                folder=self.rentals_dir,
            ),
            saved_at=dest if at_dest else copy,
            frame=df,
            errno=failed.errno,
        )
