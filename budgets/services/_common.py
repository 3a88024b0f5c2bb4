"""Every write of the budgets app.

Money limits hold under row locks: a commitment locks its appropriation, an expense locks
the appropriation its ballot draws from, so concurrent writes are serialised and the
second sees the first.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# --- messages that tests assert on -----------------------------------------------------
AMOUNT_NEGATIVE = _("An amount cannot be negative.")
AMOUNT_REQUIRED = _("The amount must be greater than zero.")
DONE_NEEDS_DATE = _("Give the day the project was completed before marking it done.")
# A section is built per year of the period: an unbounded period (0001-01-01 to
# 9999-12-31) once ran for 40 minutes and 4.6 GB in the web process.
REPORT_MAX_YEARS = 10
