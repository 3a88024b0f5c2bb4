"""The committees' pages: public list and page, the application form and status page,
the members' area with its permissions, privately served PDFs."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from committees import services
from committees.models import ApplicationStatus, FundingApplication, Meeting

from .factories import MembershipFactory, application_to
from .helpers import grant_input, held_meeting

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(f"committees:{name}", args=args)


def test_the_committee_list_has_a_fixed_number_of_queries(
    client, committee, keskusta_committee, django_assert_num_queries
):
    client.get(url("list"))  # warm the session and translations
    # The committees with their allocations, their chairs, and the request's savepoint pair.
    with django_assert_num_queries(4):
        response = client.get(url("list"))
    html = response.content.decode()
    assert "Valkealan aluetoimikunta" in html
    assert "Paavo Puheenjohtaja" in html
    assert "10,000.00" in html


def test_the_committee_page_does_not_grow_with_grants(
    client, committee, coordinator, django_assert_max_num_queries
):
    for _ in range(3):
        request = application_to(committee, "500")
        _, [item] = held_meeting(committee, coordinator, requests=[request])
        services.decision_record(actor=coordinator, agenda_item=item, data=grant_input("500"))
    client.get(url("detail", "valkeala"))
    with django_assert_max_num_queries(12) as queries:
        response = client.get(url("detail", "valkeala"))
    few = len(queries.captured_queries)
    for _ in range(3):
        request = application_to(committee, "500")
        _, [item] = held_meeting(committee, coordinator, requests=[request])
        services.decision_record(actor=coordinator, agenda_item=item, data=grant_input("500"))
    with django_assert_max_num_queries(few):
        response = client.get(url("detail", "valkeala"))
    assert response.content.decode().count("Kylätalon kunnostus") == 6


def test_an_association_applies_without_an_account(
    client, committee, django_capture_on_commit_callbacks
):
    form = {
        "applicant_kind": "organisation",
        "organisation_name": "Utin Kyläyhdistys ry",
        "business_id": "2345678-0",
        "responsible_person": "Liisa Laine",
        "email": "liisa@example.fi",
        "title": "Utin kyläkoulun välituntivälineet",
        "description": "Välineet välitunneille.",
        "own_funding": "100",
        "volunteer_hours": "20",
        f"request_{committee.pk}": "900",
        "cost_1_description": "Välineet",
        "cost_1_amount": "1000",
        "sustainability_ecological": "Kestävät välineet.",
        "sustainability_social": "Lapset liikkuvat.",
        "sustainability_economic": "Koulu huoltaa.",
    }
    bad = client.post(url("apply"), {**form, "business_id": "2345678-1"})
    assert bad.status_code == 200
    assert "not a valid business ID" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("apply"), form)
    assert response["Location"] == url("link_sent")
    link = re.search(r"/en/committees/applications/[\w-]+/", mail.outbox[0].body).group(0)
    status = client.get(link)
    assert "The application is complete" in status.content.decode()
    assert status.status_code == 200
    token = link.rstrip("/").rsplit("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("application_submit", token))
    assert FundingApplication.objects.get().status == ApplicationStatus.SUBMITTED
    assert len(mail.outbox) == 2


def test_an_unknown_secret_link_is_404(client):
    assert client.get(url("application", "no-such-token")).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("other_member", 403),
        ("member", 200),
        ("deputy", 200),
        ("chair", 200),
        ("coordinator", 200),
    ],
)
def test_the_members_area_is_for_members(client, committee, funding_request, request, who, status):
    users = {
        "resident": "resident",
        "other_member": "other_member_user",
        "member": "member_user",
        "deputy": "deputy_user",
        "chair": "chair_user",
        "coordinator": "coordinator",
    }
    if who != "anonymous":
        client.force_login(request.getfixturevalue(users[who]))
    response = client.get(url("workspace", "valkeala"))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert funding_request.application.title in html
        assert ("New meeting" in html) is (who in {"chair", "coordinator"})


def test_the_workspace_has_a_fixed_number_of_queries(
    client, committee, member_user, django_assert_max_num_queries
):
    for _ in range(3):
        application_to(committee, "700")
    client.force_login(member_user)
    client.get(url("workspace", "valkeala"))
    with django_assert_max_num_queries(25) as queries:
        client.get(url("workspace", "valkeala"))
    few = len(queries.captured_queries)
    for _ in range(5):
        application_to(committee, "700")
    with django_assert_max_num_queries(few):
        client.get(url("workspace", "valkeala"))


def test_a_member_comments_and_declares_a_conflict(client, committee, funding_request, member_user):
    client.force_login(member_user)
    client.post(url("request_comment", funding_request.pk), {"text": "Hyvä hanke."})
    client.post(url("request_conflict", funding_request.pk), {"reason": "Hallituksessa"})
    html = client.get(url("request", funding_request.pk)).content.decode()
    assert "Hyvä hanke." in html
    assert "You have declared a conflict of interest" in html


def test_the_chair_runs_a_meeting_in_the_browser(
    client, committee, chair_user, funding_request, django_capture_on_commit_callbacks
):
    client.force_login(chair_user)
    response = client.post(
        url("meeting_new", "valkeala"), {"starts_at": "2026-03-12T18:00", "place": "Kylätalo"}
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url().replace("/fi/", "/en/")
    client.post(url("meeting_agenda", meeting.pk), {"funding_request": funding_request.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("meeting_invite", meeting.pk))
    present = [m.pk for m in committee.memberships.exclude(role="deputy")]
    client.post(url("meeting_attendance", meeting.pk), {"present": present})
    item = meeting.agenda_items.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("meeting_decide", meeting.pk, item.pk),
            {
                "outcome": "grant",
                "amount": "1500",
                "rationale": "Hyvä hanke.",
                "sustainability_ecological": "a",
                "sustainability_social": "b",
                "sustainability_economic": "c",
            },
        )
    assert response.status_code == 302
    decision = item.decision
    assert decision.amount == 1500
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("meeting_minutes", meeting.pk))
    client.post(url("meeting_approve", meeting.pk))
    client.logout()
    # Published minutes are public; the letter is not.
    assert client.get(url("minutes", meeting.pk)).status_code == 200
    assert client.get(url("letter", decision.pk)).status_code == 302
    token = funding_request.application.token
    letter = client.get(url("application_letter", token, decision.pk))
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"


def test_unpublished_minutes_are_not_public(client, committee, coordinator, member_user):
    meeting, _ = held_meeting(committee, coordinator)
    services.minutes_generate(meeting_id=meeting.pk)
    assert client.get(url("minutes", meeting.pk)).status_code == 302
    client.force_login(member_user)
    assert client.get(url("minutes", meeting.pk)).status_code == 200


def test_a_member_of_another_committee_cannot_see_the_meeting(
    client, committee, coordinator, other_member_user
):
    meeting, _ = held_meeting(committee, coordinator)
    client.force_login(other_member_user)
    assert client.get(url("meeting", meeting.pk)).status_code == 403


def test_a_member_without_an_account_is_invited_by_e_mail(
    client, committee, chair_user, django_capture_on_commit_callbacks
):
    MembershipFactory(committee=committee, name="Ilman Tunnusta", email="ilman@example.fi")
    meeting, _ = held_meeting(committee, chair_user)
    Meeting.objects.filter(pk=meeting.pk).update(status="planned")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_invitations(actor=chair_user, meeting=meeting)
    assert ["ilman@example.fi"] in [m.to for m in mail.outbox]


def test_the_chair_adopts_an_idea_in_the_browser(client, committee, chair_user, cycle):
    from ideas.models import Idea

    idea = Idea.objects.create(
        cycle=cycle, title="Ulkoportaat", description="Portaat mäelle.", area=committee.area
    )
    client.force_login(chair_user)
    assert "Ulkoportaat" in client.get(url("adopt", "valkeala")).content.decode()
    response = client.post(
        url("adopt", "valkeala"),
        {"idea": idea.pk, "title": "Ulkoportaat", "description": "Idea.", "amount": "3000"},
    )
    assert response.status_code == 302
    assert FundingApplication.objects.get().idea == idea


def test_adopting_a_project_for_zero_euros_is_a_form_error(client, committee, chair_user, cycle):
    from committees.services import AMOUNT_REQUIRED

    client.force_login(chair_user)
    response = client.post(
        url("adopt", "valkeala"),
        {"title": "Ulkoportaat", "description": "Idea.", "amount": "0"},
    )
    assert response.status_code == 200
    assert str(AMOUNT_REQUIRED) in response.content.decode()
    assert not FundingApplication.objects.exists()


def test_the_decision_page_shows_the_money_of_the_meetings_year_in_helsinki(
    client, committee, chair_user, funding_request, time_machine
):
    """A meeting at 00:30 on 1 January in Kouvola is still 31 December in UTC: the page
    showed the old year's allocation while the decision is booked on the new one."""
    import datetime as dt
    from decimal import Decimal

    from committees.selectors import meeting_day
    from omakouvola.models import HELSINKI

    from .factories import AllocationFactory

    AllocationFactory(committee=committee, year=2027, amount=Decimal("4000.00"))
    time_machine.move_to(dt.datetime(2026, 12, 20, 12, 0, tzinfo=dt.UTC), tick=False)
    starts_at = dt.datetime(2027, 1, 1, 0, 30, tzinfo=HELSINKI)
    assert starts_at.astimezone(dt.UTC).year == 2026
    meeting, (item,) = held_meeting(
        committee, chair_user, when=starts_at, requests=[funding_request]
    )
    assert meeting_day(meeting) == dt.date(2027, 1, 1)
    client.force_login(chair_user)
    response = client.get(url("meeting_decide", meeting.pk, item.pk))
    assert response.status_code == 200
    assert response.context["left"] == Decimal("4000.00")


def test_a_superuser_is_not_offered_the_chairs_small_grant(
    client, committee, funding_request, chair_user
):
    """The page asks the rule, not `User.has_perm`: Django's has_perm answers True for any
    superuser, so the page offered them the chair's small grant the service then refused."""
    from omakouvola.models import User

    fast_track = url("request_fast_track", funding_request.pk)
    client.force_login(chair_user)
    assert fast_track in client.get(url("request", funding_request.pk)).content.decode()
    admin = User.objects.create_superuser(email="paakayttaja@kouvola.test", password="x" * 16)
    assert admin.has_perm("committees.fast_track", funding_request)  # Django's shortcut
    client.force_login(admin)
    response = client.get(url("request", funding_request.pk))
    assert response.status_code == 200
    assert fast_track not in response.content.decode()


def test_a_refused_decision_shows_its_error_once(
    client, committee, chair_user, funding_request, time_machine
):
    """The decision page showed a refusal twice (above the form and at the field)."""
    import datetime as dt
    from decimal import Decimal

    from committees.services.decisions import AMOUNT_OVER_REQUESTED
    from omakouvola.formatting import format_euros

    from .factories import AllocationFactory

    AllocationFactory(committee=committee, year=2026, amount=Decimal("4000.00"))
    time_machine.move_to(dt.datetime(2026, 3, 12, 20, 0, tzinfo=dt.UTC), tick=False)
    meeting, (item,) = held_meeting(committee, chair_user, requests=[funding_request])
    client.force_login(chair_user)
    with translation.override("en"):
        message = AMOUNT_OVER_REQUESTED % {
            "amount": format_euros(Decimal("2000.00"), language="en"),
            "requested": format_euros(Decimal("1500.00"), language="en"),
        }
    response = client.post(
        url("meeting_decide", meeting.pk, item.pk),
        {
            "outcome": "grant",
            "amount": "2000.00",
            "rationale": "Hyvä hanke.",
            "sustainability_ecological": "Kestävä.",
            "sustainability_social": "Yhteisöllinen.",
            "sustainability_economic": "Ei jatkokuluja.",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("more than the") == 1, message
