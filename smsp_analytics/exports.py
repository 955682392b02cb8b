"""Exports that keep their meaning once they leave the notebook.

A frame's provenance lives in its ``attrs`` (``synthetic``, ``source``, ``fetched_at``),
which CSV, JSON and Parquet files drop. :func:`write_frame` writes it into the file itself:

* CSV and Parquet: columns ``synthetic``, ``source`` and ``fetched_at`` after the data (the
  same value on every row, so a row copied elsewhere still says where it comes from);
* JSON: ``{"synthetic": ..., "source": ..., "fetched_at": ..., "rows": [...]}``.

CSV comes in two dialects (``dialect=``, :data:`DIALECTS`). ``"default"`` is for programs:
comma-separated, dot decimals, UTF-8. ``"fr"`` is for French Excel, which reads a CSV with
the reader's regional settings: semicolon-separated, decimal comma, UTF-8 with a byte-order
mark (without it Excel reads ``é`` as ``Ã©``). Both keep the provenance columns, the
``synthetic`` mark included, with the same values (``True``/``False``, machine-readable in
both).

>>> import io, pandas as pd
>>> df = pd.DataFrame({"locality": ["60"], "volume": [1200], "cost_eur": [108.5]})
>>> df.attrs.update(synthetic=True, source="sandbox")
>>> buf = io.StringIO(); write_frame(df, buf, "csv"); print(buf.getvalue(), end="")
locality,volume,cost_eur,synthetic,source,fetched_at
60,1200,108.5,True,sandbox,
>>> buf = io.StringIO(); write_frame(df, buf, "csv", dialect="fr"); buf.getvalue()
'\\ufefflocality;volume;cost_eur;synthetic;source;fetched_at\\n60;1200;108,5;True;sandbox;\\n'
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any

import pandas as pd

from smsp_analytics.i18n import _

__all__ = [
    "FORMATS",
    "DIALECTS",
    "MARK_COLUMNS",
    "provenance",
    "marked_frame",
    "write_frame",
    "format_of",
    "check_dialect",
]

FORMATS = ("csv", "json", "parquet")
#: CSV dialects: ``"default"`` (comma, dot decimals, UTF-8) and ``"fr"`` (semicolon, decimal
#: comma, UTF-8 with BOM: what French Excel opens correctly).
DIALECTS = ("default", "fr")
# separator, decimal mark, text encoding (utf-8-sig writes the byte-order mark)
_CSV_DIALECTS: dict[str, tuple[str, str, str]] = {
    "default": (",", ".", "utf-8"),
    "fr": (";", ",", "utf-8-sig"),
}
#: The provenance columns added to CSV and Parquet exports, in this order.
MARK_COLUMNS = ("synthetic", "source", "fetched_at")


def provenance(df: pd.DataFrame) -> dict[str, Any]:
    """``synthetic``, ``source`` and ``fetched_at`` (ISO text or None) from ``df.attrs``.

    A frame without attrs counts as not synthetic with an unknown source (None).

    >>> df = pd.DataFrame(); df.attrs.update(synthetic=False, source="api",
    ...                                      fetched_at=pd.Timestamp("2026-01-02", tz="UTC"))
    >>> provenance(df)
    {'synthetic': False, 'source': 'api', 'fetched_at': '2026-01-02T00:00:00+00:00'}
    """
    a = df.attrs
    fetched = a.get("fetched_at")
    if fetched is not None and hasattr(fetched, "isoformat"):
        fetched = fetched.isoformat()
    source = a.get("source")
    return {
        "synthetic": bool(a.get("synthetic", False)),
        "source": None if source is None else str(source),
        "fetched_at": None if fetched is None else str(fetched),
    }


def marked_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with the provenance columns at the end. A frame whose rows carry
    their own ``source``/``fetched_at`` (the quote history) keeps them, filled where missing;
    a row whose own ``synthetic`` column is True stays True.

    >>> df = pd.DataFrame({"volume": [1, 2]}); df.attrs["synthetic"] = True
    >>> marked_frame(df)["synthetic"].tolist()
    [True, True]
    """
    mark = provenance(df)
    columns = {
        k: pd.Series(
            [mark[k]] * len(df), index=df.index, dtype="bool" if k == "synthetic" else "string"
        )
        for k in MARK_COLUMNS
    }
    if "synthetic" in df.columns:
        # A row already marked (an invented category name) stays marked.
        columns["synthetic"] = columns["synthetic"] | df["synthetic"].fillna(False).astype(bool)
    for k in ("source", "fetched_at"):
        if k in df.columns:
            # Row-level provenance (each recorded quote's own) is more precise than the frame's.
            own = df[k].map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
            columns[k] = own.astype("string").fillna(columns[k])
    out = df.drop(columns=[c for c in MARK_COLUMNS if c in df.columns]).assign(**columns)
    out.attrs = _plain_attrs(df.attrs)
    return out


def _plain_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """attrs that survive JSON (pyarrow stores them in the Parquet schema as JSON):
    objects such as a Targeting become their text."""
    return json.loads(json.dumps(attrs, default=str))


def _json_document(df: pd.DataFrame) -> str:
    rows = json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))
    return json.dumps({**provenance(df), "rows": rows}, ensure_ascii=False)


def format_of(path: str | os.PathLike[str], default: str = "csv") -> str:
    """The export format named by a file's suffix (``.csv``, ``.json``, ``.parquet``/``.pq``).

    >>> format_of("sweep.parquet"), format_of("out.JSON"), format_of("numbers")
    ('parquet', 'json', 'csv')
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    suffix = {"pq": "parquet"}.get(suffix, suffix)
    return suffix if suffix in FORMATS else default


def check_dialect(dialect: Any) -> str:
    """``dialect`` when it is one of :data:`DIALECTS`, else a ValueError naming it.

    >>> check_dialect("fr")
    'fr'
    >>> check_dialect("excel")
    Traceback (most recent call last):
    ValueError: dialect: 'excel' is not allowed; allowed: default, fr
    """
    if not isinstance(dialect, str) or dialect not in DIALECTS:
        raise ValueError(
            _("dialect: {value} is not allowed; allowed: {allowed}").format(
                value=repr(dialect), allowed=", ".join(DIALECTS)
            )
        )
    return dialect


def write_frame(
    df: pd.DataFrame,
    path_or_stream: str | os.PathLike[str] | IO[Any],
    format: str | None = None,
    *,
    dialect: str = "default",
) -> None:
    """Write ``df`` as CSV, JSON or Parquet with its provenance (see the module docstring).

    ``path_or_stream``: a file path (written atomically: a reader never sees half a file)
    or an open stream (text for CSV/JSON, binary for Parquet). ``format`` defaults to the
    path's suffix (CSV when none); a stream needs it. ``dialect``: the CSV dialect,
    ``"default"`` or ``"fr"`` (for French Excel); JSON and Parquet are typed formats that
    have none, so it does not change them.

    >>> import io, json, pandas as pd
    >>> df = pd.DataFrame({"volume": [5]}); df.attrs.update(synthetic=True, source="sandbox")
    >>> buf = io.StringIO(); write_frame(df, buf, "json"); json.loads(buf.getvalue())
    {'synthetic': True, 'source': 'sandbox', 'fetched_at': None, 'rows': [{'volume': 5}]}
    """
    dialect = check_dialect(dialect)
    if format is None:
        if not isinstance(path_or_stream, (str, os.PathLike)):
            raise ValueError(
                _("format: required when writing to a stream; allowed: {allowed}").format(
                    allowed=", ".join(FORMATS)
                )
            )
        format = format_of(path_or_stream)
    if format not in FORMATS:
        raise ValueError(
            _("format: {value} is not allowed; allowed: {allowed}").format(
                value=repr(format), allowed=", ".join(FORMATS)
            )
        )
    if not isinstance(path_or_stream, (str, os.PathLike)):
        if format == "csv" and dialect == "fr":
            path_or_stream.write("\ufeff")  # the byte-order mark utf-8-sig writes to a file
        _write(df, path_or_stream, format, dialect)
        return
    path = Path(path_or_stream)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".part", dir=path.parent if str(path.parent) else "."
    )
    try:
        fh: IO[Any]
        encoding = _CSV_DIALECTS[dialect][2] if format == "csv" else "utf-8"
        with (
            os.fdopen(fd, "wb")
            if format == "parquet"
            else os.fdopen(fd, "w", encoding=encoding, newline="")
        ) as fh:
            _write(df, fh, format, dialect)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write(df: pd.DataFrame, stream: IO[Any], format: str, dialect: str = "default") -> None:
    if format == "json":
        stream.write(_json_document(df) + "\n")
    elif format == "csv":
        sep, decimal, _encoding = _CSV_DIALECTS[dialect]
        marked_frame(df).to_csv(stream, index=False, sep=sep, decimal=decimal)
    else:
        marked_frame(df).to_parquet(stream, index=False, engine="pyarrow")
