"""The committees' demo data reproduces the seed's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from committees import selectors
from committees.models import Allocation, Committee, Membership, MembershipRole
from demo import committees as demo
from demo.core import seed_core

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    core = seed_core(today=dt.date(2026, 3, 1))
    return demo.seed_committees(areas=core["areas"], users=core["users"])


def test_the_seed_figure_is_reproduced_from_the_demo_data(seeded):
    status = selectors.committee_budget_status(None, 2023, as_of=dt.date(2023, 9, 19))
    assert status.used == Decimal("11943.36")
    assert seeded["seed_figure"] == Decimal("11943.36")
    # A day earlier the last payment (19.9.) is not yet in; later payments come on top.
    before = selectors.committee_budget_status(None, 2023, as_of=dt.date(2023, 9, 18))
    assert before.used == Decimal("10600.38")
    assert selectors.committee_budget_status(None, 2023, as_of=dt.date(2023, 12, 31)).used > (
        status.used
    )


def test_the_yearly_allocations_follow_the_seed(seeded):
    for year, total in ((2018, 300_000), (2022, 100_000), (2023, 50_000)):
        amounts = Allocation.objects.filter(year=year).values_list("amount", flat=True)
        assert sum(amounts) == Decimal(total)
        assert all(a == a.to_integral_value() for a in amounts)


def test_each_committee_has_eight_members_and_three_or_four_deputies(seeded):
    assert Committee.objects.count() == 5
    for committee in Committee.objects.all():
        active = Membership.objects.filter(committee=committee)
        assert active.regular().count() == 8
        assert 3 <= active.deputies().count() <= 4
        assert selectors.composition_warnings(committee) == []
    valkeala_chair = Membership.objects.get(committee__slug="valkeala", role=MembershipRole.CHAIR)
    assert valkeala_chair.user.email == "puheenjohtaja@omakouvola.test"


def test_the_chairs_small_grant_was_reported_to_the_next_meeting(seeded):
    from committees.models import Decision

    decision = Decision.objects.get(fast_track=True)
    assert decision.reported_in.get().meeting.starts_at.date() == dt.date(2023, 10, 12)


def test_seeding_twice_changes_nothing(seeded):
    counts = (Membership.objects.count(), Allocation.objects.count())
    core = seed_core(today=dt.date(2026, 3, 1))
    demo.seed_committees(areas=core["areas"], users=core["users"])
    assert (Membership.objects.count(), Allocation.objects.count()) == counts
    status = selectors.committee_budget_status(None, 2023, as_of=dt.date(2023, 9, 19))
    assert status.used == Decimal("11943.36")
