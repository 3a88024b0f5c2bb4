"""What the discussion holds about a person, how it forgets them, and for how long.

A comment is the writer's personal data. On erasure the text goes and the place stays
("removed with its writer's account"), so the replies of others still read in order.
Hidden comments lose their text after DISCUSSION_HIDDEN_TEXT_DAYS (the reason stays);
closed reports go after DISCUSSION_REPORT_DAYS.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from .models import Comment, CommentReport, CommentState


def export(user) -> dict[str, Any]:
    return {
        "comments": list(
            Comment.objects.filter(author=user)
            .order_by("created_at", "pk")
            .values(
                "id",
                "created_at",
                "body",
                "state",
                "hidden_reason",
                "is_official",
                "parent_id",
                "idea__title",
                "proposal__title",
            )
        ),
        "comment_reports": list(
            CommentReport.objects.filter(reporter=user)
            .order_by("created_at", "pk")
            .values("comment_id", "reason", "created_at", "resolved_at")
        ),
    }


def erase(user) -> None:
    Comment.objects.filter(author=user).update(author=None, body="", is_erased=True)
    Comment.objects.filter(moderated_by=user).update(moderated_by=None)
    CommentReport.objects.filter(reporter=user).update(reporter=None)


def retention(now: dt.datetime) -> dict[str, int]:
    hidden_before = now - dt.timedelta(days=settings.DISCUSSION_HIDDEN_TEXT_DAYS)
    reports_before = now - dt.timedelta(days=settings.DISCUSSION_REPORT_DAYS)
    texts = (
        Comment.objects.filter(state=CommentState.HIDDEN, moderated_at__lt=hidden_before)
        .exclude(body="")
        .update(body="")
    )
    reports, _ = CommentReport.objects.filter(resolved_at__lt=reports_before).delete()
    return {"hidden_comment_texts": texts, "closed_reports": reports}


def anonymise() -> None:
    """For a test copy: hidden texts go (they are the ones likely to name someone)."""
    Comment.objects.filter(state=CommentState.HIDDEN).update(body="")
