"""Money as the project stores it: euros and cents in a Decimal, never a float.

One definition of the database column (12 digits, 2 decimals), its form-field twin and the
two constants every sum needs, so an app never spells out its own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

MAX_DIGITS = 12
DECIMAL_PLACES = 2
# Keyword arguments of a money DecimalField (model or form).
MONEY: dict[str, int] = {"max_digits": MAX_DIGITS, "decimal_places": DECIMAL_PLACES}

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money_field(verbose_name: Any = None, **kwargs: Any) -> models.DecimalField:
    """A model column of euros and cents."""
    return models.DecimalField(verbose_name, **MONEY, **kwargs)


def to_cents(value: Decimal | int | str) -> Decimal:
    """The amount in whole cents (Decimal's default rounding, half to even)."""
    return Decimal(value).quantize(CENT)
