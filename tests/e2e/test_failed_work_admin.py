"""The coordinator finds failed work in the admin and retries it, at phone width too."""

from __future__ import annotations

import os

import pytest

from omakouvola.models import AuditEntry, WorkAttempt
from omakouvola.tasking import work_failed, work_start

from .conftest import axe_violations
from .test_accessibility import _login

pytestmark = pytest.mark.django_db(transaction=True)

TASK = "omakouvola.tasks.retention_task"
SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_coordinator_retries_failed_work_from_the_admin(
    browser, live_server, coordinator, width
):
    work_start(task_name=TASK, args=[], max_attempts=3, run="night")
    work_failed(task_name=TASK, args=[], run="night", final=True, error="OSError('disk full')")
    context = _login(browser, live_server, coordinator)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/admin/omakouvola/workattempt/?status__exact=failed")
    assert "Tehtävien yritykset" in page.content()
    _shot(page, f"workattempt-list-{width}.png")
    assert axe_violations(page) == []
    pk = WorkAttempt.objects.get().pk
    page.goto(live_server.url + f"/admin/omakouvola/workattempt/{pk}/change/")
    assert "disk full" in page.content()
    _shot(page, f"workattempt-detail-{width}.png")
    assert axe_violations(page) == []
    page.go_back()
    # By keyboard: tick the row, choose the action, run it.
    page.locator("input.action-select").first.focus()
    page.keyboard.press("Space")
    page.select_option("select[name=action]", "retry")
    page.locator("button[name=index]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _shot(page, f"workattempt-retried-{width}.png")
    assert "jonossa uudelleen" in page.content()
    assert AuditEntry.objects.filter(action="workattempt.retry").exists()
    context.close()
