"""Every write in the core app: the audit log, outgoing e-mail, profiles, phase notices.

Other apps write their audit entries through `audit_record` and their e-mail through
`notify`; neither is done anywhere else.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .audit import AuditAction
from .models import (
    AuditEntry,
    Cycle,
    Language,
    Notification,
    PhaseNotice,
    PostalCode,
    User,
    WorkAttempt,
)
from .rules import require

logger = logging.getLogger(__name__)

POSTAL_CODE_NOT_IN_KOUVOLA = _(
    "%(code)s is not a Kouvola postal code. Check the number, or leave the field empty "
    "if you live elsewhere."
)
BIRTH_YEAR_IN_FUTURE = _("The birth year cannot be in the future.")
BIRTH_YEAR_TOO_EARLY = _("Check the birth year: it must be 1900 or later.")

# ---------------------------------------------------------------------------------------
# Audit log
# ---------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value differs."""
    return {
        name: [_jsonable(before.get(name)), _jsonable(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


# A field whose name contains one of these holds something about a person: the audit
# log keeps that it changed, never the value (GDPR erasure cannot reach copied values).
PERSONAL_FIELD_HINTS = (
    "email",
    "phone",
    "name",
    "person",
    "address",
    "postal",
    "birth",
    "password",
    "contact",
)
PERSONAL_VALUE = "(personal data not logged)"
# Free text a person typed may hold anything (a phone number, a home address): the log
# keeps that it changed. Titles stay: they are shown in public and name the thing.
FREE_TEXT_HINTS = ("description", "text", "reason", "rationale", "what", "summary", "body")
TEXT_VALUE = "(text not logged)"


def _is_personal(field: str) -> bool:
    return any(hint in field.lower() for hint in PERSONAL_FIELD_HINTS)


def _is_free_text(field: str) -> bool:
    return any(hint in field.lower() for hint in FREE_TEXT_HINTS)


def _redacted(changes: Mapping[str, list[Any]]) -> dict[str, Any]:
    return {
        name: [PERSONAL_VALUE, PERSONAL_VALUE]
        if _is_personal(name)
        else [TEXT_VALUE, TEXT_VALUE]
        if _is_free_text(name)
        else value
        for name, value in changes.items()
    }


def audit_record(
    *,
    actor: User | None,
    action: AuditAction | str,
    obj: models.Model,
    changes: Mapping[str, list[Any]] | None = None,
    note: str = "",
) -> AuditEntry:
    """Write one audit entry; the only way entries are made.

    `action` is an `AuditAction`; a plain string only from the generic admin log.
    """
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.email if actor is not None and actor.pk else "system"),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        # Ids only: __str__ of a pledge, an application or a user is a person's name.
        object_repr=f"{obj._meta.model_name} #{obj.pk or ''}",
        changes=_redacted(changes or {}),
        note=note,
    )


# ---------------------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------------------


def email_enqueue(
    *,
    to_email: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    template: str,
    user: User | None = None,
    language: str | None = None,
    sensitive: bool = False,
    headers: Mapping[str, str] | None = None,
) -> Notification:
    """Store a rendered message and send it from a Celery task once the data is committed.

    A rolled-back transaction takes the row with it and the task is never queued.
    """
    from .outbox import enqueue
    from .tasks import send_notification_task

    notification = Notification.objects.create(
        user=user,
        to_email=to_email,
        template=template,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
        sensitive=sensitive,
        headers=dict(headers or {}),
    )
    enqueue(send_notification_task, notification.pk, new=True)
    return notification


def render_email(
    *, template: str, context: Mapping[str, Any], language: str
) -> tuple[str, str, str]:
    """Subject, text and HTML of templates/emails/<template>.* in `language`."""
    ctx = {"site_url": settings.OMAKOUVOLA_SITE_URL, **context}
    with translation.override(language):
        return (
            render_to_string(f"emails/{template}.subject.txt", ctx),
            render_to_string(f"emails/{template}.txt", ctx),
            render_to_string(f"emails/{template}.html", ctx),
        )


def notify(
    *,
    user: User,
    template: str,
    context: Mapping[str, Any] | None = None,
    essential: bool = True,
    sensitive: bool = False,
    headers: Mapping[str, str] | None = None,
) -> Notification | None:
    """E-mail `user` from templates/emails/<template>.{subject.txt,txt,html} in their language.

    Non-essential messages (news, reminders) are skipped for users who opted out.
    `headers` are added to the message (List-Unsubscribe of a news message).
    """
    if not essential and not user.receives_optional_email:
        return None
    if not user.email:
        return None
    language = user.preferred_language or settings.LANGUAGE_CODE
    subject, body_text, body_html = render_email(
        template=template, context={"user": user, **(context or {})}, language=language
    )
    return email_enqueue(
        to_email=user.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        template=template,
        user=user,
        language=language,
        sensitive=sensitive,
        headers=headers,
    )


def notification_send(*, notification_id: int) -> Notification:
    """Send one stored message over the configured e-mail backend.

    The row stays locked while sending so two workers never send the same message.
    A backend error is recorded, then raised again so the task can retry.
    """
    error: Exception | None = None
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status == Notification.Status.SENT:
            return notification
        notification.attempts += 1
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=notification.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.to_email],
            headers=notification.headers or None,
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        try:
            message.send()
        except Exception as exc:
            error = exc
            notification.last_error = repr(exc)[:2000]
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
            if notification.sensitive:
                notification.body_text = notification.body_html = ""
        notification.save(
            update_fields=["attempts", "status", "sent_at", "last_error", "body_text", "body_html"]
        )
    if error is not None:
        raise error
    return notification


def notification_mark_failed(*, notification_id: int, error: str) -> None:
    """Given up: a sensitive text (a vote receipt) is erased as it is after sending."""
    Notification.objects.filter(pk=notification_id).update(
        status=Notification.Status.FAILED, last_error=error[:2000]
    )
    Notification.objects.filter(pk=notification_id, sensitive=True).update(
        body_text="", body_html=""
    )


# ---------------------------------------------------------------------------------------
# Work that failed
# ---------------------------------------------------------------------------------------

WORK_NOT_FAILED = _("Only failed work can be retried; this is still running.")
WORK_TASK_GONE = _(
    "This work's task (%(task)s) no longer exists in this version: it cannot be retried."
)


@transaction.atomic
def work_attempt_retry(*, actor: User, attempt: WorkAttempt) -> None:
    """Start failed work again with a fresh count, through the outbox, once committed."""
    import importlib

    from celery import current_app

    from .outbox import enqueue

    require(actor, "omakouvola.retry_work")
    locked = WorkAttempt.objects.select_for_update().filter(pk=attempt.pk).first()
    if locked is None or locked.status != WorkAttempt.Status.FAILED:
        raise ValidationError(WORK_NOT_FAILED, code="not_failed")
    # The web process registers a task when its module is first imported; a row from an
    # older version may name a task that has since been renamed or removed.
    module = locked.task_name.rsplit(".", 1)[0]
    try:
        importlib.import_module(module)
        task = current_app.tasks[locked.task_name]
    except (ImportError, KeyError, ValueError):
        raise ValidationError(
            WORK_TASK_GONE, code="task_gone", params={"task": locked.task_name}
        ) from None
    audit_record(
        actor=actor,
        action=AuditAction.WORKATTEMPT_RETRY,
        obj=locked,
        note=f"{locked.task_name} after {locked.attempts} attempts",
    )
    # A periodic run's row is keyed by its message id; the retry is a new run.
    locked.delete()
    enqueue(task, *locked.args)


# ---------------------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------------------


def validate_postal_code(code: str) -> None:
    if code and not PostalCode.objects.filter(code=code).exists():
        raise ValidationError(POSTAL_CODE_NOT_IN_KOUVOLA, code="not_kouvola", params={"code": code})


def validate_birth_year(year: int | None) -> None:
    if year is None:
        return
    if year < 1900:
        raise ValidationError(BIRTH_YEAR_TOO_EARLY, code="too_early")
    if year > timezone.localdate().year:
        raise ValidationError(BIRTH_YEAR_IN_FUTURE, code="future")


PROFILE_FIELDS = (
    "display_name",
    "postal_code",
    "birth_year",
    "preferred_language",
    "receives_optional_email",
)


@transaction.atomic
def user_update_profile(
    *,
    actor: User,
    user: User,
    display_name: str,
    postal_code: str,
    birth_year: int | None,
    preferred_language: str,
    receives_optional_email: bool,
) -> User:
    """Change a person's own profile; a postal code must be a Kouvola one."""
    require(actor, "omakouvola.update_profile", user)
    errors: dict[str, list[ValidationError]] = {}
    checks: tuple[tuple[str, Callable[[Any], None], object], ...] = (
        ("postal_code", validate_postal_code, postal_code),
        ("birth_year", validate_birth_year, birth_year),
    )
    for field, check, value in checks:
        try:
            check(value)
        except ValidationError as exc:
            errors[field] = [exc]
    if preferred_language not in Language.values:
        errors["preferred_language"] = [ValidationError(_("Choose a language."))]
    if errors:
        raise ValidationError(errors)

    new = {
        "display_name": display_name.strip(),
        "postal_code": postal_code,
        "birth_year": birth_year,
        "preferred_language": preferred_language,
        "receives_optional_email": receives_optional_email,
    }
    # Compare with the stored row: a bound ModelForm has already copied its input onto
    # the instance it was given.
    stored = User.objects.select_for_update().get(pk=user.pk)
    before = {name: getattr(stored, name) for name in PROFILE_FIELDS}
    changes = field_changes(before, new)
    if not changes:
        return stored
    for name, value in new.items():
        setattr(stored, name, value)
    stored.save(update_fields=list(changes))
    audit_record(actor=actor, action=AuditAction.USER_UPDATE_PROFILE, obj=stored, changes=changes)
    return stored


# What a person is told about when it changes on their account (issue 12: the text is
# only our own; nothing typed by staff, not even the display name, goes into it).
ACCOUNT_CHANGES = ("roles", "email", "password")


def user_account_changed(
    *, actor: User | None, user: User, changed: Iterable[str], old_email: str = ""
) -> None:
    """Audit a change to a person's roles, e-mail address or password and tell them.

    The audit entry names the fields only, never their values. An e-mail change is told
    to the old address too, so a person whose address was taken over hears of it.
    """
    fields = [name for name in ACCOUNT_CHANGES if name in set(changed)]
    if not fields:
        return
    audit_record(
        actor=actor,
        action=AuditAction.USER_ACCOUNT_CHANGED,
        obj=user,
        changes={name: ["", ""] for name in fields},
        note=", ".join(fields),
    )
    context = {"changed": fields, "at": timezone.localtime()}
    notify(user=user, template="account_changed", context=context)
    if "email" in fields and old_email and old_email.lower() != (user.email or "").lower():
        language = user.preferred_language or settings.LANGUAGE_CODE
        subject, body_text, body_html = render_email(
            template="account_changed",
            context={**context, "to_old_address": True},
            language=language,
        )
        email_enqueue(
            to_email=old_email,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            template="account_changed",
            user=user,
            language=language,
        )


# ---------------------------------------------------------------------------------------
# Cycles
# ---------------------------------------------------------------------------------------


@transaction.atomic
def cycle_save(*, actor: User, cycle: Cycle, changed_fields: Iterable[str] = ()) -> Cycle:
    """Create or change a cycle (the coordinator's admin form calls this)."""
    require(actor, "omakouvola.manage_cycles", cycle)
    creating = cycle.pk is None
    before: dict[str, Any] = {}
    if not creating:
        old = Cycle.objects.select_for_update().get(pk=cycle.pk)
        before = {name: getattr(old, name) for name in changed_fields}
    cycle.full_clean()
    cycle.save()
    after = {name: getattr(cycle, name) for name in changed_fields}
    audit_record(
        actor=actor,
        action=AuditAction.CYCLE_CREATE if creating else AuditAction.CYCLE_UPDATE,
        obj=cycle,
        changes=field_changes(before, after),
    )
    return cycle


def cycle_send_phase_notices(*, at: dt.datetime | None = None) -> int:
    """Tell residents who want news that a phase of a running cycle has begun.

    Runs hourly from beat; the PhaseNotice row makes it send each notice once only.
    Returns how many e-mails were queued.
    """
    today = Cycle.local_date(at)
    queued = 0
    for cycle in Cycle.objects.running_on(today):
        phase = cycle.current_phase(at)
        if phase is None:
            continue
        with transaction.atomic():
            _notice, created = PhaseNotice.objects.get_or_create(cycle=cycle, phase=phase)
            if not created:
                continue
            recipients = User.objects.filter(
                is_active=True,
                receives_optional_email=True,
                emailaddress__verified=True,
            ).distinct()
            starts_on, ends_on = cycle.phase_dates(phase)
            sent_for_cycle = 0
            for user in recipients.iterator():
                if notify(
                    user=user,
                    template="phase_started",
                    context={
                        "cycle": cycle,
                        "phase": phase,
                        "starts_on": starts_on,
                        "ends_on": ends_on,
                    },
                    essential=False,
                ):
                    sent_for_cycle += 1
            audit_record(
                actor=None,
                action=AuditAction.CYCLE_PHASE_NOTICE,
                obj=cycle,
                note=f"{phase}: {sent_for_cycle} e-mails",
            )
            queued += sent_for_cycle
    return queued


# ---------------------------------------------------------------------------------------
# Privacy (GDPR)
# ---------------------------------------------------------------------------------------


def user_export_data(*, user: User) -> dict[str, Any]:
    """Everything the service holds about a person, as plain JSON-ready data.

    Votes are not included: they are not linked to anyone, so they cannot be found.
    """
    from . import privacy
    from .models import AuditEntry

    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "postal_code": user.postal_code,
            "area": user.area.name if user.area else None,
            "birth_year": user.birth_year,
            "preferred_language": user.preferred_language,
            "receives_optional_email": user.receives_optional_email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
            ),
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "emails_sent_to_you": list(
            Notification.objects.filter(user=user)
            .order_by("created_at")
            .values("created_at", "subject", "status")
        ),
        # What the person did, not whom they did it to: a clerk's or a coordinator's
        # export names no resident they verified or screened (object kinds only).
        "your_actions_in_the_log": list(
            AuditEntry.objects.filter(actor=user)
            .order_by("at")
            .values("at", "action", "object_type")
        ),
    }
    for label, export in sorted(privacy.EXPORTERS.items()):
        data[label] = export(user)
    return data


DELETED_ACTOR = "deleted user"


@transaction.atomic
def user_delete_account(*, actor: User, user: User) -> None:
    """Forget a person: their ideas stay without a name, their votes stay counted (they
    were never linked), their pledges and registrations go, and the audit log keeps each
    action without anything that identifies them."""
    from . import privacy
    from .models import AuditEntry

    require(actor, "omakouvola.delete_account", user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    for _label, erase in sorted(privacy.ERASERS.items()):
        erase(locked)
    Notification.objects.filter(user=locked).delete()
    AuditEntry.objects.filter(actor=locked).update(actor=None, actor_label=DELETED_ACTOR)
    AuditEntry.objects.filter(
        object_type=locked._meta.label_lower, object_id=str(locked.pk)
    ).update(object_repr=DELETED_ACTOR, changes={})
    audit_record(actor=None, action=AuditAction.USER_DELETE, obj=locked, note="")
    AuditEntry.objects.filter(action=AuditAction.USER_DELETE, object_id=str(locked.pk)).update(
        object_repr=DELETED_ACTOR
    )
    locked.delete()


def apply_retention(*, at: dt.datetime | None = None) -> dict[str, dict[str, int]]:
    """Remove personal data whose retention period has passed (each app says what)."""
    from . import privacy

    now = at or timezone.now()
    return {label: run(now) for label, run in sorted(privacy.RETENTION.items())}
