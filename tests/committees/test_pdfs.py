"""The minutes and the decision letter are PDFs that say what was decided."""

from __future__ import annotations

import io
import os
import time
import uuid

import pytest
from pypdf import PdfReader

from committees import services
from committees.models import Decision, Meeting
from omakouvola.celery import app

from .helpers import held_meeting


def _text(field) -> str:
    with field.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.django_db
def test_the_minutes_name_the_decision_and_the_member_with_a_conflict(
    committee, coordinator, conflicted_user, funding_request
):
    from .helpers import grant_input

    services.conflict_declare(
        actor=conflicted_user, funding_request=funding_request, reason="Hallituksen jäsen"
    )
    meeting, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    services.decision_record(
        actor=coordinator, agenda_item=item, data=grant_input("1200", votes_for=5, votes_against=2)
    )
    meeting = services.minutes_generate(meeting_id=meeting.pk)
    text = _text(meeting.minutes_pdf)
    assert funding_request.application.title in text
    assert "1 200,00 €" in text
    assert "Hanke elävöittää kylää." in text
    # Named twice: among those present, and as taking no part in this matter.
    assert text.count("Erkki Esteellinen") == 2
    services.minutes_approve(actor=coordinator, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).minutes_published


@pytest.mark.django_db
def test_the_letter_has_the_amount_conditions_deadline_and_how_to_claim(
    committee, coordinator, funding_request
):
    from .helpers import grant_input

    _, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    decision = services.decision_record(
        actor=coordinator, agenda_item=item, data=grant_input("1200")
    )
    decision = services.decision_letter_generate(decision_id=decision.pk)
    text = _text(decision.letter_pdf)
    assert "1 200,00 €" in text
    assert "Kaupungin logo tiedotteisiin." in text
    assert "12. maaliskuuta 2027" in text
    assert "osallisuus@kouvola.fi" in text


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_builds_the_minutes(
    settings, committee, chair_user, funding_request
):
    coordinator = chair_user  # the data-migration groups are gone in a transactional test
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: the real-worker test needs a Redis broker")
    from celery.contrib.testing.worker import start_worker

    from .helpers import grant_input

    meeting, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    queue = f"test-{uuid.uuid4().hex[:8]}"
    # Read before changing the settings: app.conf reads the Django settings lazily.
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=redis_url, task_always_eager=False, task_default_queue=queue)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ):
            # autocommit: the decision's letter task and the minutes task are queued at once
            decision = services.decision_record(
                actor=coordinator, agenda_item=item, data=grant_input("1000")
            )
            services.minutes_request(actor=coordinator, meeting=meeting)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                meeting.refresh_from_db()
                decision.refresh_from_db()
                if meeting.minutes_pdf and decision.letter_pdf:
                    break
                time.sleep(0.3)
    finally:
        app.conf.update(saved)
    assert meeting.minutes_pdf, "the worker did not build the minutes"
    assert "Hanke elävöittää kylää." in _text(meeting.minutes_pdf)
    assert Decision.objects.get(pk=decision.pk).letter_sent_at is not None
