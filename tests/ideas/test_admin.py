"""Screening in the admin: filters, actions through services, experts' narrow view."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from ideas.models import IdeaStatus, RejectReason
from omakouvola.models import AuditEntry

from ..factories import IdeaFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/ideas/idea/"


def _action(client, action, ideas, **data):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [i.pk for i in ideas], **data},
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status__exact=submitted",
        "?channel__exact=web",
        "?sustainability=no",
        "?later_costs=yes",
        "?q=kuntosali",
        "?assigned_expert__id__exact=1",
    ],
)
def test_the_screening_list_and_its_filters_open(client, coordinator, idea, query):
    client.force_login(coordinator)
    assert client.get(CHANGELIST + query).status_code == 200


def test_reject_action_asks_for_a_reason_then_rejects_each_idea(
    client, coordinator, cycle, django_capture_on_commit_callbacks
):
    ideas = [IdeaFactory(cycle=cycle) for _ in range(2)]
    client.force_login(coordinator)
    form = _action(client, "reject", ideas)
    assert form.status_code == 200
    assert "Public explanation" in form.content.decode() or "Julkinen perustelu" in (
        form.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = _action(
            client,
            "reject",
            ideas,
            apply="1",
            reason=RejectReason.OTHER_BODY,
            public_reasoning="Kuuluu ELY-keskukselle.",
        )
    assert done.status_code == 302
    for idea in ideas:
        idea.refresh_from_db()
        assert idea.status == IdeaStatus.REJECTED
    assert AuditEntry.objects.filter(action="idea.reject").count() == 2
    assert len(mail.outbox) == 2


def test_an_incomplete_action_form_changes_nothing(client, coordinator, idea):
    client.force_login(coordinator)
    response = _action(client, "reject", [idea], apply="1", reason="", public_reasoning="")
    assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_forward_without_sustainability_is_refused_with_the_message(client, coordinator, idea):
    client.force_login(coordinator)
    response = _action(client, "forward", [idea], apply="1", public_reasoning="")
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("sustainability" in m or "kestävyys" in m for m in messages)


def test_transfer_and_duplicate_actions(client, coordinator, cycle):
    a, b, original = (IdeaFactory(cycle=cycle) for _ in range(3))
    client.force_login(coordinator)
    _action(client, "transfer", [a], apply="1", body="Väylävirasto", public_reasoning="")
    _action(client, "mark_duplicate", [b], apply="1", original=original.pk, public_reasoning="")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.transferred_to) == (IdeaStatus.TRANSFERRED, "Väylävirasto")
    assert (b.status, b.duplicate_of) == (IdeaStatus.DUPLICATE, original)


def test_assigning_an_expert_starts_screening(client, coordinator, idea, expert):
    client.force_login(coordinator)
    _action(client, "assign_expert", [idea], apply="1", expert=expert.pk)
    idea.refresh_from_db()
    assert (idea.status, idea.assigned_expert) == (IdeaStatus.IN_SCREENING, expert)


def test_an_expert_sees_only_assigned_ideas_and_no_actions(client, coordinator, cycle, expert):
    mine = IdeaFactory(cycle=cycle, title="Minulle osoitettu", assigned_expert=expert)
    other = IdeaFactory(cycle=cycle, title="Jonkun muun")
    client.force_login(expert)
    html = client.get(CHANGELIST).content.decode()
    assert "Minulle osoitettu" in html and "Jonkun muun" not in html
    assert 'name="action"' not in html
    assert client.get(f"{CHANGELIST}{other.pk}/change/").status_code == 302  # not found
    assert client.get(f"{CHANGELIST}{mine.pk}/change/").status_code == 200


def test_an_expert_records_the_assessment_in_the_admin(client, expert, cycle):
    idea = IdeaFactory(cycle=cycle, assigned_expert=expert, status=IdeaStatus.IN_SCREENING)
    client.force_login(expert)
    page = client.get(f"{CHANGELIST}{idea.pk}/change/")
    assert page.status_code == 200
    data = {
        "assessment-TOTAL_FORMS": "1",
        "assessment-INITIAL_FORMS": "0",
        "assessment-MIN_NUM_FORMS": "0",
        "assessment-MAX_NUM_FORMS": "1",
        "assessment-0-feasibility": "feasible",
        "assessment-0-cost_min": "1000",
        "assessment-0-cost_max": "2000",
        "assessment-0-maintenance_cost_per_year": "0",
        "assessment-0-feasibility_note": "",
        "assessment-0-maintenance_justification": "",
        "sustainability-TOTAL_FORMS": "1",
        "sustainability-INITIAL_FORMS": "0",
        "sustainability-MIN_NUM_FORMS": "0",
        "sustainability-MAX_NUM_FORMS": "1",
        "sustainability-0-ecological": "positive",
        "sustainability-0-ecological_note": "",
        "sustainability-0-social": "neutral",
        "sustainability-0-social_note": "",
        "sustainability-0-economic": "positive",
        "sustainability-0-economic_note": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "status_changes-MIN_NUM_FORMS": "0",
        "status_changes-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"{CHANGELIST}{idea.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    idea.refresh_from_db()
    assert idea.assessment.cost_max == 2000
    assert idea.sustainability.social == "neutral"
    assert AuditEntry.objects.filter(action="idea.assess", actor=expert).exists()


def _paper_idea(cycle, area, **extra):
    """The admin's add form for an idea that came on paper."""
    data = {
        "cycle": cycle.pk,
        "title": "Ilmoitustaulu",
        "description": "Kaupan pihaan",
        "area": area.pk,
        "channel": "paper",
        "submitter_name": "Irma V.",
        "submitter_contact": "",
        "submitter_birth_year": "1941",
        "address": "",
        "latitude": "",
        "longitude": "",
        "rough_cost": "1200",
        "on_behalf_of": "",
        "assessment-TOTAL_FORMS": "0",
        "assessment-INITIAL_FORMS": "0",
        "assessment-MIN_NUM_FORMS": "0",
        "assessment-MAX_NUM_FORMS": "1",
        "sustainability-TOTAL_FORMS": "0",
        "sustainability-INITIAL_FORMS": "0",
        "sustainability-MIN_NUM_FORMS": "0",
        "sustainability-MAX_NUM_FORMS": "1",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "status_changes-MIN_NUM_FORMS": "0",
        "status_changes-MAX_NUM_FORMS": "1000",
    }
    data.update(created_at_0="2026-01-05", created_at_1="12:00:00")
    data.update(extra)
    return data


def test_staff_add_a_paper_idea_in_the_admin(client, coordinator, cycle, area):
    client.force_login(coordinator)
    data = _paper_idea(cycle, area)
    response = client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="idea.enter")
    assert entry.actor == coordinator


def test_a_paper_idea_keeps_the_day_it_arrived(client, coordinator, cycle, area):
    """Staff typing in a paper form set the day it came; it was always "now"."""
    import datetime as dt

    from ideas.models import Idea
    from omakouvola.models import HELSINKI

    client.force_login(coordinator)
    page = client.get(f"{CHANGELIST}add/").content.decode()
    assert 'name="created_at_0"' in page
    response = client.post(
        f"{CHANGELIST}add/",
        _paper_idea(cycle, area, created_at_0="2026-03-16", created_at_1="09:30:00"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    idea = Idea.objects.get(title="Ilmoitustaulu")
    assert idea.created_at == dt.datetime(2026, 3, 16, 9, 30, tzinfo=HELSINKI)


def test_a_paper_idea_from_the_future_is_a_form_error(client, coordinator, cycle, area):
    import datetime as dt

    from django.utils import timezone

    from ideas.models import Idea

    client.force_login(coordinator)
    later = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        f"{CHANGELIST}add/",
        _paper_idea(cycle, area, created_at_0=later.isoformat(), created_at_1="09:30:00"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ei voi olla tulevaisuudessa" in page, re.findall(
        r'class="errorlist[^>]*>.*?</ul>', page
    )
    assert not Idea.objects.filter(title="Ilmoitustaulu").exists()


def test_the_coordinator_sees_pledge_contacts(client, coordinator, idea, other_resident):
    idea.pledges.create(user=other_resident, what="Maalaus", hours=4)
    client.force_login(coordinator)
    html = client.get("/admin/ideas/volunteerpledge/").content.decode()
    assert other_resident.email in html


def test_the_import_button_is_shown_only_to_those_the_import_page_lets_in(
    client, coordinator, expert, idea
):
    """The walk as the sector expert found the button on the idea list and a 403 behind it."""
    button = 'href="/admin/ideas/idea/import/"'
    client.force_login(coordinator)
    assert button in client.get("/admin/ideas/idea/").content.decode()
    client.force_login(expert)
    page = client.get("/admin/ideas/idea/")
    assert page.status_code == 200
    assert button not in page.content.decode()
    assert client.get("/admin/ideas/idea/import/").status_code == 403
