"""Reads of the core app that join or choose."""

from __future__ import annotations

import datetime as dt

from django.db import connections
from django.db.models import QuerySet

from . import workqueues
from .models import Area, Cycle, Phase


def cycle_current(*, at: dt.datetime | None = None, youth: bool = False) -> Cycle | None:
    """The cycle running now; else the next one to open; else the latest one."""
    today = Cycle.local_date(at)
    cycles = Cycle.objects.filter(is_youth=youth)
    return (
        cycles.running_on(today).order_by("-opens_on").first()
        or cycles.filter(opens_on__gt=today).order_by("opens_on").first()
        or cycles.order_by("-implementation_ends_on").first()
    )


def area_list() -> QuerySet[Area]:
    return Area.objects.order_by("name")


def health_status() -> tuple[bool, dict[str, str]]:
    """Whether the site can serve, and what each backing service says.

    The database must answer for the site to be healthy. A broker that is down is
    reported but does not fail the check: pages still serve and e-mail waits in the
    notification table until the broker is back.
    """
    from django.conf import settings

    from .celery import app

    status: dict[str, str] = {}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        status["database"] = "ok"
    except Exception:
        status["database"] = "unavailable"

    if settings.CELERY_TASK_ALWAYS_EAGER:
        status["broker"] = "eager"
    else:
        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            status["broker"] = "ok"
        except Exception:
            status["broker"] = "unavailable"
    return status["database"] == "ok", status


def cycle_open_for_ideas(*, at: dt.datetime | None = None) -> Cycle | None:
    """The cycle taking ideas now: the main round first, else the youth round."""
    for youth in (False, True):
        cycle = cycle_current(at=at, youth=youth)
        if cycle is not None and cycle.is_phase_open(Phase.IDEATION, at):
            return cycle
    return None


def work_queues(user, *, shown: int = workqueues.SHOWN_PER_QUEUE) -> list[workqueues.QueueView]:
    """What waits for `user`, queue by queue: two queries per queue, whatever the backlog."""
    views = []
    for queue in workqueues.queues_for(user):
        items = queue.items(user)
        count = items.count()
        rows = [
            workqueues.Row(text=str(obj), url=queue.link(obj, user), detail=queue.detail(obj))
            for obj in (items[:shown] if shown else [])
        ]
        views.append(
            workqueues.QueueView(
                key=queue.key,
                title=queue.title,
                section=queue.section,
                count=count,
                rows=rows,
                more_url=queue.more(user) if count > shown or queue.always_more else None,
                more_label=queue.more_label,
            )
        )
    return views
