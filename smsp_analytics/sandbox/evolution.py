"""How audiences move with the sandbox's clock (README "Evolution with the date").

Two multiplicative factors, both exactly 1.0 in the reference month (month offset 0):

- **Opt-in base, per department**: each month the base grows by
  ``trend + 0.004 x noise`` where ``trend = 0.002 + 0.003 z`` (z a seeded standard normal,
  clipped to +-2, so -0.4% to +0.8% a month) and ``noise`` a seeded standard normal
  per department and month (clipped to +-2.5). Before the reference month the factor is
  the inverse of the months in between. Growth and churn thus differ by department and
  month, and never exceed 1.8% a month in either direction.
- **Seasonal interests** (main interests; their sub-interests follow):
  ``1 + A cos(2 pi (month - peak) / 12)`` divided by its value in November:
  Jardinage (21) A 0.15 peak April, Voyages (15) A 0.10 peak July, Famille/Enfants (17)
  A 0.08 peak December (gifts), Jeux vidéo (11) A 0.08 peak December (gifts).

>>> ev = Evolution(seed=0, dep_codes=("60", "75"))
>>> ev.factors(0, 11, 21) is None
True
>>> ev.department_factors(0).tolist(), ev.season(21, 11)
([1.0, 1.0], 1.0)
>>> 0.95 < float(ev.department_factors(1)[0]) < 1.05
True
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from smsp_analytics.sandbox.model import audience_model, stable_int

__all__ = ["Evolution", "evolution", "SEASONAL", "REFERENCE_MONTH"]

#: Main interest id -> (amplitude, month of the peak). Sub-interests follow their parent.
SEASONAL = {21: (0.15, 4), 15: (0.10, 7), 17: (0.08, 12), 11: (0.08, 12)}
#: Month of the year of the reference date (November): seasonal factors are 1.0 then.
REFERENCE_MONTH = 11
_TREND_MEAN, _TREND_SD, _NOISE_SD = 0.002, 0.003, 0.004


def _shape(amplitude: float, peak: int, month: int) -> float:
    return 1.0 + amplitude * math.cos(2.0 * math.pi * (month - peak) / 12.0)


class Evolution:
    """Month-by-month factors for one seed and list of departments (cached per offset)."""

    def __init__(self, seed: int, dep_codes: tuple[str, ...]) -> None:
        self.seed = seed
        self.dep_codes = dep_codes
        trend = np.empty(len(dep_codes))
        for n, code in enumerate(dep_codes):
            rng = np.random.default_rng([stable_int("trend", seed), stable_int("dep", code)])
            trend[n] = float(np.clip(rng.standard_normal(), -2.0, 2.0))
        self.trend = _TREND_MEAN + _TREND_SD * trend
        self._cache: dict[int, np.ndarray] = {}
        self._factors: dict[tuple[int, int, int], np.ndarray] = {}

    def _monthly_rate(self, k: int) -> np.ndarray:
        """Growth rate of each department during month ``k`` (offset k-1 -> k)."""
        noise = np.empty(len(self.dep_codes))
        for n, code in enumerate(self.dep_codes):
            u = np.random.default_rng(
                [stable_int("churn", self.seed, k), stable_int("dep", code)]
            ).standard_normal()
            noise[n] = min(max(u, -2.5), 2.5)
        return self.trend + _NOISE_SD * noise

    def department_factors(self, offset: int) -> np.ndarray:
        """Opt-in base factor per department at ``offset`` months (1.0 at offset 0)."""
        cached = self._cache.get(offset)
        if cached is not None:
            return cached
        if offset == 0:
            factors = np.ones(len(self.dep_codes))
        elif offset > 0:
            factors = self.department_factors(offset - 1) * (1.0 + self._monthly_rate(offset))
        else:
            factors = self.department_factors(offset + 1) / (1.0 + self._monthly_rate(offset + 1))
        factors.setflags(write=False)
        self._cache[offset] = factors
        return factors

    def season(self, main_interest: int, month: int) -> float:
        """Seasonal factor of a main interest in a month of the year (1.0 in November)."""
        spec = SEASONAL.get(main_interest)
        if spec is None:
            return 1.0
        return _shape(*spec, month) / _shape(*spec, REFERENCE_MONTH)

    def factors(self, offset: int, month: int, main_interest: int) -> np.ndarray | None:
        """Per-department volume factor for a targeting, or None in the reference month
        (None: the model's reference path, so its numbers are exactly the reference ones)."""
        if offset == 0:
            return None
        key = (offset, month, main_interest)
        found = self._factors.get(key)
        if found is None:  # a sweep asks the same month and interest again and again
            found = self.department_factors(offset) * self.season(main_interest, month)
            found.setflags(write=False)
            if len(self._factors) >= 256:
                self._factors.clear()
            self._factors[key] = found
        return found


@cache
def evolution(seed: int) -> Evolution:
    """The evolution of ``seed``'s audiences, built once per process and seed."""
    return Evolution(seed, audience_model(seed).dep_codes)
