"""Two decisions at once cannot overspend the allocation, nor two payments the grant."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from committees import services
from committees.models import Grant, Payment

from .factories import application_to
from .helpers import grant_input, held_meeting

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls):
    """Run the calls in threads that start together; returns (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_decisions_never_grant_more_than_the_allocation(committee, chair_user, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    requests = [application_to(committee, "4000.00") for _ in range(4)]
    _, items = held_meeting(committee, chair_user, requests=requests)
    results, errors = _race(
        [
            (
                lambda item=item: services.decision_record(
                    actor=chair_user, agenda_item=item, data=grant_input("4000")
                )
            )
            for item in items
        ]
    )
    assert len(results) == 2
    assert len(errors) == 2
    assert all(e.message == services.ALLOCATION_EXCEEDED for e in errors)
    assert Grant.objects.committed_total() == Decimal("8000.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_payments_never_exceed_the_grant(committee, chair_user, coordinator):
    request = application_to(committee, "1000.00")
    _, [item] = held_meeting(committee, chair_user, requests=[request])
    grant = services.decision_record(
        actor=chair_user, agenda_item=item, data=grant_input("1000")
    ).grant
    import datetime as dt

    results, errors = _race(
        [
            (
                # Payments are the city's (committees.manage_money), not the chair's.
                lambda n=n: services.payment_record(
                    actor=coordinator,
                    grant=grant,
                    paid_on=dt.date(2026, 4, 1),
                    amount=Decimal("300.00"),
                    reference=f"Lasku {n}",
                )
            )
            for n in range(5)
        ]
    )
    assert (len(results), len(errors)) == (3, 2)
    assert sum(p.amount for p in Payment.objects.all()) == Decimal("900.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_payments_in_the_admin_are_refused_with_a_message_not_a_500(
    committee, chair_user, coordinator
):
    """Each form check passes before any payment exists; the service's lock refuses the rest."""
    from django.test import Client

    request = application_to(committee, "1000.00")
    _, [item] = held_meeting(committee, chair_user, requests=[request])
    grant = services.decision_record(
        actor=chair_user, agenda_item=item, data=grant_input("1000")
    ).grant
    coordinator.is_staff = True
    coordinator.save()
    barrier = threading.Barrier(8)
    statuses, crashes = [], []

    def pay(n):
        client = Client(raise_request_exception=True)
        client.force_login(coordinator)
        try:
            barrier.wait()
            response = client.post(
                "/admin/committees/payment/add/",
                {"grant": grant.pk, "paid_on": "2026-04-01", "amount": "300", "reference": n},
            )
            statuses.append(response.status_code)
        except Exception as exc:  # a 500 in the admin
            crashes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(f"Lasku {n}",)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert crashes == []
    assert set(statuses) <= {200, 302} and len(statuses) == 8
    assert Payment.objects.count() == 3
    assert sum(p.amount for p in Payment.objects.all()) == Decimal("900.00")
