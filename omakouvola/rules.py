"""Who may do what in the core app (django-rules predicates, composed once)."""

from __future__ import annotations

import rules

from .models import Role

is_coordinator = rules.is_group_member(Role.COORDINATOR.value)
is_city_team = rules.is_group_member(Role.CITY_TEAM.value)
is_sector_expert = rules.is_group_member(Role.SECTOR_EXPERT.value)
is_decision_maker = rules.is_group_member(Role.DECISION_MAKER.value)
is_council = rules.is_group_member(Role.COUNCIL.value)
is_paper_vote_clerk = rules.is_group_member(Role.PAPER_VOTE_CLERK.value)


@rules.predicate
def is_verified(user) -> bool:
    """The user has confirmed at least one e-mail address."""
    if not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


is_staff_member = rules.is_superuser | is_coordinator | is_city_team
can_manage_cycles = rules.is_superuser | is_coordinator

rules.add_perm("omakouvola.edit_own_profile", rules.is_authenticated)
rules.add_perm("omakouvola.manage_cycles", can_manage_cycles)


@rules.predicate
def has_work_queues(user) -> bool:
    """Some app registered a work queue for this person (staff, clerk, chair …)."""
    from . import workqueues

    return bool(workqueues.queues_for(user))


rules.add_perm("omakouvola.view_work_queues", has_work_queues)
