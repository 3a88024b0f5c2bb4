"""Issue #10's attacks on the secrecy and the one-person-one-vote rule, replayed.

The attacker holds a full dump of the PostgreSQL database, VOTE_SECRET and (strongest
case) the election's private key as well; they know every person's choices in advance
and try to pair voters with votes by audit order, row order, xmin and creation times.
Matching by chance gives one right pair in expectation; the old code gave 20 of 20.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ideas.models import Proposal
from omakouvola.models import AuditEntry, Role
from voting import privacy, secrecy, services
from voting.models import VerifiedIdentity, Vote, VoterRoll

from ..factories import (
    BallotFactory,
    ProposalFactory,
    UserFactory,
    factory_election_key,
    helsinki,
)

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 20
# A random permutation of 20 has one fixed point on average; six or more happens about
# once in 1 400 draws (Poisson tail), so this bound only fails for a real leak.
CHANCE_BOUND = 5


@pytest.fixture
def election(area, cycle, time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    proposals = [
        ProposalFactory(cycle=cycle, title=f"P{n}", cost=100, status="approved", area=area)
        for n in range(VOTERS)
    ]
    ballot = BallotFactory(
        cycle=cycle,
        area=area,
        money=100_000,
        selection_rule="approval",
        max_choices=1,
        proposals=proposals,
    )
    voters = [UserFactory(email=f"voter{n}@example.fi", postal_code="45100") for n in range(VOTERS)]
    # Voter n chooses proposal n: the attacker knows it and only needs the pairing.
    for voter, proposal in zip(voters, proposals, strict=True):
        services.vote_cast(actor=voter, ballot=ballot, proposal_ids=[proposal.pk])
    return ballot, voters, proposals


def _choice_of(vote_sealed) -> int:
    return secrecy.open_choices(factory_election_key()[0], vote_sealed)[0]


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _matches(voter_order: list[int], vote_order: list[int], chosen_by: dict[int, int]) -> int:
    """Pair the i-th voter with the i-th vote and count the right pairs."""
    return sum(
        1
        for user_id, proposal_id in zip(voter_order, vote_order, strict=False)
        if chosen_by[user_id] == proposal_id
    )


def _votes_in_physical_order(ballot) -> list[int]:
    rows = _rows("SELECT sealed FROM voting_vote WHERE ballot_id = %s ORDER BY ctid", [ballot.pk])
    return [_choice_of(row[0]) for row in rows]


def _votes_by_id(ballot) -> list[int]:
    rows = _rows("SELECT sealed FROM voting_vote WHERE ballot_id = %s ORDER BY id", [ballot.pk])
    return [_choice_of(row[0]) for row in rows]


def _voters_in_cast_order(ballot) -> list[int]:
    entries = AuditEntry.objects.filter(action__startswith="vote.").order_by("at", "pk")
    from_audit = [e.actor_id for e in entries if e.actor_id]
    if from_audit:
        return from_audit
    # Without audit entries, the roll's own order (sequential ids) is the cast order.
    return list(
        VoterRoll.objects.filter(ballot=ballot).order_by("pk").values_list("user", flat=True)
    )


def test_audit_order_and_row_order_pair_no_better_than_chance(election):
    ballot, voters, proposals = election
    chosen_by = {v.pk: p.pk for v, p in zip(voters, proposals, strict=True)}
    assert not AuditEntry.objects.filter(action__in=["vote.cast", "vote.change"]).exists()
    cast_order = _voters_in_cast_order(ballot)
    assert len(cast_order) == VOTERS
    assert _matches(cast_order, _votes_in_physical_order(ballot), chosen_by) <= CHANCE_BOUND
    assert _matches(cast_order, _votes_by_id(ballot), chosen_by) <= CHANCE_BOUND


def test_xmin_of_the_roll_never_equals_the_xmin_of_a_vote(election):
    ballot, _voters, _proposals = election
    roll_xmins = {
        row[0]
        for row in _rows(
            "SELECT xmin::text FROM voting_voterroll WHERE ballot_id = %s", [ballot.pk]
        )
    }
    vote_xmins = [
        row[0]
        for row in _rows("SELECT xmin::text FROM voting_vote WHERE ballot_id = %s", [ballot.pk])
    ]
    assert len(roll_xmins) == VOTERS
    assert not roll_xmins & set(vote_xmins)
    # One xmin for all the ballot's votes: they were last written together, by the mix.
    assert len(set(vote_xmins)) == 1


def test_votes_carry_no_time_and_one_size(election):
    ballot, _voters, _proposals = election
    columns = _rows(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'voting_vote'",
        [],
    )
    assert not [name for name, kind in columns if "time" in kind or "date" in kind]
    sizes = _rows(
        "SELECT DISTINCT length(sealed) FROM voting_vote WHERE ballot_id = %s", [ballot.pk]
    )
    assert len(sizes) == 1


def test_without_the_key_the_dump_and_vote_secret_show_no_choice(election):
    """Every column of a vote is random-looking; nothing names a proposal in the clear."""
    ballot, _voters, proposals = election
    for vote in Vote.objects.filter(ballot=ballot):
        assert not hasattr(vote, "voter_key")
        raw = bytes(vote.sealed)
        assert not any(str(p.pk).encode() + b"]" in raw for p in proposals)


def test_an_anonymised_copy_pairs_no_better_than_chance(election):
    ballot, voters, proposals = election
    chosen_by = {v.pk: p.pk for v, p in zip(voters, proposals, strict=True)}
    cast_order = _voters_in_cast_order(ballot)
    privacy.anonymise()
    assert _matches(cast_order, _votes_in_physical_order(ballot), chosen_by) <= CHANCE_BOUND
    vote_xmins = {r[0] for r in _rows("SELECT xmin::text FROM voting_vote", [])}
    roll_xmins = {r[0] for r in _rows("SELECT xmin::text FROM voting_voterroll", [])}
    assert len(vote_xmins) == 1 and not vote_xmins & roll_xmins


def test_after_publication_not_even_the_key_links_a_voter(election, coordinator, time_machine):
    ballot, _voters, proposals = election
    time_machine.move_to(helsinki(2027, 2, 9, 12, 0), tick=True)
    from ..factories import TEST_ELECTION_PASSPHRASE

    result = services.results_publish(
        actor=coordinator, ballot=ballot, passphrase=TEST_ELECTION_PASSPHRASE
    )
    assert result.votes_counted == VOTERS
    assert not VoterRoll.objects.filter(sealed_pointer__isnull=False).exists()
    assert sorted(p for chosen in result.ballots for p in chosen) == sorted(p.pk for p in proposals)


# ---------------------------------------------------------------------------------------
# One person, one counted vote
# ---------------------------------------------------------------------------------------


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
    from voting.selectors import ballot_profile

    ids = [pk for chosen in ballot_profile(ballot, factory_election_key()[0]) for pk in chosen]
    return sorted(Proposal.objects.get(pk=pk).title for pk in ids)


def test_online_then_verified_then_online_again_is_one_counted_vote(open_ballot, resident, clerk):
    ballot, (penkit, muraali) = open_ballot
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[penkit.pk])
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier="010190-123M")
    resident.refresh_from_db()
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[muraali.pk])
    assert VoterRoll.objects.filter(ballot=ballot).count() == 1
    assert _counted_titles(ballot) == ["Muraali"]


def test_online_then_verified_then_paper_with_the_same_identifier_is_refused(
    open_ballot, resident, clerk
):
    ballot, (penkit, muraali) = open_ballot
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[penkit.pk])
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier="010190-123M")
    with pytest.raises(ValidationError) as excinfo:
        services.paper_vote_record(
            clerk=clerk,
            ballot=ballot,
            identifier="010190-123m",
            proposal_ids=[muraali.pk],
            postal_code="45100",
        )
    assert excinfo.value.messages == [str(services.ALREADY_VOTED)]
    assert _counted_titles(ballot) == ["Penkit"]


def test_re_verifying_with_a_different_identifier_is_refused(open_ballot, resident, clerk):
    ballot, (penkit, muraali) = open_ballot
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier="010190-123M")
    resident.refresh_from_db()
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[penkit.pk])
    with pytest.raises(ValidationError) as excinfo:
        services.identity_verify_in_person(clerk=clerk, user=resident, identifier="020290-456U")
    assert excinfo.value.messages == [str(services.IDENTITY_MISMATCH)]
    resident.refresh_from_db()
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[muraali.pk])
    assert _counted_titles(ballot) == ["Muraali"]


def test_rotating_vote_secret_then_changing_a_vote_replaces_it(open_ballot, resident, settings):
    ballot, (penkit, muraali) = open_ballot
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[penkit.pk])
    settings.VOTE_SECRET_FALLBACKS = [settings.VOTE_SECRET]
    settings.VOTE_SECRET = "a-brand-new-vote-secret-after-rotation"
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[muraali.pk])
    assert VoterRoll.objects.filter(ballot=ballot).count() == 1
    assert _counted_titles(ballot) == ["Muraali"]


def test_a_paper_voter_is_still_known_after_the_secret_rotates(open_ballot, clerk, settings):
    ballot, (penkit, muraali) = open_ballot
    services.paper_vote_record(
        clerk=clerk,
        ballot=ballot,
        identifier="010190-123M",
        proposal_ids=[penkit.pk],
        postal_code="45100",
    )
    settings.VOTE_SECRET_FALLBACKS = [settings.VOTE_SECRET]
    settings.VOTE_SECRET = "a-brand-new-vote-secret-after-rotation"
    with pytest.raises(ValidationError):
        services.paper_vote_record(
            clerk=clerk,
            ballot=ballot,
            identifier="010190-123M",
            proposal_ids=[muraali.pk],
            postal_code="45100",
        )
    assert _counted_titles(ballot) == ["Penkit"]


def test_a_paper_vote_cannot_be_seen_or_changed_through_an_account(
    client, open_ballot, clerk, resident
):
    """The old attack: a clerk verified an account with a paper voter's identifier, and
    the ballot page showed that voter's choices with a "change my vote" button."""
    ballot, (penkit, muraali) = open_ballot
    services.paper_vote_record(
        clerk=clerk,
        ballot=ballot,
        identifier="010190-123M",
        proposal_ids=[penkit.pk],
        postal_code="45100",
    )
    other_clerk = UserFactory(email="b@kouvola.fi", roles=[Role.PAPER_VOTE_CLERK])
    services.identity_verify_in_person(clerk=other_clerk, user=resident, identifier="010190-123M")
    client.force_login(resident)
    page = client.get(f"/en/voting/{ballot.pk}/").content.decode()
    assert "You have voted on this ballot" not in page
    assert "checked" not in page.split("ballot-form", 1)[1]
    assert client.get(f"/en/voting/{ballot.pk}/receipt/").status_code == 404
    response = client.post(f"/en/voting/{ballot.pk}/", {"proposals": [muraali.pk]})
    assert "already been recorded" in response.content.decode()
    assert _counted_titles(ballot) == ["Penkit"]


def test_a_clerk_cannot_verify_their_own_account(clerk):
    with pytest.raises(ValidationError) as excinfo:
        services.identity_verify_in_person(clerk=clerk, user=clerk, identifier="010190-123M")
    assert excinfo.value.messages == [str(services.CANNOT_VERIFY_SELF)]
    assert not hasattr(clerk, "verified_identity") or clerk.verified_identity is None


def test_every_verification_is_audited_with_the_clerks_name(clerk, resident):
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier="010190-123M")
    entry = AuditEntry.objects.get(action="identity.verify_in_person")
    assert entry.actor == clerk and entry.actor_label == clerk.email
    assert "Aino" in entry.note
    assert entry.object_id == str(resident.pk)


# ---------------------------------------------------------------------------------------
# Found in review of the merged design: a secret rotation between verification and a
# paper vote, and crafted ballot numbers on the clerk's page
# ---------------------------------------------------------------------------------------

ROTATION_PIC = "010190-123M"


def _rotate(settings) -> None:
    settings.VOTE_SECRET_FALLBACKS = [settings.VOTE_SECRET]
    settings.VOTE_SECRET = "a-brand-new-vote-secret-after-rotation"


def test_verified_then_rotation_then_paper_then_online_is_one_vote(
    open_ballot, resident, clerk, settings
):
    """Verified under the old secret, a paper vote after the rotation stored the new hash;
    the account still carried the old one, so its online vote was not refused: two votes."""
    ballot, (penkit, muraali) = open_ballot
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier=ROTATION_PIC)
    _rotate(settings)
    services.paper_vote_record(
        clerk=clerk,
        ballot=ballot,
        identifier=ROTATION_PIC,
        proposal_ids=[penkit.pk],
        postal_code="45100",
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
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier=ROTATION_PIC)
    _rotate(settings)
    services.paper_vote_record(
        clerk=clerk,
        ballot=ballot,
        identifier=ROTATION_PIC,
        proposal_ids=[penkit.pk],
        postal_code="45100",
    )
    paper = VoterRoll.objects.get(ballot=ballot)
    assert VerifiedIdentity.objects.get(user=resident).identity_hash == paper.identity_hash


@pytest.mark.parametrize("raw", ["²", "٣", "9" * 5000, "99999999999999999999"])
def test_a_crafted_ballot_number_on_the_paper_page_is_no_500(client, open_ballot, clerk, raw):
    """Superscript digits pass str.isdigit() but not int(); 5 000 digits exceed Python's
    limit; 20 digits overflow the database's integer: each was a server error."""
    client.force_login(clerk)
    assert client.get("/fi/voting/paper/", {"ballot": raw}).status_code == 200
    response = client.post("/fi/voting/paper/", {"ballot": raw, "identifier": ROTATION_PIC})
    assert response.status_code == 200
    assert not VoterRoll.objects.exists()
