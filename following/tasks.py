"""Celery tasks of following: the news e-mails at once, and the weekly digest."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from omakouvola.tasking import PERIODIC_TASK_OPTIONS, BoundedTask

from . import services
from .models import NewsDelivery


@shared_task(
    base=BoundedTask,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    verbose_name=_("Tell followers of news"),
)
def news_deliver_task(news_id: int) -> int:
    return services.news_deliver(news_id=news_id)


@shared_task(
    **PERIODIC_TASK_OPTIONS,
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
    verbose_name=_("Weekly digest of followed items"),
)
def news_digest_task() -> int:
    """Weekly: one e-mail per person with the news that waited for the digest."""
    return services.digest_send()


def unsent_news(cutoff: dt.datetime) -> list[list[int]]:
    """News whose immediate e-mails should have gone by `cutoff` (for the sweeper)."""
    return [
        [news_id]
        for news_id in NewsDelivery.objects.filter(
            weekly=False, sent_at__isnull=True, news__created_at__lt=cutoff
        )
        .values_list("news_id", flat=True)
        .distinct()
        .order_by("news_id")
    ]
