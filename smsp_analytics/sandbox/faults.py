"""Fault rules for the reliability tests (admin ``/_sandbox/faults``).

A rule says which fault to inject, on which operation, and when: with a probability drawn
from its own seeded generator (so a run is reproducible), and/or for the next ``count``
matching calls only. All off by default. Kinds:

- ``rate_limit``: HTTP 429 with ``Retry-After`` (``retry_after`` seconds, default 1; the
  header carries whole seconds, rounded up, as RFC 9110 requires);
- ``server_error``: HTTP ``status`` (500, 502, 503 or 504; default 503), ``Retry-After``
  if ``retry_after`` is given;
- for both, ``retry_after_raw`` (a string such as ``"0.5"`` or an HTTP date) is sent
  verbatim instead, to test a client against a server that does not follow RFC 9110;
- ``delay``: wait ``delay`` seconds, then answer normally;
- ``reset``: close the connection with a TCP RST (SO_LINGER 0), no answer at all;
- ``truncate``: send headers with a Content-Length larger than the body sent, then close;
- ``malformed``: HTTP 200 with a body that is not valid JSON (or XML with ``_format=xml``).

``phase``: ``before`` (default) replaces the answer before the request is handled;
``after`` lets the handler run and commit (a rent is charged, a download is used up), then
replaces its answer: the most dangerous real failure, "charged, answer lost".
A sandbox holds at most :data:`MAX_RULES` rules.

>>> fs = FaultSet()
>>> rule = fs.add({"kind": "rate_limit", "op": "rent", "count": 1})
>>> fs.pick("rent").kind, fs.pick("rent")
('rate_limit', None)
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Literal, overload

__all__ = ["KINDS", "OPERATIONS", "PHASES", "MAX_RULES", "FaultRule", "FaultSet"]

KINDS = ("rate_limit", "server_error", "delay", "reset", "truncate", "malformed")
OPERATIONS = (
    "calcul",
    "price",
    "rent",
    "status",
    "download",
    "me",
    "categories",
    "stop_list",
    "lookup",
    "cost_resume",
    "*",
)
PHASES = ("before", "after")
#: Rules one sandbox holds at most (each costs memory and a check on every request).
MAX_RULES = 256
_FIELDS = {
    "kind",
    "op",
    "probability",
    "seed",
    "count",
    "status",
    "retry_after",
    "retry_after_raw",
    "delay",
    "phase",
}
# Visible ASCII and spaces only: no CR/LF, so a raw header value cannot inject headers.
_HEADER_TEXT = re.compile(r"[\x20-\x7e]{1,100}")


@dataclass
class FaultRule:
    """One rule; ``count`` None means no limit. ``fired`` counts injections."""

    kind: str
    op: str = "*"
    probability: float = 1.0
    seed: int | None = 0  # None (JSON null): an unseeded generator
    count: int | None = None
    status: int | None = None
    retry_after: float | None = None
    retry_after_raw: str | None = None
    delay: float = 1.0
    phase: str = "before"
    fired: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def as_json(self) -> dict[str, Any]:
        """The rule as JSON (what GET /_sandbox/faults lists)."""
        return {
            "kind": self.kind,
            "op": self.op,
            "probability": self.probability,
            "seed": self.seed,
            "count": self.count,
            "status": self.status,
            "retry_after": self.retry_after,
            "retry_after_raw": self.retry_after_raw,
            "delay": self.delay,
            "phase": self.phase,
            "fired": self.fired,
        }


@overload
def _number(
    spec: dict[str, Any],
    key: str,
    default: float | None,
    lo: float,
    hi: float,
    integer: Literal[False] = False,
) -> float | None: ...


@overload
def _number(
    spec: dict[str, Any],
    key: str,
    default: int | None,
    lo: float,
    hi: float,
    integer: Literal[True],
) -> int | None: ...


def _number(
    spec: dict[str, Any],
    key: str,
    default: float | None,
    lo: float,
    hi: float,
    integer: bool = False,
) -> float | None:
    """``spec[key]`` checked to lie in [lo, hi] (an integer if asked); None when null."""
    value = spec.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{key} must be a number")
    if not lo <= value <= hi or (integer and int(value) != value):
        raise ValueError(f"{key} must be {'an integer ' if integer else ''}in [{lo}, {hi}]")
    return int(value) if integer else float(value)


def _required_number(spec: dict[str, Any], key: str, default: float, lo: float, hi: float) -> float:
    """As ``_number``, for a field that cannot be null (it is used in arithmetic)."""
    value = _number(spec, key, default, lo, hi)
    if value is None:
        raise ValueError(f"{key} must be a number")
    return value


def parse_rule(spec: Any) -> FaultRule:
    """A rule from its JSON; ValueError with a readable reason when it is invalid."""
    if not isinstance(spec, dict):
        raise ValueError("a fault rule is a JSON object")
    unknown = set(spec) - _FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    op = spec.get("op", "*")
    if op not in OPERATIONS:
        raise ValueError(f"op must be one of {OPERATIONS}")
    phase = spec.get("phase", "before")
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {PHASES}")
    status = _number(spec, "status", None, 400, 599, integer=True)
    if kind == "server_error":
        status = status or 503
        if status not in (500, 502, 503, 504):
            raise ValueError("server_error status must be 500, 502, 503 or 504")
    elif kind == "rate_limit":
        status = 429
    retry_after = _number(spec, "retry_after", 1 if kind == "rate_limit" else None, 0, 3600)
    raw = spec.get("retry_after_raw")
    if raw is not None and not (isinstance(raw, str) and _HEADER_TEXT.fullmatch(raw)):
        raise ValueError("retry_after_raw must be 1 to 100 visible ASCII characters")
    rule = FaultRule(
        kind=kind,
        op=op,
        probability=_required_number(spec, "probability", 1.0, 0.0, 1.0),
        seed=_number(spec, "seed", 0, 0, 2**63, integer=True),
        count=_number(spec, "count", None, 0, 10**9, integer=True),
        status=status,
        retry_after=retry_after,
        retry_after_raw=raw,
        delay=_required_number(spec, "delay", 1.0, 0.0, 600.0),
        phase=phase,
    )
    rule._rng = random.Random(rule.seed)  # own stream: reproducible whatever else happens
    return rule


class FaultSet:
    """The active rules of one sandbox; thread-safe."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        #: False while no rule is held: the middleware then skips ``pick`` (and its lock).
        self.active = False

    def add(self, spec: dict) -> FaultRule:
        """Validate and append a rule."""
        return self.extend([spec])[0]

    def extend(self, specs: list) -> list[FaultRule]:
        """Validate every rule, then append them all (none when one is invalid, or when
        the sandbox would hold more than :data:`MAX_RULES`)."""
        if len(specs) > MAX_RULES:
            raise ValueError(f"at most {MAX_RULES} fault rules in total, {len(specs)} given")
        rules = [parse_rule(spec) for spec in specs]
        with self._lock:
            if len(self._rules) + len(rules) > MAX_RULES:
                raise ValueError(
                    f"at most {MAX_RULES} fault rules in total: "
                    f"{len(self._rules)} held, {len(rules)} given"
                )
            self._rules.extend(rules)
            self.active = bool(self._rules)
        return rules

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()
            self.active = False

    def rules(self) -> list[dict]:
        """The rules as JSON."""
        with self._lock:
            return [r.as_json() for r in self._rules]

    def pick(self, op: str) -> FaultRule | None:
        """The fault to inject on this call of ``op``, if any (first matching rule wins).

        A rule's probability is drawn on every matching call, so the sequence of
        injections depends only on its seed and the calls of its operation.
        """
        with self._lock:
            for rule in self._rules:
                if rule.op not in ("*", op):
                    continue
                if rule.count is not None and rule.fired >= rule.count:
                    continue
                if rule.probability < 1.0 and rule._rng.random() >= rule.probability:
                    continue
                rule.fired += 1
                return rule
        return None
