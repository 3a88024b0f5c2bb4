"""The header's role-dependent links ("My tasks", "Paper votes", the budget dashboard),
decided once per person and day and kept in the cache.

Deciding them took four queries on every page a signed-in person opened (their groups,
their committee memberships, and Django's two permission reads), a third of the ballot
page's statements, although they change only when someone's roles do. The answer is kept
under the person's id and the day (committee terms begin and end on a day) and dropped when
their account, groups or committee memberships change (`forget`, connected in the apps'
`ready()`); `roles_changed` drops everyone's when a group's permissions change. Five minutes
at most in any case.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from .dates import local_today

#: Template name -> the rule behind the link (the link shows when the rule allows).
NAV_PERMISSIONS = {
    "work_queues": "omakouvola.view_work_queues",
    "paper_votes": "voting.record_paper_votes",
    "dashboard": "budgets.view_dashboard",
}
NAV_SECONDS = 300
_VERSION_KEY = "nav:roles-version"


def _key(user_id: int) -> str:
    return f"nav:{user_id}:{local_today().isoformat()}"


def links_for(user: Any) -> dict[str, bool]:
    """Which of the role-dependent header links this person sees."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return dict.fromkeys(NAV_PERMISSIONS, False)
    key = _key(user.pk)
    found = cache.get_many([_VERSION_KEY, key])
    version = found.get(_VERSION_KEY, 0)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    links = {name: user.has_perm(perm) for name, perm in NAV_PERMISSIONS.items()}
    cache.set(key, (version, links), NAV_SECONDS)
    return links


def forget(user_id: int | None) -> None:
    if user_id is not None:
        cache.delete(_key(user_id))


def roles_changed() -> None:
    """Everyone's links are decided again (a group's permissions changed)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def forget_saved_user(sender, instance, **_kwargs) -> None:
    forget(instance.pk)


def forget_group_members(sender, instance, action, reverse, pk_set, **_kwargs) -> None:
    """`user.groups` changed (from either side)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        forget(instance.pk)
    elif action == "post_clear":
        roles_changed()
    else:
        for user_id in pk_set or ():
            forget(user_id)


def group_permissions_changed(sender, action, **_kwargs) -> None:
    if action.startswith("post_"):
        roles_changed()
