"""A real Celery worker on Redis prints a batch's slips."""

from __future__ import annotations

import io
import os
import time
import uuid

import pytest
from pypdf import PdfReader

from omakouvola.celery import app
from voting import codes
from voting.models import CodeBatch, CodeBatchStatus

from ..factories import BallotFactory, ProposalFactory, UserFactory, helsinki


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_prints_the_slips(settings, cycle, time_machine):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: the real-worker test needs a Redis broker")
    from celery.contrib.testing.worker import start_worker

    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    # The data-migration groups are gone in a transactional test: a superuser coordinates.
    coordinator = UserFactory(email="kaisa@kouvola.fi", is_staff=True, is_superuser=True)
    proposal = ProposalFactory(cycle=cycle, cost=3000, status="approved")
    ballot = BallotFactory(cycle=cycle, name="Kuusankoski 2027", proposals=[proposal])
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=redis_url, task_always_eager=False, task_default_queue=queue)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ):
            batch = codes.code_batch_create(
                actor=coordinator, ballot=ballot, place="Kuusankosken kirjasto", size=8
            )
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                batch.refresh_from_db()
                if batch.status != CodeBatchStatus.QUEUED:
                    break
                time.sleep(0.3)
    finally:
        app.conf.update(saved)
    batch = CodeBatch.objects.get(pk=batch.pk)
    assert batch.status == CodeBatchStatus.READY, batch.error
    assert batch.codes.count() == 8
    with batch.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == 2
    assert "Kuusankosken kirjasto" in reader.pages[0].extract_text()
