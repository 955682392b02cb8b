"""Fixtures of the history tests: a PostgreSQL server (``pg_server``, one per session) and a
fresh database on it (``pg_url``). Declared here, not imported by each test module, so a test
taking them as arguments does not shadow an imported name."""

from pgserver import pg_server, pg_url

__all__ = ["pg_server", "pg_url"]
