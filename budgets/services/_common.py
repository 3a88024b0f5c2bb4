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
SHARES_DO_NOT_ADD_UP = _(
    "The funding sources add up to %(shares)s but the appropriation is %(amount)s; they must "
    "be equal."
)
APPROPRIATION_BELOW_COMMITTED = _(
    "The appropriation cannot be less than the %(committed)s already committed from it."
)
APPROPRIATION_EXCEEDED = _(
    "%(amount)s is more than the %(left)s left to commit in %(appropriation)s."
)
COMMITMENT_NEEDS_ONE_TARGET = _("Choose either a ballot or a committee allocation.")
ALREADY_COMMITTED = _("%(target)s already draws its money from %(appropriation)s.")
WRONG_YEAR = _("%(target)s is for %(target_year)s but the appropriation is for %(year)s.")
COMMITMENT_OVER_TARGET = _("%(amount)s is more than the %(target_amount)s of %(target)s.")
NO_DECISION = _("The winners of %(ballot)s have not been confirmed yet.")
EXPENSE_ON_GRANT = _(
    "A committee grant's money out is the committee's payments; record the payment on the "
    "grant instead."
)
NO_APPROPRIATION = _(
    "%(ballot)s draws no money from an appropriation yet; commit the ballot to an "
    "appropriation before recording expenses."
)
EXPENSES_OVER_COMMITTED = _(
    "The expense %(amount)s would take the spending on %(ballot)s to %(total)s, more than "
    "the %(committed)s committed to it."
)
PROGRESS_RANGE = _("Progress is a percentage from 0 to 100.")
WINNER_OR_GRANT = _("Choose either a confirmed winner or a committee grant.")
ALREADY_RECORDED = _("It already has an implementation record.")
NOT_A_WINNER = _("Only a proposal confirmed as a winner is implemented.")
DONE_NEEDS_DATE = _("Give the day the project was completed before marking it done.")
LATER_COSTS_NEED_REASON = _(
    "Participatory budgeting projects create no later costs: explain why this one may."
)
HOURS_REQUIRED = _("Record at least some hours of work.")
PERIOD_BACKWARDS = _("The end of the period cannot be before its start.")
PERIOD_IN_FUTURE = _("A report cannot cover days that have not yet come.")
# A section is built per year of the period: an unbounded period (0001-01-01 to
# 9999-12-31) once ran for 40 minutes and 4.6 GB in the web process.
REPORT_MAX_YEARS = 10
PERIOD_TOO_LONG = _("A report can cover at most %(years)s years.")
NOT_READY = _("Only a finished report can be published.")
