"""Handing tasks to the broker after commit, without ever failing the request.

`enqueue(task, *args)` is how services queue work: after the transaction commits it
tries the broker once; if the broker is unreachable the task is written to the outbox
table and `outbox_drain` (run by beat every minute) sends it once the broker is back.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

from .models import OutboxTask

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, ConnectionError, OSError, TimeoutError)


def _send(task_name: str, args: list) -> None:
    # retry=False: a web request must not hang waiting for a broker that is down.
    current_app.tasks[task_name].apply_async(args=args, retry=False)


def hand_over(task_name: str, args: list) -> None:
    """Send now, or keep in the outbox when the broker does not answer."""
    try:
        _send(task_name, args)
    except BROKER_ERRORS as exc:
        logger.warning("broker unavailable, %s kept in the outbox: %r", task_name, exc)
        OutboxTask.objects.create(task_name=task_name, args=args, last_error=repr(exc)[:2000])


def _request(task_name: str, args: list, *, new: bool = False) -> None:
    if not new:
        from .tasking import work_forget

        work_forget(task_name, args)  # a new request is not held to an earlier one's attempts
    hand_over(task_name, args)


def enqueue(task, *args, new: bool = False) -> None:
    """Queue `task(*args)` once the current transaction commits (nothing on rollback).

    The only way work is queued in this project: never `.delay()`, which answers a 500
    and loses the work while Redis is down. `new`: the work is for a row this transaction
    created (a notification), so no earlier attempt can exist to forget, and the DELETE
    that looks for one is skipped (a statement on every vote, issue #15).
    """
    name, arguments = task.name, list(args)
    transaction.on_commit(lambda: _request(name, arguments, new=new))


def outbox_drain(*, limit: int = 500) -> int:
    """Send waiting tasks while the broker answers; returns how many went out."""
    sent = 0
    for item in OutboxTask.objects.order_by("created_at", "id")[:limit]:
        try:
            _send(item.task_name, item.args)
        except BROKER_ERRORS as exc:
            OutboxTask.objects.filter(pk=item.pk).update(
                attempts=item.attempts + 1, last_error=repr(exc)[:2000]
            )
            break
        item.delete()
        sent += 1
    return sent
