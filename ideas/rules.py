"""Who may do what with ideas, workshops, pledges and proposals (django-rules)."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from omakouvola.models import Phase
from omakouvola.rules import (
    COORDINATOR_ONLY,
    add_perm,
    is_coordinator,
    is_sector_expert,
    is_staff_member,
    is_verified,
)

from .models import Idea, IdeaStatus

NOT_VERIFIED = _("Confirm your e-mail address before you continue.")
NOT_YOUR_IDEA = _("Only the person who submitted the idea can change it.")
NOT_ASSIGNED = _("This idea is not assigned to you.")
NOT_YOUR_PLEDGE = _("Only the person who made the pledge can withdraw it.")
STAFF_ONLY = _("Only the city team can do this.")
NOT_SUPPORTABLE = _(
    "Supporting is for Kouvola residents: confirm your e-mail address and give a Kouvola "
    "postal code in your profile. Ideas can be supported while ideation is open."
)


@rules.predicate
def is_submitter(user, idea: Idea | None) -> bool:
    return idea is not None and user.is_authenticated and idea.submitter_id == user.pk


@rules.predicate
def idea_is_editable(user, idea: Idea | None) -> bool:
    return idea is not None and idea.is_editable


@rules.predicate
def idea_is_public(user, idea: Idea | None) -> bool:
    return idea is not None and not idea.is_hidden and idea.status != "withdrawn"


@rules.predicate
def is_assigned_expert(user, idea: Idea | None) -> bool:
    return idea is not None and user.is_authenticated and idea.assigned_expert_id == user.pk


@rules.predicate
def ideation_is_open(user, cycle) -> bool:
    return cycle is not None and cycle.is_phase_open(Phase.IDEATION)


@rules.predicate
def is_pledger(user, pledge) -> bool:
    return pledge is not None and user.is_authenticated and pledge.user_id == user.pk


@rules.predicate
def is_resident(user) -> bool:
    """A Kouvola postal code in the profile (the area it belongs to is known)."""
    if not user.is_authenticated:
        return False
    return user.area is not None


@rules.predicate
def idea_takes_support(user, idea: Idea | None) -> bool:
    """Published, not closed off, and its round still in ideation."""
    return (
        idea is not None
        and not idea.is_hidden
        and idea.status
        not in (
            IdeaStatus.WITHDRAWN,
            IdeaStatus.REJECTED,
            IdeaStatus.DUPLICATE,
            IdeaStatus.TRANSFERRED,
        )
        and idea.cycle.is_phase_open(Phase.IDEATION)
    )


is_screener = is_staff_member

can_view_idea = idea_is_public | is_submitter | is_screener | is_assigned_expert
can_submit_idea = is_verified & ideation_is_open
can_edit_idea = is_submitter & idea_is_editable
can_assess_idea = is_screener | (is_sector_expert & is_assigned_expert)

add_perm("ideas.view_idea", can_view_idea)
add_perm("ideas.submit_idea", can_submit_idea, message=NOT_VERIFIED)
add_perm("ideas.edit_idea", can_edit_idea, message=NOT_YOUR_IDEA)
add_perm("ideas.withdraw_idea", can_edit_idea, message=NOT_YOUR_IDEA)
# Services lock the idea first and then tell "not yours" from "no longer editable".
add_perm("ideas.change_own_idea", is_submitter, message=NOT_YOUR_IDEA)
add_perm("ideas.assess_idea", can_assess_idea, message=NOT_ASSIGNED, staff=True)
add_perm("ideas.screen_idea", is_screener, message=STAFF_ONLY, staff=True)
# The idea admin: staff screen every idea, a sector expert opens those assigned to them.
add_perm("ideas.review_ideas", is_screener | is_sector_expert, staff=True)
add_perm("ideas.manage_workshops", is_screener, message=STAFF_ONLY, staff=True)
add_perm("ideas.prepare_proposal", is_screener, message=STAFF_ONLY, staff=True)
add_perm(
    "ideas.approve_proposal",
    rules.is_superuser | is_coordinator,
    message=COORDINATOR_ONLY,
    staff=True,
)
add_perm("ideas.pledge", is_verified, message=NOT_VERIFIED)
# "Kannatan": one per verified resident, while ideation is open (issue #17).
add_perm(
    "ideas.support_idea", is_verified & is_resident & idea_takes_support, message=NOT_SUPPORTABLE
)
add_perm("ideas.withdraw_pledge", is_pledger, message=NOT_YOUR_PLEDGE)
add_perm("ideas.register_workshop", is_verified, message=NOT_VERIFIED)
add_perm("ideas.cancel_registration", rules.is_authenticated)
add_perm("ideas.see_pledge_contacts", is_screener, staff=True)
