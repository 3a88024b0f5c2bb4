"""Attacks found in review of the sealed-vote design (issue #10), replayed.

Each test failed on the design as first merged and passes with the fix beside it. (The
review's paper-vote eligibility and import findings are covered by
test_eligibility_freeze.py, where the shared eligibility check is tested.)
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ideas.models import Proposal
from omakouvola.models import Role
from voting import services
from voting.models import VerifiedIdentity, VoterRoll
from voting.selectors import ballot_profile

from ..factories import BallotFactory, ProposalFactory, UserFactory, factory_election_key, helsinki

pytestmark = pytest.mark.django_db

PIC = "010190-123M"  # a valid personal identity code (born 1990)


@pytest.fixture
def open_ballot(area, cycle, time_machine):
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    proposals = [
        ProposalFactory(cycle=cycle, title=t, cost=1000, status="approved", area=area)
        for t in ("Penkit", "Muraali")
    ]
    return BallotFactory(cycle=cycle, area=area, money=10_000, proposals=proposals), proposals


@pytest.fixture
def clerk(db):
    return UserFactory(email="aino@kouvola.fi", display_name="Aino", roles=[Role.PAPER_VOTE_CLERK])


def _counted_titles(ballot) -> list[str]:
    ids = [pk for chosen in ballot_profile(ballot, factory_election_key()[0]) for pk in chosen]
    return sorted(Proposal.objects.get(pk=pk).title for pk in ids)


def _rotate(settings) -> None:
    settings.VOTE_SECRET_FALLBACKS = [settings.VOTE_SECRET]
    settings.VOTE_SECRET = "a-brand-new-vote-secret-after-rotation"


def test_verified_then_rotation_then_paper_then_online_is_one_vote(
    open_ballot, resident, clerk, settings
):
    """Verified under the old secret, a paper vote after the rotation stored the new hash;
    the account still carried the old one, so its online vote was not refused: two votes."""
    ballot, (penkit, muraali) = open_ballot
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier=PIC)
    _rotate(settings)
    services.paper_vote_record(
        clerk=clerk, ballot=ballot, identifier=PIC, proposal_ids=[penkit.pk], postal_code="45100"
    )
    resident = type(resident).objects.get(pk=resident.pk)
    with pytest.raises(ValidationError) as excinfo:
        services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[muraali.pk])
    assert excinfo.value.messages == [str(services.ALREADY_VOTED)]
    assert VoterRoll.objects.filter(ballot=ballot).count() == 1
    assert _counted_titles(ballot) == ["Penkit"]


def test_rotation_then_paper_vote_rekeys_the_verified_account(
    open_ballot, resident, clerk, settings
):
    ballot, (penkit, _muraali) = open_ballot
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier=PIC)
    _rotate(settings)
    services.paper_vote_record(
        clerk=clerk, ballot=ballot, identifier=PIC, proposal_ids=[penkit.pk], postal_code="45100"
    )
    paper = VoterRoll.objects.get(ballot=ballot)
    assert VerifiedIdentity.objects.get(user=resident).identity_hash == paper.identity_hash


@pytest.mark.parametrize("raw", ["²", "٣", "9" * 5000, "99999999999999999999"])
def test_a_crafted_ballot_number_on_the_paper_page_is_no_500(client, open_ballot, clerk, raw):
    """Superscript digits pass str.isdigit() but not int(); 5 000 digits exceed Python's
    limit; 20 digits overflow the database's integer: each was a server error."""
    client.force_login(clerk)
    assert client.get("/fi/voting/paper/", {"ballot": raw}).status_code == 200
    response = client.post("/fi/voting/paper/", {"ballot": raw, "identifier": PIC})
    assert response.status_code == 200
    assert not VoterRoll.objects.exists()
