"""The synthetic audience model: opt-in contacts by department, zip code, age, sex, interest
and socio-professional category, built on the real INSEE populations (``refdata``).

Everything is precomputed once per (process, seed) into numpy arrays, so a query over all
101 departments is a handful of vectorised operations (a few microseconds): an age range is
a difference of two rows of per-interest cumulative sums over the ages, checked against a
proven error bound so that every floored volume is the one the reference computation (one
``einsum`` per query, kept as :meth:`AudienceModel.reference_volumes`) gives. Same seed,
same numbers: randomness comes only from generators seeded by (seed, a stable hash of the
department or zip code), never from Python's ``hash()``. See README "The audience model".

>>> m = audience_model(0)
>>> q = Query(sexes=(0, 1), min_age=25, max_age=35, interest=14, category=None)
>>> rows, total = m.volumes(q, departments=("60",), zipcodes=())
>>> rows == [total] and total > 0
True
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import NamedTuple

import numpy as np

from smsp_analytics import refdata
from smsp_analytics.sandbox.catalogue import AGES, catalogue
from smsp_analytics.sandbox.population import adult_population

__all__ = ["Query", "AudienceModel", "audience_model", "stable_int"]

# National mean of urban_share (weighted roughly); the tilts are centred on it so the
# national totals do not depend much on the urbanisation of the file.
_URBAN_CENTRE = 0.40
# Opt-in base: share of adults in the base, nationally ~19% (README: 15-25%).
_OPTIN_RATE = 0.19
#: The fast path's slack, relative to a department's total (see AudienceModel.__init__).
_SLACK = 1e-12
_UNSEEN = np.empty(0)


def stable_int(*parts: object) -> int:
    """A 64-bit integer from the text of ``parts`` (stable across processes, unlike hash()).

    >>> stable_int("60") == stable_int("60")
    True
    """
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class Query(NamedTuple):
    """A normalised targeting (sexes: 0 = men, 1 = women; ages inclusive). A named tuple:
    one is made per request and is a cache key, so it is cheap to make and to hash."""

    sexes: tuple[int, ...]
    min_age: int
    max_age: int
    interest: int  # the id whose affinity applies (the sub-interest when one is given)
    category: int | None  # 102 CSP+, 103 CSP-, None: both


class AudienceModel:
    """Precomputed arrays for one seed. Build it with :func:`audience_model`."""

    def __init__(self, seed: int) -> None:
        # The tables' plain columns: the sandbox's process never imports pandas.
        deps = refdata.department_columns()
        zips = refdata.zipcode_columns()
        self.seed = seed
        self.dep_codes: tuple[str, ...] = tuple(deps["code"])
        self.dep_index = {c: n for n, c in enumerate(self.dep_codes)}
        n_dep = len(self.dep_codes)
        population = np.array(deps["population"], dtype=float)
        urban = np.array(deps["urban_share"], dtype=float)
        ages = AGES.astype(float)

        # One generator per department, seeded from (seed, code): adding a department to
        # the file does not move the others' numbers.
        jit = np.empty((n_dep, 5))
        for n, code in enumerate(self.dep_codes):
            rng = np.random.default_rng([stable_int("seed", seed), stable_int("dep", code)])
            jit[n] = rng.standard_normal(5)

        overseas = np.array([c.startswith("97") for c in self.dep_codes])
        mayotte = np.array([c == "976" for c in self.dep_codes])
        # Adults by department and age: INSEE's national pyramid, tilted per department
        # (population.py). The opt-in and interest skews below apply to this population.
        people = adult_population(population, urban, jit, overseas, mayotte, ages)

        # Women's share by age: ~49% young, rising at old ages (longer life expectancy).
        women = 0.49 + 0.19 / (1.0 + np.exp(-(ages - 78.0) / 6.0))
        women = np.clip(women[None, :] + 0.006 * jit[:, 2:3], 0.4, 0.75)
        pop_sa = np.stack([people * (1.0 - women), people * women], axis=1)  # [D, 2, A]
        self.population = pop_sa  # [D, 2, A] adults (floats), before any opt-in skew
        self.population.setflags(write=False)

        # Opt-in propensity: highest around 38, lower for the oldest; women slightly more.
        propensity = np.exp(-0.5 * ((ages - 38.0) / 24.0) ** 2)
        prop_sa = np.stack([propensity, propensity * 1.04])  # [2, A]
        rate = _OPTIN_RATE * (1.0 + 0.25 * (urban - _URBAN_CENTRE)) * np.exp(0.08 * jit[:, 3])
        # Scaled so that each department's opt-ins are ``rate`` x its adults.
        norm = (pop_sa * prop_sa[None]).sum(axis=(1, 2)) / pop_sa.sum(axis=(1, 2))
        base = pop_sa * prop_sa[None] * (rate / norm)[:, None, None]
        self.base = base  # [D, 2, A] opt-in contacts (floats)
        self.base.setflags(write=False)

        # CSP+ share: more in urban departments.
        self.csp_plus = np.clip(0.22 + 0.30 * urban + 0.03 * jit[:, 4], 0.10, 0.70)

        # Zip codes: the department's structure, scaled by the zip's share of the
        # department's population, with a seeded +-15% volume jitter and a +-3% sex tilt.
        self.zip_codes: tuple[str, ...] = tuple(zips["zipcode"])
        self.zip_index = {z: n for n, z in enumerate(self.zip_codes)}
        self.zip_dep = np.array([self.dep_index[d] for d in zips["department"]], dtype=np.intp)
        share = np.array(zips["population"], dtype=float) / population[self.zip_dep]
        u = np.array(
            [[stable_int(seed, "zip", z, k) / 2.0**64 for k in (0, 1)] for z in self.zip_codes]
        )
        self.zip_weight = share * (0.85 + 0.30 * u[:, 0])
        self.zip_tilt = np.stack(
            [1.0 + 0.06 * (u[:, 1] - 0.5), 1.0 - 0.06 * (u[:, 1] - 0.5)], axis=1
        )  # [Z, 2]
        self.catalogue = catalogue()
        self._rows_of: dict[tuple[str, ...], np.ndarray | None] = {}
        self._last_rows: tuple[tuple[str, ...], np.ndarray | None] = ((), None)
        self._zips_of: dict[tuple[str, ...], tuple[np.ndarray, ...]] = {}

        # The fast path's running sums, per interest row (built at its first query).
        self._sums_of: dict[int, tuple[list[list[np.ndarray]], float]] = {}
        self._csp_minus = 1.0 - self.csp_plus
        self._zip_tilts = (
            np.ascontiguousarray(self.zip_tilt[:, 0]),
            np.ascontiguousarray(self.zip_tilt[:, 1]),
        )

    def _per_sex(self, q: Query) -> np.ndarray:
        """Float contacts per department and sex [D, 2] for a targeting (the reference)."""
        lo, hi = q.min_age - 18, q.max_age - 18 + 1
        aff = self.catalogue.affinity[self.catalogue.index[q.interest]]
        per_sex = np.einsum("dsa,sa->ds", self.base[:, :, lo:hi], aff[:, lo:hi])
        if len(q.sexes) < 2:  # both sexes: the mask is all ones, x * 1.0 == x
            mask = np.zeros(2)
            mask[list(q.sexes)] = 1.0
            per_sex = per_sex * mask
        if q.category == 102:
            per_sex = per_sex * self.csp_plus[:, None]
        elif q.category == 103:
            per_sex = per_sex * (1.0 - self.csp_plus[:, None])
        return per_sex

    def _dep_rows(self, departments: tuple[str, ...]) -> np.ndarray | None:
        """Row indexes of ``departments``, None for all of them in order (the last few
        tuples asked kept: a sweep repeats its localities, and the validation hands the
        same tuple object for the same text)."""
        last = self._last_rows
        if last[0] is departments:
            return last[1]
        found = self._rows_of.get(departments, _UNSEEN)  # one look-up: another thread
        if found is _UNSEEN:  # may clear the dict meanwhile
            found = np.array([self.dep_index[d] for d in departments], dtype=np.intp)
            if departments == self.dep_codes:
                found = None
            if len(self._rows_of) >= 64:
                self._rows_of.clear()
            self._rows_of[departments] = found
        self._last_rows = (departments, found)
        return found

    def _zip_rows(self, zipcodes: tuple[str, ...]) -> tuple[np.ndarray, ...]:
        """Row indexes of ``zipcodes``, their departments' rows, tilts (men, women) and
        weights (the last few tuples asked kept, as above)."""
        found = self._zips_of.get(zipcodes)
        if found is None:
            zi = np.array([self.zip_index[z] for z in zipcodes], dtype=np.intp)
            men, women = self._zip_tilts
            found = (zi, self.zip_dep[zi], men[zi], women[zi], self.zip_weight[zi])
            if len(self._zips_of) >= 16:
                self._zips_of.clear()
            self._zips_of[zipcodes] = found
        return found

    def main_interest(self, interest: int) -> int:
        """The main interest of an interest id (itself for a main interest)."""
        parent = self.catalogue.by_id[interest].parent
        return interest if parent is None else parent

    def volumes(
        self,
        q: Query,
        departments: tuple[str, ...],
        zipcodes: tuple[str, ...],
        factors: np.ndarray | None = None,
    ) -> tuple[list[int], int]:
        """Integer volumes of the localities (departments first, then zip codes) and the
        total. Each row is floored; the total is the sum of the rows. With no locality,
        the rows are ``[]`` and the total is France as a whole (floored).

        ``factors``: a per-department multiplier (the clock's evolution, evolution.py);
        None is the reference month, computed exactly as before the clock existed.
        Always the numbers of :meth:`reference_volumes`, mostly faster."""
        packed, total = self.volume_rows(q, departments, zipcodes, factors)
        return packed.tolist(), total

    def volume_rows(
        self,
        q: Query,
        departments: tuple[str, ...],
        zipcodes: tuple[str, ...],
        factors: np.ndarray | None = None,
    ) -> tuple[np.ndarray, int]:
        """:meth:`volumes` with the rows as an int64 array (what a cache keeps and an
        answer is written from, without a Python int per row)."""
        if departments or zipcodes:
            packed = self._fast(q, departments, zipcodes, factors)
            if packed is not None:
                return packed, int(packed.sum())
        rows, total = self.reference_volumes(q, departments, zipcodes, factors)
        return np.array(rows, dtype=np.int64), total

    def _sums(self, k: int) -> tuple[list[list[np.ndarray]], float]:
        """The running sums over the ages of interest row ``k`` and its slack.

        Per sex (men, women, both), a list of rows, one per age bound: row ``j`` holds,
        by department, the sum of the terms the reference adds up (base x affinity) over
        the ages below 18 + j, so an age range is one subtraction of two rows (a list: no
        array indexing per request). The slack: how far a fast value may be from the
        reference one. Both add up the same non-negative products of at most 81 ages, so
        each is within about 81 x 2**-53 of the exact sum times T, the department's total
        over all ages and both sexes (the standard bound for any order of summation); the
        running sums twice that plus a subtraction: |fast - reference| <= ~3e-14 T. The
        multipliers that follow (CSP share < 1, zip tilt x weight < 1.3; the clock's
        factors are counted when given) keep it below 4e-14 T; the slack is 25 times that.
        """
        found = self._sums_of.get(k)
        if found is None:
            terms = self.base * self.catalogue.affinity[k]  # [D, 2, A]
            by_sex = np.concatenate([terms.transpose(1, 0, 2), terms.sum(axis=1)[None]])
            cum = np.zeros((3, by_sex.shape[2] + 1, by_sex.shape[1]))  # [3, A + 1, D]
            cum[:, 1:] = np.cumsum(by_sex, axis=2).transpose(0, 2, 1)
            found = ([list(rows) for rows in cum], _SLACK * float(cum[2, -1].max()))
            self._sums_of[k] = found
        return found

    def _fast(
        self,
        q: Query,
        departments: tuple[str, ...],
        zipcodes: tuple[str, ...],
        factors: np.ndarray | None,
    ) -> np.ndarray | None:
        """The floored rows from the running sums, or None when a value is too close to
        an integer for its floor to be certain (then the reference decides)."""
        sums, slack = self._sums(self.catalogue.index[q.interest])
        lo, hi = q.min_age - 18, q.max_age - 17
        scale = (
            self.csp_plus if q.category == 102 else self._csp_minus if q.category == 103 else None
        )
        if factors is not None:
            scale = factors if scale is None else scale * factors
            slack *= max(1.0, float(factors.max()))
        if len(q.sexes) not in (1, 2):  # not from a request: the reference deals with it
            return None
        sex = 2 if len(q.sexes) == 2 else q.sexes[0]
        parts = []
        if departments:
            table = sums[sex]
            values = table[hi] - table[lo]
            if scale is not None:
                values *= scale
            idx = self._dep_rows(departments)
            parts.append(values if idx is None else values[idx])
        if zipcodes:
            _, zdep, men_tilt, women_tilt, weight = self._zip_rows(zipcodes)
            zipped = []
            for s, tilt in ((0, men_tilt), (1, women_tilt)):
                if sex in (s, 2):
                    table = sums[s]
                    values = table[hi] - table[lo]
                    if scale is not None:
                        values *= scale
                    zipped.append(values[zdep] * tilt)
            both = zipped[0] if len(zipped) == 1 else zipped[0] + zipped[1]
            parts.append(both * weight)
        values = parts[0] if len(parts) == 1 else np.concatenate(parts)
        # Every value is >= 0; below 0.5 its floor is 0 whatever the last bits, so it is
        # lifted to 0.5 and only values near an integer >= 1 can be too close to call.
        # (``values`` is this call's own array: changed in place.)
        frac, whole = np.modf(np.maximum(values, 0.5, out=values))
        if np.minimum.reduce(frac) < slack or np.maximum.reduce(frac) > 1.0 - slack:
            return None
        return whole.astype(np.int64)

    def reference_volumes(
        self,
        q: Query,
        departments: tuple[str, ...],
        zipcodes: tuple[str, ...],
        factors: np.ndarray | None = None,
    ) -> tuple[list[int], int]:
        """:meth:`volumes` as the model defines them: one ``einsum`` over the ages."""
        per_sex = self._per_sex(q)
        if factors is not None:
            per_sex = per_sex * factors[:, None]
        if not departments and not zipcodes:
            return [], int(np.floor(per_sex.sum()))
        rows: list[int] = []
        if departments:
            idx = self._dep_rows(departments)
            chosen = per_sex if idx is None else per_sex[idx]
            rows += np.floor(chosen.sum(axis=1)).astype(np.int64).tolist()
        if zipcodes:
            zi = self._zip_rows(zipcodes)[0]
            vals = (per_sex[self.zip_dep[zi]] * self.zip_tilt[zi]).sum(axis=1)
            rows += np.floor(vals * self.zip_weight[zi]).astype(np.int64).tolist()
        return rows, int(sum(rows))


@cache
def audience_model(seed: int) -> AudienceModel:
    """The model for ``seed``, built once per process (about 50 ms) and then shared."""
    return AudienceModel(seed)
