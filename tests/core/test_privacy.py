"""GDPR: download my data, delete my account, retention of identifiers and contacts."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ideas.models import Idea, VolunteerPledge, WorkshopRegistration
from omakouvola import services
from omakouvola.models import AuditEntry, User
from voting import services as voting_services
from voting.models import Vote, VoterRoll

from ..factories import (
    BallotFactory,
    IdeaFactory,
    ProposalFactory,
    WorkshopFactory,
    helsinki,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_resident(resident, cycle, area, time_machine):
    """A resident with an idea, a pledge, a workshop seat, a profile change and a vote."""
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=False)
    idea = IdeaFactory(cycle=cycle, submitter=resident, title="Lintutorni")
    VolunteerPledge.objects.create(
        user=resident, idea=IdeaFactory(cycle=cycle), what="Apu", hours=3
    )
    WorkshopRegistration.objects.create(
        workshop=WorkshopFactory(cycle=cycle, starts_at=helsinki(2027, 2, 20, 17)),
        user=resident,
        status="registered",
        seat=1,
    )
    services.user_update_profile(
        actor=resident,
        user=resident,
        display_name="Aili",
        postal_code="45100",
        birth_year=1994,
        preferred_language="fi",
        receives_optional_email=True,
    )
    proposal = ProposalFactory(cycle=cycle, status="approved", cost=100)
    ballot = BallotFactory(cycle=cycle, proposals=[proposal])
    voting_services.vote_cast(
        actor=User.objects.get(pk=resident.pk), ballot=ballot, proposal_ids=[proposal.pk]
    )
    return resident, idea


def test_the_download_holds_the_persons_data_but_not_their_choices(client, active_resident):
    resident, _idea = active_resident
    client.force_login(resident)
    response = client.get("/en/profile/my-data.json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == "aili@example.fi"
    assert [i["title"] for i in data["ideas"]["ideas"]] == ["Lintutorni"]
    assert data["ideas"]["volunteer_pledges"][0]["hours"] == 3
    assert data["voting"]["ballots_you_voted_on"][0]["channel"] == "web"
    assert "proposal" not in json.dumps(data["voting"]).lower().replace("note", "")


def test_deleting_an_account_keeps_ideas_and_votes_but_not_the_person(client, active_resident):
    resident, idea = active_resident
    pk = resident.pk
    client.force_login(resident)
    wrong = client.post("/en/profile/delete/", {"password": "väärä", "confirm": "on"})
    assert wrong.status_code == 200 and User.objects.filter(pk=pk).exists()
    response = client.post("/en/profile/delete/", {"password": "salasana-123", "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    idea.refresh_from_db()
    assert (idea.submitter, idea.title) == (None, "Lintutorni")
    assert Vote.objects.count() == 1
    assert VoterRoll.objects.get().user is None
    assert not VolunteerPledge.objects.exists()
    assert not WorkshopRegistration.objects.exists()
    log = " ".join(
        f"{e.actor_label} {e.object_repr} {e.changes} {e.note}" for e in AuditEntry.objects.all()
    )
    assert "aili@example.fi" not in log and "45100" not in log
    assert AuditEntry.objects.filter(action="user.delete").exists()


def test_retention_removes_paper_identifiers_after_the_period(
    cycle, proposals_for_retention, settings
):
    ballot, roll = proposals_for_retention
    settings.RETENTION_PAPER_VOTER_DAYS = 30
    assert services.apply_retention(at=ballot.closes_at + dt.timedelta(days=10))["voting"] == {
        "paper_voter_identifiers": 0
    }
    result = services.apply_retention(at=ballot.closes_at + dt.timedelta(days=31))
    assert result["voting"] == {"paper_voter_identifiers": 1}
    roll.refresh_from_db()
    assert roll.identity_hash == ""


@pytest.fixture
def proposals_for_retention(cycle):
    ballot = BallotFactory(cycle=cycle)
    roll = VoterRoll.objects.create(
        ballot=ballot, identity_hash="a" * 64, channel="paper", voted_on=dt.date(2027, 1, 30)
    )
    return ballot, roll


def test_the_retention_command_prints_what_it_removed(cycle):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("apply_retention", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) >= {"voting", "committees"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_privacy_statement_exists_in_each_language(client, language):
    response = client.get(f"/{language}/privacy/")
    assert response.status_code == 200
    assert "tietosuoja@kouvola.fi" in response.content.decode()


def test_ideas_keep_no_name_after_deletion_in_public(client, active_resident):
    resident, idea = active_resident
    services.user_delete_account(actor=resident, user=resident)
    assert Idea.objects.get(pk=idea.pk).submitter_id is None


def test_an_anonymised_copy_keeps_the_data_but_no_person(active_resident, settings):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    resident, idea = active_resident
    with pytest.raises(CommandError, match="Anonymise copies only"):
        call_command("anonymise_copy", stdout=StringIO())
    call_command("anonymise_copy", "--skip-name-check", stdout=StringIO())
    resident.refresh_from_db()
    assert resident.email == f"user{resident.pk}@example.invalid"
    assert not resident.has_usable_password()
    assert resident.birth_year == 1990
    assert Idea.objects.get(pk=idea.pk).title == "Lintutorni"
    assert Vote.objects.count() == 1
    assert not AuditEntry.objects.filter(actor_label__contains="@").exists()
