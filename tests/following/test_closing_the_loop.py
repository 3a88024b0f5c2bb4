"""The deciding services announce each step and followers hear it once: a ballot's winners
(not again for voters who asked voting itself), proposals put on a ballot, an approved
proposal the ideas went into, and a built project's milestones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from budgets import services as budgets_services
from budgets.models import Implementation
from following import services
from ideas import services as ideas_services
from omakouvola.models import Notification
from tests.voting.conftest import (  # noqa: F401  (fixtures)
    ballot,
    decision_maker,
    during_voting,
    proposals,
)
from tests.voting.test_services import _close_and_count
from voting import services as voting_services

from ..factories import IdeaFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_back_to_default(settings):
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _news(user, template="following_news"):
    return Notification.objects.filter(user=user, template=template)


def test_winners_are_told_to_ballot_followers_once_and_not_again_to_voters_who_asked(
    coordinator,
    decision_maker,
    resident,
    ballot,
    proposals,
    during_voting,
    time_machine,
    django_capture_on_commit_callbacks,
):
    onlooker = UserFactory(email="katsoja@example.fi")
    services.follow_set(actor=onlooker, item=ballot, follow=True)
    voting_services.vote_cast(
        actor=resident,
        ballot=ballot,
        proposal_ids=[proposals[0].pk, proposals[1].pk],
        wants_results=True,
    )
    services.follow_set(actor=resident, item=ballot, follow=True)  # the receipt's opt-in
    _close_and_count(coordinator, ballot, time_machine)
    with django_capture_on_commit_callbacks(execute=True):
        voting_services.winners_decide(
            actor=decision_maker,
            ballot=ballot,
            decided_on=dt.date(2027, 2, 14),
            decision_number="KVL/1/2027",
            rationale="Vahvistetaan.",
            winner_ids=[proposals[0].pk, proposals[1].pk],
        )
    message = _news(onlooker).get()
    assert proposals[0].title in message.body_text and proposals[1].title in message.body_text
    assert _news(resident, "voting_results").count() == 1
    assert not _news(resident).exists()  # voting told them; we do not tell them twice

    # The built project that followed the decision: the ballot's followers hear its steps.
    project = Implementation.objects.get(proposal=proposals[0])
    budgets_services.implementation_update(actor=None, implementation=project, is_public=True)
    with django_capture_on_commit_callbacks(execute=True):
        budgets_services.milestone_save(
            actor=None,
            implementation=project,
            title="Suunnitelma valmis",
            due_on=dt.date(2027, 5, 1),
        )
    assert _news(onlooker).count() == 2
    milestone = _news(onlooker).get(subject__contains=project.title)
    assert f"/budgets/built/{project.pk}/" in milestone.body_text


def test_proposals_put_on_a_ballot_are_news_for_their_ideas_followers(
    coordinator, cycle, django_capture_on_commit_callbacks
):
    from voting.models import Ballot

    from ..factories import BallotFactory

    follower = UserFactory(email="seuraaja@example.fi")
    idea = IdeaFactory(cycle=cycle, title="Koirapuisto")
    proposal = ProposalFactory(cycle=cycle, status="approved", title="Koirapuisto Kuusankoskelle")
    idea.proposal = proposal
    idea.status = "merged"
    idea.save()
    services.follow_set(actor=follower, item=idea, follow=True)
    stored = BallotFactory(cycle=cycle)
    ballot = Ballot.objects.get(pk=stored.pk)
    with django_capture_on_commit_callbacks(execute=True):
        voting_services.ballot_save(actor=coordinator, ballot=ballot, proposals=[proposal])
    with django_capture_on_commit_callbacks(execute=True):  # saved again: nothing new
        voting_services.ballot_save(actor=coordinator, ballot=ballot, proposals=[proposal])
    message = _news(follower).get()
    assert "Koirapuisto Kuusankoskelle" in message.body_text
    assert ballot.name in message.subject


def test_an_approved_proposal_tells_the_followers_of_the_ideas_in_it(
    coordinator, cycle, django_capture_on_commit_callbacks
):
    follower = UserFactory(email="seuraaja@example.fi")
    helper = UserFactory(email="talkoo@example.fi")
    idea = IdeaFactory(cycle=cycle, title="Koirapuisto")
    ideas_services.pledge_create(actor=helper, idea=idea, what="Aitaus", hours=4)
    proposal = ProposalFactory(cycle=cycle, status="draft", title="Koirapuisto Kuusankoskelle")
    idea.proposal = proposal
    idea.status = "merged"
    idea.save()
    services.follow_set(actor=follower, item=idea, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        ideas_services.proposal_approve(actor=coordinator, proposal=proposal)
    for person in (follower, helper, idea.submitter):
        assert f"/ideas/proposals/{proposal.pk}/" in _news(person).get().body_text or (
            proposal.get_absolute_url() in _news(person).get().body_text
        )
