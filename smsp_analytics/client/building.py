"""The one builder of a client from arguments and environment (:func:`make_client`), used by
the library, the CLI, the report and the app, and :func:`client_or_default` for code that
takes an optional client. :mod:`.facade` exports both (import them from there or from
``smsp_analytics``).

>>> with make_client(cache=False, keep_sandbox_in=None) as c:
...     c.synthetic
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smsp_analytics.client.assembly import key_from_environment

if TYPE_CHECKING:
    from smsp_analytics.client.facade import Client

__all__ = ["make_client", "client_or_default", "SANDBOX_STATE_FILE"]

#: In ``make_client(keep_sandbox_in=folder)``: the no-key sandbox's state file there.
SANDBOX_STATE_FILE = "cli-sandbox-state.sqlite"


def make_client(
    api_key: str | None = None,
    *,
    keep_sandbox_in: str | Path | None = None,
    announce: bool = False,
    **options: Any,
) -> Client:
    """The one builder of a client from arguments and environment, used by the library,
    the CLI, the report and the app: ``Client(api_key, announce=announce, **options)``.
    ``keep_sandbox_in`` (a folder): without a key (argument or ``SMSPARTNER_API_KEY``) the
    sandbox keeps its state there (:data:`SANDBOX_STATE_FILE`, the rent journal and the kept
    downloads beside it), so it outlives the process (``smsp rent`` then ``smsp status``).

    >>> with make_client(cache=False) as c:
    ...     c.source
    'sandbox'
    """
    if keep_sandbox_in is not None and api_key is None and key_from_environment() is None:
        home = Path(keep_sandbox_in)
        home.mkdir(parents=True, exist_ok=True)
        # The rent journal and the kept downloads follow the sandbox's state, so the 24-hour
        # guard and "a kept file answers a second download" span processes too.
        given = options.get("sandbox") or {}
        state = {"state_path": str(home / SANDBOX_STATE_FILE)}
        options = {
            "journal": home / "cli-sandbox-journal.sqlite",
            "rentals_dir": home / "cli-sandbox-rentals",
            **options,
            # The caller's sandbox options add to the state's place (a wrong type is left
            # for the client's own check, which names the argument).
            "sandbox": {**state, **given} if isinstance(given, Mapping) else given,
        }
    from smsp_analytics.client.facade import Client  # late: the facade exports this module

    return Client(api_key, announce=announce, **options)


@contextmanager
def client_or_default(client: Client | None = None, **defaults: Any) -> Iterator[Client]:
    """Use ``client``, or make one with :func:`make_client` (with ``defaults`` as its
    arguments) for the block and close it after.

    >>> with client_or_default(None, cache=False) as c:
    ...     type(c).__name__
    'Client'
    """
    if client is not None:
        yield client
        return
    own = make_client(**defaults)
    try:
        yield own
    finally:
        own.close()
