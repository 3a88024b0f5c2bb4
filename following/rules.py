"""Who may follow what (django-rules, composed once).

Any signed-in person may follow an item they can see: following only sends them news
of what is public anyway. Unsubscribing through a signed e-mail link needs no rule:
the signature is the proof (see `services.unsubscribe_by_token`).
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from ideas.models import Idea, Proposal, ProposalStatus
from omakouvola.rules import add_perm

NOT_SIGNED_IN = _("Sign in to follow an item.")
NOT_FOLLOWABLE = _("This item cannot be followed.")


@rules.predicate
def item_is_followable(user, item) -> bool:
    """The item is one of the followable kinds and public (as its own page shows it)."""
    if item is None or item.pk is None:
        return False
    if isinstance(item, Idea):
        return bool(user.has_perm("ideas.view_idea", item)) and not item.is_hidden
    if isinstance(item, Proposal):
        return item.status not in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
    label = item._meta.label_lower
    if label == "budgets.implementation":
        return bool(item.is_public)
    if label == "voting.ballot":  # from the moment voting opens, not while being prepared
        return bool(item.has_opened())
    return False


can_follow = rules.is_authenticated & item_is_followable

add_perm(
    "following.follow",
    can_follow,
    message=[(rules.is_authenticated, NOT_SIGNED_IN), (item_is_followable, NOT_FOLLOWABLE)],
)
add_perm("following.choose_delivery", rules.is_authenticated, message=NOT_SIGNED_IN)
