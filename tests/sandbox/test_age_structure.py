"""The modelled population (before the opt-in and interest skews) has INSEE's age structure.

Shares are of the WHOLE population (all ages, the departments' legal populations summed),
the base on which INSEE quotes its pyramid and on which the issue's figures (25-34: 12.9 % in
the old model, ~11.5 % at INSEE) are computed.
"""

from __future__ import annotations

import numpy as np
import pytest

from smsp_analytics import refdata
from smsp_analytics.sandbox import audience_model
from smsp_analytics.sandbox.catalogue import AGES

# INSEE, estimations de population au 1er janvier 2025 (bilan démographique 2024, pyramide
# des âges), France hexagonale + DROM, share of the whole population in %. Written here
# independently of the sandbox's own table (smsp_analytics/sandbox/population.py).
INSEE_2025 = {
    (18, 24): 8.3,
    (25, 34): 11.5,
    (35, 49): 18.8,
    (50, 64): 19.0,
    (65, 74): 11.4,
    (75, 98): 10.4,
}
TOLERANCE_PP = 0.5


def band_shares(people_by_age: np.ndarray, total: float) -> dict[tuple[int, int], float]:
    return {
        (lo, hi): 100.0 * float(people_by_age[(AGES >= lo) & (AGES <= hi)].sum()) / total
        for lo, hi in INSEE_2025
    }


@pytest.mark.parametrize("seed", [0, 7, 12345])
def test_national_age_bands_follow_insee(seed):
    model = audience_model(seed)
    total = float(refdata.departments()["population"].sum())
    people = model.population  # [departments, sexes, ages 18..98]
    assert people.shape == (len(model.dep_codes), 2, len(AGES))
    shares = band_shares(people.sum(axis=(0, 1)), total)
    for band, insee in INSEE_2025.items():
        assert abs(shares[band] - insee) <= TOLERANCE_PP, (band, shares[band], insee)


def test_departments_keep_their_own_structure():
    model = audience_model(0)
    deps = refdata.departments()
    pop = deps["population"].to_numpy(dtype=float)
    people = model.population.sum(axis=1)  # [D, A]
    share = {code: band_shares(people[n], pop[n]) for n, code in enumerate(model.dep_codes)}
    # Urban departments are younger, rural ones older; overseas ones younger still.
    assert share["75"][(25, 34)] > share["23"][(25, 34)] + 2
    assert share["23"][(75, 98)] > share["75"][(75, 98)] + 2
    assert sum(share["976"].values()) < sum(share["23"].values()) - 15  # Mayotte: young
    # Each department's adults are its population's adults: no department above 100 %.
    assert (people.sum(axis=1) < pop).all()


def test_the_opt_in_base_is_a_skew_of_that_population():
    model = audience_model(0)
    ratio = model.base.sum(axis=(0, 1)) / model.population.sum(axis=(0, 1))
    young, old = ratio[AGES == 38][0], ratio[AGES == 90][0]
    assert young > 3 * old  # opt-ins are rarer among the oldest (deliberate skew)
    assert 0.12 < model.base.sum() / model.population.sum() < 0.26
