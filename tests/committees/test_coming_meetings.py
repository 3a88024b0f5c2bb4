"""The public committee page lists only meetings still to come, soonest first."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from committees.models import Meeting, MeetingStatus

from .factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def _coming(body: str) -> str:
    match = re.search(r"Tulevat kokoukset</h3>(.*?)</ul>", body, re.S)
    return match.group(1) if match else ""


def test_a_planned_meeting_from_2023_is_not_listed_as_coming(client):
    committee = CommitteeFactory()
    Meeting.objects.create(
        committee=committee,
        starts_at=dt.datetime(2023, 10, 12, 18, tzinfo=dt.UTC),
        place="Valkealan kirjasto",
        status=MeetingStatus.PLANNED,
    )
    later = timezone.now() + dt.timedelta(days=40)
    sooner = timezone.now() + dt.timedelta(days=10)
    for when, place in ((later, "Kyläkoulu"), (sooner, "Seurojentalo")):
        Meeting.objects.create(committee=committee, starts_at=when, place=place)
    body = client.get(f"/fi/committees/{committee.slug}/").content.decode()
    coming = _coming(body)
    assert "Valkealan kirjasto" not in coming
    assert coming.index("Seurojentalo") < coming.index("Kyläkoulu")
