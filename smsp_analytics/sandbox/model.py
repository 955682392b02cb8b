"""The synthetic audience model: opt-in contacts by department, zip code, age, sex, interest
and socio-professional category, built on the real INSEE populations (``refdata``).

Everything is precomputed once per (process, seed) into numpy arrays, so a query over all
101 departments is a handful of vectorised operations (tens of microseconds). Same seed,
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
from dataclasses import dataclass
from functools import cache

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


def stable_int(*parts: object) -> int:
    """A 64-bit integer from the text of ``parts`` (stable across processes, unlike hash()).

    >>> stable_int("60") == stable_int("60")
    True
    """
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass(frozen=True)
class Query:
    """A normalised targeting (sexes: 0 = men, 1 = women; ages inclusive)."""

    sexes: tuple[int, ...]
    min_age: int
    max_age: int
    interest: int  # the id whose affinity applies (the sub-interest when one is given)
    category: int | None  # 102 CSP+, 103 CSP-, None: both


class AudienceModel:
    """Precomputed arrays for one seed. Build it with :func:`audience_model`."""

    def __init__(self, seed: int) -> None:
        deps = refdata.departments()
        zips = refdata.zipcodes()
        self.seed = seed
        self.dep_codes: tuple[str, ...] = tuple(deps.index)
        self.dep_index = {c: n for n, c in enumerate(self.dep_codes)}
        n_dep = len(self.dep_codes)
        population = deps["population"].to_numpy(dtype=float)
        urban = deps["urban_share"].to_numpy(dtype=float)
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
        self.zip_codes: tuple[str, ...] = tuple(zips.index)
        self.zip_index = {z: n for n, z in enumerate(self.zip_codes)}
        self.zip_dep = np.array([self.dep_index[d] for d in zips["department"]], dtype=np.intp)
        share = zips["population"].to_numpy(dtype=float) / population[self.zip_dep]
        u = np.array(
            [[stable_int(seed, "zip", z, k) / 2.0**64 for k in (0, 1)] for z in self.zip_codes]
        )
        self.zip_weight = share * (0.85 + 0.30 * u[:, 0])
        self.zip_tilt = np.stack(
            [1.0 + 0.06 * (u[:, 1] - 0.5), 1.0 - 0.06 * (u[:, 1] - 0.5)], axis=1
        )  # [Z, 2]
        self.catalogue = catalogue()
        self._rows_of: dict[tuple[str, ...], np.ndarray] = {}

    def _per_sex(self, q: Query) -> np.ndarray:
        """Float contacts per department and sex [D, 2] for a targeting."""
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

    def _dep_rows(self, departments: tuple[str, ...]) -> np.ndarray:
        """Row indexes of ``departments`` (the last few tuples asked kept: a sweep repeats
        its localities)."""
        found = self._rows_of.get(departments)
        if found is None:
            found = np.array([self.dep_index[d] for d in departments], dtype=np.intp)
            if len(self._rows_of) >= 64:
                self._rows_of.clear()
            self._rows_of[departments] = found
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
        None is the reference month, computed exactly as before the clock existed."""
        per_sex = self._per_sex(q)
        if factors is not None:
            per_sex = per_sex * factors[:, None]
        if not departments and not zipcodes:
            return [], int(np.floor(per_sex.sum()))
        rows: list[int] = []
        if departments:
            idx = self._dep_rows(departments)
            rows += np.floor(per_sex[idx].sum(axis=1)).astype(np.int64).tolist()
        if zipcodes:
            zi = np.array([self.zip_index[z] for z in zipcodes], dtype=np.intp)
            vals = (per_sex[self.zip_dep[zi]] * self.zip_tilt[zi]).sum(axis=1)
            rows += np.floor(vals * self.zip_weight[zi]).astype(np.int64).tolist()
        return rows, int(sum(rows))


@cache
def audience_model(seed: int) -> AudienceModel:
    """The model for ``seed``, built once per process (about 50 ms) and then shared."""
    return AudienceModel(seed)
