"""Issue #10, items 3 and 4: one eligibility check for every channel, and frozen means frozen.

Each test replays an attack from the issue; on the code before the fix each one got
through (the paper vote, the import or the admin change was stored).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from ideas.models import Proposal
from omakouvola.models import AuditEntry
from voting import eligibility, services
from voting.importing import parse_paper_votes
from voting.models import Ballot, BallotGroup, Vote, VoterRoll
from voting.selectors import ballot_turnout

from ..factories import (
    TEST_ELECTION_PASSPHRASE,
    AreaFactory,
    BallotFactory,
    PostalCodeFactory,
    UserFactory,
    helsinki,
)

HETU_1940 = "150340-123C"
HETU_2010 = "010110A1230"
HETU_2012 = "010112A345N"
HETU_1990 = "010190-2347"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the freeze triggers are PostgreSQL only"
)


def _ids(*proposals):
    return [p.pk for p in proposals]


@pytest.fixture
def anjalankoski(db):
    area = AreaFactory(slug="anjalankoski", name="Anjalankoski", name_sv="Anjalankoski")
    PostalCodeFactory(code="46900", locality="Anjalankoski", area=area)
    return area


@pytest.fixture
def youth_ballot(cycle, area, proposals):
    return BallotFactory(
        cycle=cycle, name="Nuoret 2027", min_age=13, max_age=20, proposals=proposals
    )


def _paper(clerk, ballot, proposals, identifier, **extra):
    return services.paper_vote_record(
        clerk=clerk,
        ballot=ballot,
        identifier=identifier,
        proposal_ids=_ids(proposals[0]),
        **extra,
    )


# ---------------------------------------------------------------------------------------
# Item 3: one eligibility check for every channel
# ---------------------------------------------------------------------------------------


def test_a_paper_vote_by_someone_born_1940_is_refused_on_the_youth_ballot(
    youth_ballot, proposals, clerk, during_voting
):
    for birth_year in (1940, None):  # typed by the clerk, or read from the identity code
        with pytest.raises(ValidationError) as excinfo:
            _paper(
                clerk,
                youth_ballot,
                proposals,
                HETU_1940,
                birth_year=birth_year,
                postal_code="45100",
            )
        assert excinfo.value.messages == [str(services.TOO_OLD % {"age": 20})]
    assert not VoterRoll.objects.exists()
    assert ballot_turnout(youth_ballot)["total"] == 0


def test_a_paper_vote_cannot_claim_a_birth_year_the_identity_code_contradicts(
    youth_ballot, proposals, clerk, during_voting
):
    with pytest.raises(ValidationError) as excinfo:
        _paper(clerk, youth_ballot, proposals, HETU_1940, birth_year=2010, postal_code="45100")
    assert excinfo.value.message == eligibility.BIRTH_YEAR_MISMATCH
    assert not Vote.objects.exists()
    vote = _paper(clerk, youth_ballot, proposals, HETU_2010, postal_code="45100")
    assert VoterRoll.objects.get().age_band == "13-17"
    assert VoterRoll.objects.get().channel == "paper" and vote.sealed


def test_a_keskusta_postal_code_is_refused_on_an_anjalankoski_only_ballot(
    cycle, anjalankoski, area, proposals, clerk, during_voting
):
    only_anjalankoski = BallotFactory(
        cycle=cycle, area=anjalankoski, residency="area", proposals=proposals
    )
    with pytest.raises(ValidationError) as excinfo:
        _paper(clerk, only_anjalankoski, proposals, HETU_1990, postal_code="45100")
    assert excinfo.value.messages == [str(services.NOT_RESIDENT % {"where": "Anjalankoski"})]
    with pytest.raises(ValidationError) as excinfo:
        _paper(clerk, only_anjalankoski, proposals, HETU_1990)
    assert excinfo.value.messages == [
        str(eligibility.PAPER_POSTAL_CODE_NEEDED % {"where": "Anjalankoski"})
    ]
    assert ballot_turnout(only_anjalankoski)["total"] == 0
    _paper(clerk, only_anjalankoski, proposals, HETU_1990, postal_code="46900")
    assert ballot_turnout(only_anjalankoski)["by_area"] == {"Anjalankoski": 1}


@pytest.mark.parametrize("n", range(5))
def test_invented_identifiers_give_no_vote(ballot, proposals, clerk, during_voting, n):
    with pytest.raises(ValidationError) as excinfo:
        _paper(clerk, ballot, proposals, f"fake-{n}", postal_code="45100")
    assert excinfo.value.message == eligibility.INVALID_HETU
    assert not Vote.objects.exists()
    assert not VoterRoll.objects.exists()


@pytest.mark.parametrize("bad", ["010110A1231", "320110A1230", "010110Q1230", "010110A12"])
def test_a_personal_identity_code_is_checked_before_it_is_hashed(bad):
    with pytest.raises(ValidationError) as excinfo:
        eligibility.identifier_clean(bad)
    assert excinfo.value.code == "invalid_identifier"
    assert eligibility.identifier_clean(" 010110a1230 ").value == HETU_2010


def test_other_identifiers_only_where_the_city_allows_them(ballot, proposals, clerk, during_voting):
    with override_settings(VOTING_OTHER_IDENTIFIERS=True):
        _paper(clerk, ballot, proposals, "passport XK1234567", postal_code="45100")
    assert VoterRoll.objects.count() == 1


def test_verifying_an_account_in_person_needs_a_valid_identity_code(resident, clerk, db):
    with pytest.raises(ValidationError) as excinfo:
        services.identity_verify_in_person(clerk=clerk, user=resident, identifier="fake-0")
    assert excinfo.value.message == eligibility.INVALID_HETU


def test_paper_and_online_go_through_the_same_check(youth_ballot, proposals, clerk, during_voting):
    """The same person, described once as an account and once to the clerk: same answer."""
    online = UserFactory(email="senior@example.fi", postal_code="45100", birth_year=1940)
    paper = eligibility.paper_voter(identifier=HETU_1940, birth_year=None, postal_code="45100")
    assert services.eligibility_problems(online, youth_ballot) == eligibility.problems(
        youth_ballot, paper
    )


def test_a_paper_vote_respects_the_one_area_group(
    cycle, area, anjalankoski, proposals, clerk, during_voting
):
    group = BallotGroup.objects.create(cycle=cycle, name="Alueet", choice="free")
    first = BallotFactory(cycle=cycle, group=group, proposals=proposals[:1])
    second = BallotFactory(cycle=cycle, group=group, proposals=proposals[1:2])
    services.paper_vote_record(
        clerk=clerk,
        ballot=first,
        identifier=HETU_1990,
        proposal_ids=_ids(proposals[0]),
        postal_code="45100",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.paper_vote_record(
            clerk=clerk,
            ballot=second,
            identifier=HETU_1990,
            proposal_ids=_ids(proposals[1]),
            postal_code="45100",
        )
    assert excinfo.value.messages == [
        str(eligibility.PAPER_OTHER_AREA_IN_GROUP % {"ballot": first.name})
    ]


def _import(actor, ballot, proposals):
    content = f"proposals;age_band;postal_code\n{proposals[0].pk};30-49;45100\n".encode()
    return content, lambda rows: services.paper_votes_import(
        actor=actor, ballot=ballot, source_name="kirjasto.csv", rows=rows
    )


def test_the_paper_import_is_refused_on_a_closed_published_and_decided_ballot(
    coordinator, decision_maker, ballot, proposals, time_machine, during_voting
):
    voters = [UserFactory(postal_code="45100") for _ in range(3)]
    for voter in voters:
        services.vote_cast(actor=voter, ballot=ballot, proposal_ids=_ids(proposals[0]))
    content, do_import = _import(coordinator, ballot, proposals)
    rows = parse_paper_votes(ballot, content).rows
    assert rows

    time_machine.move_to(helsinki(2027, 2, 9, 10, 0), tick=False)  # closed
    assert parse_paper_votes(ballot, content).errors[0][0] == 0
    with pytest.raises(ValidationError) as excinfo:
        do_import(rows)
    assert excinfo.value.messages == [
        str(eligibility.IMPORT_CLOSED % eligibility.window_params(ballot))
    ]

    services.results_publish(actor=coordinator, ballot=ballot, passphrase=TEST_ELECTION_PASSPHRASE)
    services.winners_decide(
        actor=decision_maker,
        ballot=ballot,
        decided_on=dt.date(2027, 2, 14),
        decision_number="KVL/1/2027",
        rationale="Vahvistetaan.",
        winner_ids=_ids(proposals[0]),
    )
    decided = Ballot.objects.get(pk=ballot.pk)
    with pytest.raises(ValidationError) as excinfo:
        services.paper_votes_import(
            actor=coordinator, ballot=decided, source_name="kirjasto.csv", rows=rows * 2
        )
    assert excinfo.value.messages == [str(eligibility.IMPORT_DECIDED % {"ballot": ballot.name})]
    assert Vote.objects.filter(ballot=ballot).count() == 3
    assert VoterRoll.objects.filter(ballot=ballot).count() == 3
    assert not decided.paper_batches.exists()


def test_the_paper_import_is_refused_once_results_are_published(
    coordinator, ballot, proposals, time_machine, during_voting
):
    services.vote_cast(
        actor=UserFactory(postal_code="45100"), ballot=ballot, proposal_ids=_ids(proposals[0])
    )
    content, do_import = _import(coordinator, ballot, proposals)
    rows = parse_paper_votes(ballot, content).rows
    time_machine.move_to(helsinki(2027, 2, 9, 10, 0), tick=False)
    services.results_publish(actor=coordinator, ballot=ballot, passphrase=TEST_ELECTION_PASSPHRASE)
    # Even if someone reopened the window afterwards, published results stay as counted.
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=helsinki(2027, 3, 1, 0, 0))
    with pytest.raises(ValidationError) as excinfo:
        do_import(rows)
    assert excinfo.value.messages == [str(eligibility.IMPORT_PUBLISHED % {"ballot": ballot.name})]
    assert Vote.objects.count() == 1


def test_imported_rows_follow_the_ballot_rules(
    coordinator, cycle, anjalankoski, area, proposals, during_voting
):
    youth_here = BallotFactory(
        cycle=cycle,
        area=anjalankoski,
        residency="area",
        min_age=13,
        max_age=20,
        proposals=proposals,
    )
    p = proposals[0].pk
    content = (
        "proposals;age_band;postal_code\n"
        f"{p};13-17;46900\n"  # fine
        f"{p};13-17;45100\n"  # Keskusta
        f"{p};65+;46900\n"  # too old
        f"{p};;46900\n"  # no age band on an age-limited ballot
    ).encode()
    parsed = parse_paper_votes(youth_here, content)
    assert [row for row, _ in parsed.errors] == [3, 4, 5]
    with pytest.raises(ValidationError):
        services.paper_votes_import(
            actor=coordinator,
            ballot=youth_here,
            source_name="x.csv",
            rows=[{"proposal_ids": [p], "age_band": "65+", "postal_code": "46900"}],
        )
    assert not Vote.objects.exists()


# ---------------------------------------------------------------------------------------
# The clerk's page
# ---------------------------------------------------------------------------------------


def test_the_clerk_page_asks_what_the_ballot_needs(
    client, clerk, ballot, youth_ballot, cycle, proposals, during_voting
):
    anyone = BallotFactory(cycle=cycle, residency="anyone", proposals=proposals)
    client.force_login(clerk)
    pages = {
        b.pk: client.get(f"/en/voting/paper/?ballot={b.pk}").content.decode()
        for b in (ballot, youth_ballot, anyone)
    }
    assert 'name="postal_code"' in pages[ballot.pk]
    assert 'name="birth_year"' not in pages[ballot.pk]
    assert 'name="birth_year"' in pages[youth_ballot.pk]
    assert 'name="postal_code"' not in pages[anyone.pk]
    response = client.post(
        "/en/voting/paper/",
        {"ballot": youth_ballot.pk, "identifier": HETU_2010, "proposals": [proposals[0].pk]},
    )
    assert response.status_code == 200
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "ei ole kelvollinen henkilötunnus"),
        ("sv", "är inte en giltig finsk personbeteckning"),
    ],
)
def test_the_clerk_page_refuses_in_the_clerks_language(
    client, clerk, ballot, proposals, during_voting, language, expected
):
    client.force_login(clerk)
    response = client.post(
        f"/{language}/voting/paper/",
        {
            "ballot": ballot.pk,
            "identifier": "fake-0",
            "postal_code": "45100",
            "proposals": [proposals[0].pk],
        },
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Vote.objects.exists()


# ---------------------------------------------------------------------------------------
# Item 4: frozen means frozen
# ---------------------------------------------------------------------------------------


def _proposal_form(proposal: Proposal, **changes) -> dict:
    data = {
        "cycle": proposal.cycle_id,
        "title": proposal.title,
        "description": proposal.description,
        "area": proposal.area_id or "",
        "theme": proposal.theme_id or "",
        "cost": str(proposal.cost),
        "responsible_sector": proposal.responsible_sector,
        "sustainability_summary": proposal.sustainability_summary,
        "image_alt_text": proposal.image_alt_text,
    }
    data.update(changes)
    return data


def test_a_proposal_cost_cannot_change_in_the_admin_mid_vote(
    client, coordinator, resident, ballot, proposals, during_voting
):
    penkit = proposals[0]
    client.force_login(coordinator)
    url = f"/admin/ideas/proposal/{penkit.pk}/change/"
    # Before any vote the cost can be corrected.
    response = client.post(url, _proposal_form(penkit, cost="4100"))
    assert response.status_code == 302
    penkit.refresh_from_db()
    assert penkit.cost == 4100
    client.post(url, _proposal_form(penkit, cost="4000"))
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(penkit, proposals[1]))
    penkit.refresh_from_db()
    response = client.post(url, _proposal_form(penkit, cost="9500"), follow=True)
    assert Proposal.objects.get(pk=penkit.pk).cost == 4000
    assert "can no longer" in response.content.decode() or "ei voi enää" in (
        response.content.decode()
    )
    # Other texts (a typo in the title) may still be fixed.
    client.post(url, _proposal_form(penkit, title="Penkit puistoon"))
    assert Proposal.objects.get(pk=penkit.pk).title == "Penkit puistoon"
    assert AuditEntry.objects.filter(action="proposal.update").count() == 3


def test_the_proposal_service_refuses_a_frozen_cost(
    coordinator, resident, ballot, proposals, during_voting
):
    from ideas import services as ideas_services

    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0]))
    penkit = Proposal.objects.get(pk=proposals[0].pk)
    penkit.cost = 9500
    with pytest.raises(ValidationError) as excinfo:
        ideas_services.proposal_update(actor=coordinator, proposal=penkit, changed_fields=["cost"])
    assert excinfo.value.message == ideas_services.PROPOSAL_FROZEN
    assert Proposal.objects.get(pk=penkit.pk).cost == 4000


@postgres_only
def test_a_database_trigger_backs_the_cost_freeze(resident, ballot, proposals, during_voting):
    Proposal.objects.filter(pk=proposals[2].pk).update(cost=8000)  # no votes yet: fine
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0]))
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposals[0].pk).update(cost=9500)
    with pytest.raises(IntegrityError), transaction.atomic():
        ballot.proposals.remove(proposals[1])
    assert Proposal.objects.get(pk=proposals[0].pk).cost == 4000
    assert ballot.proposals.count() == 3


def test_a_ballot_closing_time_moves_only_by_an_audited_extension(
    coordinator, resident, ballot, proposals, during_voting
):
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0]))
    stored = Ballot.objects.get(pk=ballot.pk)
    stored.closes_at = helsinki(2027, 2, 1, 12, 0)
    with pytest.raises(ValidationError):
        services.ballot_save(actor=coordinator, ballot=stored, changed_fields=["closes_at"])
    with pytest.raises(ValidationError) as excinfo:
        services.ballot_extend(
            actor=coordinator, ballot=ballot, closes_at=helsinki(2027, 2, 15, 20, 0), reason=" "
        )
    assert excinfo.value.message == services.EXTENSION_NEEDS_REASON
    with pytest.raises(ValidationError) as excinfo:
        services.ballot_extend(
            actor=coordinator, ballot=ballot, closes_at=helsinki(2027, 2, 1, 20, 0), reason="x"
        )
    assert excinfo.value.message == services.EXTENSION_NOT_LATER
    assert Ballot.objects.get(pk=ballot.pk).closes_at == helsinki(2027, 2, 8, 20, 0)
    services.ballot_extend(
        actor=coordinator,
        ballot=ballot,
        closes_at=helsinki(2027, 2, 15, 20, 0),
        reason="Verkkopalvelu oli poissa käytöstä 7.2.",
    )
    assert Ballot.objects.get(pk=ballot.pk).closes_at == helsinki(2027, 2, 15, 20, 0)
    entry = AuditEntry.objects.get(action="ballot.extend")
    assert entry.note == "Verkkopalvelu oli poissa käytöstä 7.2."


def test_the_admin_extends_voting_through_the_service(
    client, coordinator, resident, ballot, proposals, during_voting
):
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0]))
    client.force_login(coordinator)
    url = f"/admin/voting/ballot/{ballot.pk}/extend/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"closes_at_0": "2027-02-15", "closes_at_1": "20:00", "reason": "Katkos."}
    )
    assert response.status_code == 302
    assert Ballot.objects.get(pk=ballot.pk).closes_at == helsinki(2027, 2, 15, 20, 0)
    response = client.post(url, {"closes_at_0": "2027-02-20", "closes_at_1": "20:00"})
    assert response.status_code == 200
    assert Ballot.objects.get(pk=ballot.pk).closes_at == helsinki(2027, 2, 15, 20, 0)


def test_group_rules_and_membership_freeze_with_the_first_vote(
    client, coordinator, resident, cycle, area, proposals, during_voting
):
    group = services.ballot_group_save(
        actor=coordinator, group=BallotGroup(cycle=cycle, name="Alueet", choice="free")
    )
    voted = BallotFactory(cycle=cycle, group=group, proposals=proposals[:1])
    outside = BallotFactory(cycle=cycle, proposals=proposals[1:2])
    services.vote_cast(actor=resident, ballot=voted, proposal_ids=_ids(proposals[0]))
    group.choice = "home_area"
    with pytest.raises(ValidationError) as excinfo:
        services.ballot_group_save(actor=coordinator, group=group, changed_fields=["choice"])
    assert excinfo.value.message == services.GROUP_LOCKED
    outside.group = group
    with pytest.raises(ValidationError):
        services.ballot_save(actor=coordinator, ballot=outside, changed_fields=["group"])
    client.force_login(coordinator)
    client.post(
        f"/admin/voting/ballotgroup/{group.pk}/change/",
        {"cycle": cycle.pk, "name": "Alueet", "choice": "home_area"},
    )
    assert BallotGroup.objects.get(pk=group.pk).choice == "free"
    assert not Ballot.objects.get(pk=outside.pk).group_id


def test_has_voted_comes_from_the_voter_roll(coordinator, ballot, proposals, clerk, during_voting):
    assert not services.ballot_has_votes(ballot)
    _paper(clerk, ballot, proposals, HETU_2012, postal_code="45100")
    assert services.ballot_has_votes(ballot)
    stored = Ballot.objects.get(pk=ballot.pk)
    stored.money = 20_000
    with pytest.raises(ValidationError):
        services.ballot_save(actor=coordinator, ballot=stored, changed_fields=["money"])
