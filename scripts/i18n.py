"""The French catalogs: extract the marked sentences, update a part's catalog, compile, check.

    python scripts/i18n.py extract            # prints how many sentences are marked
    python scripts/i18n.py update PART PATH.. # add PATH's sentences to locale/fr/.../PART.po
    python scripts/i18n.py compile            # every PART.po -> PART.mo (shipped in the package)
    python scripts/i18n.py check              # every sentence translated, placeholders kept

The catalogs are split by part of the toolkit (core, cli, panel, report, account, ...) so that
each part's translations live beside each other; at run time they are read as one set
(``smsp_analytics.i18n.translations``). Sentences are marked with ``_``, ``N_`` and
``ngettext`` (``str.format`` placeholders).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "smsp_analytics"
CATALOGS = PACKAGE / "locale" / "fr" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# the sandbox is sealed (the vendor's own words, in French already): nothing to translate
SKIP = ("sandbox",)
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)?(?:[:!][^{}]*)?\}")

MsgId = str | tuple[str, str]


def sources(paths: Iterable[Path] | None = None) -> list[Path]:
    """The package's Python files (or those under ``paths``), sealed sandbox excluded."""
    roots = list(paths) if paths else [PACKAGE]
    found: list[Path] = []
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        found += [f for f in files if f.relative_to(PACKAGE).parts[0] not in SKIP]
    return found


def extract(paths: Iterable[Path] | None = None) -> dict[MsgId, list[str]]:
    """Marked sentence -> where it is used (``path:line``)."""
    found: dict[MsgId, list[str]] = {}
    for path in sources(paths):
        for lineno, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        ):
            msgid: MsgId = message if isinstance(message, str) else tuple(message)[:2]  # type: ignore[assignment]
            found.setdefault(msgid, []).append(f"{path.relative_to(ROOT)}:{lineno}")
    return found


def load(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale="fr")


def catalogs() -> dict[str, Catalog]:
    return {po.stem: load(po) for po in sorted(CATALOGS.glob("*.po"))}


def placeholders(text: str) -> list[str]:
    return sorted("{" + (m.group(1) or "") + "}" for m in PLACEHOLDER.finditer(text))


def problems() -> list[str]:
    """What is wrong with the French catalogs; empty when all is well."""
    wrong: list[str] = []
    merged: dict[MsgId, tuple[str, Message]] = {}
    for part, catalog in catalogs().items():
        for message in catalog:
            if not message.id:
                continue
            key: MsgId = message.id if isinstance(message.id, str) else tuple(message.id)[:2]  # type: ignore[assignment]
            merged[key] = (part, message)
    for msgid, where in sorted(extract().items(), key=lambda kv: str(kv[0])):
        entry = merged.get(msgid)
        if entry is None:
            wrong.append(f"not in any catalog: {msgid!r} ({where[0]})")
            continue
        part, message = entry
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            wrong.append(f"{part}.po: no French for {msgid!r} ({where[0]})")
            continue
        ids = (msgid,) if isinstance(msgid, str) else msgid
        for text in strings:
            if placeholders(text) != placeholders(ids[-1]) and placeholders(text) != placeholders(
                ids[0]
            ):
                wrong.append(
                    f"{part}.po: {msgid!r} -> {text!r} changes the placeholders "
                    f"{placeholders(ids[0])} -> {placeholders(text)}"
                )
    for part in catalogs():
        po, mo = CATALOGS / f"{part}.po", CATALOGS / f"{part}.mo"
        if not mo.exists() or mo.read_bytes() != compiled(po):
            wrong.append(
                f"{part}.mo is not compiled from {part}.po: python scripts/i18n.py compile"
            )
    return wrong


def compiled(po: Path) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, load(po), use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> None:
    for po in sorted(CATALOGS.glob("*.po")):
        (po.with_suffix(".mo")).write_bytes(compiled(po))
        print(f"compiled {po.relative_to(ROOT)}")


def update(part: str, paths: list[Path]) -> None:
    """Add the sentences marked under ``paths`` that no catalog has yet to ``PART.po``."""
    CATALOGS.mkdir(parents=True, exist_ok=True)
    po = CATALOGS / f"{part}.po"
    catalog = load(po) if po.exists() else Catalog(locale="fr", project="smsp-analytics")
    known = {
        m.id if isinstance(m.id, str) else tuple(m.id)[:2] for c in catalogs().values() for m in c
    }
    added = 0
    for msgid, where in extract(paths).items():
        if msgid in known:
            continue
        catalog.add(
            msgid,
            string="" if isinstance(msgid, str) else ("", ""),
            locations=[(w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1])) for w in where],
        )
        added += 1
    with po.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, include_lineno=False)
    print(f"{po.relative_to(ROOT)}: {added} new sentence(s) to translate")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"extract", "update", "compile", "check"}:
        print(__doc__)
        return 2
    if argv[0] == "extract":
        print(f"{len(extract())} marked sentences")
    elif argv[0] == "update":
        update(argv[1], [Path(p).resolve() for p in argv[2:]])
    elif argv[0] == "compile":
        compile_all()
    else:
        wrong = problems()
        print("\n".join(wrong) or "the French catalogs are complete")
        return 1 if wrong else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
