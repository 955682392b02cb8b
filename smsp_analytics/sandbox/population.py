"""The modelled adult population by department and single year of age: INSEE's national
age pyramid, tilted per department (README "The audience model", steps 1-2).

The national structure is fixed by :data:`INSEE_AGE_BANDS`; each department gets its own
tilt (urban departments younger, rural ones older, overseas ones younger still, plus a
seeded jitter), and the departments' profiles are then adjusted together (iterative
proportional fitting) so that they add up to INSEE's structure at national level while
each department keeps its own number of adults. Opt-in and interest skews come later
(model.py, catalogue.py): this is the population they apply to.

>>> ages = np.arange(18, 99)
>>> people = adult_population(np.array([1000.0, 3000.0]), np.array([0.9, 0.1]),
...                           np.zeros((2, 5)), np.array([False, False]),
...                           np.array([False, False]), ages)
>>> round(float(people.sum()) / 4000, 3), round(float(people[:, 7:17].sum()) / 4000, 3)
(0.794, 0.115)
>>> bool(people[0, 7:17].sum() / people[0].sum() > people[1, 7:17].sum() / people[1].sum())
True
"""

from __future__ import annotations

import numpy as np

__all__ = ["INSEE_AGE_BANDS", "INSEE_SOURCE", "national_age_shares", "adult_population"]

#: INSEE's national age structure, as a share of the WHOLE population (all ages), in %:
#: estimations de population au 1er janvier 2025 (bilan démographique 2024, pyramide des
#: âges), France hexagonale + DROM. The last band is 75+ (the model stops at 98, as the
#: vendor's maxAge must be below 99). Under-18s (the remaining 20.6 %) are not modelled.
INSEE_AGE_BANDS: dict[tuple[int, int], float] = {
    (18, 24): 8.3,
    (25, 34): 11.5,
    (35, 49): 18.8,
    (50, 64): 19.0,
    (65, 74): 11.4,
    (75, 98): 10.4,
}
INSEE_SOURCE = (
    "INSEE, estimations de population au 1er janvier 2025 (bilan démographique "
    "2024, pyramide des âges), France hexagonale + DROM"
)

_URBAN_CENTRE = 0.40  # roughly the national mean of urban_share: tilts centre on it
_IPF_ROUNDS = 200
_MAX_TILT = 0.6


def national_age_shares(ages: np.ndarray) -> np.ndarray:
    """Share of the whole population (a fraction) at each single year of ``ages``: flat
    within each INSEE band up to 74, then falling with age within 75+ (a survival-like
    curve), each band summing to its INSEE share.

    >>> s = national_age_shares(np.arange(18, 99))
    >>> round(float(s.sum()), 3), round(float(s[7:17].sum()), 3)
    (0.794, 0.115)
    """
    ages = np.asarray(ages, dtype=float)
    out = np.zeros(len(ages))
    for (lo, hi), pct in INSEE_AGE_BANDS.items():
        inside = (ages >= lo) & (ages <= hi)
        # Why a curve for 75+: INSEE's 75-79 group is about three times its 90+ group.
        weight = 1.0 / (1.0 + np.exp((ages - 83.0) / 5.0)) if lo >= 75 else np.ones(len(ages))
        weight = np.where(inside, weight, 0.0)
        out += pct / 100.0 * weight / weight.sum()
    return out


def adult_population(
    population: np.ndarray,
    urban: np.ndarray,
    jit: np.ndarray,
    overseas: np.ndarray,
    mayotte: np.ndarray,
    ages: np.ndarray,
) -> np.ndarray:
    """Adults per department and single year of age ``[D, A]`` (floats).

    ``population``: each department's legal population (all ages); ``urban``: its share
    living in communes of 10,000+; ``jit``: its standard-normal draws (columns 0 and 1
    are used); ``overseas`` / ``mayotte``: boolean masks.
    """
    shares = national_age_shares(ages)
    # Adults per department: the INSEE adult share, less in urban departments, much less
    # overseas (younger populations), with a seeded jitter; then all scaled together so
    # that the national number of adults is INSEE's.
    adult_share = shares.sum() - 0.03 * (urban - _URBAN_CENTRE) + 0.008 * jit[:, 0]
    adult_share = np.where(overseas, 0.70, adult_share)
    adult_share = np.where(mayotte, 0.50, adult_share)
    adults = population * adult_share
    adults *= shares.sum() * population.sum() / adults.sum()

    # Starting profile: the national one tilted younger for urban departments, older for
    # rural ones (beta > 0: younger), plus a seeded jitter, a little younger overseas
    # (their youth is mostly below 18: fewer adults, above). Clipped so that no adult
    # band more than about doubles or halves against the national structure.
    beta = 0.9 * (urban - _URBAN_CENTRE) + 0.10 * jit[:, 1] + np.where(overseas, 0.1, 0.0)
    beta = np.clip(beta, -_MAX_TILT, _MAX_TILT)
    people = shares[None, :] * np.exp(-beta[:, None] * (ages[None, :] - 50.0) / 30.0)
    people *= (adults / people.sum(axis=1))[:, None]

    # Iterative proportional fitting: national totals by age = INSEE's, department totals
    # = their adults. Both margins add up to the same number, so it converges; it keeps
    # each department's tilt relative to the others (its odds ratios).
    target = shares * population.sum()
    for _ in range(_IPF_ROUNDS):
        people *= (target / people.sum(axis=0))[None, :]
        people *= (adults / people.sum(axis=1))[:, None]
        if np.abs(people.sum(axis=0) / target - 1.0).max() < 1e-12:
            break
    return people
