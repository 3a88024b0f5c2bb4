"""Ideas from residents: submission, editing, images, withdrawal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola.audit import AuditAction
from omakouvola.dates import format_day
from omakouvola.images import reencode_image
from omakouvola.models import Area, Cycle, Phase, User
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes, notify
from omakouvola.uploads import DOCUMENT_TYPES, validate_document

from ..models import (
    MAX_IMAGES_PER_IDEA,
    TOO_MANY_IMAGES,
    Channel,
    Idea,
    IdeaImage,
    IdeaStatus,
    Theme,
)
from ._common import (
    _record_status,
    _require,
)
from .screening import _change_status

IDEATION_CLOSED = _("Ideas cannot be submitted now. Ideation is open from %(starts)s to %(ends)s.")
ARRIVED_IN_THE_FUTURE = _("The day the idea arrived cannot be in the future.")
SCAN_NEEDS_PAPER = _(
    "Only an idea that arrived on paper or at an event can have a scan of its form."
)
MAX_SCAN_MB = 10
IDEA_LOCKED = _("Screening of this idea has started, so it can no longer be changed.")

# ---------------------------------------------------------------------------------------
# Submission
# ---------------------------------------------------------------------------------------


def _validate_phase(cycle: Cycle, at: dt.datetime | None) -> None:
    if not cycle.is_phase_open(Phase.IDEATION, at):
        raise ValidationError(
            IDEATION_CLOSED,
            code="ideation_closed",
            params={
                "starts": format_day(cycle.ideation_starts_on),
                "ends": format_day(cycle.ideation_ends_on),
            },
        )


def _add_images(idea: Idea, images: Sequence[UploadedFile], alt_texts: Sequence[str] = ()) -> None:
    existing = idea.images.count()
    _require(existing + len(images) <= MAX_IMAGES_PER_IDEA, TOO_MANY_IMAGES, "too_many")
    start = (idea.images.aggregate(m=Max("position"))["m"] or 0) + 1
    for offset, upload in enumerate(images):
        alt = alt_texts[offset] if offset < len(alt_texts) else ""
        IdeaImage.objects.create(
            idea=idea, image=reencode_image(upload), alt_text=alt[:200], position=start + offset
        )


IDEA_FIELDS = (
    "title",
    "description",
    "area",
    "theme",
    "address",
    "latitude",
    "longitude",
    "rough_cost",
    "for_youth",
    "consents_to_codevelopment",
    "on_behalf_of",
)


def _create_idea(
    *,
    actor: User,
    cycle: Cycle,
    fields: dict[str, Any],
    images: Sequence[UploadedFile],
    alt_texts: Sequence[str],
    action: AuditAction,
) -> Idea:
    idea = Idea(cycle=cycle, **fields)
    idea.full_clean(exclude=["submitter"])
    idea.save()
    _add_images(idea, images, alt_texts)
    _record_status(idea, "", IdeaStatus.SUBMITTED)
    audit_record(actor=actor, action=action, obj=idea)
    return idea


@transaction.atomic
def idea_submit(
    *,
    actor: User,
    cycle: Cycle,
    title: str,
    description: str,
    area: Area | None = None,
    theme: Theme | None = None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    rough_cost: Decimal | None = None,
    for_youth: bool = False,
    consents_to_codevelopment: bool = False,
    on_behalf_of: str = "",
    images: Sequence[UploadedFile] = (),
    alt_texts: Sequence[str] = (),
    at: dt.datetime | None = None,
) -> Idea:
    """A resident submits an idea during ideation; they get a confirmation e-mail."""
    # The phase first: its refusal names the dates, the rule's only says "not now".
    _validate_phase(cycle, at)
    require(actor, "ideas.submit_idea", cycle)
    idea = _create_idea(
        actor=actor,
        cycle=cycle,
        fields={
            "title": title.strip(),
            "description": description.strip(),
            "area": area,
            "theme": theme,
            "address": address.strip(),
            "latitude": latitude,
            "longitude": longitude,
            "rough_cost": rough_cost,
            "for_youth": for_youth,
            "consents_to_codevelopment": consents_to_codevelopment,
            "on_behalf_of": on_behalf_of.strip(),
            "submitter": actor,
            "channel": Channel.WEB,
        },
        images=images,
        alt_texts=alt_texts,
        action=AuditAction.IDEA_SUBMIT,
    )
    notify(user=actor, template="ideas_submitted", context={"idea": idea})
    return idea


@transaction.atomic
def idea_enter_on_behalf(
    *,
    actor: User,
    cycle: Cycle,
    channel: str,
    title: str,
    description: str,
    submitter_name: str = "",
    submitter_contact: str = "",
    submitter_birth_year: int | None = None,
    area: Area | None = None,
    theme: Theme | None = None,
    address: str = "",
    rough_cost: Decimal | None = None,
    for_youth: bool = False,
    consents_to_codevelopment: bool = False,
    created_at: dt.datetime | None = None,
    scan: UploadedFile | None = None,
) -> Idea:
    """Staff enter an idea that came on paper, at a village evening or in a workshop,
    with a scan of the form it came on if they have one.

    Allowed outside the ideation phase too: paper forms arrive by post after it ends.
    """
    require(actor, "ideas.screen_idea")
    scan_type = _check_scan(channel, scan) if scan is not None else None
    fields: dict[str, Any] = {
        "title": title.strip(),
        "description": description.strip(),
        "area": area,
        "theme": theme,
        "address": address.strip(),
        "rough_cost": rough_cost,
        "for_youth": for_youth,
        "consents_to_codevelopment": consents_to_codevelopment,
        "channel": channel,
        "submitter_name": submitter_name.strip(),
        "submitter_contact": submitter_contact.strip(),
        "submitter_birth_year": submitter_birth_year,
    }
    if created_at is not None:
        if created_at > timezone.now():
            raise ValidationError(ARRIVED_IN_THE_FUTURE, code="future")
        fields["created_at"] = created_at
    idea = _create_idea(
        actor=actor,
        cycle=cycle,
        fields=fields,
        images=(),
        alt_texts=(),
        action=AuditAction.IDEA_ENTER,
    )
    if scan is not None and scan_type is not None:  # checked above, before the idea
        _store_scan(actor, idea, scan, scan_type)
    return idea


def _check_scan(channel: str, scan: UploadedFile) -> str:
    """The scan's real content type, or the refusal to show."""
    if channel == Channel.WEB:
        raise ValidationError(SCAN_NEEDS_PAPER, code="scan_needs_paper")
    return validate_document(scan, max_mb=MAX_SCAN_MB)


def _store_scan(actor: User, idea: Idea, scan: UploadedFile, content_type: str) -> None:
    # Stored under the ending of what it really is, whatever the upload was called. The
    # replaced file is left to the daily clean-up of private files no row names, so a
    # rolled-back transaction never loses the scan that was there.
    idea.paper_scan.save(f"scan{DOCUMENT_TYPES[content_type]}", scan, save=False)
    idea.save(update_fields=["paper_scan"])
    audit_record(actor=actor, action=AuditAction.IDEA_SCAN_ATTACH, obj=idea)


@transaction.atomic
def idea_attach_scan(*, actor: User, idea: Idea, scan: UploadedFile) -> Idea:
    """Keep (or replace) the scan of the paper form an idea arrived on."""
    require(actor, "ideas.screen_idea")
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    _store_scan(actor, idea, scan, _check_scan(idea.channel, scan))
    return idea


@transaction.atomic
def idea_remove_scan(*, actor: User, idea: Idea) -> Idea:
    """Drop an idea's scan (the wrong page, or a sender who asked); the file goes with
    the daily clean-up."""
    require(actor, "ideas.screen_idea")
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.paper_scan:
        idea.paper_scan = ""
        idea.save(update_fields=["paper_scan"])
        audit_record(actor=actor, action=AuditAction.IDEA_SCAN_REMOVE, obj=idea)
    return idea


@transaction.atomic
def idea_import(*, actor: User, cycle: Cycle, rows: Iterable[dict[str, Any]]) -> list[Idea]:
    """Enter many ideas at once (a survey export); all or nothing."""
    require(actor, "ideas.screen_idea")
    return [idea_enter_on_behalf(actor=actor, cycle=cycle, **row) for row in rows]


@transaction.atomic
def idea_correct(*, actor: User, idea: Idea, changed_fields: Iterable[str]) -> Idea:
    """Staff correct an idea's text or facts (typos, the right area); status is untouched."""
    require(actor, "ideas.screen_idea")
    fields = [name for name in changed_fields if name in IDEA_FIELDS or name in STAFF_FIELDS]
    stored = Idea.objects.select_for_update().get(pk=idea.pk)
    before = {name: getattr(stored, name) for name in fields}
    idea.full_clean(exclude=["submitter"])
    idea.save()
    audit_record(
        actor=actor,
        action=AuditAction.IDEA_CORRECT,
        obj=idea,
        changes=field_changes(before, {name: getattr(idea, name) for name in fields}),
    )
    return idea


STAFF_FIELDS = (
    "cycle",
    "channel",
    "submitter_name",
    "submitter_contact",
    "submitter_birth_year",
)


def _lock_own_editable(actor: User, idea: Idea) -> Idea:
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    require(actor, "ideas.change_own_idea", locked)
    _require(locked.is_editable, IDEA_LOCKED, "locked")
    return locked


@transaction.atomic
def idea_update(
    *,
    actor: User,
    idea: Idea,
    new_images: Sequence[UploadedFile] = (),
    new_alt_texts: Sequence[str] = (),
    remove_image_ids: Iterable[int] = (),
    **fields: Any,
) -> Idea:
    """The submitter changes their idea while screening has not started."""
    locked = _lock_own_editable(actor, idea)
    unknown = set(fields) - set(IDEA_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    before = {name: getattr(locked, name) for name in fields}
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.full_clean(exclude=["submitter"])
    removed = list(remove_image_ids)
    for image in locked.images.filter(pk__in=removed):
        image.image.delete(save=False)
        image.delete()
    _add_images(locked, new_images, new_alt_texts)
    locked.save()
    changes = field_changes(before, {name: getattr(locked, name) for name in fields})
    if new_images:
        changes["images_added"] = [0, len(new_images)]
    if removed:
        changes["images_removed"] = [0, len(removed)]
    audit_record(actor=actor, action=AuditAction.IDEA_UPDATE, obj=locked, changes=changes)
    return locked


@transaction.atomic
def idea_withdraw(*, actor: User, idea: Idea) -> Idea:
    locked = _lock_own_editable(actor, idea)
    return _change_status(
        actor=actor,
        idea=locked,
        to_status=IdeaStatus.WITHDRAWN,
        action=AuditAction.IDEA_WITHDRAW,
        tell_submitter=False,
    )
