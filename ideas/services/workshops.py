"""Co-development workshops: agenda, registrations, the waiting list, attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola.audit import AuditAction
from omakouvola.models import Cycle, User
from omakouvola.rules import require
from omakouvola.services import audit_record, notify

from ..models import (
    Idea,
    RegistrationStatus,
    Workshop,
    WorkshopRegistration,
)
from ._common import (
    _require,
)

WORKSHOP_STARTED = _("Registration has closed: the workshop has already started.")
ALREADY_REGISTERED = _("You are already registered for this workshop.")
NOT_REGISTERED = _("You are not registered for this workshop.")

# ---------------------------------------------------------------------------------------
# Workshops
# ---------------------------------------------------------------------------------------


@transaction.atomic
def workshop_register(
    *, actor: User, workshop: Workshop, at: dt.datetime | None = None
) -> WorkshopRegistration:
    """Take a free seat, or a place on the waiting list when the workshop is full.

    The workshop row is locked so concurrent registrations are counted one at a time;
    the unique seat number backs this up in the database.
    """
    require(actor, "ideas.register_workshop", workshop)
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _require((at or timezone.now()) < locked.starts_at, WORKSHOP_STARTED, "started")
    registration = WorkshopRegistration.objects.filter(workshop=locked, user=actor).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise ValidationError(ALREADY_REGISTERED, code="already_registered")
    seat = _free_seat(locked)
    status = RegistrationStatus.REGISTERED if seat else RegistrationStatus.WAITING
    if registration is None:
        registration = WorkshopRegistration(workshop=locked, user=actor)
    registration.status = status
    registration.seat = seat
    registration.created_at = timezone.now()
    registration.save()
    audit_record(actor=actor, action=AuditAction(f"workshop.{status}"), obj=locked)
    notify(
        user=actor,
        template="ideas_workshop_registered",
        context={"workshop": locked, "registration": registration},
    )
    return registration


def _free_seat(workshop: Workshop) -> int | None:
    taken = set(
        WorkshopRegistration.objects.filter(
            workshop=workshop, status=RegistrationStatus.REGISTERED
        ).values_list("seat", flat=True)
    )
    for seat in range(1, workshop.capacity + 1):
        if seat not in taken:
            return seat
    return None


@transaction.atomic
def workshop_cancel(*, actor: User, workshop: Workshop) -> WorkshopRegistration | None:
    """Give up a seat; the first on the waiting list moves up and is told."""
    require(actor, "ideas.cancel_registration", workshop)
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    registration = (
        WorkshopRegistration.objects.filter(workshop=locked, user=actor)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if registration is None:
        raise ValidationError(NOT_REGISTERED, code="not_registered")
    had_seat = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.seat = None
    registration.save(update_fields=["status", "seat"])
    audit_record(actor=actor, action=AuditAction.WORKSHOP_CANCEL, obj=locked)
    promoted = None
    if had_seat and timezone.now() < locked.starts_at:
        promoted = (
            WorkshopRegistration.objects.filter(workshop=locked, status=RegistrationStatus.WAITING)
            .order_by("created_at", "id")
            .first()
        )
        if promoted is not None:
            promoted.status = RegistrationStatus.REGISTERED
            promoted.seat = _free_seat(locked)
            promoted.save(update_fields=["status", "seat"])
            audit_record(
                actor=None,
                action=AuditAction.WORKSHOP_PROMOTE,
                obj=locked,
                note=str(promoted.user_id),
            )
            notify(
                user=promoted.user,
                template="ideas_workshop_promoted",
                context={"workshop": locked},
            )
    return promoted


@transaction.atomic
def workshop_set_agenda(*, actor: User, workshop: Workshop, ideas: Iterable[Idea]) -> int:
    """Put ideas on the agenda; submitters who consented are invited. Returns invitations."""
    require(actor, "ideas.manage_workshops")
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    wanted = {idea.pk: idea for idea in ideas}
    current = set(locked.ideas.values_list("pk", flat=True))
    added = [wanted[pk] for pk in wanted.keys() - current]
    locked.ideas.set(list(wanted.values()))
    audit_record(
        actor=actor,
        action=AuditAction.WORKSHOP_SET_AGENDA,
        obj=locked,
        changes={"ideas": [sorted(current), sorted(wanted)]},
    )
    invited = 0
    for idea in added:
        if idea.submitter is not None and idea.consents_to_codevelopment:
            notify(
                user=idea.submitter,
                template="ideas_workshop_invitation",
                context={"workshop": locked, "idea": idea},
            )
            invited += 1
    return invited


@transaction.atomic
def workshop_record_attendance(
    *, actor: User, workshop: Workshop, attended_user_ids: Iterable[int]
) -> int:
    require(actor, "ideas.manage_workshops")
    attended = set(attended_user_ids)
    registrations = WorkshopRegistration.objects.select_for_update().filter(
        workshop=workshop, status=RegistrationStatus.REGISTERED
    )
    for registration in registrations:
        registration.attended = registration.user_id in attended
        registration.save(update_fields=["attended"])
    audit_record(
        actor=actor,
        action=AuditAction.WORKSHOP_ATTENDANCE,
        obj=workshop,
        note=f"{len(attended)} attended",
    )
    return len(attended)


def workshop_send_reminders(*, at: dt.datetime | None = None) -> int:
    """Remind everyone with a seat the day before their workshop (run hourly by beat)."""
    now = at or timezone.now()
    tomorrow = Cycle.local_date(now) + dt.timedelta(days=1)
    sent = 0
    registrations = WorkshopRegistration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminder_sent_at__isnull=True,
        workshop__starts_at__gt=now,
    ).select_related("workshop", "user")
    for registration in registrations:
        if Cycle.local_date(registration.workshop.starts_at) != tomorrow:
            continue
        with transaction.atomic():
            locked = WorkshopRegistration.objects.select_for_update().get(pk=registration.pk)
            if locked.reminder_sent_at is not None:
                continue
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            notify(
                user=registration.user,
                template="ideas_workshop_reminder",
                context={"workshop": registration.workshop},
            )
            sent += 1
    return sent
