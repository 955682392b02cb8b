"""The numbers a sandbox hands out: ARCEP's block for works of fiction, 06 39 98 00 00 -
06 39 98 99 99 (10,000 numbers that never reach a subscriber).

>>> nums = phone_numbers("abc", 3)
>>> len(set(nums)), all(n.startswith("+3363998") and len(n) == 12 for n in nums)
(3, True)
"""

from __future__ import annotations

import numpy as np

from smsp_analytics.sandbox.model import stable_int

__all__ = ["MAX_RENTAL", "phone_numbers"]

#: Size of the ARCEP fiction block 06 39 98 00 00 - 06 39 98 99 99.
MAX_RENTAL = 10_000


def phone_numbers(token: str, quantity: int) -> list[str]:
    """Distinct E.164 numbers of the fiction block, in a deterministic order for a token."""
    rng = np.random.default_rng(stable_int("numbers", token))
    picks = rng.choice(MAX_RENTAL, size=quantity, replace=False)
    return [f"+3363998{n:04d}" for n in picks.tolist()]
