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

Periodic (beat) tasks use `PeriodicTask`: each beat message is its own piece of work,
counted under its message id, because a redelivered message keeps its id while the next
tick has a new one. A run that kills its worker every time ends FAILED after a few starts
without stopping the schedule; the next tick starts with a clean count.
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


def work_key(task_name: str, args: Iterable[Any], run: str = "") -> str:
    key = f"{task_name}:{json.dumps(list(args), separators=(',', ':'), default=str)}"
    return (f"{key}@{run}" if run else key)[:255]


def work_forget(task_name: str, args: Iterable[Any]) -> None:
    """A new explicit request for this work starts with a clean count."""
    WorkAttempt.objects.filter(key=work_key(task_name, args)).delete()


def work_start(*, task_name: str, args: list[Any], max_attempts: int, run: str = "") -> WorkAttempt:
    """Count one more start; the row says FAILED when the count is past `max_attempts`."""
    with transaction.atomic():
        attempt, _ = WorkAttempt.objects.select_for_update().get_or_create(
            key=work_key(task_name, args, run),
            defaults={"task_name": task_name, "args": args, "periodic": bool(run)},
        )
        attempt.attempts += 1
        attempt.started_at = timezone.now()
        if attempt.attempts > max_attempts:
            attempt.status = WorkAttempt.Status.FAILED
            attempt.failed_at = attempt.started_at
            attempt.last_error = (
                GAVE_UP % {"attempts": max_attempts, "error": attempt.last_error or "worker lost"}
            )[:2000]
        else:
            attempt.status = WorkAttempt.Status.RUNNING
        attempt.save(update_fields=["attempts", "started_at", "status", "last_error", "failed_at"])
    return attempt


def work_done(*, task_name: str, args: list[Any], run: str = "") -> None:
    WorkAttempt.objects.filter(key=work_key(task_name, args, run)).delete()


def work_failed(*, task_name: str, args: list[Any], error: str, final: bool, run: str = "") -> None:
    changes: dict[str, Any] = {"last_error": error[:2000]}
    if final:
        changes["status"] = WorkAttempt.Status.FAILED
        changes["failed_at"] = timezone.now()
    key = work_key(task_name, args, run)
    WorkAttempt.objects.filter(key=key).update(**changes)
    if final and run:
        _keep_latest_failed_run(task_name, key)


def _keep_latest_failed_run(task_name: str, key: str) -> None:
    """A periodic task broken for days shows its latest failed run, not one row per tick."""
    WorkAttempt.objects.filter(
        task_name=task_name, periodic=True, status=WorkAttempt.Status.FAILED
    ).exclude(key=key).delete()


class BoundedTask(Task):
    """A task whose work starts at most `max_attempts` times, retries and redeliveries alike."""

    abstract = True
    max_attempts = 5
    periodic = False

    def give_up(self, *args: Any, error: str) -> None:
        """Mark the task's row as failed; tasks with a row to mark override this."""

    def _run_id(self) -> str:
        return (self.request.id or "") if self.periodic else ""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        arguments, run = list(args), self._run_id()
        work = {"task_name": self.name, "args": arguments, "run": run}
        attempt = work_start(**work, max_attempts=self.max_attempts)
        if attempt.status == WorkAttempt.Status.FAILED:
            logger.error("%s%s: %s", self.name, tuple(arguments), attempt.last_error)
            if run:
                _keep_latest_failed_run(self.name, attempt.key)
            self.give_up(*args, error=attempt.last_error)
            return None
        try:
            result = super().__call__(*args, **kwargs)
        except Retry as exc:
            work_failed(**work, error=repr(exc.exc), final=False)
            raise
        except Exception as exc:
            work_failed(**work, error=repr(exc), final=True)
            self.give_up(*args, error=repr(exc))
            raise
        work_done(**work)
        return result


class PeriodicTask(BoundedTask):
    """A beat task: every run is counted on its own; a poison run ends FAILED, the next
    tick runs again. Each such task is idempotent (a run repeated after a lost worker
    sends nothing twice), so a redelivered run is simply done again."""

    abstract = True
    # One start, and two more for workers lost under it; the next tick is the real retry.
    max_attempts = 3
    periodic = True


# Options every beat task shares: acknowledged late and handed back if its worker dies.
PERIODIC_TASK_OPTIONS: dict[str, Any] = {
    "base": PeriodicTask,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


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
            if attempt.periodic:
                # A lost periodic run: a fresh run (new message id) replaces it.
                WorkAttempt.objects.filter(pk=attempt.pk).delete()
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
