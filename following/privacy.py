"""What following holds about a person, how it forgets them, and for how long.

Follows and the news preference are the person's own choices: exported, and deleted with
the account. A delivery row only says a message was (to be) sent; sent ones go after
FOLLOWING_NEWS_DAYS, and so does news nobody waits for any more.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from .models import Follow, FollowPreference, News, NewsDelivery


def export(user) -> dict[str, Any]:
    preference = FollowPreference.objects.filter(user=user).values(
        "delivery", "unsubscribed", "updated_at"
    )
    return {
        "follows": [
            {
                "item": f"{f.content_type.app_label}.{f.content_type.model}",
                "item_id": f.object_id,
                "unsubscribed": f.muted,
                "since": f.created_at,
            }
            for f in Follow.objects.filter(user=user)
            .select_related("content_type")
            .order_by("created_at", "pk")
        ],
        "news_preference": preference.first(),
        "news_deliveries": list(
            NewsDelivery.objects.filter(user=user)
            .order_by("news__created_at", "pk")
            .values("news__event", "news__created_at", "weekly", "sent_at")
        ),
    }


def erase(user) -> None:
    Follow.objects.filter(user=user).delete()
    FollowPreference.objects.filter(user=user).delete()
    NewsDelivery.objects.filter(user=user).delete()


def retention(now: dt.datetime) -> dict[str, int]:
    before = now - dt.timedelta(days=settings.FOLLOWING_NEWS_DAYS)
    deliveries, _ = NewsDelivery.objects.filter(sent_at__lt=before).delete()
    news, _ = (
        News.objects.filter(created_at__lt=before, deliveries__isnull=True).distinct().delete()
    )
    return {"sent_news_deliveries": deliveries, "old_news": news}
