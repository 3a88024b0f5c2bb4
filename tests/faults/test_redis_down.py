"""Redis down: sign-in, voting, ideas, applications and report requests still succeed.

The cache and the broker are configured exactly as the base settings configure them for a
REDIS_URL (read from a subprocess), pointed at a closed port: rate limits fall back to the
process's memory with a warning and the work waits in the outbox. The last test stops a
private redis-server, does all five, starts it again and watches a real worker finish.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import subprocess
import sys
import time

import pytest
from django.core import mail

from budgets.models import Report, ReportStatus
from committees.models import FundingApplication
from ideas.models import Idea
from omakouvola.celery import app
from omakouvola.models import Notification, OutboxTask
from omakouvola.outbox import outbox_drain
from tests.core.test_outbox import PrivateRedis, _reset_broker_connections, private_redis  # noqa: F401
from voting.models import Vote

from ..factories import helsinki

CLOSED = "redis://127.0.0.1:1/0"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@functools.cache
def _base_caches(redis_url: str) -> str:
    """CACHES as omakouvola.settings.base builds them when REDIS_URL is set."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(REDIS_URL=redis_url, DJANGO_SETTINGS_MODULE="omakouvola.settings.local")
    code = "import django;django.setup();from django.conf import settings;import json;"
    code += "print(json.dumps(settings.CACHES))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def base_caches(redis_url: str) -> dict:
    return json.loads(_base_caches(redis_url))


@pytest.fixture
def redis_down(settings):
    """Cache and broker both on a port where nothing listens."""
    settings.CACHES = base_caches(CLOSED)
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=CLOSED, task_always_eager=False)
    _reset_broker_connections()
    yield
    app.conf.update(saved)
    _reset_broker_connections()


def _application_form(committee) -> dict:
    return {
        "applicant_kind": "organisation",
        "organisation_name": "Utin Kyläyhdistys ry",
        "business_id": "2345678-0",
        "responsible_person": "Liisa Laine",
        "email": "liisa@example.fi",
        "title": "Utin kyläkoulun välituntivälineet",
        "description": "Välineet välitunneille.",
        "own_funding": "100",
        "volunteer_hours": "20",
        f"request_{committee.pk}": "900",
        "cost_1_description": "Välineet",
        "cost_1_amount": "1000",
        "sustainability_ecological": "Kestävät välineet.",
        "sustainability_social": "Lapset liikkuvat.",
        "sustainability_economic": "Koulu huoltaa.",
    }


REPORT_FORM = {
    "kind": "interim",
    "period_start": "2025-01-01",
    "period_end": "2025-06-30",
    "language": "en",
}


@pytest.mark.django_db
def test_signing_in_while_redis_is_down_works_and_the_warning_is_logged(
    client, redis_down, resident, caplog
):
    from django.core.cache import cache

    # Saving the fixtures' area already met the dead Redis (the idea filters' cache is
    # dropped on save) and warned then; the sign-in must meet it afresh.
    cache._down_until = 0.0
    with caplog.at_level(logging.WARNING, logger="omakouvola.cache"):
        response = client.post(
            "/en/accounts/login/", {"login": resident.email, "password": "salasana-123"}
        )
    assert response.status_code in (200, 302)
    assert "Redis unreachable" in caplog.text


@pytest.mark.django_db
def test_failed_sign_ins_are_still_limited_while_redis_is_down(client, redis_down, resident):
    """The fallback keeps counting: brute force is not let through during the outage."""
    for _ in range(5):
        wrong = client.post("/en/accounts/login/", {"login": resident.email, "password": "väärä"})
        assert wrong.status_code == 200
    right = client.post(
        "/en/accounts/login/", {"login": resident.email, "password": "salasana-123"}
    )
    assert right.status_code == 200
    assert "Too many failed login attempts" in right.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_voting_while_redis_is_down_stores_the_vote(
    client, redis_down, resident, ballot, proposals, during_voting
):
    client.force_login(resident)
    response = client.post(
        f"/en/voting/{ballot.pk}/", {"proposals": [proposals[0].pk], "wants_results": "on"}
    )
    assert response.status_code == 302
    assert Vote.objects.filter(ballot=ballot).count() == 1


@pytest.mark.django_db
def test_an_idea_submitted_while_redis_is_down_waits_in_the_outbox(
    client, redis_down, resident, cycle, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(helsinki(2026, 11, 20, 12, 0))
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/ideas/new/", {"title": "Penkit rantaan", "description": "Levähdyspaikkoja."}
        )
    assert response.status_code == 302
    assert Idea.objects.filter(title="Penkit rantaan").exists()
    assert OutboxTask.objects.filter(task_name="omakouvola.tasks.send_notification_task").exists()


@pytest.mark.django_db
def test_an_application_sent_while_redis_is_down_waits_in_the_outbox(
    client, redis_down, committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/committees/apply/", _application_form(committee))
    assert response.status_code == 302
    assert FundingApplication.objects.count() == 1
    assert OutboxTask.objects.filter(task_name="omakouvola.tasks.send_notification_task").exists()


@pytest.mark.django_db
def test_a_report_requested_while_redis_is_down_waits_in_the_outbox(
    client, redis_down, council_member, django_capture_on_commit_callbacks
):
    client.force_login(council_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/budgets/reports/request/", REPORT_FORM)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == ReportStatus.QUEUED
    assert OutboxTask.objects.get().task_name == "budgets.tasks.report_build_task"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_everything_done_while_redis_was_down_is_finished_once_it_is_back(
    client,
    private_redis,
    settings,
    tmp_path,
    resident,
    council_member,
    committee,
    ballot,
    proposals,
    time_machine,
):
    from celery.contrib.testing.worker import start_worker

    redis, queue = private_redis
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CACHES = base_caches(redis.url)
    redis.stop()

    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=True)
    client.force_login(resident)
    idea = client.post("/en/ideas/new/", {"title": "Penkit rantaan", "description": "Lepoon."})
    assert idea.status_code == 302
    application = client.post("/en/committees/apply/", _application_form(committee))
    assert application.status_code == 302
    client.logout()
    login = client.post("/en/accounts/login/", {"login": resident.email, "password": "x"})
    assert login.status_code in (200, 302)

    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    client.force_login(resident)
    vote = client.post(f"/en/voting/{ballot.pk}/", {"proposals": [proposals[0].pk]})
    assert vote.status_code == 302
    client.force_login(council_member)
    report = client.post("/en/budgets/reports/request/", REPORT_FORM)
    assert report.status_code == 302

    assert Vote.objects.count() == 1
    waiting = set(OutboxTask.objects.values_list("task_name", flat=True))
    assert waiting >= {"omakouvola.tasks.send_notification_task", "budgets.tasks.report_build_task"}

    redis.start()
    _reset_broker_connections()
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
    ):
        assert outbox_drain() >= 3
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            # Done means the report is built AND its "ready" letter exists and went out: the
            # letter is made after the build commits, so "nothing unsent" alone can be seen
            # in the moment between the two and end the wait too early.
            pending = Notification.objects.exclude(status=Notification.Status.SENT).count()
            built = Report.objects.filter(status=ReportStatus.READY).count()
            told = Notification.objects.filter(template="budgets_report_ready").exists()
            if not pending and built == 1 and told and not OutboxTask.objects.exists():
                break
            time.sleep(0.3)
    assert not OutboxTask.objects.exists()
    assert Report.objects.get().status == ReportStatus.READY
    assert not Notification.objects.exclude(status=Notification.Status.SENT).exists()
    recipients = {to for m in mail.outbox for to in m.to}
    assert {resident.email, "liisa@example.fi", council_member.email} <= recipients
