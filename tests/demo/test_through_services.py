"""The demo's pilot result, its decision and the clerk's paper batch go through the services."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from budgets.models import Implementation
from ideas.models import ProposalStatus
from omakouvola.models import AuditEntry
from voting.models import Ballot, PaperBatch, Vote, VoterRoll

pytestmark = pytest.mark.django_db


def test_the_pilot_is_counted_published_and_decided_by_the_services_and_a_clerk_batch_exists():
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    pilot = Ballot.objects.get(name="Kohenna Kouvolaa 2022")
    published = AuditEntry.objects.filter(action="ballot.publish_results", object_id=str(pilot.pk))
    decided = AuditEntry.objects.filter(action="ballot.decide", object_id=str(pilot.pk))
    assert published.get().actor.email == "koordinaattori@omakouvola.test"
    assert decided.get().actor.email == "paattaja@omakouvola.test"
    decision = pilot.decision
    assert decision.departures == []
    assert sorted(decision.computed_winners) == sorted(
        decision.confirmed.values_list("pk", flat=True)
    )
    assert decision.confirmed.count() == 6
    assert set(pilot.proposals.values_list("status", flat=True)) == {
        ProposalStatus.SELECTED,
        ProposalStatus.NOT_SELECTED,
    }
    # The count made every kept vote final and erased the roll's pointers.
    assert not Vote.objects.filter(ballot=pilot, final=False).exists()
    assert not VoterRoll.objects.filter(ballot=pilot, sealed_pointer__isnull=False).exists()
    assert Vote.objects.filter(ballot=pilot).count() == pilot.result.votes_counted == 2400
    # The decision's hook made an implementation record for each winner.
    assert Implementation.objects.filter(ballot=pilot).count() == 6

    batch = PaperBatch.objects.get()
    assert batch.imported_by.email == "asiointipiste@omakouvola.test"
    assert batch.count == 12 and batch.ballot.is_open()
    assert AuditEntry.objects.filter(action="vote.import", object_id=str(batch.ballot_id)).exists()

    decisions = AuditEntry.objects.filter(action="ballot.decide").count()
    assert decisions == 2  # the pilot and last year's round
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert PaperBatch.objects.count() == 1
    assert AuditEntry.objects.filter(action="ballot.decide").count() == decisions
