"""The cycle's phases, areas and postal codes, and money formatting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from omakouvola.formatting import format_euros
from omakouvola.models import Phase

from ..factories import CycleFactory, UserFactory, helsinki

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (helsinki(2026, 9, 30, 23, 59), None),
        (helsinki(2026, 10, 1, 0, 0), Phase.PREPARATION),
        (helsinki(2026, 10, 31, 23, 59, 59), Phase.PREPARATION),
        (helsinki(2026, 11, 1, 0, 0), Phase.IDEATION),
        (helsinki(2026, 12, 31, 23, 59, 59), Phase.IDEATION),
        (helsinki(2027, 1, 1, 0, 0), None),  # the gap between ideation and workshops
        (helsinki(2027, 1, 8, 0, 0), Phase.WORKSHOPS),
        (helsinki(2027, 1, 26, 0, 0), Phase.VOTING),
        (helsinki(2027, 2, 8, 23, 59), Phase.VOTING),
        (helsinki(2027, 2, 9, 0, 0), Phase.DECISION),
        (helsinki(2027, 3, 1, 0, 0), Phase.IMPLEMENTATION),
        (helsinki(2027, 12, 31, 23, 59), Phase.IMPLEMENTATION),
        (helsinki(2028, 1, 1, 0, 0), None),
    ],
)
def test_the_phase_is_read_off_the_helsinki_calendar(at, expected):
    cycle = CycleFactory(opening_year=2026)
    assert cycle.current_phase(at) == expected


def test_ideation_opens_at_midnight_in_helsinki_not_at_midnight_utc():
    """At 23:30 UTC on 31 October it is already 1 November (01:30) in Helsinki."""
    cycle = CycleFactory(opening_year=2026)
    assert cycle.current_phase(dt.datetime(2026, 10, 31, 21, 59, tzinfo=dt.UTC)) == (
        Phase.PREPARATION
    )
    assert cycle.current_phase(dt.datetime(2026, 10, 31, 22, 0, tzinfo=dt.UTC)) == Phase.IDEATION


def test_voting_closes_at_helsinki_midnight_across_the_spring_dst_change():
    """Voting that ends on the last Sunday of March (DST starts 03:00) still ends at 24:00."""
    cycle = CycleFactory(
        opening_year=2026,
        voting_starts_on=dt.date(2027, 3, 20),
        voting_ends_on=dt.date(2027, 3, 28),
        decision_starts_on=dt.date(2027, 3, 29),
        decision_ends_on=dt.date(2027, 4, 15),
        implementation_starts_on=dt.date(2027, 4, 16),
    )
    # 28 March 2027 is a Sunday; Helsinki moves from UTC+2 to UTC+3 that night.
    assert cycle.current_phase(dt.datetime(2027, 3, 28, 20, 59, tzinfo=dt.UTC)) == Phase.VOTING
    assert cycle.current_phase(dt.datetime(2027, 3, 28, 21, 0, tzinfo=dt.UTC)) == Phase.DECISION


def test_autumn_dst_change_keeps_the_day_boundary_at_local_midnight():
    """31 October 2026 is the last Sunday of October: Helsinki goes back to UTC+2."""
    cycle = CycleFactory(opening_year=2026)
    # 1 November 00:00 in Helsinki (UTC+2 after the change) is 31 October 22:00 UTC.
    assert cycle.current_phase(helsinki(2026, 11, 1, 0, 0)) == Phase.IDEATION
    assert helsinki(2026, 11, 1, 0, 0).utcoffset() == dt.timedelta(hours=2)


def test_the_timeline_marks_the_open_phase_and_the_past_ones():
    cycle = CycleFactory(opening_year=2026)
    spans = cycle.phases(helsinki(2027, 1, 30, 12))
    assert [s.phase for s in spans] == [
        Phase.IDEATION,
        Phase.WORKSHOPS,
        Phase.VOTING,
        Phase.DECISION,
        Phase.IMPLEMENTATION,
    ]
    assert [s.is_current for s in spans] == [False, False, True, False, False]
    assert [s.is_past for s in spans] == [True, True, False, False, False]


def test_the_database_refuses_phases_out_of_order():
    with pytest.raises(IntegrityError):
        CycleFactory(opening_year=2026, voting_starts_on=dt.date(2026, 12, 1))


def test_a_postal_code_maps_to_its_area(area, valkeala):
    aili = UserFactory(postal_code="45360")
    assert aili.area == valkeala
    assert UserFactory(postal_code="").area is None
    assert UserFactory(postal_code="00100").area is None


def test_the_database_refuses_a_birth_year_before_1900():
    with pytest.raises(IntegrityError):
        UserFactory(birth_year=1850)


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        (Decimal("93500"), "fi", "93\u00a0500,00\u00a0€"),
        (Decimal("11943.36"), "fi", "11\u00a0943,36\u00a0€"),
        (Decimal("154512"), "sv", "154\u00a0512,00\u00a0€"),
        (Decimal("9500"), "en", "€9,500.00"),
        (Decimal("0.005"), "fi", "0,01\u00a0€"),
        (Decimal("-250"), "fi", "-250,00\u00a0€"),
        (None, "fi", ""),
    ],
)
def test_money_is_written_the_way_the_language_writes_it(amount, language, expected):
    assert format_euros(amount, language=language) == expected
