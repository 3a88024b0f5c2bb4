"""Money and number formatting the way Kouvola writes them: 93 500,00 €."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation

NBSP = "\u00a0"


def format_euros(amount: Decimal | int | None, *, language: str | None = None) -> str:
    """'93 500,00 €' in Finnish and Swedish, '€93,500.00' in English."""
    if amount is None:
        return ""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    language = language or translation.get_language() or "fi"
    if language.startswith("en"):
        return f"{sign}€{','.join(groups)}.{cents}"
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}€"


# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): names and titles in
# downloads are typed by residents.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text that starts like a formula, prefixed with an apostrophe; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
