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
