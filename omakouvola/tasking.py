"""Tasks that survive dying workers: bounded attempts, and a sweeper for stuck work.

Every task runs with acks_late and reject_on_worker_lost (settings), so a worker process
killed mid-task gives its message back and the work starts again. `BoundedTask` counts
those starts per piece of work (task name + arguments) in `WorkAttempt`:

- each start adds one, committed before the work begins, so a SIGKILL cannot undo it;
- success removes the row;
- a final error, or a start beyond `max_attempts`, marks the row FAILED and calls the
  task's `give_up` (a report or a message then says FAILED), so a poison message ends;
- a RUNNING row whose last start is older than STUCK_WORK_AFTER_MINUTES died with its
  worker (the message went too, e.g. Redis lost it): `stuck_work_sweep` queues it again.

Apps above the core register finders for rows whose work never started at all (a report
still QUEUED, a letter never built) in AppConfig.ready(), like omakouvola.privacy.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from celery import Task
from celery.exceptions import Retry
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxTask, WorkAttempt

logger = logging.getLogger(__name__)

GAVE_UP = "gave up after %(attempts)s attempts: %(error)s"

# task name -> function(cutoff) giving the argument lists of work that should have run by
# `cutoff` and has not.
StuckFinder = Callable[[dt.datetime], Iterable[list[Any]]]
STUCK_FINDERS: dict[str, StuckFinder] = {}


def register_stuck_finder(task_name: str, finder: StuckFinder) -> None:
    STUCK_FINDERS[task_name] = finder


def work_key(task_name: str, args: Iterable[Any]) -> str:
    return f"{task_name}:{json.dumps(list(args), separators=(',', ':'), default=str)}"[:255]


def work_forget(task_name: str, args: Iterable[Any]) -> None:
    """A new explicit request for this work starts with a clean count."""
    WorkAttempt.objects.filter(key=work_key(task_name, args)).delete()


def work_start(*, task_name: str, args: list[Any], max_attempts: int) -> WorkAttempt:
    """Count one more start; the row says FAILED when the count is past `max_attempts`."""
    with transaction.atomic():
        attempt, _ = WorkAttempt.objects.select_for_update().get_or_create(
            key=work_key(task_name, args), defaults={"task_name": task_name, "args": args}
        )
        attempt.attempts += 1
        attempt.started_at = timezone.now()
        if attempt.attempts > max_attempts:
            attempt.status = WorkAttempt.Status.FAILED
            attempt.last_error = (
                GAVE_UP % {"attempts": max_attempts, "error": attempt.last_error or "worker lost"}
            )[:2000]
        else:
            attempt.status = WorkAttempt.Status.RUNNING
        attempt.save(update_fields=["attempts", "started_at", "status", "last_error"])
    return attempt


def work_done(*, task_name: str, args: list[Any]) -> None:
    WorkAttempt.objects.filter(key=work_key(task_name, args)).delete()


def work_failed(*, task_name: str, args: list[Any], error: str, final: bool) -> None:
    changes: dict[str, Any] = {"last_error": error[:2000]}
    if final:
        changes["status"] = WorkAttempt.Status.FAILED
    WorkAttempt.objects.filter(key=work_key(task_name, args)).update(**changes)


class BoundedTask(Task):
    """A task whose work starts at most `max_attempts` times, retries and redeliveries alike."""

    abstract = True
    max_attempts = 5

    def give_up(self, *args: Any, error: str) -> None:
        """Mark the task's row as failed; tasks with a row to mark override this."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        arguments = list(args)
        attempt = work_start(task_name=self.name, args=arguments, max_attempts=self.max_attempts)
        if attempt.status == WorkAttempt.Status.FAILED:
            logger.error("%s%s: %s", self.name, tuple(arguments), attempt.last_error)
            self.give_up(*args, error=attempt.last_error)
            return None
        try:
            result = super().__call__(*args, **kwargs)
        except Retry as exc:
            work_failed(task_name=self.name, args=arguments, error=repr(exc.exc), final=False)
            raise
        except Exception as exc:
            work_failed(task_name=self.name, args=arguments, error=repr(exc), final=True)
            self.give_up(*args, error=repr(exc))
            raise
        work_done(task_name=self.name, args=arguments)
        return result


def stuck_work_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue again the work that started and died, or never started; returns how many."""
    from .outbox import hand_over

    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.STUCK_WORK_AFTER_MINUTES)
    waiting = {work_key(t.task_name, t.args) for t in OutboxTask.objects.all()}
    attempts = {a.key: a for a in WorkAttempt.objects.all()}
    due: dict[str, tuple[str, list[Any]]] = {}
    for attempt in attempts.values():
        if attempt.status == WorkAttempt.Status.RUNNING and attempt.started_at < cutoff:
            due[attempt.key] = (attempt.task_name, list(attempt.args))
    for task_name, finder in STUCK_FINDERS.items():
        for args in finder(cutoff):
            key = work_key(task_name, args)
            attempt = attempts.get(key)
            if attempt is not None and (
                attempt.status == WorkAttempt.Status.FAILED or attempt.started_at >= cutoff
            ):
                continue
            due[key] = (task_name, list(args))
    sent = 0
    for key, (task_name, args) in due.items():
        if key in waiting:
            continue  # the outbox sends it once the broker answers
        logger.warning("sweeper: %s%s was stuck, queued again", task_name, tuple(args))
        hand_over(task_name, args)
        sent += 1
    return sent
