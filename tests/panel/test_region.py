"""The region dropdown targets at once (issue 18): the rule in ``Controls``' docstring.

``debounce=0``: each widget change computes inside its ``observe`` callback. Expected
numbers come from an independent sandbox client (same seed), as in ``test_panel.py``.
"""

from __future__ import annotations

from smsp_analytics import refdata
from smsp_analytics.client.facade import Client
from smsp_analytics.panel._controls import ALL
from smsp_analytics.targeting import Targeting

ALL_DEPARTMENTS = tuple(refdata.department_codes())
REGION = "Hauts-de-France"
OTHER = "Île-de-France"


def region_codes(name: str) -> tuple[str, ...]:
    deps = refdata.departments()
    return tuple(deps.index[deps["region_name"] == name])


def expected_volume(oracle: Client, departments: tuple[str, ...]) -> int:
    frame = oracle.calcul(Targeting(gender="m", age=(18, 98), interest=14, departments=departments))
    return int(frame.attrs["total_quantity"])


def test_region_choice_targets_its_departments_at_once(p, oracle):
    """No button to press: the count becomes the region's, in one request."""
    in_region = region_codes(REGION)
    assert len(in_region) > 1 and p.targeting.departments == ALL_DEPARTMENTS
    before = p.generation
    p.controls["region"].value = REGION
    assert p.generation == before + 1  # one calcul, not one per widget touched
    assert p.message.value == ""
    assert set(p.targeting.departments) == set(in_region)
    assert p.headline["volume"] == expected_volume(oracle, p.targeting.departments)
    assert p.headline["volume"] == sum(p.bars.data[0].y) and len(p.bars.data[0].x) == len(in_region)
    assert p.controls["departments"].value == ()  # nothing is selected on the user's behalf
    assert REGION in p.hint.value and f"All {len(in_region)} departments" in p.hint.value


def test_departments_within_the_region_narrow_it(p, oracle):
    in_region = region_codes(REGION)
    p.controls["region"].value = REGION
    p.controls["departments"].value = in_region[:1]
    assert p.targeting.departments == in_region[:1]
    p.controls["departments"].value = in_region[:2]
    assert p.targeting.departments == in_region[:2]
    assert p.headline["volume"] == expected_volume(oracle, in_region[:2])
    assert p.hint.value == ""
    # Deselecting all of them goes back to the whole region.
    p.controls["departments"].value = ()
    assert set(p.targeting.departments) == set(in_region)


def test_clearing_the_region_keeps_chosen_departments_else_all_france(p, oracle):
    in_region = region_codes(REGION)
    p.controls["region"].value = REGION
    p.controls["region"].value = ALL
    assert p.targeting.departments == ALL_DEPARTMENTS
    assert p.headline["volume"] == expected_volume(oracle, ALL_DEPARTMENTS)
    p.controls["region"].value = REGION
    p.controls["departments"].value = in_region[:2]
    p.controls["region"].value = ALL
    assert p.targeting.departments == in_region[:2]
    assert p.controls["departments"].value == in_region[:2]


def test_switching_region_targets_the_new_one_and_keeps_the_selection(p):
    """A department picked elsewhere stays selected in the list, so it stays targeted."""
    in_region, other = region_codes(REGION), region_codes(OTHER)
    p.controls["region"].value = REGION
    p.controls["region"].value = OTHER
    assert set(p.targeting.departments) == set(other)
    p.controls["region"].value = ALL
    p.controls["departments"].value = in_region[:1]
    p.controls["region"].value = OTHER
    assert set(p.targeting.departments) == set(in_region[:1]) | set(other)
    p.controls["departments"].value = in_region[:1] + other[:1]
    assert p.targeting.departments == in_region[:1] + other[:1]


def test_search_filters_the_list_but_not_the_targeting(p):
    in_region = region_codes(REGION)
    p.controls["region"].value = REGION
    before = p.generation
    p.controls["search"].value = in_region[0]
    assert p.generation == before  # no request: the targeting did not change
    assert set(p.targeting.departments) == set(in_region)


def test_zip_code_inside_the_region_is_refused_naming_the_field(p):
    """The region's departments are real targeting: a zip inside one would count twice."""
    p.controls["region"].value = REGION
    before = dict(p.headline)
    p.controls["zipcodes"].value = "60200"
    assert "data-field='zipcodes'" in p.message.value
    assert dict(p.headline) == before and p.rent.widgets["rent"].disabled
