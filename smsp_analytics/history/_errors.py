"""The quote history's errors and warnings."""

from __future__ import annotations

__all__ = ["HistoryUnavailableWarning", "HistoryError", "NotRecorded"]


class HistoryUnavailableWarning(UserWarning):
    """The quote history could not record an answer (the quote itself is unaffected)."""


class HistoryError(RuntimeError):
    """The quote history cannot be used: reading or clearing it failed (the store is
    unreachable or invalid), or ``$SMSP_HISTORY_URL`` is not a usable database URL."""


class NotRecorded(str):
    """Why an answer was not recorded (what :meth:`QuoteHistory.record` returns with
    ``warn=False``); ``busy`` is True when the store was only busy (a SQLite file locked by
    another writer), so that the same answer may be tried again later."""

    busy: bool = False
    op: str = ""
