"""One-time voting codes: a batch per place, one vote per code, unlinkable like any vote."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from pypdf import PdfReader

from voting import codes
from voting.models import Channel, CodeBatch, CodeBatchStatus, Vote, VoterRoll, VotingCode
from voting.selectors import ballot_turnout

from ..factories import AreaFactory, BallotFactory, ProposalFactory, helsinki
from .conftest import counted, opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed(monkeypatch):
    """The codes a print run makes, as the slips show them (recorded, never stored)."""
    made: list[str] = []
    real = codes.new_code

    def recording():
        code = real()
        made.append(code)
        return code

    monkeypatch.setattr(codes, "new_code", recording)
    return made


@pytest.fixture
def fast_pdf(monkeypatch):
    monkeypatch.setattr("voting.pdf.render_slips", lambda **kw: b"%PDF-1.7 slips")


def _batch(coordinator, ballot, size=3, **kwargs):
    batch = codes.code_batch_create(
        actor=coordinator, ballot=ballot, place="Kuusankosken kirjasto", size=size, **kwargs
    )
    # The print task is queued on commit; a test transaction never commits, so run it here.
    return codes.code_batch_print(batch_id=batch.pk)


def test_a_batch_prints_slips_and_stores_only_keyed_hashes(
    coordinator, ballot, during_voting, printed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = codes.code_batch_create(
            actor=coordinator, ballot=ballot, place="Kuusankosken kirjasto", size=7
        )
    batch.refresh_from_db()
    assert batch.status == CodeBatchStatus.READY
    assert len(printed) == 7
    stored = set(VotingCode.objects.filter(batch=batch).values_list("code_hash", flat=True))
    assert len(stored) == 7
    assert {codes.code_hashes(c)[0] for c in printed} == stored
    for code in printed:
        assert code not in str(list(VotingCode.objects.values()))
    with batch.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == 2  # six slips a page
    text = " ".join(page.extract_text() for page in reader.pages)
    for code in printed:
        assert code in text
    assert "Koodilla voi äänestää kerran" in text
    assert "Koden ger en röst" in text
    assert "The code casts one vote" in text


def test_a_code_casts_one_sealed_vote_without_an_account(
    coordinator, ballot, proposals, during_voting, printed, fast_pdf
):
    batch = _batch(coordinator, ballot)
    assert codes.code_ballot(printed[0].lower().replace("-", " ")) == ballot
    vote = codes.vote_cast_with_code(
        ballot=ballot, code=printed[0], proposal_ids=[proposals[0].pk, proposals[1].pk]
    )
    assert opened(vote) == {"Penkit", "Muraali"}
    roll = VoterRoll.objects.get(ballot=ballot)
    assert roll.channel == Channel.CODE and roll.user is None and roll.identity_hash == ""
    assert counted(ballot) == [{"Penkit", "Muraali"}]
    assert VotingCode.objects.filter(batch=batch, used=True).count() == 1
    assert ballot_turnout(ballot)["by_channel"] == {"code": 1}


def test_a_used_code_is_refused_and_the_vote_cannot_be_changed(
    coordinator, ballot, proposals, during_voting, printed, fast_pdf
):
    _batch(coordinator, ballot)
    codes.vote_cast_with_code(ballot=ballot, code=printed[0], proposal_ids=[proposals[0].pk])
    with pytest.raises(ValidationError) as refused:
        codes.vote_cast_with_code(ballot=ballot, code=printed[0], proposal_ids=[proposals[1].pk])
    assert refused.value.messages == [str(codes.CODE_USED)]
    with pytest.raises(ValidationError):
        codes.code_ballot(printed[0])
    assert counted(ballot) == [{"Penkit"}]


def test_a_guessed_code_and_a_code_of_another_ballot_are_refused(
    coordinator, ballot, cycle, proposals, during_voting, printed, fast_pdf
):
    other = BallotFactory(cycle=cycle, name="Nuoret 2027", proposals=proposals)
    _batch(coordinator, other)
    for guess in ["AAAA-BBBB-CCCC", "", "x" * 500, "ÅÄÖ-²³"]:
        with pytest.raises(ValidationError):
            codes.vote_cast_with_code(ballot=ballot, code=guess, proposal_ids=[proposals[0].pk])
    with pytest.raises(ValidationError) as refused:
        codes.vote_cast_with_code(ballot=ballot, code=printed[0], proposal_ids=[proposals[0].pk])
    assert refused.value.messages == [str(codes.CODE_OTHER_BALLOT)]
    assert not Vote.objects.exists() and not VotingCode.objects.filter(used=True).exists()


def test_a_voided_batch_stops_its_unused_codes_and_keeps_its_votes(
    coordinator,
    ballot,
    proposals,
    during_voting,
    printed,
    fast_pdf,
    django_capture_on_commit_callbacks,
):
    batch = _batch(coordinator, ballot)
    codes.vote_cast_with_code(ballot=ballot, code=printed[0], proposal_ids=[proposals[0].pk])
    name = batch.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        codes.code_batch_void(actor=coordinator, batch=batch)
    batch.refresh_from_db()
    assert batch.status == CodeBatchStatus.VOIDED and not batch.pdf
    assert not batch.pdf.storage.exists(name)
    with pytest.raises(ValidationError) as refused:
        codes.vote_cast_with_code(ballot=ballot, code=printed[1], proposal_ids=[proposals[0].pk])
    assert refused.value.messages == [str(codes.CODE_VOIDED)]
    assert counted(ballot) == [{"Penkit"}]


def test_only_the_coordinator_makes_or_voids_batches(ballot, resident, during_voting):
    with pytest.raises(PermissionDenied):
        codes.code_batch_create(actor=resident, ballot=ballot, place="Koulu", size=3)


def test_the_ballots_rules_hold_through_the_batchs_place_and_ages(
    coordinator, cycle, area, proposals, during_voting, fast_pdf
):
    youth = BallotFactory(
        cycle=cycle, residency="area", area=area, min_age=13, max_age=20, proposals=proposals
    )
    elsewhere = AreaFactory(slug="valkeala", name="Valkeala")
    with pytest.raises(ValidationError) as refused:
        codes.code_batch_create(actor=coordinator, ballot=youth, place="Koulu", size=3)
    assert len(refused.value.messages) == 2  # the area and the ages
    with pytest.raises(ValidationError):
        codes.code_batch_create(
            actor=coordinator,
            ballot=youth,
            place="Koulu",
            size=3,
            area=elsewhere,
            min_age=13,
            max_age=15,
        )
    with pytest.raises(ValidationError):
        codes.code_batch_create(
            actor=coordinator,
            ballot=youth,
            place="Koulu",
            size=3,
            area=area,
            min_age=12,
            max_age=15,
        )
    batch = codes.code_batch_create(
        actor=coordinator, ballot=youth, place="Koulu", size=3, area=area, min_age=13, max_age=15
    )
    assert batch.pk
    strong = BallotFactory(cycle=cycle, identity_level="strong", proposals=proposals)
    with pytest.raises(ValidationError) as refused:
        codes.code_batch_create(actor=coordinator, ballot=strong, place="Kirjasto", size=3)
    assert refused.value.messages == [str(codes.BATCH_STRONG)]
    for size in (0, 2001):
        with pytest.raises(ValidationError):
            codes.code_batch_create(actor=coordinator, ballot=youth, place="K", size=size)


def test_a_code_vote_outside_the_voting_time_is_refused(
    coordinator, ballot, proposals, printed, fast_pdf, time_machine
):
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=False)
    _batch(coordinator, ballot)
    time_machine.move_to(helsinki(2027, 2, 9, 12, 0), tick=False)
    with pytest.raises(ValidationError):
        codes.vote_cast_with_code(ballot=ballot, code=printed[0], proposal_ids=[proposals[0].pk])
    assert not Vote.objects.exists()


def test_a_code_row_names_no_vote_and_the_roll_no_person(
    coordinator, ballot, proposals, during_voting, printed, fast_pdf
):
    """Nothing in a code's row or in the vote's row points from one to the other."""
    _batch(coordinator, ballot, size=4)
    for code in printed:
        codes.vote_cast_with_code(ballot=ballot, code=code, proposal_ids=[proposals[0].pk])
    code_fields = {f.name for f in VotingCode._meta.get_fields()}
    assert code_fields == {"id", "batch", "code_hash", "used"}
    vote_fields = {f.name for f in Vote._meta.get_fields()}
    assert not any("code" in name and name != "receipt_code" for name in vote_fields)
    assert VoterRoll.objects.filter(ballot=ballot, user__isnull=False).count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_parallel_posts_with_one_code_cast_one_vote(
    coordinator, cycle, time_machine, printed, fast_pdf
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    proposals = [ProposalFactory(cycle=cycle, cost=3000, status="approved") for _ in range(2)]
    ballot = BallotFactory(cycle=cycle, proposals=proposals)
    _batch(coordinator, ballot, size=1)
    barrier = threading.Barrier(6)
    outcomes: list[object] = []

    def run(n):
        try:
            barrier.wait()
            outcomes.append(
                codes.vote_cast_with_code(
                    ballot=ballot, code=printed[0], proposal_ids=[proposals[n % 2].pk]
                )
            )
        except BaseException as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    votes = [o for o in outcomes if isinstance(o, Vote)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(votes) == 1 and len(refused) == 5, outcomes
    assert all(r.messages == [str(codes.CODE_USED)] for r in refused)
    assert Vote.objects.count() == 1 and VoterRoll.objects.count() == 1


def test_a_failed_print_leaves_no_working_code(coordinator, ballot, during_voting, monkeypatch):
    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("voting.pdf.render_slips", broken)
    batch = CodeBatch.objects.create(ballot=ballot, place="Koulu", size=2, created_by=coordinator)
    with pytest.raises(OSError):
        codes.code_batch_print(batch_id=batch.pk)
    assert not VotingCode.objects.exists()
    codes.code_batch_give_up(batch_id=batch.pk, error="disk full")
    assert CodeBatch.objects.get(pk=batch.pk).status == CodeBatchStatus.FAILED


def test_resident_cannot_void(coordinator, resident, ballot, during_voting, fast_pdf):
    batch = _batch(coordinator, ballot)
    with pytest.raises(PermissionDenied):
        codes.code_batch_void(actor=resident, batch=batch)


def test_the_demo_batch_is_made_once(coordinator, cycle, proposals, during_voting, fast_pdf):
    from demo.voting import seed_voting_codes

    youth = BallotFactory(cycle=cycle, min_age=13, max_age=20, proposals=proposals)
    first = seed_voting_codes(ballots=[youth], actor=coordinator)
    assert first is not None and first.size == 24
    assert seed_voting_codes(ballots=[youth], actor=coordinator) == first
    assert CodeBatch.objects.count() == 1
