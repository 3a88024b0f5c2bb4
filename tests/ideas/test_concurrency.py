"""Workshop seats under concurrent registrations, on a real PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ideas import services
from ideas.models import RegistrationStatus, WorkshopRegistration

from ..factories import CycleFactory, UserFactory, WorkshopFactory, helsinki

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_registrations_never_exceed_capacity(time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")
    time_machine.move_to(helsinki(2027, 1, 2, 12, 0), tick=True)
    workshop = WorkshopFactory(cycle=CycleFactory(opening_year=2026), capacity=3)
    people = [UserFactory() for _ in range(12)]
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def register(person):
        try:
            barrier.wait()
            services.workshop_register(actor=person, workshop=workshop)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    registrations = WorkshopRegistration.objects.filter(workshop=workshop)
    assert registrations.filter(status=RegistrationStatus.REGISTERED).count() == 3
    assert registrations.filter(status=RegistrationStatus.WAITING).count() == 9
    seats = sorted(
        registrations.filter(status=RegistrationStatus.REGISTERED).values_list("seat", flat=True)
    )
    assert seats == [1, 2, 3]
