"""The distinct-calcul fast paths (issue 18) answer exactly what the slower reference does:
the model's running sums give the floors of its einsum (or hand over to it), the cost in
integers is Decimal's, and orjson's reading of a body is the standard library's."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from smsp_analytics.sandbox import AudienceModel, Query, audience_model
from smsp_analytics.sandbox.evolution import evolution
from smsp_analytics.sandbox.jsonbody import MalformedBody, read_json
from smsp_analytics.sandbox.pricing import cost, cost_floats

SEEDS = (0, 7)


def _random_query(rnd: random.Random, model: AudienceModel) -> Query:
    lo = rnd.randint(18, 98)
    return Query(
        rnd.choice([(0,), (1,), (0, 1)]),
        lo,
        rnd.randint(lo, 98),
        rnd.choice(list(model.catalogue.index)),
        rnd.choice([None, 102, 103]),
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_fast_volumes_are_the_reference_ones(seed: int) -> None:
    model, ev, rnd = audience_model(seed), evolution(seed), random.Random(seed)
    deps, zips = model.dep_codes, model.zip_codes
    fast = 0
    for n in range(600):
        q = _random_query(rnd, model)
        d = deps if n % 3 == 0 else tuple(rnd.sample(deps, rnd.randint(0, 12)))
        z = tuple(rnd.sample(zips, rnd.choice([0, 1, 8, 400, 5000])))
        d = d if d or z else deps[:1]
        factors = ev.factors(rnd.choice([0, 0, 1, 6, -4, 30]), 4, model.main_interest(q.interest))
        assert model.volumes(q, d, z, factors) == model.reference_volumes(q, d, z, factors)
        fast += model._fast(q, d, z, factors) is not None
    assert fast >= 590  # the reference decides only values too close to an integer


def test_every_age_range_of_an_interest_is_exact_for_the_departments() -> None:
    model = audience_model(7)
    for lo in range(18, 99):
        for hi in range(lo, 99):
            for sexes in ((0,), (1,), (0, 1)):
                q = Query(sexes, lo, hi, 35, 102 if hi % 2 else None)
                rows, total = model.volumes(q, model.dep_codes, ())
                assert (rows, total) == model.reference_volumes(q, model.dep_codes, ())


def test_a_value_too_close_to_call_goes_to_the_reference() -> None:
    model = AudienceModel(3)
    q = Query((0, 1), 30, 44, 14, None)
    assert model._fast(q, model.dep_codes, (), None) is not None
    row = model.catalogue.index[14]
    model._sums_of[row] = (model._sums(row)[0], 0.5)  # every value is now "too close"
    assert model._fast(q, model.dep_codes, (), None) is None
    assert model.volumes(q, model.dep_codes, ()) == model.reference_volumes(q, model.dep_codes, ())


def test_the_rows_come_back_as_an_int64_array_with_their_total() -> None:
    model = audience_model(7)
    q = Query((1,), 25, 60, 22, 103)
    packed, total = model.volume_rows(q, ("60", "2A"), ("60200",))
    assert (
        packed.dtype == np.int64
        and packed.tolist() == model.volumes(q, ("60", "2A"), ("60200",))[0]
    )
    assert total == int(packed.sum())


def test_cost_in_integers_is_decimals_cost() -> None:
    rnd = random.Random(1)
    units = ["0.09", "0.1", "0.125", "0.005", "0.095", "1", "0.0999", "0.33333", "2.5", "0"]
    units += ["0.1234567891", "0.12345678912345"]  # the last one: Decimal decides
    for unit in map(Decimal, units):
        for q in list(range(0, 400)) + [rnd.randint(0, 10**13) for _ in range(2000)]:
            assert cost_floats(q, unit) == (float(cost(q, unit)), float(unit)), (q, unit)


def _standard(raw: bytes) -> Any:
    """The reading before the fast path: the standard library, duplicate keys refused."""

    def pairs(items: list[tuple[str, Any]]) -> dict:
        if len({k for k, _ in items}) != len(items):
            raise MalformedBody("duplicate")
        return dict(items)

    return json.loads(raw.decode("utf-8"), object_pairs_hook=pairs)


def _outcome(read: Any, raw: bytes) -> str:
    try:
        return repr(read(raw))
    except (MalformedBody, ValueError, RecursionError):
        return "malformed"


ATOMS = [
    "0", "-0", "25", '"25"', "1.0", "2.5", "1E400", "NaN", "-Infinity", "true", "null", '""',
    '"a:b"', '"\\u003a"', '"\\ud800"', '"é"', "18446744073709551615", "18446744073709551616",
    "-9223372036854775809", "1" * 30, "[]", "{}", "01", '"x\\n"',
]  # fmt: skip
KEYS = ['"a"', '"b"', '"op"', '"a:b"', '""', '"\\u0061"']


def _document(rnd: random.Random, depth: int = 0) -> str:
    roll = rnd.random()
    if depth > 3 or roll < 0.4:
        return rnd.choice(ATOMS)
    if roll < 0.75:
        members = [
            f"{rnd.choice(KEYS)}:{_document(rnd, depth + 1)}" for _ in range(rnd.randint(0, 4))
        ]
        return "{" + ",".join(members) + "}"
    return "[" + ",".join(_document(rnd, depth + 1) for _ in range(rnd.randint(0, 4))) + "]"


def test_a_body_reads_as_the_standard_library_reads_it() -> None:
    rnd = random.Random(5)
    hostile = [b"\xef\xbb\xbf{}", b'{"a":1}\x00', b"\xff", b'{"a":"\xed\xa0\x80"}', b"{}{}"]
    hostile += [b"[" * 1500 + b"]" * 1500, b'{"a":' * 900 + b"1" + b"}" * 900, b'{"a":1,}']
    documents = [_document(rnd).encode() for _ in range(8000)] + hostile
    for raw in documents:
        assert _outcome(read_json, raw) == _outcome(_standard, raw), raw[:80]
    assert read_json(b'{"op": "calcul", "p": {"a": 1}}') == {"op": "calcul", "p": {"a": 1}}
