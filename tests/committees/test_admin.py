"""The coordinator's admin: pages open, actions call the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from committees.models import Allocation, Grant, Payment

from .factories import application_to
from .helpers import grant_input, held_meeting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "committee",
        "membership",
        "operatingrules",
        "allocation",
        "fundingapplication",
        "meeting",
        "decision",
        "grant",
        "payment",
    ],
)
def test_the_coordinator_opens_each_admin_list(client, coordinator, committee, model):
    client.force_login(coordinator)
    response = client.get(reverse(f"admin:committees_{model}_changelist"))
    assert response.status_code == 200


def test_the_committee_page_warns_about_an_unusual_composition(client, coordinator, committee):
    committee.memberships.filter(role="deputy").first().delete()
    committee.memberships.filter(role="deputy").first().delete()
    client.force_login(coordinator)
    response = client.get(
        reverse("admin:committees_committee_change", args=[committee.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "the usual number is 3–4" in response.content.decode()


def test_the_split_action_sets_the_allocations(client, coordinator, committee, keskusta_committee):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:committees_committee_changelist"),
        {
            "action": "split_by_population",
            "_selected_action": [committee.pk],
            "apply": "1",
            "year": "2027",
            "total": "50000",
        },
    )
    assert response.status_code == 302
    assert sum(Allocation.objects.filter(year=2027).values_list("amount", flat=True)) == 50000


def test_a_payment_over_the_grant_is_refused_in_the_admin(client, coordinator, committee):
    request = application_to(committee, "1000")
    _, [item] = held_meeting(committee, coordinator, requests=[request])
    from committees import services

    grant = services.decision_record(
        actor=coordinator, agenda_item=item, data=grant_input("1000")
    ).grant
    client.force_login(coordinator)
    url = reverse("admin:committees_payment_add")
    response = client.post(
        url, {"grant": grant.pk, "paid_on": "2026-04-01", "amount": "1000.01", "reference": "Lasku"}
    )
    assert response.status_code == 200
    assert not Payment.objects.exists()
    response = client.post(
        url, {"grant": grant.pk, "paid_on": "2026-04-01", "amount": "1000.00", "reference": "Lasku"}
    )
    assert response.status_code == 302
    assert Payment.objects.get().amount == Decimal("1000.00")
    client.post(
        reverse("admin:committees_grant_changelist"),
        {"action": "close_grants", "_selected_action": [grant.pk]},
    )
    assert Grant.objects.get().closed_on is not None


# Every admin write is audited (issue 14): these saves once left no audit entry.


def _audit(action):
    from omakouvola.models import AuditEntry

    return list(AuditEntry.objects.filter(action=action))


def test_moving_a_meeting_in_the_admin_is_audited(client, coordinator, committee):
    import datetime as dt

    from committees import services

    meeting = services.meeting_create(
        actor=coordinator,
        committee=committee,
        starts_at=dt.datetime(2026, 3, 12, 18, 0, tzinfo=dt.UTC),
        place="Valkealan kylätalo",
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:committees_meeting_change", args=[meeting.pk]),
        {
            "starts_at_0": "2026-03-19",
            "starts_at_1": "18:00:00",
            "place": "Kouvolan kirjasto",
            "online_link": "",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.place == "Kouvolan kirjasto"
    [entry] = _audit("meeting.update")
    assert entry.actor == coordinator
    assert set(entry.changes) == {"starts_at", "place"}


def test_a_held_meeting_is_not_moved_in_the_admin(client, coordinator, committee):
    meeting, _ = held_meeting(committee, coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:committees_meeting_change", args=[meeting.pk]),
        {
            "starts_at_0": "2026-03-19",
            "starts_at_1": "18:00:00",
            "place": "Kouvolan kirjasto",
            "online_link": "",
            "_save": "Save",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # The refusal is a form error on the re-shown form, what was typed kept.
    assert response.status_code == 200
    body = response.content.decode()
    assert "The meeting has already been held." in body
    assert "Kouvolan kirjasto" in body
    meeting.refresh_from_db()
    assert meeting.place == "Valkealan kylätalo"
    assert not _audit("meeting.update")


def _grant(committee, coordinator):
    from committees import services

    request = application_to(committee, "1000")
    _, [item] = held_meeting(committee, coordinator, requests=[request])
    return services.decision_record(
        actor=coordinator, agenda_item=item, data=grant_input("1000")
    ).grant


def test_a_new_report_date_set_in_the_admin_is_audited(client, coordinator, committee):
    grant = _grant(committee, coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:committees_grant_change", args=[grant.pk]),
        {
            "report_due": "2027-06-30",
            "payments-TOTAL_FORMS": "0",
            "payments-INITIAL_FORMS": "0",
            "payments-MIN_NUM_FORMS": "0",
            "payments-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    grant.refresh_from_db()
    assert str(grant.report_due) == "2027-06-30"
    [entry] = _audit("grant.report_due")
    assert entry.actor == coordinator
    assert entry.changes["report_due"][1] == "2027-06-30"


def test_a_deletion_in_the_admin_is_audited(client, coordinator, committee):
    from omakouvola.models import User

    boss = User.objects.create_superuser(email="paakayttaja@kouvola.test", password="x" * 16)
    meeting, _ = held_meeting(committee, coordinator)
    meeting.participants.all().delete()
    client.force_login(boss)
    response = client.post(
        reverse("admin:committees_meeting_delete", args=[meeting.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    [entry] = _audit("meeting.delete")
    assert entry.object_id == str(meeting.pk)
