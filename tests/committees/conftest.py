"""Fixtures of the committees tests: a committee with 8 members and 3 deputies, people in
each committee role, money for the year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from committees.models import MembershipRole
from tests.factories import AreaFactory, UserFactory

from .factories import AllocationFactory, CommitteeFactory, MembershipFactory, application_to

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def valkeala_committee(db, valkeala):
    return CommitteeFactory(area=valkeala, name="Valkealan aluetoimikunta", slug="valkeala")


@pytest.fixture
def keskusta_committee(db):
    area = AreaFactory(slug="keskusta", name="Keskusta", name_sv="Centrum", population=28_833)
    return CommitteeFactory(area=area, name="Keskustan aluetoimikunta", slug="keskusta")


@pytest.fixture
def chair_user(db):
    return UserFactory(email="paavo@example.fi", display_name="Paavo")


@pytest.fixture
def member_user(db):
    return UserFactory(email="maija@example.fi", display_name="Maija")


@pytest.fixture
def deputy_user(db):
    return UserFactory(email="veikko@example.fi", display_name="Veikko")


@pytest.fixture
def conflicted_user(db):
    return UserFactory(email="esteellinen@example.fi", display_name="Erkki")


@pytest.fixture
def other_member_user(db, keskusta_committee):
    user = UserFactory(email="toinen@example.fi", display_name="Toinen")
    MembershipFactory(committee=keskusta_committee, user=user, name="Toinen Jäsen")
    return user


@pytest.fixture
def committee(valkeala_committee, chair_user, member_user, deputy_user, conflicted_user):
    """Valkeala: chair + vice chair + 6 members (8), deputies 3; the allocation for 2026."""
    c = valkeala_committee
    MembershipFactory(
        committee=c, user=chair_user, name="Paavo Puheenjohtaja", role=MembershipRole.CHAIR
    )
    MembershipFactory(committee=c, name="Ville Varapuheenjohtaja", role=MembershipRole.VICE_CHAIR)
    MembershipFactory(committee=c, user=member_user, name="Maija Jäsen")
    MembershipFactory(committee=c, user=conflicted_user, name="Erkki Esteellinen")
    for n in range(4):
        MembershipFactory(committee=c, name=f"Jäsen {n}")
    MembershipFactory(
        committee=c, user=deputy_user, name="Aaro Varajäsen", role=MembershipRole.DEPUTY
    )
    for n in range(2):
        MembershipFactory(committee=c, name=f"Varajäsen {n}", role=MembershipRole.DEPUTY)
    AllocationFactory(committee=c, year=2026, amount=Decimal("10000.00"))
    return c


@pytest.fixture
def funding_request(committee):
    return application_to(committee, "1500.00")


@pytest.fixture
def today(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False)
    return TODAY
