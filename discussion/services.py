"""Every write in the discussion: comments, replies, official answers, reports, moderation.

Audit entries name the comment by id and never copy its text (a comment is personal
data and may hold anything); the reason for hiding is logged as changed, not as written.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.models import Idea, Proposal
from omakouvola.audit import AuditAction
from omakouvola.models import User
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes, notify

from .models import (
    MAX_COMMENT_LENGTH,
    Comment,
    CommentReport,
    CommentState,
    DiscussionSettings,
    ReportReason,
)
from .selectors import is_pre_moderated

EMPTY_COMMENT = _("Write something before you send the comment.")
COMMENT_TOO_LONG = _("A comment can be at most %(max)s characters long.")
REPLY_ELSEWHERE = _("A reply must be on the same item as the comment it answers.")
ALREADY_REPORTED = _("You have already reported this comment.")
REASON_REQUIRED = _("Give the reason that is shown in place of the hidden comment.")
NOT_HIDDEN = _("The comment is not hidden.")
NOT_PENDING = _("The comment is not waiting for moderation.")
UNKNOWN_REASON = _("Choose a reason for the report.")


def _clean_body(body: str) -> str:
    text = (body or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"body": EMPTY_COMMENT})
    if len(text) > MAX_COMMENT_LENGTH:
        raise ValidationError({"body": COMMENT_TOO_LONG % {"max": MAX_COMMENT_LENGTH}})
    return text


def _notify_reply(reply: Comment) -> None:
    """Tell the writer of the comment answered, unless they answered themselves."""
    parent = reply.parent
    if parent is None or parent.author_id is None or parent.author_id == reply.author_id:
        return
    author = parent.author
    if not author.is_active:
        return
    notify(
        user=author,
        template="discussion_reply",
        context={"reply": reply, "target": reply.target, "official": reply.is_official},
        essential=False,
    )


@transaction.atomic
def comment_post(
    *,
    actor: User,
    target: Idea | Proposal,
    body: str,
    parent: Comment | None = None,
    official: bool = False,
) -> Comment:
    """Publish a comment, a reply, or (staff) an official answer on an idea or proposal."""
    if official:
        require(actor, "discussion.answer", target)
    elif parent is not None:
        require(actor, "discussion.reply", parent)
    else:
        require(actor, "discussion.comment", target)
    text = _clean_body(body)
    if parent is not None:
        parent = Comment.objects.select_for_update().get(pk=parent.pk)
        on_same = (
            parent.idea_id == target.pk
            if isinstance(target, Idea)
            else parent.proposal_id == target.pk
        )
        if not on_same:
            raise ValidationError(REPLY_ELSEWHERE)
    state = CommentState.PUBLISHED
    if not official and is_pre_moderated(target):
        state = CommentState.PENDING
    comment = Comment.objects.create(
        idea=target if isinstance(target, Idea) else None,
        proposal=target if isinstance(target, Proposal) else None,
        parent=parent,
        author=actor,
        body=text,
        is_official=official,
        state=state,
    )
    audit_record(
        actor=actor,
        action=AuditAction.DISCUSSION_ANSWER if official else AuditAction.DISCUSSION_COMMENT,
        obj=comment,
        note=f"{comment.target_id[0]} #{comment.target_id[1]}"
        + (f", reply to #{parent.pk}" if parent else "")
        + (", pending" if state == CommentState.PENDING else ""),
    )
    if state == CommentState.PUBLISHED:
        _notify_reply(comment)
    return comment


@transaction.atomic
def comment_report(*, actor: User, comment: Comment, reason: str) -> CommentReport:
    """A resident reports a comment; once per person and comment."""
    require(actor, "discussion.report", comment)
    if reason not in ReportReason.values:
        raise ValidationError({"reason": UNKNOWN_REASON})
    if CommentReport.objects.filter(comment=comment, reporter=actor).exists():
        raise ValidationError(ALREADY_REPORTED)
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(comment=comment, reporter=actor, reason=reason)
    except IntegrityError:
        raise ValidationError(ALREADY_REPORTED) from None
    audit_record(
        actor=actor, action=AuditAction.DISCUSSION_REPORT, obj=comment, note=f"report #{report.pk}"
    )
    return report


def _resolve_reports(comment: Comment, at) -> int:
    return CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=at
    )


def _moderate(actor: User, comment: Comment, action: AuditAction, **changes: Any) -> Comment:
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    now = timezone.now()
    before = {name: getattr(locked, name) for name in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.moderated_at = now
    locked.moderated_by = actor
    locked.save(update_fields=[*changes, "moderated_at", "moderated_by"])
    resolved = _resolve_reports(locked, now)
    audit_record(
        actor=actor,
        action=action,
        obj=locked,
        changes={
            name: [before[name], value] for name, value in changes.items() if before[name] != value
        },
        note=f"{resolved} reports resolved" if resolved else "",
    )
    return locked


@transaction.atomic
def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """Hide a comment; the reason is shown publicly in its place."""
    require(actor, "discussion.moderate", comment)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    return _moderate(
        actor,
        comment,
        AuditAction.DISCUSSION_HIDE,
        state=CommentState.HIDDEN,
        hidden_reason=reason[:300],
    )


@transaction.atomic
def comment_restore(*, actor: User, comment: Comment) -> Comment:
    """Show a hidden comment again (the moderator changed their mind, or a report was wrong)."""
    require(actor, "discussion.moderate", comment)
    if comment.state != CommentState.HIDDEN:
        raise ValidationError(NOT_HIDDEN)
    return _moderate(
        actor,
        comment,
        AuditAction.DISCUSSION_RESTORE,
        state=CommentState.PUBLISHED,
        hidden_reason="",
    )


@transaction.atomic
def comment_approve(*, actor: User, comment: Comment) -> Comment:
    """Publish a pre-moderated comment; a reply's addressee is told now, not before."""
    require(actor, "discussion.moderate", comment)
    if comment.state != CommentState.PENDING:
        raise ValidationError(NOT_PENDING)
    approved = _moderate(
        actor, comment, AuditAction.DISCUSSION_APPROVE, state=CommentState.PUBLISHED
    )
    _notify_reply(approved)
    return approved


@transaction.atomic
def comment_keep(*, actor: User, comment: Comment) -> Comment:
    """The reports on a comment were looked at and the comment stays as it is."""
    require(actor, "discussion.moderate", comment)
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    resolved = _resolve_reports(locked, timezone.now())
    audit_record(
        actor=actor,
        action=AuditAction.DISCUSSION_KEEP,
        obj=locked,
        note=f"{resolved} reports resolved",
    )
    return locked


@transaction.atomic
def discussion_settings_save(
    *, actor: User, settings: DiscussionSettings, changed_fields: list[str] | tuple[str, ...] = ()
) -> DiscussionSettings:
    """The coordinator opens or closes the discussion of a cycle's phases."""
    require(actor, "omakouvola.manage_cycles", settings.cycle)
    creating = settings.pk is None
    before: dict[str, Any] = {}
    if not creating:
        old = DiscussionSettings.objects.select_for_update().get(pk=settings.pk)
        before = {name: getattr(old, name) for name in changed_fields}
    settings.full_clean()
    settings.save()
    audit_record(
        actor=actor,
        action=AuditAction.DISCUSSION_SETTINGS_CREATE
        if creating
        else AuditAction.DISCUSSION_SETTINGS_UPDATE,
        obj=settings,
        changes=field_changes(before, {name: getattr(settings, name) for name in changed_fields}),
    )
    return settings
