"""The day in Kouvola and how a day is written.

Times are stored in UTC; the calendar day that matters (a deadline, a phase, the year of
an allocation) is the one in Helsinki, which at night differs from the UTC day.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

HELSINKI = ZoneInfo("Europe/Helsinki")


def local_date(at: dt.datetime | None = None) -> dt.date:
    """The calendar day in Helsinki at the instant `at` (now by default)."""
    return timezone.localtime(at or timezone.now(), HELSINKI).date()


def local_today() -> dt.date:
    """Today in Helsinki."""
    return local_date()


def format_day(day: dt.date) -> str:
    """'2.12.2026': the Finnish way, without leading zeros (and without glibc's `%-d`)."""
    return f"{day.day}.{day.month}.{day.year}"
