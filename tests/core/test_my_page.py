"""The resident's own page (/me/): each app's section, secrecy of the vote, and a
fixed number of queries whatever the number of items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussion.models import Comment, CommentState
from following import services as following_services
from ideas.models import (
    IdeaSupport,
    RegistrationStatus,
    VolunteerPledge,
    WorkshopRegistration,
)
from omakouvola import panels
from omakouvola.models import Cycle
from tests.factories import (
    BallotFactory,
    CycleFactory,
    IdeaFactory,
    ProposalFactory,
    UserFactory,
    WorkshopFactory,
    helsinki,
)
from voting.models import Channel, VoterRoll

pytestmark = pytest.mark.django_db

#: Session and user; one query each for workshop seats, ideas, supports, pledges, follows,
#: each kind of item followed (here ideas and proposals), the delivery choice, ballots and
#: comments; and the savepoints of the test's transaction.
MY_PAGE_QUERIES = 14


def _give_history(user, n: int) -> None:
    """n of every kind of item for user, each under a different idea, ballot, workshop."""
    cycle = Cycle.objects.first() or CycleFactory()
    for i in range(n):
        idea = IdeaFactory(cycle=cycle, submitter=user, title=f"Oma idea {i}")
        other = IdeaFactory(cycle=cycle, title=f"Tuettu idea {i}")
        IdeaSupport.objects.create(idea=other, user=user)
        following_services.follow_set(actor=user, item=other, follow=True)
        VolunteerPledge.objects.create(user=user, idea=other, what=f"Haravointi {i}", hours=2)
        workshop = WorkshopFactory(cycle=cycle, title=f"Työpaja {i}")
        WorkshopRegistration.objects.create(
            workshop=workshop, user=user, status=RegistrationStatus.REGISTERED, seat=1
        )
        ballot = BallotFactory(cycle=cycle, name=f"Äänestys {i}")
        VoterRoll.objects.create(
            ballot=ballot,
            user=user,
            channel=Channel.WEB,
            voted_on=dt.date(2026, 5, 1),
            sealed_pointer=b"secret-pointer",
        )
        Comment.objects.create(idea=idea, author=user, body=f"Kommenttini {i}")
        Comment.objects.create(
            proposal=ProposalFactory(cycle=cycle, title=f"Ehdotus {i}", status="approved"),
            author=user,
            body=f"Piilotettu {i}",
            state=CommentState.HIDDEN,
            hidden_reason="Asiaton",
        )


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("my_page"))
    assert response.status_code == 302


def test_the_page_lists_every_kind_of_item_and_never_the_choices(client):
    user = UserFactory()
    _give_history(user, 1)
    someone = UserFactory()
    IdeaFactory(cycle=Cycle.objects.get(), submitter=someone, title="Jonkun muun idea")
    client.force_login(user)

    html = client.get(reverse("my_page")).content.decode()

    for text in (
        "Oma idea 0",
        "Tuettu idea 0",
        "Haravointi 0",
        "Työpaja 0",
        "Äänestys 0",
        "Kommenttini 0",
        "Piilotettu 0",
    ):
        assert text in html, text
    assert "Jonkun muun idea" not in html
    assert 'id="my-follows"' in html  # the follows section, with its stop buttons
    assert "Stop following Tuettu idea 0" in html or "Lopeta" in html
    assert "secret-pointer" not in html
    # The user menu leads here and marks the page as the current one.
    assert f'href="{reverse("my_page")}" aria-current="page"' in html


def test_every_app_registers_its_section_for_the_page():
    assert {"ideas", "voting", "discussion", "following"} <= set(panels._PANELS["me"])


@pytest.mark.parametrize("n", [1, 4])
def test_the_page_takes_the_same_number_of_queries_at_any_size(client, n):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("my_page"))  # warm session, site and caches
    _give_history(user, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("my_page")).status_code == 200
    _give_history(user, n)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("my_page")).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_the_voting_section_does_not_load_the_sealed_pointer():
    from voting.selectors import ballots_voted_by

    user = UserFactory()
    _give_history(user, 1)
    with CaptureQueriesContext(connection) as queries:
        entries = list(ballots_voted_by(user))
    assert len(queries) == 1
    assert "sealed_pointer" not in queries[0]["sql"]
    assert entries[0].ballot.name == "Äänestys 0"


def test_a_user_with_several_of_everything_costs_a_pinned_number_of_queries(
    client, django_assert_num_queries
):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("my_page"))  # warm session, site and caches
    _give_history(user, 3)
    past = WorkshopFactory(
        cycle=Cycle.objects.get(), title="Mennyt paja", starts_at=helsinki(2026, 5, 4, 17, 0)
    )
    WorkshopRegistration.objects.create(
        workshop=past, user=user, status=RegistrationStatus.REGISTERED, seat=1
    )
    for i in range(3):
        proposal = ProposalFactory(
            cycle=Cycle.objects.get(), title=f"Seurattu {i}", status="approved"
        )
        following_services.follow_set(actor=user, item=proposal, follow=True)
    with django_assert_num_queries(MY_PAGE_QUERIES):
        response = client.get(reverse("my_page"))
    assert response.status_code == 200


def test_workshop_seats_are_split_into_coming_up_and_past(client, time_machine):
    time_machine.move_to(helsinki(2026, 12, 2, 12, 0), tick=False)
    user = UserFactory()
    cycle = CycleFactory()
    for title, start in (
        ("Kevään paja", helsinki(2026, 5, 4, 17, 0)),
        ("Syksyn paja", helsinki(2026, 11, 3, 17, 0)),
        ("Tammikuun paja", helsinki(2027, 1, 12, 17, 0)),
    ):
        WorkshopRegistration.objects.create(
            workshop=WorkshopFactory(cycle=cycle, title=title, starts_at=start),
            user=user,
            status=RegistrationStatus.REGISTERED,
            seat=1,
        )
    client.force_login(user)

    html = client.get("/en" + reverse("my_page")[3:]).content.decode()

    section = html[html.index('id="my-workshops"') :]
    coming, past = section.split("Past workshops", 1)
    assert "Tammikuun paja" in coming and "Kevään paja" not in coming
    # Past ones newest first.
    assert past.index("Syksyn paja") < past.index("Kevään paja")


def test_a_pledge_on_an_idea_merged_into_a_proposal_shows_both(client):
    user = UserFactory()
    cycle = CycleFactory()
    proposal = ProposalFactory(cycle=cycle, title="Kuntoportaat Mustavuoreen", status="approved")
    idea = IdeaFactory(cycle=cycle, title="Portaat mäelle", status="merged", proposal=proposal)
    VolunteerPledge.objects.create(user=user, idea=idea, what="Talkoot", hours=3)
    on_proposal = ProposalFactory(cycle=cycle, title="Uimarannan laituri", status="approved")
    VolunteerPledge.objects.create(user=user, proposal=on_proposal, what="Maalaus", hours=2)
    client.force_login(user)

    response = client.get("/en" + reverse("my_page")[3:])

    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="my-pledges"') : html.index('id="my-workshops"')]
    assert idea.get_absolute_url() in section
    assert "now part of the proposal" in section
    assert proposal.get_absolute_url() in section and "Kuntoportaat Mustavuoreen" in section
    assert on_proposal.get_absolute_url() in section and "Maalaus" in section


def test_the_old_my_ideas_address_leads_to_the_ideas_section_of_my_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("ideas:mine"))
    assert response.status_code == 302
    assert response["Location"] == reverse("my_page") + "#my-ideas"


def test_the_navigation_leads_to_my_page_and_not_to_the_old_list(client):
    client.force_login(UserFactory())
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("my_page")}"' in html
    assert f'href="{reverse("ideas:mine")}"' not in html


@pytest.mark.parametrize(
    ("language", "headings"),
    [
        ("fi", ["Omat ideat", "Omat pajat", "Tulossa", "Menneet pajat", "nyt osa ehdotusta"]),
        ("sv", ["Mina idéer", "Mina verkstäder", "På kommande", "Tidigare verkstäder"]),
        ("en", ["My ideas", "My workshops", "Coming up", "Past workshops"]),
    ],
)
def test_the_page_speaks_each_language(client, language, headings):
    user = UserFactory()
    _give_history(user, 1)
    cycle = Cycle.objects.get()
    past = WorkshopFactory(cycle=cycle, title="Mennyt", starts_at=helsinki(2026, 5, 4, 17, 0))
    WorkshopRegistration.objects.create(
        workshop=past, user=user, status=RegistrationStatus.REGISTERED, seat=1
    )
    proposal = ProposalFactory(cycle=cycle, status="approved")
    merged = IdeaFactory(cycle=cycle, status="merged", proposal=proposal)
    VolunteerPledge.objects.create(user=user, idea=merged, what="Apu", hours=1)
    client.force_login(user)
    response = client.get(f"/{language}/me/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in headings:
        assert text in html, text
