"""The core services: e-mail on commit, profiles, the audit log, phase notices."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from omakouvola import services
from omakouvola.models import AuditEntry, Notification, Phase, PhaseNotice

from ..factories import UserFactory, helsinki

pytestmark = pytest.mark.django_db


def _profile(user, **overrides):
    values = {
        "display_name": user.display_name,
        "postal_code": user.postal_code,
        "birth_year": user.birth_year,
        "preferred_language": user.preferred_language,
        "receives_optional_email": user.receives_optional_email,
    }
    values.update(overrides)
    return values


def test_notify_sends_nothing_when_the_transaction_rolls_back(
    resident, cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.notify(
                    user=resident,
                    template="phase_started",
                    context={"cycle": cycle, "phase": Phase.IDEATION, **_span(cycle)},
                )
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_notify_sends_once_after_the_commit_in_the_users_language(
    resident, cycle, django_capture_on_commit_callbacks
):
    resident.preferred_language = "sv"
    resident.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notification = services.notify(
            user=resident,
            template="phase_started",
            context={"cycle": cycle, "phase": Phase.IDEATION, **_span(cycle)},
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aili@example.fi"]
    assert "Hej" in message.body
    assert message.alternatives[0][1] == "text/html"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.language == "sv"


def test_a_sent_notification_is_not_sent_twice(resident, cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(
            user=resident,
            template="phase_started",
            context={"cycle": cycle, "phase": Phase.IDEATION, **_span(cycle)},
        )
    services.notification_send(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_optional_email_is_skipped_for_someone_who_opted_out(resident, cycle):
    resident.receives_optional_email = False
    resident.save()
    assert (
        services.notify(
            user=resident,
            template="phase_started",
            context={"cycle": cycle, "phase": Phase.IDEATION, **_span(cycle)},
            essential=False,
        )
        is None
    )
    assert not Notification.objects.exists()


def test_profile_update_maps_the_postal_code_and_writes_the_audit_log(resident, valkeala):
    services.user_update_profile(
        actor=resident, user=resident, **_profile(resident, postal_code="45360", birth_year=2009)
    )
    resident.refresh_from_db()
    assert resident.area == valkeala
    entry = AuditEntry.objects.get(action="user.update_profile")
    assert entry.actor == resident
    # Field names only: the values are the person's and must not outlive an erasure.
    hidden = [services.PERSONAL_VALUE, services.PERSONAL_VALUE]
    assert entry.changes == {"postal_code": hidden, "birth_year": hidden}
    logged = f"{entry.object_repr} {entry.changes} {entry.note}"
    for value in ("45360", "2009", resident.email, resident.display_name):
        assert value not in logged
    assert entry.object_repr == f"user #{resident.pk}"


def test_profile_update_refuses_a_postal_code_outside_kouvola(resident):
    with pytest.raises(ValidationError) as excinfo:
        services.user_update_profile(
            actor=resident, user=resident, **_profile(resident, postal_code="00100")
        )
    assert excinfo.value.error_dict["postal_code"][0].message == (
        services.POSTAL_CODE_NOT_IN_KOUVOLA
    )
    resident.refresh_from_db()
    assert resident.postal_code == "45100"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("year", "message"),
    [(1899, services.BIRTH_YEAR_TOO_EARLY), (3000, services.BIRTH_YEAR_IN_FUTURE)],
)
def test_profile_update_refuses_an_impossible_birth_year(resident, year, message):
    with pytest.raises(ValidationError) as excinfo:
        services.user_update_profile(
            actor=resident, user=resident, **_profile(resident, birth_year=year)
        )
    assert excinfo.value.error_dict["birth_year"][0].message == message


def test_an_unchanged_profile_writes_no_audit_entry(resident):
    services.user_update_profile(actor=resident, user=resident, **_profile(resident))
    assert not AuditEntry.objects.exists()


def test_phase_notices_go_out_once_to_those_who_want_news(
    cycle, resident, django_capture_on_commit_callbacks
):
    UserFactory(email="ei-uutisia@example.fi", receives_optional_email=False)
    UserFactory(email="vahvistamaton@example.fi", verified=False)
    at = helsinki(2026, 11, 1, 9, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cycle_send_phase_notices(at=at) == 1
        assert services.cycle_send_phase_notices(at=at) == 0
    assert [m.to for m in mail.outbox] == [["aili@example.fi"]]
    assert PhaseNotice.objects.get().phase == Phase.IDEATION
    assert "Ideointi" in mail.outbox[0].subject


def test_the_audit_log_keeps_who_acted_after_the_account_is_gone(resident, cycle):
    services.audit_record(actor=resident, action="cycle.update", obj=cycle)
    resident.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.actor_label == "aili@example.fi"


def _span(cycle):
    starts_on, ends_on = cycle.phase_dates(Phase.IDEATION)
    return {"starts_on": starts_on, "ends_on": ends_on}
