"""The notification task: retries on mail-server errors, and a real worker on Redis."""

from __future__ import annotations

import os
import smtplib
import time
import uuid

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from omakouvola import services
from omakouvola.celery import app
from omakouvola.models import Notification, Phase
from omakouvola.tasks import send_notification_task


class FlakySMTPBackend(EmailBackend):
    """Refuses the first two messages like a mail server that is restarting."""

    failures_left = 2

    def send_messages(self, messages):
        if FlakySMTPBackend.failures_left > 0:
            FlakySMTPBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("mail server went away")
        return super().send_messages(messages)


def _notification(user, cycle):
    starts_on, ends_on = cycle.phase_dates(Phase.IDEATION)
    return services.notify(
        user=user,
        template="phase_started",
        context={
            "cycle": cycle,
            "phase": Phase.IDEATION,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )


@pytest.mark.django_db
def test_the_task_retries_when_the_mail_server_fails(settings, resident, cycle, monkeypatch):
    settings.EMAIL_BACKEND = "tests.core.test_tasks.FlakySMTPBackend"
    FlakySMTPBackend.failures_left = 2
    notification = _notification(resident, cycle)  # on_commit is not run in this test
    # Eager retries run at once, in the test's thread; backoff is the worker's business.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    send_notification_task.apply(args=[notification.pk], throw=False)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 3
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_message_that_never_goes_through_is_marked_failed(settings, resident, cycle, monkeypatch):
    settings.EMAIL_BACKEND = "tests.core.test_tasks.FlakySMTPBackend"
    FlakySMTPBackend.failures_left = 100
    monkeypatch.setattr(send_notification_task, "max_retries", 1)
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    notification = _notification(resident, cycle)
    result = send_notification_task.apply(args=[notification.pk], throw=False)
    assert result.failed()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert "SMTPServerDisconnected" in notification.last_error


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_delivers_a_notification(settings, resident, cycle):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: the real-worker test needs a Redis broker")
    from celery.contrib.testing.worker import start_worker

    queue = f"test-{uuid.uuid4().hex[:8]}"
    # Read what to restore before touching settings: Celery reads them lazily.
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=redis_url, task_always_eager=False, task_default_queue=queue)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ):
            notification = _notification(resident, cycle)  # autocommit: queued at once
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                notification.refresh_from_db()
                if notification.status == Notification.Status.SENT:
                    break
                time.sleep(0.2)
    finally:
        app.conf.update(saved)
    assert notification.status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [["aili@example.fi"]]


@pytest.mark.django_db
def test_a_new_message_is_handed_over_without_looking_for_earlier_attempts(
    resident, cycle, django_capture_on_commit_callbacks, monkeypatch
):
    """Issue #15: every message (a vote's receipt among them) ran a DELETE after commit for
    earlier attempts of its task, which a row created in the same transaction cannot have."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from omakouvola import outbox

    handed: list = []
    monkeypatch.setattr(outbox, "_send", lambda name, args: handed.append((name, args)))
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = _notification(resident, cycle)
    assert handed == [("omakouvola.tasks.send_notification_task", [notification.pk])]
    assert not [q for q in queries.captured_queries if "DELETE" in q["sql"]]
