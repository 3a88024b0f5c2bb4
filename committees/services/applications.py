"""Funding applications: drafts, the applicant's e-mail check, submission, attachments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.fi import ytunnus

from omakouvola.audit import AuditAction
from omakouvola.formatting import format_euros
from omakouvola.models import User
from omakouvola.money import to_cents
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes
from omakouvola.uploads import FILE_TOO_LARGE, FILE_TYPE, validate_document

from ..emails import email_person
from ..models import (
    ATTACHMENT_TYPES,
    ZERO,
    ApplicantKind,
    ApplicationStatus,
    Attachment,
    Committee,
    CostItem,
    FundingApplication,
    FundingRequest,
    RequestStatus,
)
from ._common import (
    AMOUNT_REQUIRED,
    MAX_ATTACHMENT_MB,
    MAX_ATTACHMENTS,
    _snapshot,
)

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
ATTACHMENT_TOO_LARGE = FILE_TOO_LARGE
ATTACHMENT_TYPE = FILE_TYPE
TOO_MANY_ATTACHMENTS = _("An application can have at most %(limit)s attachments.")
DECIDED_REQUEST_LOCKED = _(
    "%(committee)s has already decided on its share; it cannot be changed or removed."
)

# ---------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------

APPLICATION_FIELDS = (
    "applicant_kind",
    "organisation_name",
    "business_id",
    "responsible_person",
    "email",
    "phone",
    "title",
    "description",
    "own_funding",
    "volunteer_hours",
    "starts_on",
    "ends_on",
    "sustainability_ecological",
    "sustainability_social",
    "sustainability_economic",
)


def validate_business_id(value: str) -> str:
    """The business ID in its standard form (1234567-1), its check digit verified."""
    if not value:
        return ""
    try:
        return ytunnus.format(ytunnus.validate(value))
    except Exception as exc:
        raise ValidationError(
            BUSINESS_ID_INVALID, code="business_id", params={"value": value}
        ) from exc


@dataclass(frozen=True)
class CostRow:
    description: str
    amount: Decimal


@dataclass(frozen=True)
class RequestRow:
    committee: Committee
    amount: Decimal


def _validate_application_data(data: Mapping[str, Any]) -> dict[str, Any]:
    clean = {name: data.get(name) for name in APPLICATION_FIELDS if name in data}
    errors: dict[str, list[ValidationError]] = {}
    try:
        clean["business_id"] = validate_business_id((data.get("business_id") or "").strip())
    except ValidationError as exc:
        errors["business_id"] = [exc]
    if (
        data.get("applicant_kind") == ApplicantKind.ORGANISATION
        and not (data.get("organisation_name") or "").strip()
    ):
        errors["organisation_name"] = [ValidationError(ORGANISATION_NAME_REQUIRED)]
    if errors:
        raise ValidationError(errors)
    clean["email"] = (clean.get("email") or "").strip().lower()
    clean["own_funding"] = to_cents(clean.get("own_funding") or 0)
    clean["volunteer_hours"] = clean.get("volunteer_hours") or 0
    return clean


def _replace_rows(
    application: FundingApplication,
    cost_rows: Sequence[CostRow],
    request_rows: Sequence[RequestRow],
) -> None:
    application.cost_items.all().delete()
    CostItem.objects.bulk_create(
        CostItem(
            application=application,
            position=i,
            description=row.description,
            amount=to_cents(row.amount),
        )
        for i, row in enumerate(cost_rows, start=1)
    )
    wanted = {row.committee.pk: to_cents(row.amount) for row in request_rows}
    # A committee that has decided its share (granted or rejected) keeps it as decided,
    # even when another committee returned the application for completion.
    decided = application.requests.exclude(
        status__in=[RequestStatus.PENDING, RequestStatus.RETURNED]
    ).select_related("committee")
    for request in decided:
        if wanted.get(request.committee_id) != request.amount:
            raise ValidationError(
                DECIDED_REQUEST_LOCKED,
                code="decided",
                params={"committee": request.committee.name},
            )
        del wanted[request.committee_id]
    application.requests.filter(status__in=[RequestStatus.PENDING, RequestStatus.RETURNED]).exclude(
        committee_id__in=wanted
    ).delete()
    for committee_id, amount in wanted.items():
        FundingRequest.objects.update_or_create(
            application=application, committee_id=committee_id, defaults={"amount": amount}
        )


def _send_application_link(application: FundingApplication, *, user: User | None) -> None:
    email_person(
        email=application.email,
        template="committees_application_link",
        context={"application": application},
    )


def _verified_for(user: User | None, email: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def application_save_draft(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    cost_rows: Sequence[CostRow],
    request_rows: Sequence[RequestRow],
    application: FundingApplication | None = None,
) -> FundingApplication:
    """Create or change a draft; a new address gets the secret link by e-mail.

    The link is the proof that the applicant reads that mailbox: until it is opened the
    application cannot be submitted (unless the signed-in account has verified the address).
    """
    require(actor, "committees.apply", application)
    clean = _validate_application_data(data)
    creating = application is None
    if creating:
        application = FundingApplication(
            created_by=actor if actor is not None and actor.is_authenticated else None
        )
        before: dict[str, Any] = {}
    else:
        assert application is not None  # not creating: an existing row
        application = FundingApplication.objects.select_for_update().get(pk=application.pk)
        if not application.is_editable:
            raise ValidationError(NOT_EDITABLE, code="not_editable")
        before = _snapshot(application, clean)
    email_changed = creating or before.get("email") != clean["email"]
    for name, value in clean.items():
        setattr(application, name, value)
    application.updated_at = timezone.now()
    if email_changed:
        application.email_verified_at = (
            timezone.now() if _verified_for(actor, clean["email"]) else None
        )
    application.save()
    _replace_rows(application, cost_rows, request_rows)
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=AuditAction.APPLICATION_CREATE if creating else AuditAction.APPLICATION_UPDATE,
        obj=application,
        changes=field_changes(before, clean),
    )
    if email_changed and application.email_verified_at is None:
        _send_application_link(application, user=actor)
    return application


@transaction.atomic
def application_verify_email(*, application: FundingApplication) -> FundingApplication:
    """The secret link was opened: the applicant reads the mailbox it was sent to."""
    if application.email_verified_at is not None:
        return application
    application = FundingApplication.objects.select_for_update().get(pk=application.pk)
    if application.email_verified_at is None:
        application.email_verified_at = timezone.now()
        application.save(update_fields=["email_verified_at"])
        audit_record(actor=None, action=AuditAction.APPLICATION_VERIFY_EMAIL, obj=application)
    return application


def application_problems(application: FundingApplication) -> list[ValidationError]:
    """What stops the application from being submitted, as translated errors."""
    problems: list[ValidationError] = []
    requests = list(application.requests.all())
    costs = list(application.cost_items.all())
    if not requests:
        problems.append(ValidationError(NO_COMMITTEE, code="no_committee"))
    if not costs:
        problems.append(ValidationError(NO_COSTS, code="no_costs"))
    else:
        cost_total = sum((c.amount for c in costs), ZERO)
        funding = sum((r.amount for r in requests), ZERO) + application.own_funding
        if cost_total != funding:
            problems.append(
                ValidationError(
                    COSTS_DO_NOT_ADD_UP,
                    code="costs",
                    params={"costs": format_euros(cost_total), "funding": format_euros(funding)},
                )
            )
    if application.applicant_kind != ApplicantKind.COMMITTEE and not all(
        (
            application.sustainability_ecological.strip(),
            application.sustainability_social.strip(),
            application.sustainability_economic.strip(),
        )
    ):
        problems.append(ValidationError(SELF_ASSESSMENT_MISSING, code="self_assessment"))
    if application.email_verified_at is None:
        problems.append(ValidationError(EMAIL_NOT_VERIFIED, code="email_not_verified"))
    return problems


@transaction.atomic
def application_submit(
    *, actor: User | None, application: FundingApplication
) -> FundingApplication:
    """Send the application to its committees; the applicant gets a confirmation."""
    require(actor, "committees.apply", application)
    application = FundingApplication.objects.select_for_update().get(pk=application.pk)
    if not application.is_editable:
        raise ValidationError(NOT_EDITABLE, code="not_editable")
    problems = application_problems(application)
    if problems:
        raise ValidationError(problems)
    resubmitted = application.status == ApplicationStatus.RETURNED
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    application.requests.filter(status=RequestStatus.RETURNED).update(status=RequestStatus.PENDING)
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=AuditAction.APPLICATION_RESUBMIT if resubmitted else AuditAction.APPLICATION_SUBMIT,
        obj=application,
    )
    email_person(
        email=application.email,
        user=application.created_by,
        template="committees_application_submitted",
        context={
            "application": application,
            "requests": list(application.requests.select_related("committee")),
        },
    )
    return application


def validate_upload(upload: UploadedFile, *, images_only: bool = False) -> str:
    """The file's real type from its first bytes (not its name); raises if unsuitable."""
    return validate_document(upload, max_mb=MAX_ATTACHMENT_MB, images_only=images_only)


@transaction.atomic
def attachment_add(
    *, actor: User | None, application: FundingApplication, upload: UploadedFile
) -> Attachment:
    require(actor, "committees.apply", application)
    application = FundingApplication.objects.select_for_update().get(pk=application.pk)
    if not application.is_editable:
        raise ValidationError(NOT_EDITABLE, code="not_editable")
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            TOO_MANY_ATTACHMENTS, code="too_many", params={"limit": MAX_ATTACHMENTS}
        )
    content_type = validate_upload(upload)
    safe_name = "".join(ch for ch in (upload.name or "file") if ch.isalnum() or ch in "._-")[:80]
    attachment = Attachment(
        application=application,
        original_name=(upload.name or "file")[:200],
        content_type=content_type,
        size=upload.size or 0,
    )
    attachment.file.save(safe_name or f"file{ATTACHMENT_TYPES[content_type]}", upload, save=False)
    attachment.save()
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=AuditAction.APPLICATION_ATTACH,
        obj=application,
        note=attachment.original_name,
    )
    return attachment


@transaction.atomic
def committee_project_adopt(
    *,
    actor: User,
    committee: Committee,
    title: str,
    description: str,
    amount: Decimal,
    idea: Any = None,
) -> FundingApplication:
    """The committee takes a resident's idea (or its own plan) as its own project.

    It becomes a submitted application from the committee to itself, so the decision,
    the grant and the payments follow the same path and the same money rules.
    """
    require(actor, "committees.adopt_project", committee)
    amount = to_cents(amount)
    if amount <= 0:
        raise ValidationError(AMOUNT_REQUIRED, code="amount")
    application = FundingApplication.objects.create(
        applicant_kind=ApplicantKind.COMMITTEE,
        organisation_name=committee.name,
        responsible_person=actor.get_full_name(),
        email=committee.email or actor.email,
        title=title,
        description=description,
        created_by=actor,
        email_verified_at=timezone.now(),
        status=ApplicationStatus.SUBMITTED,
        submitted_at=timezone.now(),
        **({"idea": idea} if idea is not None else {}),
    )
    CostItem.objects.create(application=application, position=1, description=title, amount=amount)
    FundingRequest.objects.create(application=application, committee=committee, amount=amount)
    audit_record(actor=actor, action=AuditAction.APPLICATION_ADOPT, obj=application)
    return application
