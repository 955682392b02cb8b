"""Rent answers the journal could not take: a JSON record beside the journal file (else in
the temp dir), so a rent that was charged is never lost with a full or read-only disk, and
found again when renting is blocked (the entry is then recorded from it by ``reconcile``).

>>> import tempfile
>>> j = Path(tempfile.mkdtemp()) / "journal.sqlite"
>>> kept = save_fallback(j, {"entry_id": 3, "journal": str(j), "scope": "s", "token": "tk"})
>>> kept_answer(j, 3, "s") == (kept, "tk"), kept_answer(j, 3, "other")
(True, None)
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["save_fallback", "kept_answer"]


def save_fallback(journal: Path, record: dict[str, Any]) -> Path | None:
    """Write ``record`` (a rent answer the journal could not take) as JSON beside the
    journal, else in the temp dir; the file written, or None if neither could take it."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    name = f"{journal.name}.unrecorded-{record.get('entry_id')}-{stamp}-{os.getpid()}.json"
    text = json.dumps(record, indent=2, sort_keys=True) + "\n"
    for folder in (journal.parent, Path(tempfile.gettempdir())):
        target = folder / (name if folder == journal.parent else f"smsp-{name}")
        try:
            f = open(target, "x", encoding="utf-8")
        except OSError:
            continue
        try:
            with f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            return target
        except OSError:
            with contextlib.suppress(OSError):  # a full disk leaves an empty or cut file
                target.unlink()
    return None


def kept_answer(journal: Path, entry_id: int, scope: str) -> tuple[Path, str] | None:
    """A fallback record of ``entry_id`` in this journal and scope that holds a token
    (written by :func:`save_fallback` when the journal could not take the rent answer):
    its file and the token, else None."""
    name = f"{journal.name}.unrecorded-{entry_id}-*.json"
    for found in [*journal.parent.glob(name), *Path(tempfile.gettempdir()).glob(f"smsp-{name}")]:
        try:
            record = json.loads(found.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (
            isinstance(record, dict)
            and record.get("entry_id") == entry_id
            and record.get("journal") == str(journal)
            and record.get("scope") == scope
            and isinstance(record.get("token"), str)
            and record["token"]
        ):
            return found, record["token"]
    return None
