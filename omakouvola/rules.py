"""Who may do what in the core app (django-rules predicates, composed once)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

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
    cached = getattr(user, "_verified_cache", None)
    if cached is not None:
        return cached
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


# The two staff circles every app asks about; an app names them for its own powers
# (`is_screener`, `is_ballot_manager`, …) but never spells them out again.
is_staff_member = rules.is_superuser | is_coordinator | is_city_team
is_lead_staff = rules.is_superuser | is_coordinator
can_manage_cycles = is_lead_staff


# ---------------------------------------------------------------------------------------
# One way to ask: services call `require`, views `permission_required`, the admin `allows`.
# ---------------------------------------------------------------------------------------

NOT_ALLOWED = _("You do not have permission to do this.")
COORDINATOR_ONLY = _("Only the participation coordinator can do this.")

# perm name -> the message a refusal shows; perms whose pages are for staff (second factor)
MESSAGES: dict[str, Any] = {}
STAFF_PERMISSIONS: set[str] = set()


def add_perm(name: str, predicate, *, message: Any = NOT_ALLOWED, staff: bool = False) -> None:
    """Register a rule with the message its refusal shows and whether it is a staff power."""
    rules.add_perm(name, predicate)
    MESSAGES[name] = message
    if staff:
        STAFF_PERMISSIONS.add(name)


def allows(actor, perm: str, obj=None) -> bool:
    """The rule alone decides: no model permission and no superuser shortcut on top of it.

    No actor is someone without an account (an applicant holding a secret link).
    """
    if actor is None:
        from django.contrib.auth.models import AnonymousUser

        actor = AnonymousUser()
    if actor.is_authenticated and not actor.is_active:
        return False
    return rules.has_perm(perm, actor, obj)


def refusal(perm: str, actor, obj=None) -> Any:
    """The message for a refused rule: the first failing part's, when it names several."""
    message = MESSAGES.get(perm, NOT_ALLOWED)
    if isinstance(message, list | tuple):
        for part, text in message:
            if not part.test(actor, obj):
                return text
        return NOT_ALLOWED
    return message


def require(actor, perm: str, obj=None) -> None:
    """The first line of every service that writes: refuse with the rule's message."""
    if not allows(actor, perm, obj):
        raise PermissionDenied(refusal(perm, actor, obj))


class SignInRequired(Exception):
    """Raised by `check` for a visitor; the middleware answers with the sign-in page."""


class SecondFactorRequired(Exception):
    """A staff page reached without an authenticator while MFA_REQUIRED_FOR_STAFF is on."""


def needs_second_factor(user, perm: str) -> bool:
    """Staff powers (add_perm(..., staff=True)) are used only with a second factor."""
    from django.conf import settings

    if perm not in STAFF_PERMISSIONS or not settings.MFA_REQUIRED_FOR_STAFF:
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user).exists()


def check(request, perm: str, obj=None) -> None:
    """The guard inside a view that has loaded its object (a missing one is already 404)."""
    if allows(request.user, perm, obj):
        if needs_second_factor(request.user, perm):
            raise SecondFactorRequired
        return
    if not request.user.is_authenticated:
        raise SignInRequired
    raise PermissionDenied(refusal(perm, request.user, obj))


def check_visible(request, perm: str, obj) -> None:
    """The guard for a private object: one the person may not see answers 404, like one
    that does not exist, so that a refusal does not tell a stranger it is there (another
    resident's idea in screening, a hidden idea, a draft proposal). Everything else that
    is refused answers 403 through `check`."""
    from django.http import Http404

    if not allows(request.user, perm, obj):
        raise Http404


def permission_required(perm: str, get_object: Callable[..., Any] | None = None):
    """The view guard: anonymous -> sign in, refused -> 403, unknown object -> 404.

    `get_object(request, **kwargs)` loads the object the rule is about and raises Http404
    for one that does not exist (or that the user may not know exists).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = get_object(request, **kwargs) if get_object is not None else None
            check(request, perm, obj)  # the middleware answers its exceptions
            return view(request, *args, **kwargs)

        wrapped.permission = perm  # type: ignore[attr-defined]  # names the rule a view asks
        return wrapped

    return decorator


@rules.predicate
def is_self(user, other) -> bool:
    return other is not None and user.is_authenticated and other.pk == user.pk


# Admin pages: what a page without a rule of its own leaves to the superuser (deleting rows,
# mostly), the reference data every staff member reads and the coordinator keeps, and the
# coordinator's pages about people and about what the service did.
add_perm("omakouvola.administer", rules.is_superuser, staff=True)
add_perm("omakouvola.view_reference_data", is_staff_member, staff=True)
add_perm("omakouvola.manage_reference_data", is_lead_staff, message=COORDINATOR_ONLY, staff=True)
add_perm("omakouvola.manage_people", is_lead_staff, message=COORDINATOR_ONLY, staff=True)
add_perm("omakouvola.read_audit_log", is_lead_staff, message=COORDINATOR_ONLY, staff=True)
add_perm("omakouvola.edit_own_profile", rules.is_authenticated)
add_perm("omakouvola.update_profile", is_self | rules.is_superuser)
add_perm("omakouvola.delete_account", is_self | rules.is_superuser)
add_perm("omakouvola.manage_cycles", can_manage_cycles, message=COORDINATOR_ONLY, staff=True)
# The coordinator sees failed background work in the admin and may start it again.
WORK_RETRY_NOT_ALLOWED = _("You may not retry failed work.")
add_perm("omakouvola.retry_work", can_manage_cycles, message=WORK_RETRY_NOT_ALLOWED, staff=True)


@rules.predicate
def has_work_queues(user) -> bool:
    """Some app registered a work queue for this person (staff, clerk, chair …)."""
    from . import workqueues

    return bool(workqueues.queues_for(user))


# The staff home lists unscreened ideas, funding applicants and ballots to publish: a
# staff page like those its rows link to, so it too waits for the second factor.
add_perm("omakouvola.view_work_queues", has_work_queues, staff=True)
