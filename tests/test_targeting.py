"""targeting.py: aliases, normalisation, vendor codes, regions, volumes."""

import dataclasses

import pytest

from smsp_analytics import refdata
from smsp_analytics.errors import TargetingError
from smsp_analytics.targeting import (
    Catalogue,
    Targeting,
    departments_of_region,
    normalize_volumes,
    validate_parameters,
)


def test_aliases_and_normalisation():
    t = Targeting(
        gender="Women",
        age=("25", 35.0),
        interest="14",
        category="csp-",
        departments=[2, "2a", " 60 ", "60"],
        zipcodes=[6200, "80000"],
    )
    assert t.gender == "f" and t.age == (25, 35) and t.interest == 14
    assert t.category == 103
    assert t.departments == ("02", "2A", "60")
    assert t.zipcodes == ("06200", "80000")
    assert t.to_parameters() == {
        "sexe": "f",
        "minAge": 25,
        "maxAge": 35,
        "interest": 14,
        "category": 103,
        "department": "02,2A,60",
        "zipcode": "06200,80000",
    }


def test_frozen_and_hashable():
    t = Targeting(interest=14)
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.gender = "f"
    assert hash(t) == hash(Targeting(interest=14, gender="all"))


@pytest.mark.parametrize(
    "kwargs,field,code",
    [
        (dict(gender="x", interest=14), "gender", 8),
        (dict(gender="", interest=14), "gender", 7),
        (dict(age=(17, 30), interest=14), "age", 12),
        (dict(age=(20, 99), interest=14), "age", 14),
        (dict(age=(40, 30), interest=14), "age", 61),
        (dict(), "interest", 19),
        (dict(interest=0), "interest", 15),
        (dict(interest=14, sub_interest=-1), "sub_interest", 18),
        (dict(interest=14, category=104), "category", 61),
        (dict(interest=14, category=0), "category", 23),
        (dict(interest=14, departments=["20"]), "departments", 61),
        (dict(interest=14, zipcodes=["99999"]), "zipcodes", 61),
    ],
)
def test_invalid_values_name_field_and_code(kwargs, field, code):
    with pytest.raises(TargetingError) as info:
        Targeting(**kwargs)
    assert info.value.field == field and info.value.code == code
    assert field in str(info.value) and "allowed" in str(info.value)


def test_validate_raw_parameters_in_vendor_order():
    # Both sexe and minAge are wrong: sexe is checked first.
    with pytest.raises(TargetingError) as info:
        validate_parameters({"sexe": "z", "minAge": 3})
    assert info.value.code == 8
    for raw, code in [
        (None, 3),
        ({}, 3),
        ([1], 3),
        ({"sexe": "m"}, 9),
        ({"sexe": "m", "minAge": True, "maxAge": 30}, 12),
        ({"sexe": "m", "minAge": "18", "maxAge": " "}, 13),
        ({"sexe": "m", "minAge": 18, "maxAge": 30, "interest": None}, 16),
        ({"sexe": "m", "minAge": 18, "maxAge": 30, "subInterest": ""}, 17),
        ({"sexe": "m", "minAge": 18, "maxAge": 30, "interest": 1, "category": ""}, 22),
    ]:
        with pytest.raises(TargetingError) as info:
            validate_parameters(raw)
        assert info.value.code == code, raw


def test_catalogue_checks_ids():
    cat = Catalogue(frozenset({14, 12}), {35: 14})
    ok = {"sexe": "m", "minAge": 18, "maxAge": 30, "interest": 14, "subInterest": 35}
    assert validate_parameters(ok, catalogue=cat)["subInterest"] == 35
    for bad in ({**ok, "interest": 99}, {**ok, "interest": 12}, {**ok, "subInterest": 36}):
        with pytest.raises(TargetingError) as info:
            validate_parameters(bad, catalogue=cat)
        assert info.value.code == 61


@pytest.mark.parametrize(
    "raw,field,value",
    [
        ({"interest": 99}, "interest", "99"),
        ({"interest": 14, "subInterest": 36}, "sub_interest", "36"),
        ({"interest": 12, "subInterest": 35}, "sub_interest", "35"),
    ],
)
def test_unknown_interest_ids_name_the_id_and_where_to_list_them(raw, field, value):
    cat = Catalogue(frozenset({14, 12}), {35: 14})
    with pytest.raises(TargetingError) as info:
        validate_parameters({"sexe": "m", "minAge": 18, "maxAge": 30, **raw}, catalogue=cat)
    text = str(info.value)
    assert info.value.field == field and value in text
    assert "client.categories()" in text and "smsp categories" in text


def test_zip_codes_inside_targeted_departments_are_refused():
    # The API counts such a zip code twice (in its department and on its own).
    with pytest.raises(TargetingError) as info:
        Targeting(interest=14, departments=["60", "02"], zipcodes=["80000", "60200"])
    err = info.value
    assert err.field == "zipcodes" and err.value == "60200" and err.code is None
    assert "60200 is in department 60" in str(err) and "counted twice" in str(err)
    # Everywhere a Targeting is built: from vendor parameters and by replacing a field.
    with pytest.raises(TargetingError, match="60200 is in department 60"):
        Targeting.from_parameters(
            {
                "sexe": "m",
                "minAge": 18,
                "maxAge": 98,
                "interest": 14,
                "department": "60",
                "zipcode": "60200",
            }
        )
    t = Targeting(interest=14, departments=["02"], zipcodes=["60200"])  # disjoint: fine
    with pytest.raises(TargetingError, match="60200 is in department 60"):
        dataclasses.replace(t, departments=("02", "60"))


def test_regions_accent_and_case_insensitive():
    deps = departments_of_region("HAUTS DE FRANCE")
    assert set(deps) == {"02", "59", "60", "62", "80"}
    t = Targeting.for_region("Île-de-France", interest=14)
    regions = refdata.departments().loc[list(t.departments), "region_name"]
    assert set(regions) == {"Île-de-France"}
    with pytest.raises(TargetingError) as info:
        departments_of_region("Atlantis")
    assert "Bretagne" in str(info.value)


def test_from_parameters_round_trip():
    t = Targeting(gender="h", age=(30, 40), sub_interest=35, departments=["75"])
    assert Targeting.from_parameters(t.to_parameters()) == t


def test_normalize_volumes():
    t = Targeting(interest=14, departments=["60", "02"], zipcodes=["06200"])
    assert normalize_volumes({60: "10", "2": 5, 6200: 1}, t) == {"60": 10, "02": 5, "06200": 1}
    with pytest.raises(TargetingError) as info:
        normalize_volumes({"75": 1}, t)
    assert info.value.code == 61
    with pytest.raises(TargetingError) as info:
        normalize_volumes({"60": -1}, t)
    assert info.value.code == 26
    assert normalize_volumes({"TOTAL": 5}, Targeting(interest=14)) == {"total": 5}


def test_locality_items_of_other_types_never_reuse_a_cached_answer():
    # (1,) == (True,) == (1.0,): a cache on raw items answered [True] with "01".
    assert Targeting(interest=14, departments=[1]).departments == ("01",)
    with pytest.raises(TargetingError) as err:
        Targeting(interest=14, departments=[True])
    assert err.value.field == "departments" and err.value.value is True
    with pytest.raises(TargetingError):
        Targeting(interest=14, departments=[1.5])
    assert Targeting(interest=14, zipcodes=[60200.0]).zipcodes == ("60200",)


@pytest.mark.parametrize("bad", [b"60", {"60": 10}, 60.5, object()])
def test_odd_locality_containers_are_refused_not_iterated(bad):
    # b"60" iterated as the ints 54, 48 targeted departments 54 and 48.
    with pytest.raises(TargetingError) as err:
        Targeting(interest=14, departments=bad)
    assert err.value.field == "departments" and "comma-separated" in str(err.value)


def test_localities_are_split_and_stored_as_sent():
    t = Targeting(interest=14, departments=["60,02"], zipcodes="6200, 80000")
    assert t.departments == ("60", "02") and t.zipcodes == ("06200", "80000")
    assert t.to_parameters()["zipcode"] == "06200,80000"
    assert Targeting(interest=14, departments={"60", "02"}).departments == ("02", "60")


def test_gender_and_category_errors_list_the_aliases():
    with pytest.raises(TargetingError, match="women") as err:
        Targeting(interest=14, gender="female-ish")
    assert err.value.field == "gender" and err.value.code == 8
    with pytest.raises(TargetingError, match="CSP\\+") as err:
        Targeting(interest=14, category="CSP")
    assert err.value.field == "category"


@pytest.mark.parametrize("value", ["٣٠", "１４", "१४"])
def test_non_ascii_digits_are_not_integers(value):
    # re's \d matches any Unicode digit and int() reads them: "٣٠" passed as 30 where the
    # API answers "not an integer" (found by tests/test_differential.py).
    with pytest.raises(TargetingError) as err:
        validate_parameters(
            {"sexe": "m", "minAge": 18, "maxAge": 40, "interest": 10, "category": value}
        )
    assert err.value.code == 23


def test_numpy_integers_are_integers_but_numpy_bools_are_not():
    import json

    import numpy

    t = Targeting(
        interest=numpy.int64(14), age=(numpy.int64(25), numpy.int32(35)), category=numpy.int64(102)
    )
    assert (t.interest, t.age, t.category) == (14, (25, 35), 102)
    assert json.loads(json.dumps(t.to_parameters()))["interest"] == 14
    with pytest.raises(TargetingError) as err:
        Targeting(interest=numpy.bool_(True))
    assert err.value.code == 15 and "interest" in str(err.value)


def test_the_client_checks_interest_ids_against_its_catalogue_before_any_call(client, admin):
    client.use_categories(client.categories())
    before = admin.stats()
    for t, needle in (
        (Targeting(interest=999), "999"),
        (Targeting(interest=14, sub_interest=998), "998"),
    ):
        with pytest.raises(TargetingError) as info:
            client.calcul(t)
        assert needle in str(info.value) and "smsp categories" in str(info.value)
    assert admin.stats() == before  # refused locally: nothing sent
