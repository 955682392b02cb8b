"""Sweeps: count many targetings at once into one tidy frame.

One ``calcul`` per combination of the swept values (geography batched into the call,
chunked above :data:`CHUNK` zip codes), run concurrently, from the cache when warm, in a
deterministic row order: the order of the ``by`` values, then the localities.

>>> from smsp_analytics.client.facade import Client
>>> with Client(announce=False) as client:
...     df = sweep(Targeting(interest=14, departments=["60", "02"]),
...                by={"gender": ["f", "h"], "age": [(18, 24), (25, 34)]},
...                geo="departments", client=client, progress=False)
>>> df[["gender", "age", "locality"]].head(3).values.tolist()
[['f', '18-24', '60'], ['f', '18-24', '02'], ['f', '25-34', '60']]
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from smsp_analytics import refdata
from smsp_analytics.analysis.budget import BudgetPlan, plan_budget  # re-exported: sweep's sibling
from smsp_analytics.errors import SmsPartnerError, SweepError, TargetingError, not_allowed
from smsp_analytics.frames import rows_frame
from smsp_analytics.i18n import N_, _
from smsp_analytics.targeting import Targeting

__all__ = ["sweep", "plan_budget", "BudgetPlan", "SWEEP_FIELDS", "CHUNK", "CLOCK_RERUNS"]

CHUNK = 500
#: Rounds of asking again the answers of an older server date (the clock moved mid-sweep).
CLOCK_RERUNS = 3
SWEEP_FIELDS = ("gender", "age", "interest", "sub_interest", "category")


def _age_label(age: Any) -> str:
    lo, hi = age
    return f"{int(lo)}-{int(hi)}"


def _parse_by(by: Mapping[str, Iterable[Any]]) -> list[tuple[str, list[Any]]]:
    """``by`` as (field, values) pairs; odd shapes refused before any call.

    A bare string or number is refused rather than iterated (``{"gender": "mf"}`` would
    sweep "m" and "f", ``{"interest": 14}`` would fail deep inside). Values are checked
    and normalised by :func:`_normalise_combos` (through :class:`Targeting`).
    """
    if not isinstance(by, Mapping):
        raise ValueError(not_allowed("by", by, N_("a dict field -> list of values")))
    out = []
    for name, values in by.items():
        if name not in SWEEP_FIELDS:
            raise ValueError(
                _("by: {value} is not sweepable; allowed: {allowed}").format(
                    value=repr(name), allowed=", ".join(SWEEP_FIELDS)
                )
            )
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
            example = f"{{{name!r}: {_EXAMPLES[name]}}}"
            raise TargetingError(
                name,
                values,
                f"a list of values, e.g. by={example}",
                code=None,
                allowed_text=_("a list of values, e.g. by={example}").format(example=example),
            )
        vals = list(values)
        if not vals:
            raise ValueError(_("by: {value} has no values").format(value=repr(name)))
        out.append((name, vals))
    return out


_EXAMPLES = {
    "gender": "['f', 'h']",
    "age": "[(18, 24), (25, 34)]",
    "interest": "[10, 14]",
    "sub_interest": "[35, 36]",
    "category": "[102, 103]",
}


def _normalise_combos(
    targeting: Targeting, names: list[str], fields: list[tuple[str, list[Any]]]
) -> list[dict[str, Any]]:
    """Every combination checked by Targeting (so (30, 20), 25.5 or "CSP" fail here, before
    any call) and written with the targeting's values ("women" -> "f", "CSP+" -> 102)."""
    combos = []
    for values in itertools.product(*(v for _name, v in fields)):
        t = dataclasses.replace(targeting, **dict(zip(names, values)))
        combos.append({n: getattr(t, n) for n in names})
    return combos


def _geography(t: Targeting, geo: str | None) -> tuple[str, list[tuple[str, ...]]]:
    """(field to set, chunks of localities) for a geo mode."""
    if geo is None:
        return "", [()]
    if geo in ("departments", "department"):
        deps = t.departments or refdata.department_codes()
        return "departments", [tuple(deps[i : i + CHUNK]) for i in range(0, len(deps), CHUNK)]
    if geo in ("zipcodes", "zipcode"):
        # The targeting's zip codes, else those of its departments, else all of France.
        table = refdata.zipcodes()
        zips = t.zipcodes or tuple(
            table.index[table["department"].isin(t.departments)] if t.departments else table.index
        )
        return "zipcodes", [tuple(zips[i : i + CHUNK]) for i in range(0, len(zips), CHUNK)]
    raise ValueError(not_allowed("geo", geo, "'departments', 'zipcodes', None"))


def _as_targeting(targeting: Any) -> Targeting:
    """A Targeting, or a vendor ``parameters`` dict read as :meth:`Client.calcul` reads it;
    anything else is refused naming ``targeting``."""
    if isinstance(targeting, Targeting):
        return targeting
    if isinstance(targeting, Mapping):
        return Targeting.from_parameters(targeting)
    raise TargetingError(
        "targeting",
        targeting,
        N_(
            "a Targeting, or a vendor parameters dict "
            "such as {'sexe': 'f', 'interest': 14, 'department': '60'}"
        ),
        code=None,
    )


def sweep(
    targeting: Targeting | Mapping[str, Any],
    by: Mapping[str, Iterable[Any]] | None = None,
    *,
    geo: str | None = "departments",
    client: Any = None,
    max_workers: int = 8,
    progress: bool = True,
    errors: str = "raise",
) -> pd.DataFrame:
    """Count every combination of ``by`` values (gender, age bands, interest, sub_interest,
    category) per locality: one tidy long frame with the swept values as columns.

    ``targeting``: a :class:`Targeting` or a vendor ``parameters`` dict (as for
    ``client.calcul``). ``geo``: "departments" (the targeting's, or all 101), "zipcodes"
    (the targeting's, else those of its departments, else all ~6,300; chunked), or None
    (the targeting's own geography). Failed combinations are raised at the end as
    :class:`SweepError` carrying the partial frame; with ``errors="keep"`` the partial frame
    is returned and ``attrs["failures"]`` lists them (the combination's values and
    ``"error"``). Every row is of one server date, ``attrs["as_of"]``: answers of an older
    date than the latest (the server's clock moved during the sweep) are asked again, up to
    :data:`CLOCK_RERUNS` times, after which their combinations fail.

    Repeated labels (gender, age, locality, department) are categoricals of the labels
    present (sorted as the strings sort; age bands in sweep order), swept ids and age
    bounds the narrowest nullable integers holding them; volume stays Int64 and money
    Float64, so sums and products cannot overflow.
    """
    if errors not in ("raise", "keep"):
        raise ValueError(not_allowed("errors", errors, "'raise', 'keep'"))
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
        raise ValueError(not_allowed("max_workers", max_workers, N_("an int >= 1")))
    from smsp_analytics.client.facade import (
        client_or_default,  # late: the client module imports this one's siblings
    )

    # Inputs are checked before a client (maybe a sandbox) is started and before any call.
    targeting = _as_targeting(targeting)
    fields = _parse_by({} if by is None else by)
    names = [n for n, _values in fields]
    combos = _normalise_combos(targeting, names, fields)
    geo_field, chunks = _geography(targeting, geo)
    with client_or_default(client) as client:
        tasks: list[tuple[int, int, Targeting]] = []
        for ci, combo in enumerate(combos):
            for ki, chunk in enumerate(chunks):
                # Field overrides of several types: replace() validates them at run time.
                geo_values: dict[str, Any] = (
                    {}
                    if not geo_field
                    else (
                        {"departments": chunk, "zipcodes": ()}
                        if geo_field == "departments"
                        else {"departments": (), "zipcodes": chunk}
                    )
                )
                # One replace per call: it validates the combination.
                tasks.append((ci, ki, dataclasses.replace(targeting, **combo, **geo_values)))

        answers: dict[tuple[int, int], Any] = {}
        received: dict[tuple[int, int], int] = {}  # arrival order of live answers
        arrivals = itertools.count()
        failures: dict[int, BaseException] = {}
        bar = tqdm(total=len(tasks), disable=not progress, desc=_("sweep"), unit=_("call"))

        def run(task: tuple[int, int, Targeting], fresh: bool = False) -> None:
            ci, ki, t = task
            try:
                ans = client.quotes.answer("calcul", client.targeting(t), fresh=fresh)
                answers[(ci, ki)] = ans
                if not ans.from_cache:
                    received[(ci, ki)] = next(arrivals)
            except SmsPartnerError as exc:
                answers.pop((ci, ki), None)
                failures.setdefault(ci, exc)
            finally:
                bar.update(1)

        def run_all(todo: list[tuple[int, int, Targeting]], fresh: bool = False) -> None:
            if max_workers <= 1 or len(todo) <= 1:
                for task in todo:
                    run(task, fresh)
            else:
                with ThreadPoolExecutor(max_workers=min(max_workers, len(todo))) as pool:
                    list(pool.map(lambda task: run(task, fresh), todo))

        # Memo hits first, in this thread: a warm sweep needs no pool at all.
        # One clock check for all cells: a moved sandbox clock makes every memo entry stale.
        stale = client.quotes.clock_moved()
        todo = []
        for ci, ki, t in tasks:
            hit = None if stale else client.quotes.memoised("calcul", t, check_clock=False)
            if hit is None:
                todo.append((ci, ki, t))
            else:
                answers[(ci, ki)] = hit
                bar.update(1)
        try:
            run_all(todo)
            _one_date(tasks, answers, received, failures, run_all, bar)
        finally:
            bar.close()

        kept = [a for (ci, _ki), a in answers.items() if ci not in failures]
        results = {key: a.rows for key, a in answers.items()}
        frame = _assemble(combos, chunks, results, failures, names)
        frame.attrs.update(
            {
                "source": client.source,
                "synthetic": client.synthetic,
                "op": "sweep",
                "targeting": targeting,
                "by": _swept_values(names, combos),
                "geo": geo,
                "calls": len(tasks),
                **_provenance(kept),
            }
        )
        if failures:
            failed = [(combos[ci], exc) for ci, exc in sorted(failures.items())]
            if errors == "keep":
                frame.attrs["failures"] = [{**c, "error": str(e)} for c, e in failed]
                return frame
            shown = "; ".join(f"{_combo_text(c)}: {e}" for c, e in failed[:5])
            if len(failed) > 5:
                shown = _("{shown} (+{count} more)").format(shown=shown, count=len(failed) - 5)
            raise SweepError(
                _("{failed} of {total} combination(s) failed: {details}").format(
                    failed=len(failed), total=len(combos), details=shown
                ),
                frame=frame,
                failures=failed,
            )
        return frame


def _day(answer: Any) -> Any:
    """The server's date of an answer (its ``as_of``, UTC)."""
    return answer.as_of.date()


def _one_date(
    tasks: list[tuple[int, int, Targeting]],
    answers: dict,
    received: dict,
    failures: dict,
    run_all: Callable[..., None],
    bar: Any,
) -> None:
    """Make every kept answer one of the same server date.

    The date of the answer that arrived last (live) is the server's current one; answers of
    another date are asked again, bypassing memo and cache. A clock that keeps moving fails
    the combinations still off after :data:`CLOCK_RERUNS` rounds, rather than label answers
    of several dates with one ``as_of``."""
    for round_ in range(CLOCK_RERUNS + 1):
        ok = {key: a for key, a in answers.items() if key[0] not in failures}
        if len({_day(a) for a in ok.values()}) <= 1:
            return
        live = [key for key in ok if key in received]
        target = (
            _day(ok[max(live, key=received.__getitem__)])
            if live
            else max(_day(a) for a in ok.values())
        )
        off = [
            task
            for task in tasks
            if (task[0], task[1]) in ok and _day(ok[(task[0], task[1])]) != target
        ]
        if round_ == CLOCK_RERUNS:
            for ci, ki, _task in off:
                failures.setdefault(
                    ci,
                    SmsPartnerError(
                        _(
                            "answered for {day}, other answers for {target}: the server's date "
                            "moved during the sweep (asked again {count} times)"
                        ).format(day=_day(ok[(ci, ki)]), target=target, count=CLOCK_RERUNS)
                    ),
                )
            return
        bar.total += len(off)
        bar.refresh()
        run_all(off, True)


def _provenance(answers: list[Any]) -> dict[str, Any]:
    """fetched_at (now), as_of (the oldest answer's server clock: all are of one date) and
    from_cache (every answer came from the HTTP cache or the memo)."""
    now = pd.Timestamp.now(tz="UTC")
    as_of = min((a.as_of for a in answers), default=now)
    return {
        "fetched_at": now.isoformat(),
        "as_of": as_of.isoformat(),
        "from_cache": bool(answers) and all(a.from_cache for a in answers),
    }


def _swept_values(names: list[str], combos: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The normalised values swept per field, in ``by`` order (duplicates dropped)."""
    return {n: list(dict.fromkeys(c[n] for c in combos)) for n in names}


def _combo_text(combo: Mapping[str, Any]) -> str:
    text = ", ".join(f"{k}={_age_label(v) if k == 'age' else v}" for k, v in combo.items())
    return text or _("(base targeting)")


def _ints(values: list[Any], rep: np.ndarray) -> Any:
    """Swept integers (ids, age bounds) per row, in the narrowest nullable integer type
    that holds them all (they are labels: nothing sums or multiplies them)."""
    ints = np.array([0 if v is None else int(v) for v in values], dtype="int64")
    lo, hi = (int(ints.min()), int(ints.max())) if len(ints) else (0, 0)
    width = next((w for w in (8, 16, 32) if -(2 ** (w - 1)) <= lo and hi < 2 ** (w - 1)), 64)
    mask = np.array([v is None for v in values], dtype=bool)
    return pd.arrays.IntegerArray(ints.astype(f"int{width}")[rep], mask[rep])


def _labels(labels: list[Any], rep: np.ndarray, *, sweep_order: bool) -> pd.Categorical:
    """Swept labels per row as a categorical. Categories sorted (the column sorts as the
    strings would), or in sweep order when the labels are distinct and ``sweep_order``
    (age bands: bars keep the order asked for)."""
    present = [v for v in dict.fromkeys(labels) if v is not None]
    keep = sweep_order and len(present) == len(labels)
    categories = present if keep else sorted(present)
    code = {v: i for i, v in enumerate(categories)}
    codes = np.array([code.get(v, -1) for v in labels], dtype="int64")[rep]
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype="str"))


def _assemble(
    combos: Sequence[dict], chunks: Sequence[tuple], results: dict, failures: dict, names: list[str]
) -> pd.DataFrame:
    """One frame: the swept values as leading columns, then the locality columns (compact:
    see :func:`sweep`; 371,220 rows for 60 combinations over every zip code)."""
    parts, keys = [], []
    for ci in range(len(combos)):
        if ci in failures:
            continue
        for ki in range(len(chunks)):
            parts.append(results[(ci, ki)])
            keys.append(ci)
    if not parts:
        return pd.DataFrame({n: pd.Series(dtype="object") for n in names})
    lengths = [len(p.kinds) for p in parts]
    frame = rows_frame(parts, compact=True)
    # Swept values as leading columns, built once per column (no per-row Python).
    rep = np.repeat(np.array(keys, dtype="int64"), lengths)
    cols: dict[str, Any] = {}
    for name in names:
        values = [combos[ci][name] for ci in range(len(combos))]
        if name == "age":
            cols["age"] = _labels([_age_label(v) for v in values], rep, sweep_order=True)
            cols["age_min"] = _ints([v[0] for v in values], rep)
            cols["age_max"] = _ints([v[1] for v in values], rep)
        elif name == "gender":
            cols[name] = _labels(values, rep, sweep_order=False)
        else:
            cols[name] = _ints(values, rep)
    return pd.concat([pd.DataFrame(cols), frame], axis=1)
