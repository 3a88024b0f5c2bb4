"""Dividing a sum between areas in proportion to their populations (largest remainder).

Pure Python with no Django import, so `voting.counting` (which auditors run outside
Django) and the committees' yearly allocations share this one rule.

The rule: each area gets the whole part of its exact quota ``units * population / sum``;
the units left over go one each to the areas with the largest fractional remainders.
Equal remainders go to the larger population, then to the smaller key, so the split never
depends on the mapping's order. The arithmetic is exact (fractions): a rounding slip
would show as a euro missing from the published split.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

__all__ = ["split_by_population", "split_units"]

K = TypeVar("K", bound=Hashable)


def split_units(total: Decimal | int, populations: Mapping[K, int]) -> dict[K, int]:
    """Whole units per key by the largest-remainder (Hamilton) method; sums exactly to ``total``."""
    if isinstance(total, Decimal) and total != total.to_integral_value():
        raise ValueError(f"the total must be whole euros, got {total}")
    total = int(total)
    if total < 0:
        raise ValueError("the total must not be negative")
    if any(p < 0 for p in populations.values()):
        raise ValueError("populations must not be negative")
    if not populations:
        if total:
            raise ValueError("no areas to split the money between")
        return {}
    people = sum(populations.values())
    if people == 0:
        raise ValueError("the areas have no population to split by")
    quotas = {key: Fraction(total * pop, people) for key, pop in populations.items()}
    shares = {key: int(q) for key, q in quotas.items()}  # floor, as quotas are non-negative
    left = total - sum(shares.values())

    def order(key: Any) -> tuple[Fraction, int, Any]:
        return (-(quotas[key] - shares[key]), -populations[key], _sort_key(key))

    for key in sorted(quotas, key=order)[:left]:
        shares[key] += 1
    return shares


def split_by_population(total: Decimal | int, populations: Mapping[K, int]) -> dict[K, int]:
    """Whole euros per area; see the module's docstring for the rule and its tie-break."""
    return split_units(total, populations)


def _sort_key(key: Any) -> Any:
    # Model instances are not orderable; their primary key is (and is stable).
    return getattr(key, "pk", key)
