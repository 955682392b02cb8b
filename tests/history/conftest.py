"""Fixtures of the history tests: a PostgreSQL server (``pg_server``, one per session), a
fresh database on it (``pg_url``), and a pool of writer processes (``writer_pool``). Declared
here, not imported by each test module, so a test taking them as arguments does not shadow
an imported name."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest
from history_helpers import WRITERS
from pgserver import pg_server, pg_url

__all__ = ["pg_server", "pg_url", "writer_pool"]


@pytest.fixture(scope="module")
def writer_pool() -> Iterator[tuple[ProcessPoolExecutor, object]]:
    """``WRITERS`` separate processes and a barrier factory to start them at one moment.

    They are forked from a fresh server process (``forkserver``: no thread or socket of the
    test process is inherited) that has imported the writers' module once, rather than each
    importing pandas, SQLAlchemy and the toolkit afresh (about a second of CPU each)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["history_helpers"])
    with ctx.Manager() as manager, ProcessPoolExecutor(WRITERS, mp_context=ctx) as pool:
        yield pool, manager.Barrier
