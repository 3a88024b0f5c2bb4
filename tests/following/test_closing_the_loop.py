"""The deciding services announce each step and followers hear it once: a ballot's winners
(not again for voters who asked voting itself), proposals put on a ballot, an approved
proposal the ideas went into, and a built project's milestones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
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

from ..factories import IdeaFactory, ProposalFactory, UserFactory, helsinki

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
    # The voter's message leads to each winner's own page, not only to the results.
    results = _news(resident, "voting_results").get()
    for winner in proposals[:2]:
        assert f"{winner.title}: " in results.body_text
        assert winner.get_absolute_url() in results.body_text
        assert f'{winner.get_absolute_url()}">{winner.title}</a>' in results.body_html

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
    # The winner's page, where the message led, leads on to its building; a loser's does not.
    client = Client()
    won = client.get(proposals[0].get_absolute_url()).content.decode()
    assert 'id="building"' in won and f"/budgets/built/{project.pk}/" in won
    assert 'id="building"' not in client.get(proposals[2].get_absolute_url()).content.decode()
    # Until the city publishes the record, the page does not show it.
    budgets_services.implementation_update(actor=None, implementation=project, is_public=False)
    assert 'id="building"' not in client.get(proposals[0].get_absolute_url()).content.decode()


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


def test_the_loop_closes_for_writer_helper_follower_and_voter_at_every_step(
    coordinator,
    city_team_member,
    decision_maker,
    resident,
    cycle,
    ballot,
    proposals,
    time_machine,
    django_capture_on_commit_callbacks,
    client,
):
    """One idea from screening to a finished project. Each person hears each step once,
    at once or in the weekly digest as they chose, by whichever service tells them; the
    project's steps link to its page, which shows the money spent beside the budget."""
    from decimal import Decimal

    from budgets.models import ImplementationStatus
    from ideas.models import VolunteerPledge
    from tests.ideas.conftest import image_file

    writer = UserFactory(email="kirjoittaja@example.fi")
    helper = UserFactory(email="talkoo@example.fi")
    follower = UserFactory(email="seuraaja@example.fi")
    voter = resident
    idea = IdeaFactory(cycle=cycle, submitter=writer, title="Kuntoportaat Mustavuoreen")
    VolunteerPledge.objects.create(user=helper, idea=idea, what="Talkoot", hours=4)
    services.follow_set(actor=follower, item=idea, follow=True)
    services.delivery_set(actor=helper, delivery="weekly")

    def step(call, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(**kwargs)

    def heard() -> dict[str, list[str]]:
        return {
            name: list(
                Notification.objects.filter(user=person)
                .order_by("pk")
                .values_list("template", flat=True)
            )
            for name, person in (
                ("writer", writer),
                ("helper", helper),
                ("follower", follower),
                ("voter", voter),
            )
        }

    # Screened: the writer hears it from ideas, the follower from following.
    ideas_services.sustainability_record(
        actor=city_team_member,
        idea=idea,
        ecological="positive",
        social="positive",
        economic="neutral",
    )
    step(ideas_services.idea_forward, actor=city_team_member, idea=idea)
    # Merged into a proposal that the coordinator approves.
    mine = ProposalFactory(cycle=cycle, title="Kuntoportaat", cost=3000, status="draft")
    idea.proposal, idea.status = mine, "merged"
    idea.save()
    step(ideas_services.proposal_approve, actor=coordinator, proposal=mine)
    # Put on the ballot.
    step(
        voting_services.ballot_save, actor=coordinator, ballot=ballot, proposals=[*proposals, mine]
    )
    # The voter asks on the receipt to hear the outcome (a follow of the ballot).
    from tests.voting.conftest import DURING_VOTING

    time_machine.move_to(DURING_VOTING, tick=False)
    voting_services.vote_cast(
        actor=voter, ballot=ballot, proposal_ids=[mine.pk, proposals[0].pk], wants_results=True
    )
    services.follow_set(actor=voter, item=ballot, follow=True)
    after_ballot = heard()
    assert after_ballot["writer"] == ["ideas_status_changed", "following_news", "following_news"]
    assert after_ballot["follower"] == ["following_news"] * 3
    assert after_ballot["helper"] == []  # weekly: waiting for the digest
    # Wins.
    _close_and_count(coordinator, ballot, time_machine)
    step(
        voting_services.winners_decide,
        actor=decision_maker,
        ballot=ballot,
        decided_on=dt.date(2027, 2, 14),
        decision_number="KVL/7/2027",
        rationale="Vahvistetaan.",
        winner_ids=[mine.pk, proposals[0].pk],
    )
    won = heard()
    assert won["writer"][-1] == "voting_idea_decided"  # voting tells the writer itself
    assert won["voter"] == ["voting_receipt", "voting_results"]  # and the voter who asked, once
    assert won["follower"][-1] == "following_news"

    # Built: milestone, photos, a cost update and finishing, each news with the page link.
    project = Implementation.objects.get(proposal=mine)
    budgets_services.implementation_update(actor=None, implementation=project, is_public=True)
    project_steps = [
        (
            budgets_services.milestone_save,
            {"title": "Portaat tilattu", "due_on": dt.date(2027, 5, 1)},
        ),
        (budgets_services.photo_add, {"upload": image_file(), "alt_text": "Portaiden perustus"}),
        (budgets_services.implementation_update, {"planned_cost": Decimal("3200.00")}),
        (
            budgets_services.implementation_update,
            {"status": ImplementationStatus.DONE, "completed_on": dt.date(2027, 9, 1)},
        ),
    ]
    for n, (call, kwargs) in enumerate(project_steps):
        time_machine.move_to(helsinki(2027, 6, 1 + n, 10, 0), tick=False)
        step(call, actor=None, implementation=project, **kwargs)
    done = heard()
    link = f"/budgets/built/{project.pk}/"
    for person in (writer, follower, voter):
        project_news = Notification.objects.filter(
            user=person, template="following_news", body_text__contains=link
        )
        assert project_news.count() == 4, (person.email, heard())
    assert done["follower"] == ["following_news"] * 8  # screened … finished, each once
    assert done["helper"] == []

    # The helper chose the weekly digest: one e-mail with every step.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send() >= 1
    digest = Notification.objects.get(user=helper, template="following_digest")
    assert digest.body_text.count(f"/budgets/built/{project.pk}/") == 4
    assert "Kuntoportaat Mustavuoreen" in digest.body_text
    # The page the messages link to shows the budget and what was spent.
    html = client.get(f"/en/budgets/built/{project.pk}/").content.decode()
    assert "Budget" in html and "Spent" in html and "3,200" in html
