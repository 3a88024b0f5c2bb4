"""The demo fills the admin pages of notifications and failed work, idempotently."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from omakouvola.models import Notification, WorkAttempt

pytestmark = pytest.mark.django_db


def test_the_demo_has_notifications_and_a_failed_run_and_adds_them_once():
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
        call_command("seed_demo", stdout=devnull)
    assert Notification.objects.filter(template="account_changed").count() == 2
    attempt = WorkAttempt.objects.get()
    assert attempt.status == WorkAttempt.Status.FAILED and attempt.periodic
    assert attempt.failed_at is not None
