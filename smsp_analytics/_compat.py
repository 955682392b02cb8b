"""The package's import machinery: lazy exports, and the old module paths, from before the
layered layout, which still import for one release.

``import smsp_analytics.sweeps`` gives :mod:`smsp_analytics.analysis.sweeps` itself (the same
module object, so patches and ``isinstance`` checks agree) with a ``DeprecationWarning``
naming the new path. Public names are unchanged: ``from smsp_analytics import sweep``.

>>> import importlib, warnings
>>> with warnings.catch_warnings(record=True) as seen:
...     warnings.simplefilter("always")
...     old = importlib.import_module("smsp_analytics.budget")
>>> old.__name__, seen[0].category.__name__
('smsp_analytics.analysis.budget', 'DeprecationWarning')
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

__all__ = ["MOVED", "install", "lazy_exports"]

#: Old module (under ``smsp_analytics.``) -> its new home. ``client``, ``campaign``, ``cli``
#: and ``app`` are packages of the same name now and re-export their old public names.
MOVED: dict[str, str] = {
    "transport": "wire.transport",
    "httplog": "wire.httplog",
    "streaming": "wire.streaming",
    "decoding": "wire.decoding",
    "xmlparse": "wire.xmlparse",
    "values": "wire.values",
    "vendor_rules": "wire.vendor_rules",
    "scope": "wire.scope",
    "checks": "wire.checks",
    "client_args": "client.args",
    "client_history": "client.recording",
    "renting": "money.renting",
    "reconciling": "money.reconciling",
    "rentals": "money.rentals",
    "rentals_disk": "money.rentals_disk",
    "journal": "money.journal",
    "journal_guard": "money.journal_guard",
    "sweeps": "analysis.sweeps",
    "budget": "analysis.budget",
    "gsm_table": "campaign.gsm_table",
    "sendwindows": "campaign.sendwindows",
    "sendwindows_vendor": "campaign.sendwindows_vendor",
    "reachability": "campaign.reachability",
    "commands": "cli.commands",
    "cli_campaign": "cli.campaign",
    "cli_history": "cli.history",
    "cli_journal": "cli.journal",
    "cli_options": "cli.options",
    "cli_serve": "cli.serve",
    "cli_support": "cli.support",
}
_PREFIX = "smsp_analytics."


class _OldPaths(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.startswith(_PREFIX) and fullname[len(_PREFIX) :] in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = _PREFIX + MOVED[spec.name[len(_PREFIX) :]]
        warnings.warn(
            f"{spec.name} moved to {new}; the old path will be removed in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(new)

    def exec_module(self, module: ModuleType) -> None:
        """The module is the new one, already executed."""


def install() -> None:
    """Add the finder once (the package's ``__init__`` calls it)."""
    if not any(isinstance(f, _OldPaths) for f in sys.meta_path):
        sys.meta_path.append(_OldPaths())


def lazy_exports(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` (PEP 562) for ``package``: each name in ``where`` is imported
    from its module (a full dotted path) on first use and kept in the package, so that
    importing one module of a package does not load all of them (``smsp --help`` stays light).

    >>> getattr_ = lazy_exports("smsp_analytics", {"SYNTHETIC_MARK": "smsp_analytics.vocab"})
    >>> getattr_("SYNTHETIC_MARK").startswith("SYNTHETIC")
    True
    """

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where[name]), name)
        setattr(sys.modules[package], name, value)  # once: later reads skip this function
        return value

    return __getattr__
