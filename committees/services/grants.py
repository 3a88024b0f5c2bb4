"""Grants after the decision: payments, the final report, closing and reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from omakouvola.audit import AuditAction
from omakouvola.dates import local_today
from omakouvola.formatting import format_euros
from omakouvola.models import User
from omakouvola.money import to_cents
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes

from .. import selectors
from ..emails import email_person
from ..models import (
    ZERO,
    ApplicantKind,
    FinalReport,
    Grant,
    Payment,
    ReminderKind,
    ReportPhoto,
    ReportReminder,
)
from ._common import (
    AMOUNT_REQUIRED,
)
from .applications import validate_upload

PAYMENT_OVER_GRANT = _(
    "The payment %(amount)s would take the payments over the grant: %(left)s is left to pay."
)
GRANT_CLOSED = _("The grant is closed; no more payments can be recorded.")
REPORT_ALREADY_SUBMITTED = _("The final report has already been submitted.")
GRANT_CLOSED_REPORT_DUE = _("The grant is closed; its report date no longer changes.")

# ---------------------------------------------------------------------------------------
# Grants: payments, reports, closing, reminders
# ---------------------------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *, actor: User | None, grant: Grant, paid_on: dt.date, amount: Decimal, reference: str
) -> Payment:
    """Record a payment; the grant row is locked so payments never exceed the grant."""
    if actor is not None:  # None: a payment file read by the system
        require(actor, "committees.manage_money", grant)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    amount = to_cents(amount)
    if amount <= 0:
        raise ValidationError(AMOUNT_REQUIRED, code="amount")
    if grant.is_closed:
        raise ValidationError(GRANT_CLOSED, code="closed")
    paid = grant.payments.aggregate(s=Sum("amount"))["s"] or ZERO
    if paid + amount > grant.amount:
        raise ValidationError(
            PAYMENT_OVER_GRANT,
            code="over_grant",
            params={"amount": format_euros(amount), "left": format_euros(grant.amount - paid)},
        )
    payment = Payment.objects.create(
        grant=grant, paid_on=paid_on, amount=amount, reference=reference, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.GRANT_PAYMENT,
        obj=grant,
        changes={"paid": [str(paid), str(paid + amount)]},
        note=reference,
    )
    return payment


@transaction.atomic
def grant_close(*, actor: User | None, grant: Grant, on: dt.date | None = None) -> Grant:
    """Close the grant: what was not paid goes back to the committee's allocation."""
    if actor is not None:  # None: closed by the system when the report is accepted
        require(actor, "committees.manage_money", grant)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.is_closed:
        return grant
    paid = grant.payments.aggregate(s=Sum("amount"))["s"] or ZERO
    grant.closed_on = on or local_today()
    grant.released_amount = grant.amount - paid
    grant.save(update_fields=["closed_on", "released_amount"])
    audit_record(
        actor=actor,
        action=AuditAction.GRANT_CLOSE,
        obj=grant,
        changes={"released_amount": ["0.00", str(grant.released_amount)]},
    )
    return grant


@transaction.atomic
def report_submit(
    *,
    actor: User | None,
    grant: Grant,
    what_was_done: str,
    actual_costs: Decimal,
    volunteer_hours: int,
    photos: Sequence[UploadedFile] = (),
) -> FinalReport:
    require(actor, "committees.apply", grant)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if FinalReport.objects.filter(grant=grant).exists():
        raise ValidationError(REPORT_ALREADY_SUBMITTED, code="already")
    for photo in photos:
        validate_upload(photo, images_only=True)
    report = FinalReport.objects.create(
        grant=grant,
        what_was_done=what_was_done.strip(),
        actual_costs=to_cents(actual_costs),
        volunteer_hours=volunteer_hours,
    )
    for photo in photos:
        item = ReportPhoto(report=report, original_name=(photo.name or "photo")[:200])
        item.file.save(photo.name or "photo", photo, save=False)
        item.save()
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=AuditAction.GRANT_REPORT,
        obj=grant,
    )
    return report


def grant_send_report_reminders(*, today: dt.date | None = None) -> int:
    """Remind applicants of the final report before the deadline and after it has passed.

    Runs daily from beat; a ReportReminder row makes each reminder go out once.
    """
    day = today or local_today()
    sent = 0
    grants = (
        Grant.objects.filter(closed_on__isnull=True, final_report__isnull=True)
        .exclude(decision__funding_request__application__applicant_kind=ApplicantKind.COMMITTEE)
        .select_related("decision__funding_request__application", "committee")
    )
    for grant in grants:
        rules = selectors.rules_for(grant.committee, on=day)
        if day > grant.report_due:
            kind = ReminderKind.AFTER
        elif day >= grant.report_due - dt.timedelta(days=rules.reminder_days_before):
            kind = ReminderKind.BEFORE
        else:
            continue
        with transaction.atomic():
            _reminder, created = ReportReminder.objects.get_or_create(grant=grant, kind=kind)
            if not created:
                continue
            application = grant.decision.funding_request.application
            email_person(
                email=application.email,
                user=application.created_by,
                template="committees_report_reminder",
                context={
                    "grant": grant,
                    "application": application,
                    "overdue": kind == ReminderKind.AFTER,
                },
            )
            audit_record(actor=None, action=AuditAction(f"grant.reminder_{kind}"), obj=grant)
            sent += 1
    return sent


@transaction.atomic
def grant_set_report_due(*, actor: User, grant: Grant, report_due: dt.date) -> Grant:
    """Give the grantee more (or less) time for the final report."""
    require(actor, "committees.manage_money", grant)
    stored = Grant.objects.select_for_update().get(pk=grant.pk)
    if stored.is_closed:
        raise ValidationError(GRANT_CLOSED_REPORT_DUE, code="closed")
    before = stored.report_due
    stored.report_due = report_due
    stored.save(update_fields=["report_due"])
    audit_record(
        actor=actor,
        action=AuditAction.GRANT_REPORT_DUE,
        obj=stored,
        changes=field_changes({"report_due": before}, {"report_due": report_due}),
    )
    return stored
