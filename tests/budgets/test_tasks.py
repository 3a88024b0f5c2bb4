"""The report is built by a real Celery worker on Redis, and the beat task queues the
annual report in January."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
import uuid
from decimal import Decimal

import pytest
from pypdf import PdfReader

from budgets import services, tasks
from budgets.models import Purpose, Report, ReportKind, ReportStatus
from omakouvola.celery import app
from omakouvola.models import Notification, Role
from tests.factories import FundingSourceFactory, UserFactory


@pytest.mark.django_db
def test_the_beat_task_queues_last_years_report_in_january(time_machine, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    time_machine.move_to(dt.datetime(2027, 1, 5, 8, 0, tzinfo=dt.UTC), tick=False)
    pk = tasks.annual_report_task()
    report = Report.objects.get(pk=pk)
    assert (report.kind, report.period_start.year) == (ReportKind.ANNUAL, 2026)
    assert tasks.annual_report_task() is None
    assert "budgets-annual-report" in settings.CELERY_BEAT_SCHEDULE


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_builds_the_report_and_emails_the_requester(settings, tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: the real-worker test needs a Redis broker")
    from celery.contrib.testing.worker import start_worker

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # A council member asks for the report (the rule lets budget readers ask).
    requester = UserFactory(email="valtuutettu@example.fi", roles=[Role.COUNCIL])
    source = FundingSourceFactory(name="Kaupungin talousarvio")
    services.appropriation_save(
        actor=None,
        year=2025,
        purpose=Purpose.PARTICIPATORY_BUDGETING,
        name="Osallistuva budjetointi",
        amount=Decimal("100000"),
        shares={source: Decimal("100000")},
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=redis_url, task_always_eager=False, task_default_queue=queue)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ):
            report = services.report_request(
                actor=requester,
                kind=ReportKind.ANNUAL,
                period_start=dt.date(2025, 1, 1),
                period_end=dt.date(2025, 12, 31),
            )
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                report.refresh_from_db()
                sent = Notification.objects.filter(
                    template="budgets_report_ready", status=Notification.Status.SENT
                ).exists()
                if report.status in (ReportStatus.READY, ReportStatus.FAILED) and sent:
                    break
                time.sleep(0.3)
    finally:
        app.conf.update(saved)
    assert report.status == ReportStatus.READY, report.error
    with report.pdf.open("rb") as handle:
        text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "100 000,00 €" in text.replace("\xa0", " ")
    notification = Notification.objects.get(template="budgets_report_ready")
    assert notification.to_email == "valtuutettu@example.fi"
    assert f"/budgets/reports/{report.pk}/" in notification.body_text
