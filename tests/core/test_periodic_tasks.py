"""Every beat task is bounded: a poison run ends FAILED and visible, the schedule goes on.

Each beat message is its own piece of work, counted under its message id (a redelivered
message keeps its id, the next tick has a new one).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from omakouvola.celery import app
from omakouvola.models import WorkAttempt
from omakouvola.tasking import PeriodicTask, stuck_work_sweep, work_key, work_start

pytestmark = pytest.mark.django_db

BEAT_TASKS = sorted({entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()})


def _task(name):
    app.loader.import_default_modules()
    return app.tasks[name]


def test_every_beat_task_is_a_bounded_periodic_task():
    for name in BEAT_TASKS:
        task = _task(name)
        assert isinstance(task, PeriodicTask), name
        assert task.acks_late and task.reject_on_worker_lost, name


@pytest.mark.parametrize("name", BEAT_TASKS)
def test_a_successful_run_leaves_no_row(name):
    _task(name).apply(task_id=f"tick-{name}")
    assert not WorkAttempt.objects.exists()


@pytest.mark.parametrize("name", BEAT_TASKS)
def test_a_run_that_fails_ends_failed_and_visible_and_the_next_tick_runs(name, monkeypatch):
    task = _task(name)
    original = task.run
    monkeypatch.setattr(task, "run", lambda *a, **k: 1 / 0)
    result = task.apply(task_id="run-1", throw=False)
    assert result.failed()
    attempt = WorkAttempt.objects.get()
    assert attempt.status == WorkAttempt.Status.FAILED
    assert attempt.periodic and attempt.failed_at is not None
    assert "ZeroDivisionError" in attempt.last_error
    monkeypatch.setattr(task, "run", original)
    assert task.apply(task_id="run-2").successful()
    # The failed run stays visible; the successful one left nothing.
    assert list(WorkAttempt.objects.values_list("key", flat=True)) == [attempt.key]


@pytest.mark.parametrize("name", BEAT_TASKS)
def test_a_run_that_keeps_killing_its_worker_gives_up_without_running(name, monkeypatch):
    task = _task(name)
    calls = []
    monkeypatch.setattr(task, "run", lambda *a, **k: calls.append(1))
    # Three starts counted before the work began, the worker dying each time.
    for _ in range(task.max_attempts):
        work_start(task_name=name, args=[], max_attempts=task.max_attempts, run="poison")
    task.apply(task_id="poison")
    assert calls == []
    attempt = WorkAttempt.objects.get(key=work_key(name, [], "poison"))
    assert attempt.status == WorkAttempt.Status.FAILED
    assert "gave up after 3 attempts" in attempt.last_error
    task.apply(task_id="next-tick")
    assert calls == [1]


def test_a_broken_periodic_task_shows_its_latest_failed_run_not_one_row_per_tick(monkeypatch):
    task = _task("omakouvola.tasks.outbox_drain_task")
    monkeypatch.setattr(task, "run", lambda *a, **k: 1 / 0)
    for n in range(4):
        task.apply(task_id=f"minute-{n}", throw=False)
    attempt = WorkAttempt.objects.get()
    assert attempt.key.endswith("@minute-3")


def test_the_sweeper_replaces_a_periodic_run_that_died_with_its_worker(monkeypatch):
    sent = []
    monkeypatch.setattr("omakouvola.outbox._send", lambda name, args: sent.append((name, args)))
    name = "omakouvola.tasks.retention_task"
    work_start(task_name=name, args=[], max_attempts=3, run="lost")
    WorkAttempt.objects.update(started_at=timezone.now() - dt.timedelta(hours=1))
    assert stuck_work_sweep() == 1
    assert sent == [(name, [])]
    assert not WorkAttempt.objects.exists()  # not swept again every five minutes
    assert stuck_work_sweep() == 0


def test_the_vote_mix_task_is_bounded_too():
    from omakouvola.tasking import BoundedTask

    task = _task("voting.tasks.votes_mix_task")
    assert isinstance(task, BoundedTask) and not task.periodic
