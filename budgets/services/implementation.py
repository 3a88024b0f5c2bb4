"""Implementation records of winners and grants: progress, milestones, photos, expenses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from committees.models import Grant
from ideas.models import Assessment
from omakouvola import hooks
from omakouvola.audit import AuditAction
from omakouvola.dates import local_today
from omakouvola.formatting import format_euros
from omakouvola.images import reencode_image
from omakouvola.models import User
from omakouvola.money import ZERO, to_cents
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes
from voting.models import Ballot, WinnerDecision

from ..models import (
    Appropriation,
    Commitment,
    Expense,
    Implementation,
    ImplementationPhoto,
    ImplementationStatus,
    Milestone,
    ProgressNote,
    VolunteerWork,
)
from ._common import (
    AMOUNT_NEGATIVE,
    AMOUNT_REQUIRED,
)

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
LATER_COSTS_NEED_REASON = _(
    "Participatory budgeting projects create no later costs: explain why this one may."
)
HOURS_REQUIRED = _("Record at least some hours of work.")

# ---------------------------------------------------------------------------------------
# Implementation records
# ---------------------------------------------------------------------------------------


def _later_costs_of(proposal) -> Decimal:
    """What the sector experts estimated for the source ideas' upkeep, per year."""
    total = Assessment.objects.filter(idea__proposal=proposal).aggregate(
        s=Sum("maintenance_cost_per_year")
    )["s"]
    return to_cents(total or 0)


@transaction.atomic
def implementations_for_winners(*, actor: User | None, ballot: Ballot) -> list[Implementation]:
    """An implementation record for every confirmed winner of the ballot (once each)."""
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.track_implementation")
    decision = WinnerDecision.objects.filter(ballot=ballot).first()
    if decision is None:
        raise ValidationError(NO_DECISION, code="no_decision", params={"ballot": str(ballot)})
    made = []
    for proposal in decision.confirmed.select_related("area").order_by("title"):
        if Implementation.objects.filter(proposal=proposal).exists():
            continue
        made.append(_winner_record(actor=actor, proposal=proposal, ballot=ballot))
    return made


def _winner_record(*, actor: User | None, proposal, ballot: Ballot) -> Implementation:
    later = _later_costs_of(proposal)
    implementation = Implementation.objects.create(
        proposal=proposal,
        ballot=ballot,
        title=proposal.title,
        description=proposal.description,
        year=ballot.cycle.year,
        area=proposal.area,
        responsible_sector=proposal.responsible_sector,
        planned_cost=proposal.cost,
        maintenance_cost_per_year=later,
        maintenance_justification=(
            str(_("Estimated by the sector expert when the idea was screened.")) if later else ""
        ),
    )
    audit_record(actor=actor, action=AuditAction.IMPLEMENTATION_CREATE, obj=implementation)
    return implementation


@transaction.atomic
def implementation_for_grant(*, actor: User | None, grant: Grant) -> Implementation:
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.track_implementation")
    existing = Implementation.objects.filter(grant=grant).first()
    if existing is not None:
        return existing
    grant = Grant.objects.select_related(
        "committee__area", "decision__funding_request__application"
    ).get(pk=grant.pk)
    application = grant.decision.funding_request.application
    implementation = Implementation.objects.create(
        grant=grant,
        title=application.title,
        description=application.description,
        year=grant.year,
        area=grant.committee.area,
        responsible_sector=grant.committee.name,
        responsible_person=application.responsible_person,
        planned_cost=grant.amount,
    )
    audit_record(actor=actor, action=AuditAction.IMPLEMENTATION_CREATE, obj=implementation)
    return implementation


def implementations_sync(*, actor: User | None, year: int | None = None) -> int:
    """Implementation records for confirmed winners and committee grants that have none.

    Any year by default: a ballot decided for next year, or a grant decided in December
    and looked at in January, still gets its record. `year` narrows it to one budget year.
    """
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.track_implementation")
    ballots = Ballot.objects.filter(decision__isnull=False).select_related("cycle")
    grants = Grant.objects.filter(implementation__isnull=True)
    if year is not None:
        ballots = ballots.filter(cycle__year=year)
        grants = grants.filter(year=year)
    made = 0
    for ballot in ballots:
        made += len(implementations_for_winners(actor=actor, ballot=ballot))
    for grant in grants:
        implementation_for_grant(actor=actor, grant=grant)
        made += 1
    return made


def on_winners_decided(*, ballot_id: int) -> None:
    """After the decision maker's confirmation commits (`hooks.WINNERS_DECIDED`)."""
    ballot = Ballot.objects.select_related("cycle").filter(pk=ballot_id).first()
    if ballot is not None:
        implementations_for_winners(actor=None, ballot=ballot)


def on_grant_made(*, grant_id: int) -> None:
    """After a committee grant commits (`hooks.GRANT_MADE`)."""
    grant = Grant.objects.filter(pk=grant_id).first()
    if grant is not None:
        implementation_for_grant(actor=None, grant=grant)


@transaction.atomic
def implementation_add(
    *, actor: User | None, proposal=None, grant: Grant | None = None
) -> Implementation:
    """A record added by hand for a confirmed winner or a grant that has none yet."""
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.track_implementation")
    if (proposal is None) == (grant is None):
        raise ValidationError(WINNER_OR_GRANT, code="winner_or_grant")
    if grant is not None:
        if Implementation.objects.filter(grant=grant).exists():
            raise ValidationError(ALREADY_RECORDED, code="recorded")
        return implementation_for_grant(actor=actor, grant=grant)
    if Implementation.objects.filter(proposal=proposal).exists():
        raise ValidationError(ALREADY_RECORDED, code="recorded")
    decision = (
        WinnerDecision.objects.filter(confirmed=proposal).select_related("ballot__cycle").first()
    )
    if decision is None:
        raise ValidationError(NOT_A_WINNER, code="not_winner")
    return _winner_record(actor=actor, proposal=proposal, ballot=decision.ballot)


def _tell_followers(implementation: Implementation, event: str) -> None:
    """Closing the loop: a public project's step is news for those who follow it."""
    if not implementation.is_public:
        return
    hooks.announce_news(
        event,
        subject=implementation,
        proposal_ids=[implementation.proposal_id] if implementation.proposal_id else [],
        ballot_ids=[implementation.ballot_id],
    )


def _check_implementation(implementation: Implementation) -> None:
    if not 0 <= int(implementation.progress) <= 100:
        raise ValidationError({"progress": ValidationError(PROGRESS_RANGE, code="progress")})
    implementation.maintenance_cost_per_year = to_cents(
        implementation.maintenance_cost_per_year or 0
    )
    if implementation.maintenance_cost_per_year < 0:
        raise ValidationError(AMOUNT_NEGATIVE, code="negative")
    if (
        implementation.maintenance_cost_per_year > 0
        and not implementation.maintenance_justification.strip()
    ):
        raise ValidationError(
            {"maintenance_justification": ValidationError(LATER_COSTS_NEED_REASON, code="later")}
        )
    if implementation.status == ImplementationStatus.DONE:
        implementation.progress = 100
        implementation.completed_on = implementation.completed_on or local_today()


IMPLEMENTATION_FIELDS = (
    "responsible_sector",
    "responsible_person",
    "status",
    "progress",
    "planned_cost",
    "maintenance_cost_per_year",
    "maintenance_justification",
    "notes",
    "is_public",
    "completed_on",
    "description",
)


@transaction.atomic
def implementation_update(
    *, actor: User | None, implementation: Implementation, **changes: Any
) -> Implementation:
    """Change who builds it, how far it is, and the later costs agreed with the sector."""
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.track_implementation")
    unknown = set(changes) - set(IMPLEMENTATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    locked = Implementation.objects.select_for_update().get(pk=implementation.pk)
    before = {name: getattr(locked, name) for name in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    was_done = before.get("status", locked.status) == ImplementationStatus.DONE
    _check_implementation(locked)
    if locked.status != ImplementationStatus.DONE and "status" in changes:
        if "completed_on" not in changes:
            locked.completed_on = None
        if was_done and ("progress" not in changes or int(locked.progress) == 100):
            # Reopened: it is no longer finished, so it is not 100 % either; the team sets
            # where it really stands.
            locked.progress = 0
    locked.save()
    after = {name: getattr(locked, name) for name in changes}
    after.update(progress=locked.progress, completed_on=locked.completed_on)
    before.setdefault("progress", implementation.progress)
    before.setdefault("completed_on", implementation.completed_on)
    changed = field_changes(before, after)
    if changed:
        audit_record(
            actor=actor, action=AuditAction.IMPLEMENTATION_UPDATE, obj=locked, changes=changed
        )
    if "planned_cost" in changed:
        _tell_followers(locked, hooks.NEWS_COST)
    if locked.status == ImplementationStatus.DONE and not was_done:
        _tell_followers(locked, hooks.NEWS_FINISHED)
    return locked


@transaction.atomic
def milestone_save(
    *,
    actor: User | None,
    implementation: Implementation,
    title: str,
    due_on: dt.date,
    done_on: dt.date | None = None,
    milestone: Milestone | None = None,
) -> Milestone:
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.track_implementation")
    creating = milestone is None or milestone.pk is None
    milestone = milestone if milestone is not None else Milestone(implementation=implementation)
    was_done = (
        not creating and Milestone.objects.filter(pk=milestone.pk, done_on__isnull=False).exists()
    )
    milestone.implementation = implementation
    milestone.title, milestone.due_on, milestone.done_on = title, due_on, done_on
    milestone.full_clean()
    milestone.save()
    audit_record(
        actor=actor,
        action=AuditAction.IMPLEMENTATION_MILESTONE,
        obj=implementation,
        note=f"{'+' if creating else '~'} {title} {due_on} {done_on or ''}".strip(),
    )
    if creating or (done_on is not None and not was_done):
        _tell_followers(implementation, hooks.NEWS_MILESTONE)
    return milestone


@transaction.atomic
def progress_note_add(
    *, actor: User | None, implementation: Implementation, text: str, written_on: dt.date
) -> ProgressNote:
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.track_implementation")
    note = ProgressNote.objects.create(
        implementation=implementation,
        text=text.strip(),
        written_on=written_on,
        author=actor if actor is not None and actor.pk else None,
    )
    audit_record(
        actor=actor, action=AuditAction.IMPLEMENTATION_NOTE, obj=implementation, note=text[:200]
    )
    return note


@transaction.atomic
def photo_add(
    *,
    actor: User | None,
    implementation: Implementation,
    upload: UploadedFile,
    alt_text: str,
    taken_on: dt.date | None = None,
) -> ImplementationPhoto:
    """Store a photo re-encoded (no EXIF, so no phone's GPS position is published)."""
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.track_implementation")
    clean = reencode_image(upload)
    photo = ImplementationPhoto(implementation=implementation, alt_text=alt_text, taken_on=taken_on)
    photo.image.save(clean.name or "photo.jpg", clean, save=False)
    photo.save()
    audit_record(
        actor=actor, action=AuditAction.IMPLEMENTATION_PHOTO, obj=implementation, note=alt_text
    )
    _tell_followers(implementation, hooks.NEWS_PHOTOS)
    return photo


@transaction.atomic
def implementation_child_delete(
    *, actor: User | None, child: Milestone | ProgressNote | ImplementationPhoto
) -> None:
    """Remove a milestone, a note or a photo from a project's page."""
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.track_implementation")
    implementation = child.implementation
    label = str(child)
    kind = child._meta.model_name
    if isinstance(child, ImplementationPhoto) and child.image.name:
        name, storage = child.image.name, child.image.storage
        transaction.on_commit(lambda: storage.delete(name))
    child.delete()
    audit_record(
        actor=actor,
        action=AuditAction(f"implementation.{kind}_delete"),
        obj=implementation,
        note=label,
    )


@transaction.atomic
def expense_record(
    *,
    actor: User | None,
    implementation: Implementation,
    paid_on: dt.date,
    amount: Decimal,
    supplier: str,
    invoice_reference: str,
    description: str = "",
) -> Expense:
    """Record money paid for a PB project.

    The appropriation the ballot draws from is locked, and the spending on the ballot's
    projects may not exceed what the ballot committed from it.
    """
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.manage_money")
    amount = to_cents(amount)
    if amount <= 0:
        raise ValidationError(AMOUNT_REQUIRED, code="amount")
    implementation = Implementation.objects.select_related("ballot").get(pk=implementation.pk)
    if implementation.is_grant:
        raise ValidationError(EXPENSE_ON_GRANT, code="grant")
    ballot = implementation.ballot
    commitment = Commitment.objects.filter(ballot=ballot).first()
    if commitment is None:
        raise ValidationError(
            NO_APPROPRIATION, code="no_appropriation", params={"ballot": str(ballot)}
        )
    Appropriation.objects.select_for_update().get(pk=commitment.appropriation_id)
    spent = (
        Expense.objects.filter(implementation__ballot=ballot).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    if spent + amount > commitment.amount:
        raise ValidationError(
            EXPENSES_OVER_COMMITTED,
            code="over_committed",
            params={
                "amount": format_euros(amount),
                "ballot": str(ballot),
                "total": format_euros(spent + amount),
                "committed": format_euros(commitment.amount),
            },
        )
    expense = Expense.objects.create(
        implementation=implementation,
        paid_on=paid_on,
        amount=amount,
        supplier=supplier.strip(),
        invoice_reference=invoice_reference.strip(),
        description=description.strip(),
        recorded_by=actor if actor is not None and actor.pk else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.IMPLEMENTATION_EXPENSE,
        obj=implementation,
        changes={"spent_on_ballot": [str(spent), str(spent + amount)]},
        note=f"{supplier} {invoice_reference}",
    )
    _tell_followers(implementation, hooks.NEWS_COST)
    return expense


@transaction.atomic
def volunteer_work_record(
    *,
    actor: User | None,
    implementation: Implementation,
    done_on: dt.date,
    hours: Decimal,
    people: int = 1,
    description: str = "",
) -> VolunteerWork:
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.track_implementation")
    hours = Decimal(hours)
    if hours <= 0:
        raise ValidationError(HOURS_REQUIRED, code="hours")
    work = VolunteerWork.objects.create(
        implementation=implementation,
        done_on=done_on,
        hours=hours,
        people=max(int(people), 1),
        description=description.strip(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.IMPLEMENTATION_VOLUNTEER_WORK,
        obj=implementation,
        note=f"{hours} h",
    )
    return work
