"""The rent journal as one account sees it: the file, opened at first use, and the scopes
that are this account's.

Journal entries belong to the account they charged: ``scope`` is the normalised origin and a
one-way digest of the key (a background sandbox's state file names the account, its port
changing at each start). Entries written before scopes named the account were scoped by the
base URL (``legacy_scopes``): their unsettled ones still block, and can be settled here.

>>> import tempfile
>>> from pathlib import Path
>>> aj = AccountJournal(Path(tempfile.mkdtemp()) / "j.sqlite", "http://sbx#abc")
>>> e = aj.begin({"sexe": "f"}, {"60": 2}, quote_eur=0.2, again=False, busy_for=0)
>>> aj.owns(aj.journal.get(e)), aj.frame()["state"].tolist()
(True, ['pending'])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from smsp_analytics.money.journal import Journal, JournalEntry

__all__ = ["AccountJournal"]


class AccountJournal:
    """``journal`` (the :class:`~.journal.Journal`, opened at first use), ``scope`` and
    ``legacy_scopes``, and the journal operations of a rent made in that scope."""

    def __init__(self, path: Path, scope: str, legacy_scopes: tuple[str, ...] = ()) -> None:
        self.path = Path(path)
        self.scope = scope
        self.legacy_scopes = tuple(legacy_scopes)
        self._journal: Journal | None = None

    def __repr__(self) -> str:
        return f"AccountJournal(path={str(self.path)!r})"

    @property
    def journal(self) -> Journal:
        """The journal file (opened, and checked, at first use)."""
        if self._journal is None:
            self._journal = Journal(self.path)
        return self._journal

    def owns(self, entry: JournalEntry) -> bool:
        """Whether ``entry`` was written by this account (or under a legacy scope of it)."""
        return entry.scope == self.scope or entry.scope in self.legacy_scopes

    def check(
        self, parameters: dict[str, Any], volumes: dict[str, Any], *, again: bool = False
    ) -> None:
        """Raise :class:`~smsp_analytics.errors.RentBlockedError` if this rental is refused."""
        self.journal.check(self.scope, parameters, volumes, again=again, also=self.legacy_scopes)

    def begin(
        self,
        parameters: dict[str, Any],
        volumes: dict[str, Any],
        *,
        quote_eur: float,
        again: bool,
        busy_for: float,
    ) -> int:
        """Write a rent's intent (``pending``); its entry id."""
        return self.journal.begin(
            self.scope,
            parameters,
            volumes,
            quote_eur=quote_eur,
            again=again,
            busy_for=busy_for,
            also=self.legacy_scopes,
        )

    def frame(self, all_accounts: bool = False) -> pd.DataFrame:
        """This account's entries as a DataFrame (every account's with ``all_accounts``)."""
        if all_accounts:
            return self.journal.frame()
        return self.journal.frame(self.scope, also=self.legacy_scopes)
