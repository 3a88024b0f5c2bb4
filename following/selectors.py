"""Reads of following: a person's follows, and whether they follow one item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from .models import LABEL_KINDS, Delivery, Follow, FollowPreference


@dataclass(frozen=True)
class FollowRow:
    follow: Follow
    kind: str
    item: Any
    title: str
    url: str


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
        if item is None:  # the item was deleted since
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
    return preference.delivery if preference is not None else Delivery.IMMEDIATE
