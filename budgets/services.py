"""Every write of the budgets app.

Money limits hold under row locks: a commitment locks its appropriation, an expense locks
the appropriation its ballot draws from, so concurrent writes are serialised and the
second sees the first.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Allocation, Grant
from ideas.models import Assessment
from omakouvola.audit import AuditAction
from omakouvola.dates import local_today
from omakouvola.formatting import format_euros
from omakouvola.images import reencode_image
from omakouvola.models import User
from omakouvola.money import ZERO, to_cents
from omakouvola.outbox import enqueue
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes, notify
from voting.models import Ballot, WinnerDecision

from .models import (
    Appropriation,
    AppropriationShare,
    Commitment,
    Expense,
    FundingSource,
    Implementation,
    ImplementationPhoto,
    ImplementationStatus,
    Milestone,
    ProgressNote,
    Report,
    ReportKind,
    ReportStatus,
    VolunteerWork,
)

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


# ---------------------------------------------------------------------------------------
# Money in
# ---------------------------------------------------------------------------------------


@transaction.atomic
def funding_source_save(
    *, actor: User | None, name: str, kind: str, description: str = ""
) -> FundingSource:
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.manage_money")
    source, created = FundingSource.objects.get_or_create(
        name=name, defaults={"kind": kind, "description": description}
    )
    before = {"kind": source.kind, "description": source.description}
    after = {"kind": kind, "description": description}
    if not created and before != after:
        FundingSource.objects.filter(pk=source.pk).update(**after)
        source.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.FUNDING_SOURCE_CREATE if created else AuditAction.FUNDING_SOURCE_UPDATE,
        obj=source,
        changes=field_changes({} if created else before, after),
    )
    return source


def _committed(appropriation: Appropriation) -> Decimal:
    return appropriation.commitments.aggregate(s=Sum("amount"))["s"] or ZERO


@transaction.atomic
def appropriation_save(
    *,
    actor: User | None,
    year: int,
    purpose: str,
    name: str,
    amount: Decimal,
    shares: Mapping[FundingSource, Decimal],
    note: str = "",
    appropriation: Appropriation | None = None,
) -> Appropriation:
    """Create or change an appropriation and its split over funding sources.

    The shares must add up to the amount exactly, and the amount can never fall below
    what ballots and allocations have already committed.
    """
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.manage_money")
    amount = to_cents(amount)
    clean = {source: to_cents(value) for source, value in shares.items() if to_cents(value) != 0}
    if amount < 0 or any(value < 0 for value in clean.values()):
        raise ValidationError(AMOUNT_NEGATIVE, code="negative")
    total = sum(clean.values(), ZERO)
    if total != amount:
        raise ValidationError(
            SHARES_DO_NOT_ADD_UP,
            code="shares",
            params={"shares": format_euros(total), "amount": format_euros(amount)},
        )
    creating = appropriation is None or appropriation.pk is None
    before: dict[str, Any] = {}
    if creating:
        appropriation = Appropriation(year=year, purpose=purpose, name=name, amount=amount)
    else:
        appropriation = Appropriation.objects.select_for_update().get(pk=appropriation.pk)
        before = {
            "year": appropriation.year,
            "purpose": appropriation.purpose,
            "name": appropriation.name,
            "amount": appropriation.amount,
            "note": appropriation.note,
            "shares": _shares_text(appropriation),
        }
        committed = _committed(appropriation)
        if amount < committed:
            raise ValidationError(
                APPROPRIATION_BELOW_COMMITTED,
                code="below_committed",
                params={"committed": format_euros(committed)},
            )
    appropriation.year, appropriation.purpose, appropriation.name = year, purpose, name
    appropriation.amount, appropriation.note = amount, note
    appropriation.full_clean()
    appropriation.save()
    appropriation.shares.exclude(source__in=list(clean)).delete()
    for source, value in clean.items():
        AppropriationShare.objects.update_or_create(
            appropriation=appropriation, source=source, defaults={"amount": value}
        )
    after = {
        "year": year,
        "purpose": purpose,
        "name": name,
        "amount": amount,
        "note": note,
        "shares": _shares_text(appropriation),
    }
    audit_record(
        actor=actor,
        action=AuditAction.APPROPRIATION_CREATE if creating else AuditAction.APPROPRIATION_UPDATE,
        obj=appropriation,
        changes=field_changes(before, after),
    )
    return appropriation


def _shares_text(appropriation: Appropriation) -> str:
    return "; ".join(
        f"{s.source.name}: {s.amount}"
        for s in appropriation.shares.select_related("source").order_by("source__name")
    )


@transaction.atomic
def commitment_create(
    *,
    actor: User | None,
    appropriation: Appropriation,
    ballot: Ballot | None = None,
    allocation: Allocation | None = None,
    amount: Decimal | None = None,
    committed_on: dt.date | None = None,
    note: str = "",
) -> Commitment:
    """Let a ballot or a committee allocation draw money from an appropriation.

    The appropriation row is locked while its commitments are added up, so two
    commitments made at once never take more than it holds.
    """
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.manage_money")
    if (ballot is None) == (allocation is None):
        raise ValidationError(COMMITMENT_NEEDS_ONE_TARGET, code="target")
    appropriation = Appropriation.objects.select_for_update().get(pk=appropriation.pk)
    target: Ballot | Allocation = ballot if ballot is not None else allocation  # type: ignore[assignment]
    if ballot is not None:
        target_year, target_amount = ballot.cycle.year, ballot.money
    else:
        target_year, target_amount = allocation.year, allocation.amount  # type: ignore[union-attr]
    existing = Commitment.objects.filter(ballot=ballot) if ballot else None
    if allocation is not None:
        existing = Commitment.objects.filter(allocation=allocation)
    current = existing.select_related("appropriation").first() if existing is not None else None
    if current is not None:
        raise ValidationError(
            ALREADY_COMMITTED,
            code="already",
            params={"target": str(target), "appropriation": str(current.appropriation)},
        )
    if target_year != appropriation.year:
        raise ValidationError(
            WRONG_YEAR,
            code="year",
            params={"target": str(target), "target_year": target_year, "year": appropriation.year},
        )
    amount = to_cents(target_amount if amount is None else amount)
    if amount <= 0:
        raise ValidationError(AMOUNT_REQUIRED, code="amount")
    if amount > target_amount:
        raise ValidationError(
            COMMITMENT_OVER_TARGET,
            code="over_target",
            params={
                "amount": format_euros(amount),
                "target_amount": format_euros(target_amount),
                "target": str(target),
            },
        )
    left = appropriation.amount - _committed(appropriation)
    if amount > left:
        raise ValidationError(
            APPROPRIATION_EXCEEDED,
            code="exceeded",
            params={
                "amount": format_euros(amount),
                "left": format_euros(left),
                "appropriation": str(appropriation),
            },
        )
    commitment = Commitment.objects.create(
        appropriation=appropriation,
        ballot=ballot,
        allocation=allocation,
        amount=amount,
        committed_on=committed_on or local_today(),
        note=note,
        created_by=actor if actor is not None and actor.pk else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPROPRIATION_COMMIT,
        obj=appropriation,
        changes={
            "committed": [
                str(appropriation.amount - left),
                str(appropriation.amount - left + amount),
            ]
        },
        note=str(target),
    )
    return commitment


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
    photo.image.save(clean.name, clean, save=False)
    photo.save()
    audit_record(
        actor=actor, action=AuditAction.IMPLEMENTATION_PHOTO, obj=implementation, note=alt_text
    )
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
    if isinstance(child, ImplementationPhoto) and child.image:
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


# ---------------------------------------------------------------------------------------
# Reports (built by a Celery task)
# ---------------------------------------------------------------------------------------


def _validate_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError(PERIOD_BACKWARDS, code="backwards")
    if start > local_today():
        raise ValidationError(PERIOD_IN_FUTURE, code="future")
    if end.year - start.year >= REPORT_MAX_YEARS:
        raise ValidationError(PERIOD_TOO_LONG, code="too_long", params={"years": REPORT_MAX_YEARS})


@transaction.atomic
def report_request(
    *,
    actor: User | None,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    language: str = "fi",
) -> Report:
    """Queue a report; a worker builds it and e-mails the requester a link."""
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.request_report")
    from .tasks import report_build_task

    _validate_period(period_start, period_end)
    report = Report.objects.create(
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        language=language,
        requested_by=actor if actor is not None and actor.pk else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_REQUEST,
        obj=report,
        note=f"{kind} {period_start.isoformat()}–{period_end.isoformat()} {language}",
    )
    # Through the outbox: with Redis down the request still succeeds and the report is
    # built once the broker is back, instead of a 500 and a report "queued" forever.
    enqueue(report_build_task, report.pk)
    return report


def annual_report_due(*, today: dt.date | None = None) -> Report | None:
    """In January, queue the previous year's annual report unless it already exists.

    Beat runs this daily, so a January when the beat was down for a day still gets it.
    """
    today = today or local_today()
    if today.month != 1:
        return None
    year = today.year - 1
    exists = (
        Report.objects.filter(kind=ReportKind.ANNUAL, period_start=dt.date(year, 1, 1))
        .exclude(status=ReportStatus.FAILED)
        .exists()
    )
    if exists:
        return None
    return report_request(
        actor=None,
        kind=ReportKind.ANNUAL,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
    )


PDF_VARIANT = "pdf/ua-1"


def _write_atomically(storage, name: str, content: bytes) -> None:
    """Write to a temporary name beside the target, then rename (atomic on one file system)."""
    final = storage.path(name)
    os.makedirs(os.path.dirname(final), exist_ok=True)
    temporary = f"{final}.{uuid.uuid4().hex}.part"
    try:
        with open(temporary, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def report_give_up(*, report_id: int, error: str) -> None:
    """The build failed for good or kept killing its worker: the row says so."""
    Report.objects.filter(pk=report_id).exclude(status=ReportStatus.READY).update(
        status=ReportStatus.FAILED, error=error[:2000]
    )


def report_build(*, report_id: int) -> Report:
    """Build the report's HTML and PDF, store them, and tell the requester.

    The row turns READY only after the PDF is complete under its final name; a build
    that dies halfway leaves the row BUILDING (or FAILED) and nothing to download.
    """
    from .reporting import build_report_context, render_report_html, render_report_pdf

    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.READY:
            return report
        report.status = ReportStatus.BUILDING
        report.error = ""
        report.save(update_fields=["status", "error"])
    try:
        context = build_report_context(report)
        html = render_report_html(context, language=report.language)
        pdf, variant = render_report_pdf(context, language=report.language)
        name = f"budgets/reports/report-{report.pk}-{report.token}.pdf"
        _write_atomically(report.pdf.storage, name, pdf)
    except Exception as exc:
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=repr(exc)[:2000]
        )
        raise
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        old = report.pdf.name or ""
        report.pdf.name = name
        report.pdf_variant = variant
        report.html = html
        report.status = ReportStatus.READY
        report.ready_at = timezone.now()
        report.save(update_fields=["pdf", "pdf_variant", "html", "status", "ready_at"])
        audit_record(actor=None, action=AuditAction.REPORT_READY, obj=report, note=variant)
        if old and old != name:
            # A rebuild under a new name: the old PDF goes once the new one is the row's.
            storage = report.pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
        if report.requested_by is not None:
            notify(
                user=report.requested_by,
                template="budgets_report_ready",
                context={"report": report, "path": report.get_absolute_url()},
            )
    return report


@transaction.atomic
def report_publish(*, actor: User, report: Report, published: bool = True) -> Report:
    """Show a finished report to residents (or take it back)."""
    require(actor, "budgets.publish_report")
    report = Report.objects.select_for_update().get(pk=report.pk)
    if published and report.status != ReportStatus.READY:
        raise ValidationError(NOT_READY, code="not_ready")
    before = report.is_published
    report.is_published = published
    report.published_at = timezone.now() if published else None
    report.save(update_fields=["is_published", "published_at"])
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_PUBLISH if published else AuditAction.REPORT_UNPUBLISH,
        obj=report,
        changes=field_changes({"is_published": before}, {"is_published": published}),
    )
    return report
