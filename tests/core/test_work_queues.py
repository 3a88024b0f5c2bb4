"""The staff home: who sees which queue, what waits in it, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import MembershipRole
from ideas.models import IdeaStatus
from omakouvola import selectors, workqueues
from omakouvola.models import Role

from ..committees.factories import CommitteeFactory, MembershipFactory, application_to
from ..factories import AreaFactory, BallotFactory, IdeaFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUES_BY_ROLE = {
    Role.COORDINATOR: {
        "ideas.to_screen",
        "ideas.proposals_to_approve",
        "voting.to_publish",
        "committees.applications_waiting",
        "committees.minutes_to_approve",
        "committees.reports_due",
        "committees.chairs_meetings",
        "budgets.milestones_overdue",
        "discussion.to_moderate",
    },
    Role.CITY_TEAM: {"ideas.to_screen", "budgets.milestones_overdue", "discussion.to_moderate"},
    Role.SECTOR_EXPERT: {"ideas.to_assess"},
    Role.DECISION_MAKER: {"voting.to_decide"},
    Role.PAPER_VOTE_CLERK: {"voting.paper_votes"},
    Role.COUNCIL: set(),
}


@pytest.mark.parametrize("role", list(QUEUES_BY_ROLE), ids=str)
def test_each_role_gets_its_own_queues(role):
    user = UserFactory(roles=[role], is_staff=role != Role.COUNCIL)
    assert {q.key for q in workqueues.queues_for(user)} == QUEUES_BY_ROLE[role]


def test_a_committee_chair_gets_the_committee_queues_and_a_plain_member_none():
    chair, member = UserFactory(), UserFactory()
    committee = CommitteeFactory()
    MembershipFactory(committee=committee, user=chair, role=MembershipRole.CHAIR)
    MembershipFactory(committee=committee, user=member, role=MembershipRole.MEMBER)
    assert {q.key for q in workqueues.queues_for(chair)} == {
        "committees.applications_waiting",
        "committees.minutes_to_approve",
        "committees.reports_due",
        "committees.chairs_meetings",
    }
    assert workqueues.queues_for(member) == []


def test_a_chair_sees_only_the_applications_of_the_committee_they_chair():
    chair = UserFactory()
    mine = CommitteeFactory(area=AreaFactory(slug="valkeala", name="Valkeala"))
    other = CommitteeFactory(area=AreaFactory(slug="keskusta", name="Keskusta"))
    MembershipFactory(committee=mine, user=chair, role=MembershipRole.CHAIR)
    waiting = application_to(mine)
    application_to(other)
    queue = _queue(selectors.work_queues(chair), "committees.applications_waiting")
    assert queue.count == 1
    assert [row.url for row in queue.rows] == [reverse("committees:request", args=[waiting.pk])]


def test_ideas_waiting_for_screening_link_to_where_they_are_screened(coordinator, cycle):
    idea = IdeaFactory(cycle=cycle)
    IdeaFactory(cycle=cycle, status=IdeaStatus.FORWARDED)
    queue = _queue(selectors.work_queues(coordinator), "ideas.to_screen")
    assert queue.count == 1
    assert queue.rows[0].url == reverse("admin:ideas_idea_change", args=[idea.pk])


def test_the_expert_sees_only_the_ideas_assigned_to_them_without_an_assessment(cycle):
    expert = UserFactory(roles=[Role.SECTOR_EXPERT], is_staff=True)
    mine = IdeaFactory(cycle=cycle, assigned_expert=expert, status=IdeaStatus.IN_SCREENING)
    IdeaFactory(cycle=cycle, status=IdeaStatus.IN_SCREENING)
    queue = _queue(selectors.work_queues(expert), "ideas.to_assess")
    assert [row.text for row in queue.rows] == [mine.title]


def test_the_decision_maker_is_asked_to_confirm_a_counted_ballot_without_a_decision(cycle):
    from voting.models import BallotResult

    decision_maker = UserFactory(roles=[Role.DECISION_MAKER], is_staff=True)
    counted = BallotFactory(
        cycle=cycle,
        opens_at=timezone.now() - dt.timedelta(days=10),
        closes_at=timezone.now() - dt.timedelta(days=3),
    )
    BallotResult.objects.create(ballot=counted, rule="greedy", data={}, votes_counted=0)
    BallotFactory(cycle=cycle)
    queue = _queue(selectors.work_queues(decision_maker), "voting.to_decide")
    assert [row.url for row in queue.rows] == [reverse("voting:decide", args=[counted.pk])]


def test_the_staff_home_reads_in_a_fixed_number_of_queries(
    coordinator, cycle, django_assert_num_queries
):
    for _ in range(2):
        IdeaFactory(cycle=cycle)
    ProposalFactory(cycle=cycle)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    # One for the groups, two for each of the coordinator's eight queues.
    with django_assert_num_queries(19):
        few = selectors.work_queues(coordinator)
    for _ in range(20):
        IdeaFactory(cycle=cycle)
        ProposalFactory(cycle=cycle)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    with django_assert_num_queries(19):
        many = selectors.work_queues(coordinator)
    assert _queue(few, "ideas.to_screen").count == 2
    assert _queue(many, "ideas.to_screen").count == 22
    assert len(_queue(many, "ideas.to_screen").rows) == workqueues.SHOWN_PER_QUEUE


@pytest.mark.parametrize(
    ("language", "heading", "queue"),
    [
        ("fi", "Tehtäväni", "Arvioitavat ideat"),
        ("sv", "Mina uppgifter", "Idéer att bedöma"),
        ("en", "My tasks", "Ideas to screen"),
    ],
)
def test_the_staff_home_reads_in_each_language_and_is_in_the_navigation(
    client, coordinator, cycle, language, heading, queue
):
    IdeaFactory(cycle=cycle, title="Penkki rantaan")
    client.force_login(coordinator)
    response = client.get(f"/{language}/staff/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in body
    assert queue in body and "Penkki rantaan" in body
    home = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/staff/"' in home


def test_people_without_a_queue_get_403_and_no_link(client, council_member):
    client.force_login(council_member)
    assert client.get("/fi/staff/").status_code == 403
    assert 'href="/fi/staff/"' not in client.get("/fi/").content.decode()


def test_the_admin_index_shows_each_queue_with_its_count(client, coordinator, cycle):
    for _ in range(3):
        IdeaFactory(cycle=cycle)
    client.force_login(coordinator)
    body = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert 'id="work-queues"' in body
    assert "Arvioitavat ideat</a></th>" in body
    assert "<td>3</td>" in body


def _queue(views, key):
    return next(v for v in views if v.key == key)
