"""Dividing a sum of money between areas in proportion to their populations."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

__all__ = ["split_by_population"]

K = TypeVar("K", bound=Hashable)


def split_by_population(total: Decimal | int, populations: Mapping[K, int]) -> dict[K, int]:
    """Whole euros per area by the largest-remainder (Hamilton) method; sums exactly to ``total``.

    Each area first gets the whole part of its exact quota ``total * population / sum``; the
    euros left over go one each to the areas with the largest fractional remainders. Equal
    remainders are decided by the areas' keys in ascending order, so the split never depends
    on the mapping's order. The arithmetic is exact (fractions), as a rounding slip would show
    up as a euro missing from the published split.
    """
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
    by_remainder = sorted(quotas, key=lambda key: (-(quotas[key] - shares[key]), key))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares
