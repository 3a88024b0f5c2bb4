"""Every write of the committees app.

Money rules hold under row locks: a grant locks the committee's allocation row for the
year, a payment locks its grant, so two concurrent decisions or payments are serialised
and the second sees the first. PostgreSQL triggers (migration 0002) check the same sums.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

# --- messages that tests assert on -----------------------------------------------------
BUSINESS_ID_INVALID = _("%(value)s is not a valid business ID (Y-tunnus): check the number.")
ORGANISATION_NAME_REQUIRED = _("Give the name of the association or organisation.")
NO_COMMITTEE = _("Choose at least one committee to apply to.")
COSTS_DO_NOT_ADD_UP = _(
    "The cost rows add up to %(costs)s but the requested amount and own funding add up to "
    "%(funding)s; they must be equal."
)
NO_COSTS = _("Add at least one cost row.")
SELF_ASSESSMENT_MISSING = _(
    "Describe the project's ecological, social and economic sustainability."
)
EMAIL_NOT_VERIFIED = _("Confirm your e-mail address first: open the link we sent you, then submit.")
NOT_EDITABLE = _("This application can no longer be changed.")
ATTACHMENT_TOO_LARGE = _("%(name)s is too large: the limit is %(limit)s MB.")
ATTACHMENT_TYPE = _("%(name)s is not a PDF, JPEG or PNG file.")
TOO_MANY_ATTACHMENTS = _("An application can have at most %(limit)s attachments.")
OVER_SMALL_GRANT_LIMIT = _(
    "%(amount)s is over the small-grant limit of %(limit)s; the committee must decide it in a "
    "meeting."
)
NO_QUORUM = _(
    "The meeting has no quorum for this matter: %(present)s present, %(required)s needed."
)
ATTENDANCE_NOT_RECORDED = _("Record the attendance before the decisions.")
ALREADY_DECIDED = _("This request has already been decided.")
NOT_ON_THIS_AGENDA = _("This matter is not an application on this meeting's agenda.")
DECIDED_REQUEST_LOCKED = _(
    "%(committee)s has already decided on its share; it cannot be changed or removed."
)
AMOUNT_REQUIRED = _("A grant needs an amount greater than zero.")
AMOUNT_OVER_REQUESTED = _("The grant %(amount)s is more than the %(requested)s requested.")
AMOUNT_OVER_MAX_GRANT = _(
    "The grant %(amount)s is over the rules' largest grant per application, %(limit)s."
)
ALLOCATION_EXCEEDED = _(
    "The grant %(amount)s is more than the %(left)s left in %(committee)s's allocation for "
    "%(year)s."
)
NO_ALLOCATION = _("%(committee)s has no allocation for %(year)s.")
SUSTAINABILITY_REQUIRED = _(
    "The operating rules require the committee's own sustainability assessment (ecological, "
    "social and economic) before a grant."
)
RATIONALE_REQUIRED = _("Write the rationale for the decision.")
VOTES_TOO_MANY = _("More votes were recorded than there are members taking part (%(n)s).")
PAYMENT_OVER_GRANT = _(
    "The payment %(amount)s would take the payments over the grant: %(left)s is left to pay."
)
GRANT_CLOSED = _("The grant is closed; no more payments can be recorded.")
REPORT_ALREADY_SUBMITTED = _("The final report has already been submitted.")
ALREADY_ON_AGENDA = _("The application is already on this meeting's agenda.")
WRONG_COMMITTEE = _("The request is addressed to another committee.")
NOT_SUBMITTED = _("Only submitted applications can be put on the agenda.")
MEETING_NOT_PLANNED = _("The meeting has already been held.")
MINUTES_NOT_GENERATED = _("Generate the minutes before approving them.")
NOT_A_COMMITTEE_MEETING = _("Decisions on applications are made in committee meetings.")
ALLOCATION_NEGATIVE = _("An allocation cannot be negative.")
SPLIT_WHOLE_EUROS = _("Split a total of whole euros (no cents).")
ALLOCATION_BELOW_GRANTED = _(
    "The allocation cannot be less than the %(granted)s already granted for %(year)s."
)

MAX_ATTACHMENT_MB = 10
MAX_ATTACHMENTS = 10


def _snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


GRANT_CLOSED_REPORT_DUE = _("The grant is closed; its report date no longer changes.")
