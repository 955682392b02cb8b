"""Frames of the account: interest categories (API, CSV or the documented few), downloaded
phone numbers and credits.

>>> phone_frame("phone_number\\n06 12 34 56 78\\n")["phone_number"].tolist()
['+33612345678']
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from smsp_analytics.errors import MalformedResponseError
from smsp_analytics.i18n import N_, _
from smsp_analytics.wire.values import base_attrs, flag, number

__all__ = [
    "Credits",
    "credits_from",
    "phone_frame",
    "categories_frame",
    "load_categories_csv",
    "documented_categories",
    "unknown_name",
]

#: What an interest or a sub-interest whose name the vendor does not give is called.
UNKNOWN_INTEREST = N_("Interest {id} (name unknown)")
UNKNOWN_SUB_INTEREST = N_("Sub-interest {id} (name unknown)")
# The sandbox's former placeholders ("Catégorie 12 (nom inconnu)"): a name it did not know.
_PLACEHOLDER = re.compile(r"(?:sous-)?cat[ée]gorie\s+\d+\s*\(nom inconnu\)", re.IGNORECASE)


def unknown_name(category_id: Any, sub_interest: bool = False) -> str:
    """The toolkit's name for an id whose vendor name is unknown, in the language in force.

    >>> unknown_name(12), unknown_name(29, sub_interest=True)
    ('Interest 12 (name unknown)', 'Sub-interest 29 (name unknown)')
    """
    return _(UNKNOWN_SUB_INTEREST if sub_interest else UNKNOWN_INTEREST).format(id=category_id)


def _name(name: Any, category_id: int | None, sub_interest: bool) -> str | None:
    """The vendor's name, or the toolkit's placeholder when it gives none."""
    text = None if name is None else str(name).strip()
    if text and not _PLACEHOLDER.fullmatch(text):
        return text
    if category_id is None:
        return text or None
    return unknown_name(category_id, sub_interest)


def _whole_or_none(v: Any, field: str = "number") -> int | None:
    """``v`` read as a :func:`number` and truncated to an int; None when absent."""
    n = number(v, field)
    return None if n is None else int(n)


def _categories_df(rows: list[tuple[Any, Any, Any, Any]]) -> pd.DataFrame:
    ids, names, parents, synth = zip(*rows) if rows else ((), (), (), ())
    whole_ids = [_whole_or_none(i) for i in ids]
    parent_ids = [_whole_or_none(p) for p in parents]
    df = pd.DataFrame(
        {
            "id": pd.array(whole_ids, dtype="Int64"),
            "name": pd.Series(
                [_name(n, i, p is not None) for n, i, p in zip(names, whole_ids, parent_ids)],
                dtype="string",
            ),
            "parent_id": pd.array(parent_ids, dtype="Int64"),
            "synthetic": pd.array([flag(s) for s in synth], dtype="boolean"),
        }
    )
    df.insert(
        3,
        "level",
        pd.Categorical(
            ["interest" if p is pd.NA else "sub_interest" for p in df["parent_id"]],
            categories=["interest", "sub_interest"],
        ),
    )
    return df


def categories_frame(
    payload: dict[str, Any], *, source: str = "api", synthetic: bool = False
) -> pd.DataFrame:
    """Main interests and sub-interests: ``id``, ``name``, ``parent_id`` (<NA> for a main
    interest), ``level``, ``synthetic`` (per entry, as the API marks it). A name the vendor
    leaves empty is the toolkit's :func:`unknown_name`, in the language in force."""
    cats = payload.get("categories")
    if not isinstance(cats, list):
        raise MalformedResponseError(
            _("categories answer without a 'categories' list"), field="categories"
        )
    rows = []
    for c in cats:
        if not isinstance(c, dict):
            continue
        rows.append((c.get("id"), c.get("name"), None, c.get("synthetic")))
        for s in c.get("subCategories") or []:
            if isinstance(s, dict):
                rows.append((s.get("id"), s.get("name"), c.get("id"), s.get("synthetic")))
    df = _categories_df(rows)
    df.attrs.update(base_attrs(source, synthetic, "categories"))
    return df


def documented_categories() -> pd.DataFrame:
    """The only interests the vendor documents: 12 (name not published), 14 Habitation and its
    sub-interest 35 Cuisine. A fallback when the real list is not at hand (the API documents
    no categories endpoint); load the full list with :func:`load_categories_csv`.

    >>> documented_categories()[["id", "name", "parent_id"]].to_dict("list")["name"]
    ['Interest 12 (name unknown)', 'Habitation', 'Cuisine']
    """
    df = _categories_df(
        [(12, None, None, False), (14, "Habitation", None, False), (35, "Cuisine", 14, False)]
    )
    df.attrs.update(base_attrs("docs", False, "categories"))
    return df


def load_categories_csv(path: str | Path) -> pd.DataFrame:
    """Load your own list of categories (the vendor's real one) from a CSV file.

    Format: UTF-8, a header line, columns ``id,name,parent_id`` and optionally
    ``synthetic``; ``parent_id`` is empty for a main interest and the main interest's id
    for a sub-interest. Gives the same columns as ``Client.categories()``.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "cats.csv")
    >>> _ = open(p, "w").write("id,name,parent_id\\n14,Habitation,\\n35,Cuisine,14\\n")
    >>> load_categories_csv(p)[["id", "parent_id"]].to_dict("list")
    {'id': [14, 35], 'parent_id': [None, 14]}
    """
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"id", "name", "parent_id"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(
                _(
                    "{path}: missing column(s) {missing}; expected id,name,parent_id[,synthetic]"
                ).format(path=path, missing=sorted(missing))
            )
        rows = []
        for r in reader:
            parent = (r.get("parent_id") or "").strip() or None
            rows.append((r["id"], r["name"], parent, flag(r.get("synthetic")) or False))
    df = _categories_df(rows)
    if df["id"].isna().any():
        raise ValueError(_("{path}: every row needs an integer id").format(path=path))
    df.attrs.update(base_attrs("csv", False, "categories"))
    df.attrs["path"] = str(path)
    return df


def _e164(number: str) -> str:
    s = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    if s.startswith("00"):
        s = "+" + s[2:]
    elif s.startswith("0") and len(s) == 10:
        s = "+33" + s[1:]
    elif s.startswith("33") and len(s) == 11:
        s = "+" + s
    return s


def phone_frame(
    text: str, *, token: str | None = None, source: str = "api", synthetic: bool = False
) -> pd.DataFrame:
    """Phone numbers (E.164 strings) from a download body (CSV with or without header)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and not any(ch.isdigit() for ch in lines[0].split(",")[0]):
        lines = lines[1:]  # header line
    numbers = [_e164(line.split(",")[0].split(";")[0]) for line in lines]
    df = pd.DataFrame({"phone_number": pd.Series(numbers, dtype="string")})
    df.attrs.update(base_attrs(source, synthetic, "download"))
    df.attrs["token"] = token
    return df


@dataclass(frozen=True)
class Credits:
    """The account's credits (GET /v1/me). ``balance_eur`` is what rentals debit."""

    balance_eur: float
    currency: str
    credit_sms: int | None = None
    credit_sms_eco: int | None = None
    credit_hlr: int | None = None
    to_send: int | None = None
    username: str | None = None
    source: str = "api"
    synthetic: bool = False
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """A one-row frame, with the provenance in attrs."""
        df = pd.DataFrame(
            [
                {
                    k: getattr(self, k)
                    for k in (
                        "balance_eur",
                        "currency",
                        "credit_sms",
                        "credit_sms_eco",
                        "credit_hlr",
                        "to_send",
                        "username",
                    )
                }
            ]
        )
        df.attrs.update(base_attrs(self.source, self.synthetic, "credits"))
        return df


def credits_from(
    payload: dict[str, Any], *, source: str = "api", synthetic: bool = False
) -> Credits:
    """:class:`Credits` from a ``/me`` response (``balance`` or ``solde``, as strings)."""
    c = payload.get("credits")
    if not isinstance(c, dict):
        raise MalformedResponseError(
            _("credits answer without a 'credits' object"), field="credits"
        )
    balance = number(c.get("balance", c.get("solde")), "credits.balance")
    if balance is None:
        balance = number(c.get("solde"), "credits.solde")
    if balance is None:
        raise MalformedResponseError(_("credits answer without a balance"), field="credits.balance")

    def opt_int(k: str) -> int | None:
        return _whole_or_none(c.get(k))

    user = payload.get("user")
    if not isinstance(user, dict):
        user = {}
    return Credits(
        balance_eur=balance,
        currency=str(c.get("currency") or "EUR"),
        credit_sms=opt_int("creditSms"),
        credit_sms_eco=opt_int("creditSmsECO"),
        credit_hlr=opt_int("creditHlr"),
        to_send=opt_int("toSend"),
        username=user.get("username"),
        source=source,
        synthetic=synthetic,
        raw={k: v for k, v in payload.items()},
    )
