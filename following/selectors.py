"""Reads of following: a person's follows, and whether they follow one item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from .models import LABEL_KINDS, NO_NEWS, Delivery, Follow, FollowPreference


@dataclass(frozen=True)
class FollowRow:
    follow: Follow
    kind: str
    item: Any
    title: str
    url: str


def still_public(item: Any) -> bool:
    """Whether the item is still shown to everyone: a follow of an idea hidden or withdrawn
    since, a proposal back in draft or a project made private lists no title (no queries)."""
    label = item._meta.label_lower
    if label == "ideas.idea":
        return not item.is_hidden and item.status != "withdrawn"
    if label == "ideas.proposal":
        return item.status not in ("draft", "withdrawn")
    if label == "budgets.implementation":
        return bool(item.is_public)
    return True


def follows_of(user) -> list[FollowRow]:
    """What a person follows (not the muted ones), newest first, in a fixed number of
    queries: the follows, then one per kind of item (the content types are cached)."""
    if not user.is_authenticated:
        return []
    follows = list(
        Follow.objects.filter(user=user, muted=False)
        .select_related("content_type")
        .prefetch_related("item")
        .order_by("-created_at", "-pk")
    )
    rows = []
    for follow in follows:
        item = follow.item
        if item is None or not still_public(item):  # deleted, hidden or withdrawn since
            continue
        content_type = follow.content_type
        rows.append(
            FollowRow(
                follow=follow,
                kind=LABEL_KINDS.get(f"{content_type.app_label}.{content_type.model}", ""),
                item=item,
                title=str(item),
                url=item.get_absolute_url(),
            )
        )
    return rows


def is_following(user, item) -> bool:
    if not user.is_authenticated or item is None:
        return False
    return Follow.objects.filter(
        user=user,
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        muted=False,
    ).exists()


def delivery_of(user) -> str:
    if not user.is_authenticated:
        return Delivery.IMMEDIATE
    preference = FollowPreference.objects.filter(user=user).first()
    if preference is None:
        return Delivery.IMMEDIATE
    return NO_NEWS if preference.unsubscribed else preference.delivery
