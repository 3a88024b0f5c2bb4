"""Reads for the discussion: a thread in a fixed number of queries, the moderation queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ideas.models import Idea, Proposal

from .models import Comment, CommentReport, CommentState, DiscussionSettings

_UNSET = object()


def settings_for(target: Idea | Proposal) -> DiscussionSettings | None:
    """The cycle's discussion settings, read once per object (the page asks several times)."""
    cached = getattr(target, "_discussion_settings", _UNSET)
    if cached is _UNSET:
        cached = DiscussionSettings.objects.filter(cycle_id=target.cycle_id).first()
        target._discussion_settings = cached
    return cached


def discussion_open_on(target: Idea | Proposal) -> bool:
    found = settings_for(target)
    return found is not None and found.is_open_in(target.cycle.current_phase())


def is_pre_moderated(target: Idea | Proposal) -> bool:
    found = settings_for(target)
    return found is not None and found.pre_moderation


@dataclass
class ThreadItem:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def thread(target: Idea | Proposal, *, viewer: Any) -> list[ThreadItem]:
    """Top-level comments oldest first, each with its replies; two queries at most.

    Pending comments are shown only to their writer (and moderators); hidden ones stay in
    place so the reason can be read where the text was.
    """
    from .rules import is_moderator

    visible = Q(state__in=[CommentState.PUBLISHED, CommentState.HIDDEN])
    if getattr(viewer, "is_authenticated", False):
        if is_moderator.test(viewer):
            visible = Q()
        else:
            visible |= Q(author_id=viewer.pk)
    comments = Comment.objects.on(target).filter(visible).select_related("author")
    if getattr(viewer, "is_authenticated", False):
        comments = comments.annotate(
            reported_by_viewer=Exists(
                CommentReport.objects.filter(comment=OuterRef("pk"), reporter_id=viewer.pk)
            )
        )
    items: dict[int, ThreadItem] = {}
    replies: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            items[comment.pk] = ThreadItem(comment)
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in items:
            items[reply.parent_id].replies.append(reply)
    return list(items.values())


def public_count(target: Idea | Proposal) -> int:
    return Comment.objects.on(target).filter(state=CommentState.PUBLISHED).count()


def moderation_queue() -> QuerySet[Comment]:
    """Comments that wait for a moderator: pending ones and those with open reports,
    oldest first, with what the page shows in one query."""
    return (
        Comment.objects.annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True))
        )
        .filter(Q(state=CommentState.PENDING) | Q(open_reports__gt=0))
        .select_related("author", "idea", "proposal")
        .order_by("created_at", "pk")
    )


def recently_hidden(limit: int = 20) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(state=CommentState.HIDDEN)
        .select_related("author", "idea", "proposal", "moderated_by")
        .order_by("-moderated_at", "-pk")[:limit]
    )


def comments_of_user(user) -> QuerySet[Comment]:
    """This person's own comments with what each is under, newest first (one query).
    A hidden or waiting comment is shown to its writer with its state."""
    return (
        Comment.objects.filter(author=user, is_erased=False)
        .select_related("idea", "proposal")
        .order_by("-created_at")
    )
