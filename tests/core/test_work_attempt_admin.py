"""The admin page of failed work: read-only, filterable, and a retry that is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from omakouvola import services
from omakouvola.models import AuditEntry, OutboxTask, WorkAttempt
from omakouvola.tasking import work_failed, work_start

pytestmark = pytest.mark.django_db

URL = "/admin/omakouvola/workattempt/"
TASK = "omakouvola.tasks.retention_task"


def _failed(run: str = "night") -> WorkAttempt:
    work_start(task_name=TASK, args=[], max_attempts=3, run=run)
    work_failed(task_name=TASK, args=[], run=run, final=True, error="OSError('disk full')")
    return WorkAttempt.objects.get()


@pytest.mark.parametrize(
    ("language", "title", "label"),
    [
        ("fi", "Tehtävien yritykset", "Säilytysajan ylittäneiden henkilötietojen poisto"),
        ("sv", "Uppgiftsförsök", "Radera personuppgifter vars lagringstid har gått ut"),
        ("en", "task attempts", "Remove personal data past its retention period"),
    ],
)
def test_the_coordinator_reads_failed_work_in_each_language(
    client, coordinator, language, title, label
):
    attempt = _failed()
    client.force_login(coordinator)
    client.cookies["django_language"] = language
    page = client.get(URL, {"status__exact": "failed"}, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert title.lower() in page.content.decode().lower()
    # The list names the work in the reader's language, not by its Celery name.
    row = page.content.decode().split('id="result_list"')[1].split("</table>")[0]
    assert label in row and TASK not in row
    detail = client.get(f"{URL}{attempt.pk}/change/", HTTP_ACCEPT_LANGUAGE=language)
    assert "disk full" in detail.content.decode() and label in detail.content.decode()
    assert client.get(f"{URL}add/").status_code == 403


def test_retry_queues_the_work_again_through_the_outbox_and_is_audited(
    client, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    from omakouvola import outbox

    def broker_down(name, args):
        raise ConnectionError("redis down")

    monkeypatch.setattr(outbox, "_send", broker_down)
    attempt = _failed()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"action": "retry", "_selected_action": [attempt.pk]})
    assert response.status_code == 302
    assert not WorkAttempt.objects.exists()  # a fresh run starts with a clean count
    assert OutboxTask.objects.get().task_name == TASK
    entry = AuditEntry.objects.get(action="workattempt.retry")
    assert entry.actor == coordinator


@pytest.mark.parametrize(
    "task_name", ["omakouvola.tasks.renamed_long_ago_task", "gone_module.some_task", "x"]
)
def test_work_of_a_task_that_no_longer_exists_is_refused_with_a_message(
    client, coordinator, task_name
):
    """It answered 500 (KeyError): rows outlive the code that wrote them."""
    work_start(task_name=task_name, args=[], max_attempts=3, run="old")
    work_failed(task_name=task_name, args=[], run="old", final=True, error="boom")
    attempt = WorkAttempt.objects.get()
    with pytest.raises(ValidationError) as refused:
        services.work_attempt_retry(actor=coordinator, attempt=attempt)
    assert refused.value.code == "task_gone"
    client.force_login(coordinator)
    response = client.post(URL, {"action": "retry", "_selected_action": [attempt.pk]})
    assert response.status_code == 302
    assert WorkAttempt.objects.filter(pk=attempt.pk).exists()
    assert not AuditEntry.objects.filter(action="workattempt.retry").exists()


def test_running_work_is_not_retried(coordinator):
    work_start(task_name=TASK, args=[], max_attempts=3, run="now")
    with pytest.raises(ValidationError) as refused:
        services.work_attempt_retry(actor=coordinator, attempt=WorkAttempt.objects.get())
    assert refused.value.messages == [str(services.WORK_NOT_FAILED)]


def test_staff_without_the_right_cannot_retry(city_team_member):
    attempt = _failed()
    with pytest.raises(PermissionDenied):
        services.work_attempt_retry(actor=city_team_member, attempt=attempt)
    assert WorkAttempt.objects.filter(pk=attempt.pk).exists()


def test_every_project_task_has_a_translated_name():
    from celery import current_app

    from omakouvola.models import WorkAttempt as Attempt

    project = [
        n
        for n in current_app.tasks
        if n.split(".")[0]
        in {"omakouvola", "ideas", "voting", "committees", "budgets", "opendata", "identification"}
    ]
    assert len(project) >= 15
    unnamed = [n for n in project if not getattr(current_app.tasks[n], "verbose_name", "")]
    assert unnamed == []
    assert Attempt(task_name="no.such.task").task_label() == "no.such.task"
