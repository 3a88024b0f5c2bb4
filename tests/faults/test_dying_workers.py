"""A worker process killed mid-task loses nothing; a task that always kills it ends FAILED.

A real Celery worker (prefork, one child) runs in a subprocess on a private redis-server.
The task's slow part waits on its first call so the test can SIGKILL the child process
mid-task: the worker hands the message back (reject_on_worker_lost), a new child runs the
task again and the work completes exactly once. Killing the whole worker and starting a
new one proves the same across a restart (the broker gives the unacknowledged message
back after the visibility timeout, shortened here to a few seconds).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from budgets import services as budgets_services
from budgets.models import Report, ReportStatus
from committees import services as committees_services
from committees.models import Decision
from omakouvola import services as core_services
from omakouvola.celery import app
from omakouvola.models import Notification, Phase, WorkAttempt
from omakouvola.tasking import stuck_work_sweep
from tests.core.test_outbox import PrivateRedis, _reset_broker_connections

from ..committees.factories import application_to
from ..committees.helpers import grant_input, held_meeting

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent


class Worker:
    """`celery worker` in a subprocess with the fault-test settings."""

    def __init__(self, redis: PrivateRedis, queue: str, tmp: Path, **faults: str) -> None:
        self.redis, self.queue, self.tmp, self.faults = redis, queue, tmp, faults
        self.marker = tmp / f"paused-{uuid.uuid4().hex[:6]}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "FAULT_BROKER_URL": self.redis.url,
            "FAULT_QUEUE": self.queue,
            "MEDIA_ROOT": str(self.tmp / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.tmp / "private"),
            "FAULT_MAIL_DIR": str(self.tmp / "mail"),
            "FAULT_MARKER": str(self.marker),
            **self.faults,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "omakouvola",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "-Q",
                self.queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.tmp / "worker.log", "a"),  # noqa: SIM115
        )
        return self

    def paused_child(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.marker.exists() and self.marker.read_text():
                return int(self.marker.read_text())
            time.sleep(0.1)
        raise AssertionError("the task never started: " + self.log())

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def log(self) -> str:
        path = self.tmp / "worker.log"
        return path.read_text()[-3000:] if path.exists() else ""


@pytest.fixture
def broker(settings, tmp_path):
    import shutil

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed: the fault tests need their own Redis")
    redis = PrivateRedis()
    redis.start()
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    app.conf.update(broker_url=redis.url, task_always_eager=False, task_default_queue=queue)
    _reset_broker_connections()
    workers: list[Worker] = []

    def worker(**faults: str) -> Worker:
        workers.append(Worker(redis, queue, tmp_path, **faults).start())
        return workers[-1]

    try:
        yield worker
    finally:
        for w in workers:
            w.kill()
            # A paused child outlives its killed parent; end it too (it is ours).
            if w.marker.exists() and w.marker.read_text():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(w.marker.read_text()), signal.SIGKILL)
        redis.stop()
        app.conf.update(saved)
        _reset_broker_connections()


def _wait(predicate, worker: Worker, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError("the work did not complete: " + worker.log())


def _mails(tmp_path: Path) -> list[str]:
    folder = tmp_path / "mail"
    return [p.read_text() for p in folder.iterdir()] if folder.exists() else []


def _report(council_member) -> Report:
    return budgets_services.report_request(
        actor=council_member,
        kind="interim",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        language="en",
    )


def test_a_report_whose_worker_is_killed_mid_build_is_built_by_the_next(
    broker, council_member, tmp_path
):
    worker = broker(FAULT_PAUSE_IN="budgets.reporting:build_report_context")
    report = _report(council_member)
    os.kill(worker.paused_child(), signal.SIGKILL)
    _wait(lambda: Report.objects.get(pk=report.pk).status == ReportStatus.READY, worker)
    report.refresh_from_db()
    assert (tmp_path / "private" / report.pdf.name).exists()
    assert not WorkAttempt.objects.exists()
    _wait(lambda: len(_mails(tmp_path)) == 1, worker)


def test_a_decision_letter_whose_worker_is_killed_is_built_and_sent_once(
    broker, committee, coordinator, tmp_path
):
    worker = broker(FAULT_PAUSE_IN="committees.services.documents:render_pdf")
    request = application_to(committee, "500.00", email="liisa@example.fi")
    _meeting, [item] = held_meeting(committee, coordinator, requests=[request])
    decision = committees_services.decision_record(
        actor=coordinator, agenda_item=item, data=grant_input(Decimal("500"))
    )
    os.kill(worker.paused_child(), signal.SIGKILL)
    _wait(lambda: bool(Decision.objects.get(pk=decision.pk).letter_pdf), worker)
    _wait(lambda: any("liisa@example.fi" in m for m in _mails(tmp_path)), worker)
    time.sleep(1)
    assert len([m for m in _mails(tmp_path) if "liisa@example.fi" in m]) == 1


def test_minutes_whose_worker_is_killed_are_built_by_the_next(broker, committee, coordinator):
    worker = broker(FAULT_PAUSE_IN="committees.services.documents:render_pdf")
    meeting, _ = held_meeting(committee, coordinator)
    committees_services.minutes_request(actor=coordinator, meeting=meeting)
    os.kill(worker.paused_child(), signal.SIGKILL)
    _wait(lambda: bool(type(meeting).objects.get(pk=meeting.pk).minutes_pdf), worker)


def test_a_notification_whose_worker_is_killed_mid_send_is_sent_once(
    broker, resident, cycle, tmp_path
):
    worker = broker(FAULT_PAUSE_IN="django.core.mail.message:EmailMessage.send")
    starts_on, ends_on = cycle.phase_dates(Phase.IDEATION)
    notification = core_services.notify(
        user=resident,
        template="phase_started",
        context={
            "cycle": cycle,
            "phase": Phase.IDEATION,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    os.kill(worker.paused_child(), signal.SIGKILL)
    _wait(
        lambda: Notification.objects.get(pk=notification.pk).status == Notification.Status.SENT,
        worker,
    )
    assert len(_mails(tmp_path)) == 1


def test_a_report_survives_its_whole_worker_dying_and_a_restart(broker, council_member, settings):
    first = broker(
        FAULT_PAUSE_IN="budgets.reporting:build_report_context", FAULT_VISIBILITY_TIMEOUT="3"
    )
    report = _report(council_member)
    child = first.paused_child()
    first.kill()
    os.kill(child, signal.SIGKILL)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.BUILDING
    second = broker(FAULT_VISIBILITY_TIMEOUT="3")
    _wait(lambda: Report.objects.get(pk=report.pk).status == ReportStatus.READY, second)


def test_a_report_that_kills_its_worker_every_time_ends_failed(broker, council_member):
    worker = broker(FAULT_KILL_IN="budgets.reporting:build_report_context")
    report = _report(council_member)
    _wait(lambda: Report.objects.get(pk=report.pk).status == ReportStatus.FAILED, worker)
    attempt = WorkAttempt.objects.get()
    assert attempt.status == WorkAttempt.Status.FAILED
    assert "gave up after 6 attempts" in Report.objects.get(pk=report.pk).error
    time.sleep(2)
    assert WorkAttempt.objects.get().attempts == 7  # the seventh start gave up; no more


def test_the_sweeper_queues_a_report_stuck_building_after_its_message_was_lost(
    broker, council_member, settings
):
    """Redis lost the message with the worker (no persistence): the sweeper restarts it."""
    report = Report.objects.create(
        kind="interim",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        language="en",
        requested_by=council_member,
        status=ReportStatus.BUILDING,
        requested_at=timezone.now() - dt.timedelta(hours=2),
    )
    worker = broker()
    assert stuck_work_sweep() == 1
    _wait(lambda: Report.objects.get(pk=report.pk).status == ReportStatus.READY, worker)
    assert stuck_work_sweep() == 0


def _tick(task_name: str) -> None:
    """What beat does every period: a new message, with a new id."""
    from omakouvola.outbox import hand_over

    app.loader.import_default_modules()
    hand_over(task_name, [])


def test_a_periodic_run_whose_worker_is_killed_runs_again_and_completes(broker):
    worker = broker(FAULT_PAUSE_IN="ideas.services:workshop_send_reminders")
    _tick("ideas.tasks.workshop_reminders_task")
    child = worker.paused_child()
    assert WorkAttempt.objects.get().periodic  # counted before the work began
    os.kill(child, signal.SIGKILL)
    # The redelivered message (same id) starts again and completes: its row goes.
    _wait(lambda: not WorkAttempt.objects.exists(), worker)


def test_a_periodic_run_that_kills_its_worker_every_time_ends_failed_and_visible(broker):
    worker = broker(FAULT_KILL_IN="omakouvola.services:apply_retention")
    _tick("omakouvola.tasks.retention_task")
    _wait(lambda: WorkAttempt.objects.filter(status=WorkAttempt.Status.FAILED).exists(), worker)
    attempt = WorkAttempt.objects.get()
    assert attempt.periodic and attempt.task_name == "omakouvola.tasks.retention_task"
    assert "gave up after 3 attempts" in attempt.last_error
    time.sleep(2)
    assert WorkAttempt.objects.get().attempts == 4  # the fourth start gave up; no more
