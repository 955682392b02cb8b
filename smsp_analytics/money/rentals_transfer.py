"""The one-shot download request of a rental's file, and its failures explained.

The vendor lets a file be downloaded once, so a failed transfer must say whether it used
the file up. A transfer cut half-way keeps what arrived (the partial file, else a copy in
the temp dir, else the error's ``received``) and records the attempt (``<token>.attempt``),
so that a later code 34 says what happened on this machine. An HTTP error is retried only
while the rental's ``status`` still says the file is ready. :class:`Transfer` is used by
:class:`~smsp_analytics.money.rentals.Downloads`, which keeps and parses the file.
"""

from __future__ import annotations

import tempfile
from contextlib import suppress
from pathlib import Path

from smsp_analytics.errors import (
    MalformedResponseError,
    RateLimitError,
    RentalError,
    ServiceUnavailableError,
    SmsPartnerError,
)
from smsp_analytics.i18n import _
from smsp_analytics.money.context import AccountReader, ClientContext
from smsp_analytics.money.rentals_disk import (
    atomic_write,
    attempt_info,
    fallback_attempt,
    fallback_dir,
    partial_note,
    reason,
    record_attempt,
)
from smsp_analytics.wire.decoding import RawResponse, decode, is_file
from smsp_analytics.wire.streaming import Sink
from smsp_analytics.wire.transport import Transport

__all__ = ["Transfer"]


class Transfer:
    """The download request of :class:`~smsp_analytics.money.rentals.Downloads`: the
    context counts the call and says where files are kept; the account part reads a
    rental's ``status`` before a retry."""

    def __init__(
        self, context: ClientContext, transport: Transport, account: AccountReader
    ) -> None:
        self._context = context
        self._transport = transport
        self._account = account

    @property
    def rentals_dir(self) -> Path:
        """Where downloads are kept (attempts are recorded there too)."""
        return self._context.rentals_dir

    def download_once(self, token: str, sink: Sink) -> RawResponse:
        """The one-shot download request, streamed into ``sink``; its failures explained
        (see the module doc)."""
        self._context.count_call()
        failure: SmsPartnerError | None = None
        stopped: list[SmsPartnerError] = []  # raised by the check before a retry: worded

        def before_retry(answer: RawResponse) -> None:
            try:
                self._still_ready(token, answer.status)
            except SmsPartnerError as exc:
                stopped.append(exc)
                raise

        try:
            raw = self._transport.call(
                "GET",
                "location/file/download",
                mode="download",
                kind=None,
                params={"token": token},
                sink=sink,
                before_retry=before_retry,
            )[1]
            if not is_file(raw):
                decode(raw, "status")  # a vendor error sent with HTTP 200: raised
        except RentalError as exc:
            if exc.code == 34 and not any(exc is done for done in stopped):
                raise exc.with_context(self._used_up_text(token), token=token) from None
            raise
        except (ServiceUnavailableError, RateLimitError) as exc:
            if getattr(exc, "sent", True) is False:
                raise  # the request never reached the server: nothing used up
            if exc.http_status not in (None, 200):
                # An HTTP error (retries spent, or a wait the client may not make): the
                # vendor may have marked the file first; its status tells.
                self._still_ready(token, exc.http_status)
                raise exc.with_context(
                    _(
                        "{error}; the file of token {token} is still ready to download (nothing "
                        "was used up): try again later"
                    ).format(error=exc.message, token=token),
                    token=token,
                ) from None
            failure = exc
        if failure is not None:
            # Lost in transit: the vendor may have marked the file downloaded already.
            kept_partial, lines, note = self._keep_arrived(sink, failure)
            self._note_attempt(token, str(failure), kept_partial, lines)
            raise failure.with_context(
                _(
                    "download of token {token} failed in transit ({error}): the vendor may have "
                    "marked the file downloaded, so it may now be used up.{note} Try "
                    "download({quoted}) again; if it answers code 34, quote the token {token} "
                    "to the vendor's support and ask them to make it downloadable again."
                ).format(token=token, error=failure.message, note=note, quoted=repr(token)),
                token=token,
            ) from None
        if not is_file(raw):
            raise MalformedResponseError(
                _("download: the answer is not a file"), field="body", http_status=raw.status
            )
        return raw

    def _keep_arrived(self, sink: Sink, failure: SmsPartnerError) -> tuple[Path | None, int, str]:
        """After a cut transfer: where the bytes that arrived are (the partial file; when
        the rentals folder failed while they arrived, a copy in the temp dir, else the
        error's ``received``), their complete lines, and a sentence saying so."""
        data = sink.received
        if sink.error is None or not data:
            return partial_note(sink.path)
        with suppress(OSError):
            sink.path.unlink(missing_ok=True)  # an incomplete copy of an incomplete copy
        lines = data.count(b"\n")
        folder, why = self.rentals_dir, reason(sink.error)
        try:
            where = fallback_dir() / sink.path.name
            atomic_write(where, data)
        except OSError as exc:
            failure.received = data  # type: ignore[attr-defined]
            return (
                None,
                lines,
                " "
                + _(
                    "The rentals folder {folder} could not take the bytes that did arrive "
                    "({why}), nor the temp dir {temp} ({error}): their {lines} complete "
                    "line(s) are in this error's .received only (an incomplete copy)."
                ).format(
                    folder=folder,
                    why=why,
                    temp=tempfile.gettempdir(),
                    error=reason(exc),
                    lines=lines,
                ),
            )
        return (
            where,
            lines,
            " "
            + _(
                "The rentals folder {folder} could not take the bytes that did arrive ({why}): "
                "they are kept in {path} ({lines} complete line(s), header included): an "
                "incomplete copy, not the full file."
            ).format(folder=folder, why=why, path=where, lines=lines),
        )

    def _note_attempt(
        self, token: str, error: str, partial: Path | None = None, lines: int = 0
    ) -> None:
        """:func:`record_attempt` in the rentals folder, else in the temp dir (a record
        nowhere only costs a truthful explanation of a later code 34)."""
        try:
            record_attempt(self.rentals_dir, token, error, partial, lines)
        except OSError:
            with suppress(OSError):
                record_attempt(
                    fallback_dir(),
                    token,
                    error,
                    partial,
                    lines,
                    extra={"rentals_dir": str(self.rentals_dir)},
                )

    def _used_up_text(self, token: str) -> str:
        """Why a download answered code 34, from this machine's records."""
        attempt = attempt_info(self.rentals_dir, token) or fallback_attempt(token, self.rentals_dir)
        if attempt is None:
            return _(
                "token: this rental's file was already downloaded (the vendor allows one "
                "download) and no copy was kept in {folder}: it was downloaded by another "
                "program or machine"
            ).format(folder=self.rentals_dir)
        partial = attempt.get("partial")
        said = (
            _(
                "token: this rental's file is marked downloaded by the vendor, but the download "
                "from this machine at {at} failed in transit ({error}), so the numbers were "
                "never received; the {lines} complete line(s) that arrived are kept in {path} "
                "(an incomplete copy). Ask the vendor's support to make token {token} "
                "downloadable again."
            )
            if partial
            else _(
                "token: this rental's file is marked downloaded by the vendor, but the download "
                "from this machine at {at} failed in transit ({error}), so the numbers were "
                "never received. Ask the vendor's support to make token {token} downloadable "
                "again."
            )
        )
        return said.format(
            at=attempt.get("at"),
            error=attempt.get("error"),
            lines=attempt.get("lines", 0),
            path=partial,
            token=token,
        )

    def _still_ready(self, token: str, http_status: int) -> None:
        """Before retrying a download that got an HTTP error: retry only if the file is
        still ready (status 2); otherwise the failed transfer used it up."""
        try:
            state = self._account.status(token)
        except SmsPartnerError as exc:
            self._note_attempt(token, f"HTTP {http_status}")
            raise ServiceUnavailableError(
                _(
                    "download of token {token}: HTTP {status}, and the rental's state could not "
                    "be checked ({error}); not retried, as the vendor may have marked the file "
                    "downloaded. Try download({quoted}) later; if it answers code 34, ask the "
                    "vendor's support to make token {token} downloadable again."
                ).format(token=token, status=http_status, error=exc, quoted=repr(token)),
                http_status=http_status,
            ) from None
        code = state.attrs.get("status_code")
        if code == 2:
            return
        if code == 5:
            self._note_attempt(token, f"HTTP {http_status}")
            raise RentalError(
                _(
                    "token {token}: the vendor marked the file downloaded during a failed "
                    "transfer (it answered HTTP {status}); the numbers could not be received. "
                    "Ask the vendor's support to make token {token} downloadable again."
                ).format(token=token, status=http_status),
                code=34,
                http_status=http_status,
            )
        raise RentalError(
            _(
                "token {token}: the download answered HTTP {status} and the rental is now in "
                "state {code} ({state}), not ready to download; not retried"
            ).format(token=token, status=http_status, code=code, state=state.attrs.get("status")),
            code=None,
            http_status=http_status,
        )
