"""Who may do what with ideas, workshops, pledges and proposals (django-rules)."""

from __future__ import annotations

import rules

from omakouvola.models import Phase
from omakouvola.rules import is_city_team, is_coordinator, is_sector_expert, is_verified

from .models import Idea


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


is_screener = rules.is_superuser | is_coordinator | is_city_team

can_view_idea = idea_is_public | is_submitter | is_screener | is_assigned_expert
can_submit_idea = is_verified & ideation_is_open
can_edit_idea = is_submitter & idea_is_editable
can_assess_idea = is_screener | (is_sector_expert & is_assigned_expert)

rules.add_perm("ideas.view_idea", can_view_idea)
rules.add_perm("ideas.submit_idea", can_submit_idea)
rules.add_perm("ideas.edit_idea", can_edit_idea)
rules.add_perm("ideas.withdraw_idea", can_edit_idea)
rules.add_perm("ideas.assess_idea", can_assess_idea)
rules.add_perm("ideas.screen_idea", is_screener)
rules.add_perm("ideas.pledge", is_verified)
rules.add_perm("ideas.register_workshop", is_verified)
rules.add_perm("ideas.see_pledge_contacts", is_screener)
rules.add_perm("ideas.approve_proposal", rules.is_superuser | is_coordinator)
