"""Object-level isolation with real ids: nobody reaches another person's things."""

from __future__ import annotations

import pytest

from committees import services as committee_services
from ideas.models import VolunteerPledge

from ..committees.conftest import (  # noqa: F401 - fixtures
    chair_user,
    committee,
    conflicted_user,
    deputy_user,
    funding_request,
    keskusta_committee,
    member_user,
    other_member_user,
    valkeala_committee,
)
from ..factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_another_committees_member_cannot_read_internal_comments(
    client, committee, funding_request, member_user, other_member_user
):
    committee_services.comment_add(
        actor=member_user, funding_request=funding_request, text="Sisäinen: hakija tuttu."
    )
    client.force_login(other_member_user)
    response = client.get(f"/en/committees/requests/{funding_request.pk}/")
    assert response.status_code == 403
    assert "Sisäinen" not in response.content.decode()
    client.force_login(member_user)
    assert client.get(f"/en/committees/requests/{funding_request.pk}/").status_code == 200


def test_a_resident_cannot_withdraw_another_residents_pledge(
    client, cycle, resident, other_resident
):
    idea = IdeaFactory(cycle=cycle)
    pledge = VolunteerPledge.objects.create(user=other_resident, idea=idea, what="x", hours=2)
    client.force_login(resident)
    assert client.post(f"/en/pledges/{pledge.pk}/withdraw/").status_code == 404
    assert VolunteerPledge.objects.filter(pk=pledge.pk).exists()


def test_a_resident_cannot_edit_or_withdraw_another_residents_idea(
    client, cycle, resident, other_resident
):
    idea = IdeaFactory(cycle=cycle, submitter=other_resident, title="Toisen idea")
    client.force_login(resident)
    assert client.get(f"/en/ideas/{idea.pk}/edit/").status_code == 404
    assert client.post(f"/en/ideas/{idea.pk}/withdraw/").status_code == 404
    idea.refresh_from_db()
    assert (idea.status, idea.title) == ("submitted", "Toisen idea")


def test_a_funding_application_is_reached_only_by_its_secret_link(client, funding_request):
    application = funding_request.application
    assert client.get(f"/en/committees/applications/{application.token}/").status_code == 200
    guess = application.token[:-1] + ("a" if application.token[-1] != "a" else "b")
    assert client.get(f"/en/committees/applications/{guess}/").status_code == 404
    assert len(application.token) >= 32
