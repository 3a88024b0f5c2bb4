"""Minutes and decision letters (built by Celery tasks)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola.audit import AuditAction
from omakouvola.models import User
from omakouvola.outbox import enqueue
from omakouvola.rules import require
from omakouvola.services import audit_record

from .. import selectors
from ..emails import email_person
from ..models import (
    ApplicantKind,
    Decision,
    Grant,
    Meeting,
    MeetingStatus,
)
from ..pdf import render_pdf

MINUTES_NOT_GENERATED = _("Generate the minutes before approving them.")

# ---------------------------------------------------------------------------------------
# Minutes and letters (built by Celery tasks)
# ---------------------------------------------------------------------------------------


def minutes_request(*, actor: User, meeting: Meeting) -> None:
    """Ask a worker to build the minutes PDF from the meeting's data."""
    require(actor, "committees.manage_meeting", meeting)
    from ..tasks import meeting_minutes_task

    audit_record(actor=actor, action=AuditAction.MEETING_MINUTES_REQUEST, obj=meeting)
    enqueue(meeting_minutes_task, meeting.pk)


def minutes_generate(*, meeting_id: int) -> Meeting:
    """Render the minutes (pöytäkirja) to PDF and store it privately; run in a task."""

    meeting = selectors.meeting_detail(meeting_id)
    quorum = selectors.meeting_quorum(meeting) if meeting.committee_id else None
    pdf = render_pdf(
        "committees/pdf/minutes.html",
        {
            "meeting": meeting,
            "quorum": quorum,
            "participants": list(meeting.participants.all()),
            "items": list(meeting.agenda_items.all()),
        },
        language=settings.LANGUAGE_CODE,
    )
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting_id)
        old = locked.minutes_pdf.name if locked.minutes_pdf else ""
        locked.minutes_pdf.save(f"minutes-{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.minutes_generated_at = timezone.now()
        locked.save(update_fields=["minutes_pdf", "minutes_generated_at"])
        audit_record(actor=None, action=AuditAction.MEETING_MINUTES_GENERATE, obj=locked)
        if old and old != locked.minutes_pdf.name:
            transaction.on_commit(lambda: locked.minutes_pdf.storage.delete(old))
    return locked


@transaction.atomic
def minutes_approve(*, actor: User, meeting: Meeting) -> Meeting:
    """The checked minutes are approved and published on the committee page."""
    require(actor, "committees.manage_meeting", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.minutes_pdf:
        raise ValidationError(MINUTES_NOT_GENERATED, code="no_minutes")
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = actor
    meeting.save(update_fields=["status", "minutes_approved_at", "minutes_approved_by"])
    audit_record(actor=actor, action=AuditAction.MEETING_MINUTES_APPROVE, obj=meeting)
    return meeting


def decision_letter_generate(*, decision_id: int) -> Decision:
    """Render the applicant's decision letter to PDF, store it and e-mail the applicant."""

    decision = Decision.objects.select_related(
        "funding_request__application", "funding_request__committee", "meeting"
    ).get(pk=decision_id)
    grant = Grant.objects.filter(decision=decision).first()
    application = decision.funding_request.application
    rules = selectors.rules_for(decision.funding_request.committee, on=decision.decided_on)
    pdf = render_pdf(
        "committees/pdf/letter.html",
        {"decision": decision, "grant": grant, "application": application, "rules": rules},
        language=settings.LANGUAGE_CODE,
    )
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision_id)
        old = locked.letter_pdf.name if locked.letter_pdf else ""
        locked.letter_pdf.save(f"decision-{locked.pk}.pdf", ContentFile(pdf), save=False)
        first_time = locked.letter_sent_at is None
        locked.letter_sent_at = locked.letter_sent_at or timezone.now()
        locked.save(update_fields=["letter_pdf", "letter_sent_at"])
        if old and old != locked.letter_pdf.name:
            # Only once the new letter is stored and named by the row; a lost clean-up is
            # caught by omakouvola.files.private_files_cleanup.
            storage = locked.letter_pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
        if first_time and application.applicant_kind != ApplicantKind.COMMITTEE:
            email_person(
                email=application.email,
                user=application.created_by,
                template="committees_decision_letter",
                context={"decision": decision, "grant": grant, "application": application},
            )
        audit_record(actor=None, action=AuditAction.DECISION_LETTER, obj=locked)
    return locked
