"""Who may comment, reply, report and moderate (django-rules, composed once).

Residents comment with an account whose e-mail address is confirmed (`is_verified`), the
same level as submitting an idea: a discussion needs a reachable person behind each
comment, not a strong identification.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from ideas.models import Idea, IdeaStatus, ProposalStatus
from omakouvola.rules import add_perm, is_city_team, is_coordinator, is_verified

from .models import CommentState

NOT_VERIFIED = _("Confirm your e-mail address before you take part in the discussion.")
DISCUSSION_CLOSED = _("The discussion on this item is not open now.")
NOT_PUBLIC = _("This item is not open for discussion.")
CANNOT_REPLY = _("You cannot reply to this comment.")
CANNOT_REPORT = _("You cannot report this comment.")
MODERATORS_ONLY = _("Only the city's moderators can do this.")


@rules.predicate
def target_is_public(user, target) -> bool:
    if target is None:
        return False
    if isinstance(target, Idea):
        return not target.is_hidden and target.status != IdeaStatus.WITHDRAWN
    return target.status not in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)


@rules.predicate
def discussion_is_open(user, target) -> bool:
    """The coordinator opened discussion for the phase the item's cycle is in today."""
    if target is None:
        return False
    from .selectors import discussion_open_on

    return discussion_open_on(target)


@rules.predicate
def comment_is_published(user, comment) -> bool:
    return comment is not None and comment.state == CommentState.PUBLISHED


@rules.predicate
def comment_is_top_level(user, comment) -> bool:
    return comment is not None and comment.parent_id is None


@rules.predicate
def comment_on_open_item(user, comment) -> bool:
    return comment is not None and (target_is_public & discussion_is_open).test(
        user, comment.target
    )


@rules.predicate
def comment_on_public_item(user, comment) -> bool:
    return comment is not None and target_is_public.test(user, comment.target)


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


is_moderator = rules.is_superuser | is_coordinator | is_city_team

can_comment = is_verified & target_is_public & discussion_is_open
can_reply = is_verified & comment_is_published & comment_is_top_level & comment_on_open_item
# The city may answer on a public item in any phase: questions often come as one closes.
can_answer = is_moderator & target_is_public
can_report = is_verified & comment_is_published & comment_on_public_item & ~is_comment_author

add_perm(
    "discussion.comment",
    can_comment,
    message=[
        (is_verified, NOT_VERIFIED),
        (target_is_public, NOT_PUBLIC),
        (discussion_is_open, DISCUSSION_CLOSED),
    ],
)
add_perm(
    "discussion.reply",
    can_reply,
    message=[
        (is_verified, NOT_VERIFIED),
        (comment_on_open_item, DISCUSSION_CLOSED),
        (comment_is_published, CANNOT_REPLY),
        (comment_is_top_level, CANNOT_REPLY),
    ],
)
add_perm("discussion.answer", can_answer, message=MODERATORS_ONLY, staff=True)
add_perm(
    "discussion.report",
    can_report,
    message=[
        (is_verified, NOT_VERIFIED),
        (comment_is_published, CANNOT_REPORT),
        (comment_on_public_item, CANNOT_REPORT),
        (~is_comment_author, CANNOT_REPORT),
    ],
)
add_perm("discussion.moderate", is_moderator, message=MODERATORS_ONLY, staff=True)
