"""The weekly digest runs on a real Celery worker on Redis, as beat would start it, and
the digest e-mail is sent by the worker too; a second run sends nothing."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from following import services, tasks
from following.models import NewsDelivery
from omakouvola import hooks
from omakouvola.celery import app
from omakouvola.models import Notification
from omakouvola.outbox import hand_over

from ..factories import IdeaFactory, UserFactory


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_weekly_digest_once(settings, cycle):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: the real-worker test needs a Redis broker")
    from celery.contrib.testing.worker import start_worker

    reader = UserFactory(email="viikko@example.fi", preferred_language="sv")
    idea = IdeaFactory(cycle=cycle, title="Koirapuisto Kuusankoskelle")
    services.follow_set(actor=reader, item=idea, follow=True)
    services.delivery_set(actor=reader, delivery="weekly")
    # Eager here: the news is stored and waits for the digest (nothing is sent at once).
    services.news_record(
        kind=hooks.NEWS_SCREENED, subject=("ideas.idea", idea.pk), idea_ids=[idea.pk]
    )
    assert NewsDelivery.objects.filter(user=reader, sent_at__isnull=True).count() == 1
    assert not Notification.objects.filter(user=reader).exists()

    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=redis_url, task_always_eager=False, task_default_queue=queue)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ):
            hand_over(tasks.news_digest_task.name, [])
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                if Notification.objects.filter(
                    user=reader, template="following_digest", status=Notification.Status.SENT
                ).exists():
                    break
                time.sleep(0.3)
            hand_over(tasks.news_digest_task.name, [])  # the next tick: nothing waits
            time.sleep(2)
    finally:
        app.conf.update(saved)
    digest = Notification.objects.get(user=reader, template="following_digest")
    assert digest.status == Notification.Status.SENT, digest.last_error
    assert digest.language == "sv" and "/sv/unsubscribe/" in digest.body_text
    assert "following-weekly-digest" in settings.CELERY_BEAT_SCHEDULE
    assert not NewsDelivery.objects.filter(sent_at__isnull=True).exists()
