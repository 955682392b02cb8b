"""Determinism across restarts, and realism of the synthetic audiences (figures printed)."""

from __future__ import annotations

import numpy as np
import pytest

from smsp_analytics import refdata
from smsp_analytics.sandbox import Sandbox

from .conftest import Api

DEPS = ",".join(refdata.department_codes())
BASE = {"sexe": "m", "minAge": 18, "maxAge": 98, "interest": 12}


def _answers(api: Api) -> list:
    out = []
    for params in (
        dict(BASE, department=DEPS),
        dict(BASE, zipcode="60200,75001,97400"),
        dict(
            BASE,
            sexe="f",
            minAge=30,
            maxAge=44,
            interest=14,
            subInterest=35,
            category=102,
            department="60,2B",
        ),
        dict(BASE, interest=11),
    ):
        out.append(api.optin("calcul", params).json())
    return out


def test_same_seed_same_numbers_across_restarts():
    with Sandbox(api_key="a", seed=42, rental_delay=0) as sb:
        first = _answers(Api(sb))
    with Sandbox(api_key="b", seed=42, rental_delay=0) as sb:
        second = _answers(Api(sb))
    with Sandbox(api_key="c", seed=43, rental_delay=0) as sb:
        other = _answers(Api(sb))
    assert first == second
    assert all(a["success"] for a in first)
    assert first != other
    # Different seeds move department volumes, but not wildly.
    a = np.array([r["Volume"] for r in first[0]["datas"][:-1]], dtype=float)
    b = np.array([r["Volume"] for r in other[0]["datas"][:-1]], dtype=float)
    assert (a != b).mean() > 0.9 and np.corrcoef(a, b)[0, 1] > 0.98


def _dep_volumes(api: Api, **changes) -> np.ndarray:
    body = api.optin("calcul", dict(BASE, department=DEPS, **changes)).json()
    rows = body["datas"]
    assert sum(r["Volume"] for r in rows[:-1]) == rows[-1]["Volume"]
    return np.array([r["Volume"] for r in rows[:-1]], dtype=float)


def test_realism(api: Api):
    deps = refdata.departments()
    population = deps["population"].to_numpy(dtype=float)

    # Opt-in base: the union over main interests is unknown, so bound it with the largest
    # interest audience (a lower bound) and the sum of all main ones (an upper bound).
    mains = [c["id"] for c in api.get("location/categories").json()["categories"]]
    per_interest = [_dep_volumes(api, interest=i).sum() for i in mains]
    adults = population.sum() * 0.79
    print(
        f"\nlargest interest audience: {max(per_interest) / 1e6:.2f} M, "
        f"sum over {len(mains)} mains: {sum(per_interest) / 1e6:.1f} M, adults ~{adults / 1e6:.1f} M"
    )
    assert max(per_interest) < 0.25 * adults < sum(per_interest)

    vols = _dep_volumes(api)
    r = np.corrcoef(vols, population)[0, 1]
    print(f"Pearson(department volume, INSEE population) = {r:.4f}")
    assert r > 0.95

    women = _dep_volumes(api, sexe="f").sum()
    men = _dep_volumes(api, sexe="h").sum()
    share = women / (women + men)
    print(f"women share = {share:.3f}")
    assert 0.50 <= share <= 0.56
    assert women + men == pytest.approx(vols.sum(), rel=1e-3)

    bins = [(18, 24), (25, 34), (35, 49), (50, 64), (65, 84), (85, 98)]
    by_bin = {b: _dep_volumes(api, minAge=b[0], maxAge=b[1]).sum() for b in bins}
    total = sum(by_bin.values())
    print(
        "age profile:", ", ".join(f"{lo}-{hi}: {v / total:.1%}" for (lo, hi), v in by_bin.items())
    )
    assert by_bin[(18, 24)] < by_bin[(35, 49)]
    assert by_bin[(85, 98)] / total < 0.05
    assert by_bin[(50, 64)] > by_bin[(85, 98)] * 5

    # Mean age per department from single-year calculs: urban departments are younger.
    ages = np.arange(18, 99)
    per_age = np.stack([_dep_volumes(api, minAge=int(a), maxAge=int(a)) for a in ages])
    mean_age = (per_age * ages[:, None]).sum(axis=0) / per_age.sum(axis=0)
    urban = deps["urban_share"].to_numpy()
    metro = np.array([not c.startswith("97") for c in deps.index])
    order = np.argsort(urban[metro])
    young, old = mean_age[metro][order[-15:]].mean(), mean_age[metro][order[:15]].mean()
    print(f"mean age: 15 most urban departments {young:.1f}, 15 most rural {old:.1f}")
    assert young < old - 1.0
    assert np.corrcoef(urban[metro], mean_age[metro])[0, 1] < -0.5

    # CSP+ share higher in urban departments.
    plus, minus = _dep_volumes(api, category=102), _dep_volumes(api, category=103)
    csp = plus / (plus + minus)
    print(
        f"CSP+ share: urban {csp[metro][order[-15:]].mean():.2f}, "
        f"rural {csp[metro][order[:15]].mean():.2f}"
    )
    assert csp[metro][order[-15:]].mean() > csp[metro][order[:15]].mean()

    # Interests follow age and sex.
    games_m = _dep_volumes(api, interest=11, sexe="h", minAge=18, maxAge=30).sum()
    games_f = _dep_volumes(api, interest=11, sexe="f", minAge=18, maxAge=30).sum()
    games_old = _dep_volumes(api, interest=11, sexe="h", minAge=60, maxAge=72).sum()
    beauty_f = _dep_volumes(api, interest=13, sexe="f").sum()
    beauty_m = _dep_volumes(api, interest=13, sexe="h").sum()
    print(
        f"Jeux vidéo men/women 18-30: {games_m / games_f:.2f}; Mode/Beauté women/men: "
        f"{beauty_f / beauty_m:.2f}"
    )
    assert games_m > games_f and games_m > 3 * games_old and beauty_f > 2 * beauty_m


def test_zip_codes_follow_their_department(api: Api):
    zips = refdata.zipcodes()
    in_60 = zips[zips["department"] == "60"]
    body = api.optin("calcul", dict(BASE, zipcode=",".join(in_60.index), department="60")).json()
    rows = body["datas"]
    dep = rows[0]["Volume"]
    zip_vols = np.array([r["Volume"] for r in rows[1:-1]], dtype=float)
    print(f"\nOise: department {dep}, sum of its zip codes {zip_vols.sum():.0f}")
    assert 0.85 * dep < zip_vols.sum() < 1.15 * dep
    assert np.corrcoef(zip_vols, in_60["population"].to_numpy())[0, 1] > 0.95
    assert sum(r["Volume"] for r in rows[:-1]) == rows[-1]["Volume"]


def test_opt_in_base_is_a_plausible_share_of_adults():
    from smsp_analytics.sandbox import audience_model

    base = audience_model(7).base.sum()
    adults = refdata.departments()["population"].sum() * 0.79
    print(f"\nopt-in base {base / 1e6:.2f} M contacts = {base / adults:.1%} of adults")
    assert 8e6 <= base <= 12e6
    assert 0.15 <= base / adults <= 0.25


def test_model_time_for_101_departments_is_well_under_a_millisecond():
    import time

    from smsp_analytics.sandbox import Query, audience_model

    model = audience_model(7)
    deps = refdata.department_codes()
    queries = [Query((0, 1), 18 + k % 30, 60 + k % 30, 14, None) for k in range(200)]
    started = time.perf_counter()
    for q in queries:
        rows, total = model.volumes(q, deps, ())
        assert len(rows) == 101 and sum(rows) == total
    per_query = (time.perf_counter() - started) / len(queries)
    print(f"\nmodel time, 101 departments: {per_query * 1e6:.0f} us")
    assert per_query < 1e-3
