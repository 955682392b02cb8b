"""The commands' own sandbox, without ``SMSPARTNER_API_KEY``: where it keeps its state, the
one line its first use prints, the short mark of every later command, and the details
``smsp sandbox --help`` gives. Only click and platformdirs are imported: ``smsp --help``
and ``smsp sandbox`` stay light.

>>> len(FIRST_USE_LINE) < 80 and len(SANDBOX_MARK) < 12
True
>>> announcement(first=False)
'(sandbox)'
>>> from smsp_analytics.i18n import use_lang
>>> with use_lang("fr"):
...     len(announcement(first=True)) < 80, announcement(first=False)
(True, '(bac à sable)')
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from smsp_analytics.i18n import N_, _
from smsp_analytics.vocab import APP_NAME, ENV_API_KEY

__all__ = [
    "sandbox_home",
    "no_key_set",
    "FIRST_USE_LINE",
    "SANDBOX_MARK",
    "announcement",
    "help_text",
]

#: Printed on stderr by the command that creates the sandbox's state (under 80 characters).
FIRST_USE_LINE = N_("smsp: no SMSPARTNER_API_KEY: synthetic sandbox (see smsp sandbox --help)")
#: Printed on stderr by every later command on that state.
SANDBOX_MARK = N_("(sandbox)")


def sandbox_home() -> Path:
    """The folder where the commands' sandbox keeps its state (the user data folder)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def no_key_set() -> bool:
    """True when the environment gives no API key (unset or blank), so that the commands
    use their sandbox: the rule of ``client.assembly.key_from_environment``, read without
    importing the client (a test holds the two together)."""
    return not os.environ.get(ENV_API_KEY, "").strip()


def announcement(*, first: bool) -> str:
    """What a command on the sandbox prints on stderr: the line on the first use of the
    state, the short mark afterwards, in the language in force."""
    return _(FIRST_USE_LINE) if first else _(SANDBOX_MARK)


def help_text() -> str:
    """The paragraph ``smsp sandbox --help`` adds about the other commands' sandbox."""
    return (
        "Without SMSPARTNER_API_KEY the other commands (calcul, price, rent, status, "
        "download, credits, ...) use a sandbox of their own, started for each command; its "
        f"balance, rentals, rent journal and kept downloads stay in {sandbox_home()} (the "
        "cli-sandbox-* files), so `smsp rent` then `smsp status` work. Its data are "
        "synthetic and every output says so. The command that creates that state prints "
        f"one line on stderr; later commands print {SANDBOX_MARK!r}. Delete the "
        "cli-sandbox-* files to start afresh (starting balance, no rentals)."
    )
