"""Casting, secrecy, paper votes, results and the decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from ideas.models import ProposalStatus
from omakouvola.models import AuditEntry, Notification
from voting import secrecy, services
from voting.models import (
    Ballot,
    BallotGroup,
    Vote,
    VoterRoll,
    WinnerDecision,
)

from ..factories import TEST_ELECTION_PASSPHRASE, BallotFactory, UserFactory, helsinki
from .conftest import counted, opened

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages come in the active language; these tests read the English ones."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _ids(*proposals):
    return [p.pk for p in proposals]


def test_a_resident_casts_a_vote_and_gets_a_receipt(
    resident, ballot, proposals, during_voting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vote = services.vote_cast(
            actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0], proposals[1])
        )
    assert opened(vote) == {"Penkit", "Muraali"}
    assert len(vote.receipt_code) == 14
    message = mail.outbox[0]
    # The receipt carries the code only, never the choices.
    assert vote.receipt_code in message.body
    assert "Muraali" not in message.body and "Penkit" not in message.body
    assert vote.receipt_code not in message.subject
    # The stored copy of a receipt is erased once it has gone out.
    stored = Notification.objects.get(template="voting_receipt")
    assert (stored.body_text, stored.body_html, stored.sensitive) == ("", "", True)


def test_a_changed_vote_replaces_the_old_one_with_a_new_receipt(
    resident, ballot, proposals, during_voting
):
    first = services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0]))
    old_code = first.receipt_code
    second = services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[2]))
    # The replaced vote stays sealed until counting, which leaves it out.
    assert counted(ballot) == [{"Kuntoportaat"}]
    assert opened(second) == {"Kuntoportaat"}
    assert second.receipt_code != old_code
    assert VoterRoll.objects.count() == 1


def test_no_table_links_a_vote_to_a_user():
    """Neither a vote nor its choices has a relation to the user model."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    for model in (Vote,):
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.ManyToManyField):
                assert field.related_model is not user_model, (model, field.name)
    assert Vote._meta.pk.get_internal_type() == "UUIDField"
    assert not any(
        isinstance(f, models.DateField | models.DateTimeField) for f in Vote._meta.fields
    )


def test_the_audit_log_has_no_entry_per_online_vote(resident, ballot, proposals, during_voting):
    """An entry with the voter and a time would order the votes; the roll says who voted."""
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[1]))
    assert not AuditEntry.objects.filter(action__startswith="vote.").exists()
    assert VoterRoll.objects.get().user == resident


def test_an_identifier_hash_changes_with_the_secret_but_retired_secrets_still_match(settings):
    old = secrecy.identity_hash("010203A123B")
    settings.VOTE_SECRET = "another-secret"
    settings.VOTE_SECRET_FALLBACKS = ["test-vote-secret"]
    assert secrecy.identity_hash("010203A123B") != old
    assert secrecy.identity_hashes("010203a123b ")[1] == old


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ((0, 1, 2), services.OVER_BUDGET),
        ((), services.TOO_FEW),
    ],
)
def test_a_knapsack_vote_must_fit_the_money(
    resident, ballot, proposals, during_voting, chosen, message
):
    with pytest.raises(ValidationError) as excinfo:
        services.vote_cast(
            actor=resident, ballot=ballot, proposal_ids=[proposals[i].pk for i in chosen]
        )
    assert excinfo.value.message == message
    assert not Vote.objects.exists()
    assert not VoterRoll.objects.exists()


def test_an_approval_vote_respects_the_count(resident, cycle, area, proposals, during_voting):
    ballot = BallotFactory(
        cycle=cycle, selection_rule="approval", min_choices=1, max_choices=2, proposals=proposals
    )
    with pytest.raises(ValidationError) as excinfo:
        services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(*proposals))
    assert excinfo.value.message == services.TOO_MANY
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(*proposals[1:]))


def test_a_proposal_from_another_ballot_is_refused(resident, ballot, cycle, during_voting):
    from ..factories import ProposalFactory

    stranger = ProposalFactory(cycle=cycle, status="approved")
    with pytest.raises(ValidationError) as excinfo:
        services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[stranger.pk])
    assert excinfo.value.message == services.NOT_ON_BALLOT


@pytest.mark.parametrize("moment", [helsinki(2027, 1, 26, 8, 59), helsinki(2027, 2, 8, 20, 0)])
def test_votes_outside_the_window_are_refused(resident, ballot, proposals, time_machine, moment):
    time_machine.move_to(moment, tick=False)
    with pytest.raises(ValidationError) as excinfo:
        services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0]))
    assert "is open from" in excinfo.value.messages[0]


def test_each_ineligibility_is_explained(cycle, area, proposals, during_voting):
    youth = BallotFactory(
        cycle=cycle, name="Nuoret 2027", min_age=13, max_age=20, proposals=proposals
    )
    too_young = UserFactory(postal_code="45100", birth_year=2016)
    too_old = UserFactory(postal_code="45100", birth_year=1990)
    no_year = UserFactory(postal_code="45100")
    outsider = UserFactory(birth_year=2010)
    unverified = UserFactory(verified=False)
    assert services.eligibility_problems(too_young, youth) == [
        "This vote is for people who turn at least 13 this year."
    ]
    assert services.eligibility_problems(too_old, youth) == [
        "This vote is for people who turn at most 20 this year."
    ]
    assert services.eligibility_problems(no_year, youth) == [str(services.BIRTH_YEAR_NEEDED)]
    assert services.eligibility_problems(outsider, youth) == [
        "Add your postal code to your profile: this vote is for residents of Kouvola."
    ]
    assert services.eligibility_problems(unverified, youth) == [str(services.NOT_VERIFIED)]


def test_an_area_ballot_is_for_residents_of_the_area(
    cycle, area, valkeala, proposals, during_voting
):
    ballot = BallotFactory(
        cycle=cycle, name="Keskusta 2027", area=area, residency="area", proposals=proposals
    )
    valkealan = UserFactory(postal_code="45360")
    assert services.eligibility_problems(valkealan, ballot) == [
        "This vote is for residents of Keskusta."
    ]


def test_a_voter_takes_part_in_one_area_ballot_of_a_group(
    cycle, area, valkeala, proposals, resident, during_voting
):
    group = BallotGroup.objects.create(cycle=cycle, name="Alueet", choice="free")
    first = BallotFactory(cycle=cycle, name="Keskusta 2027", group=group, proposals=proposals)
    second = BallotFactory(cycle=cycle, name="Valkeala 2027", group=group, proposals=proposals)
    city = BallotFactory(cycle=cycle, name="Koko kaupunki", proposals=proposals)
    services.vote_cast(actor=resident, ballot=first, proposal_ids=_ids(proposals[0]))
    with pytest.raises(ValidationError) as excinfo:
        services.vote_cast(actor=resident, ballot=second, proposal_ids=_ids(proposals[0]))
    assert excinfo.value.messages == [
        "You have already voted in Keskusta 2027. You can vote in one area only."
    ]
    services.vote_cast(actor=resident, ballot=city, proposal_ids=_ids(proposals[0]))


def test_a_ballot_is_frozen_once_a_vote_is_cast(
    coordinator, resident, ballot, proposals, during_voting
):
    services.ballot_save(actor=coordinator, ballot=ballot, changed_fields=["description"])
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0]))
    ballot.money = 50_000
    with pytest.raises(ValidationError) as excinfo:
        services.ballot_save(actor=coordinator, ballot=ballot, changed_fields=["money"])
    assert excinfo.value.message == services.BALLOT_LOCKED
    with pytest.raises(ValidationError):
        services.ballot_save(
            actor=coordinator, ballot=Ballot.objects.get(pk=ballot.pk), proposals=proposals[:1]
        )
    assert Ballot.objects.get(pk=ballot.pk).money == 10_000


def test_identity_required_ballots_take_in_person_verification(
    cycle, area, proposals, resident, clerk, during_voting
):
    ballot = BallotFactory(cycle=cycle, identity_level="in_person", proposals=proposals)
    assert "stronger identity check" in services.eligibility_problems(resident, ballot)[0]
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier="010110A1230")
    resident.refresh_from_db()
    assert services.eligibility_problems(resident, ballot) == []


def test_paper_votes_are_recorded_once_per_person(ballot, proposals, clerk, during_voting):
    services.paper_vote_record(
        clerk=clerk,
        ballot=ballot,
        identifier="150360-123J",
        proposal_ids=_ids(proposals[0]),
        birth_year=1960,
        postal_code="45100",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.paper_vote_record(
            clerk=clerk,
            ballot=ballot,
            identifier=" 150360-123j ",
            proposal_ids=_ids(proposals[1]),
            postal_code="45100",
        )
    assert excinfo.value.message == services.ALREADY_VOTED
    roll = VoterRoll.objects.get()
    assert (roll.channel, roll.age_band, roll.area.name) == ("paper", "65+", "Keskusta")
    assert "150360" not in roll.identity_hash


def test_an_online_voter_with_the_same_identity_cannot_vote_again(
    ballot, proposals, clerk, resident, during_voting
):
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier="010110A1230")
    resident.refresh_from_db()
    services.paper_vote_record(
        clerk=clerk,
        ballot=ballot,
        identifier="010110A1230",
        proposal_ids=_ids(proposals[0]),
        postal_code="45100",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[1]))
    assert excinfo.value.message == services.ALREADY_VOTED


def test_only_clerks_record_paper_votes(ballot, proposals, resident, during_voting):
    with pytest.raises(PermissionDenied):
        services.paper_vote_record(
            clerk=resident, ballot=ballot, identifier="x", proposal_ids=_ids(proposals[0])
        )


def _close_and_count(coordinator, ballot, time_machine):
    time_machine.move_to(helsinki(2027, 2, 9, 10, 0), tick=False)
    return services.results_publish(
        actor=coordinator, ballot=ballot, passphrase=TEST_ELECTION_PASSPHRASE
    )


def test_results_are_counted_after_closing_only(
    coordinator, resident, other_resident, ballot, proposals, during_voting, time_machine
):
    other_resident.postal_code = "45100"
    other_resident.save()
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0], proposals[1]))
    services.vote_cast(actor=other_resident, ballot=ballot, proposal_ids=_ids(proposals[2]))
    with pytest.raises(ValidationError) as excinfo:
        services.results_publish(
            actor=coordinator, ballot=ballot, passphrase=TEST_ELECTION_PASSPHRASE
        )
    assert excinfo.value.message == services.NOT_CLOSED
    result = _close_and_count(coordinator, ballot, time_machine)
    assert result.votes_counted == 2
    assert {int(w) for w in result.data["winners"]} == {proposals[0].pk, proposals[1].pk}
    assert result.turnout == {
        "total": 2,
        "by_area": {"Keskusta": 2},
        "by_age_band": {"": 2},
        "by_channel": {"web": 2},
    }


def test_the_decision_confirms_winners_and_departures_need_reasons(
    coordinator,
    decision_maker,
    resident,
    ballot,
    proposals,
    during_voting,
    time_machine,
    django_capture_on_commit_callbacks,
):
    services.vote_cast(
        actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0]), wants_results=True
    )
    _close_and_count(coordinator, ballot, time_machine)
    common = {
        "ballot": ballot,
        "decided_on": dt.date(2027, 2, 14),
        "decision_number": "KVL/1/2027",
        "rationale": "Vahvistetaan.",
    }
    with pytest.raises(PermissionDenied):
        services.winners_decide(actor=coordinator, winner_ids=_ids(proposals[0]), **common)
    with pytest.raises(ValidationError) as excinfo:
        services.winners_decide(
            actor=decision_maker, winner_ids=_ids(proposals[0], proposals[1]), **common
        )
    assert excinfo.value.message == services.DEPARTURE_NEEDS_REASON
    with pytest.raises(ValidationError) as excinfo:
        services.winners_decide(
            actor=decision_maker,
            winner_ids=_ids(*proposals),
            departure_reasons={proposals[1].pk: "x", proposals[2].pk: "y"},
            **common,
        )
    assert excinfo.value.message == services.DECISION_OVER_BUDGET
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.winners_decide(
            actor=decision_maker,
            winner_ids=_ids(proposals[0], proposals[1]),
            departure_reasons={proposals[1].pk: "Lisärahoitus toimintarahasta."},
            **common,
        )
    assert decision.departures == [
        {"proposal": proposals[1].pk, "action": "added", "reason": "Lisärahoitus toimintarahasta."}
    ]
    statuses = {p.title: p.status for p in ballot.proposals.all()}
    assert statuses == {
        "Penkit": ProposalStatus.SELECTED,
        "Muraali": ProposalStatus.SELECTED,
        "Kuntoportaat": ProposalStatus.NOT_SELECTED,
    }
    assert any("Keskusta 2027" in m.subject for m in mail.outbox)
    with pytest.raises(ValidationError):
        services.winners_decide(actor=decision_maker, winner_ids=[], **common)
    assert WinnerDecision.objects.count() == 1


def test_counted_paper_ballots_import_all_or_nothing(coordinator, ballot, proposals, during_voting):
    from voting.importing import parse_paper_votes

    ok = f"proposals;age_band;postal_code\n{proposals[0].pk} {proposals[1].pk};18-29;45100\n"
    bad = ok + f"{proposals[0].pk},{proposals[2].pk};;\n9999;;\n"
    parsed = parse_paper_votes(ballot, bad.encode())
    assert [row for row, _ in parsed.errors] == [3, 4]
    assert not parsed.ok
    parsed = parse_paper_votes(ballot, ok.encode())
    batch = services.paper_votes_import(
        actor=coordinator, ballot=ballot, source_name="kirjasto.csv", rows=parsed.rows
    )
    assert batch.count == 1
    assert Vote.objects.get().batch is not None
    assert VoterRoll.objects.get().channel == "import"
    assert VoterRoll.objects.get().area.name == "Keskusta"


def test_receipt_check_finds_counted_votes_only(
    resident, coordinator, ballot, proposals, during_voting, time_machine
):
    from voting.selectors import receipt_counted

    replaced = services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[1]))
    vote = services.vote_cast(actor=resident, ballot=ballot, proposal_ids=_ids(proposals[0]))
    # Until the count nobody can tell a replaced vote from a counted one.
    assert not receipt_counted(ballot, vote.receipt_code)
    _close_and_count(coordinator, ballot, time_machine)
    assert receipt_counted(ballot, vote.receipt_code.lower().replace("-", " "))
    assert not receipt_counted(ballot, replaced.receipt_code)
    assert not receipt_counted(ballot, "AAAA-BBBB-CCCC")
    assert not receipt_counted(ballot, "nonsense")


def test_split_by_population_reproduces_the_2022_pilot(db):
    from voting.counting.split import split_by_population

    populations = {
        "Anjalankoski": 13_581,
        "Elimäki-Koria": 7_342,
        "Keskusta": 28_833,
        "Kuusankoski-Jaala": 19_103,
        "Valkeala": 10_653,
    }
    assert split_by_population(79_512, populations) == populations


def test_a_strong_identity_ballot_says_when_no_provider_is_plugged_in(
    cycle, proposals, resident, clerk, settings, during_voting
):
    ballot = BallotFactory(cycle=cycle, identity_level="strong", proposals=proposals)
    settings.STRONG_IDENTITY_PROVIDER = ""
    assert services.eligibility_problems(resident, ballot) == [str(services.STRONG_NOT_AVAILABLE)]
    settings.STRONG_IDENTITY_PROVIDER = "suomifi"
    assert "stronger identity check" in services.eligibility_problems(resident, ballot)[0]
