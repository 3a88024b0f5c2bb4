"""Implementation records: made by the deciding services for any year, added by hand,
done needs a date, reopening resets progress, overspending is flagged (issue #13, item 2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from budgets import reporting, selectors, services
from budgets.models import Implementation, ImplementationStatus
from tests.committees.conftest import (  # noqa: F401  (fixtures)
    chair_user,
    committee,
    conflicted_user,
    deputy_user,
    funding_request,
    member_user,
    valkeala_committee,
)
from tests.committees.helpers import grant_input, held_meeting
from tests.voting.conftest import (  # noqa: F401  (fixtures)
    ballot,
    decision_maker,
    during_voting,
    proposals,
)
from tests.voting.test_services import _close_and_count
from voting import services as voting_services


@pytest.fixture(autouse=True)
def _language_back_to_default(settings):
    """Requests here activate fi or en; leave the default for the tests that follow."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_confirming_next_years_winners_creates_their_records(
    coordinator,
    decision_maker,
    resident,
    ballot,
    proposals,
    during_voting,
    time_machine,
    django_capture_on_commit_callbacks,
):
    """The 2027 winners got no records: the sync only looked at the calendar year."""
    voting_services.vote_cast(
        actor=resident, ballot=ballot, proposal_ids=[proposals[0].pk, proposals[1].pk]
    )
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
    made = Implementation.objects.filter(ballot=ballot).order_by("title")
    assert [(i.title, i.year, i.planned_cost) for i in made] == [
        ("Muraali", ballot.cycle.year, Decimal("6000.00")),
        ("Penkit", ballot.cycle.year, Decimal("4000.00")),
    ]


def test_a_grant_gets_its_record_when_decided(
    committee,
    coordinator,
    funding_request,
    django_capture_on_commit_callbacks,
):
    from committees import services as committee_services

    _, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    with django_capture_on_commit_callbacks(execute=True):
        decision = committee_services.decision_record(
            actor=coordinator, agenda_item=item, data=grant_input("1200", votes_for=6)
        )
    decision.refresh_from_db()
    record = Implementation.objects.get(grant=decision.grant)
    assert (record.planned_cost, record.year) == (Decimal("1200.00"), decision.grant.year)


def test_the_sync_picks_up_last_years_grants_and_decided_ballots(
    decided_ballot, coordinator, time_machine
):
    """A December decision synced in January was never picked up."""
    time_machine.move_to(dt.datetime(2027, 1, 5, 10, 0, tzinfo=dt.UTC), tick=False)
    assert decided_ballot.cycle.year != 2027
    assert services.implementations_sync(actor=coordinator) == 2
    assert services.implementations_sync(actor=coordinator) == 0


def test_the_admin_action_makes_the_missing_records_of_any_year(
    client, decided_ballot, coordinator, time_machine
):
    time_machine.move_to(dt.datetime(2027, 1, 5, 10, 0, tzinfo=dt.UTC), tick=False)
    [winner, other] = services.implementations_for_winners(actor=coordinator, ballot=decided_ballot)
    other.delete()
    client.force_login(coordinator)
    response = client.post(
        "/admin/budgets/implementation/",
        {"action": "sync_missing", "_selected_action": [winner.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Implementation.objects.filter(ballot=decided_ballot).count() == 2


def test_the_coordinator_adds_a_record_for_a_winner_by_hand(client, decided_ballot, coordinator):
    """The 2027 winners got no records and there was no other way to add one."""
    [stairs] = [p for p in decided_ballot.proposals.all() if p.title == "Kuntoportaat"]
    client.force_login(coordinator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    url = "/admin/budgets/implementation/add/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"proposal": "", "grant": ""})
    assert refused.status_code == 200
    with translation.override("fi"):
        assert str(services.WINNER_OR_GRANT) in refused.content.decode()
    response = client.post(url, {"proposal": stairs.pk, "grant": ""})
    assert response.status_code == 302
    record = Implementation.objects.get(proposal=stairs)
    assert (record.ballot_id, record.planned_cost) == (decided_ballot.pk, Decimal("12000.00"))
    again = client.post(url, {"proposal": stairs.pk, "grant": ""})
    assert again.status_code == 200
    assert Implementation.objects.filter(proposal=stairs).count() == 1


def _admin_data(client, url, **extra):
    """What the admin page posts: its fields, with every inline empty."""
    page = client.get(url)
    data = {
        "title": "Laituri",
        "year": "2026",
        "area": "",
        "description": "",
        "responsible_sector": "",
        "responsible_person": "",
        "status": ImplementationStatus.PLANNING,
        "progress": "0",
        "completed_on": "",
        "planned_cost": "800",
        "maintenance_cost_per_year": "0",
        "maintenance_justification": "",
        "notes": "",
        "is_public": "on",
    }
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.management_form.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update({k: str(v) for k, v in extra.items()})
    fields = page.context["adminform"].form.fields
    return {k: v for k, v in data.items() if "-" in k or k in fields}


def test_done_without_a_date_is_a_form_error_in_finnish(client, projects, coordinator):
    """It showed the raw database message 'Rajoitetta "implementation_done_has_date" ...'."""
    stairs = projects["Kuntoportaat"]
    client.force_login(coordinator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    url = f"/admin/budgets/implementation/{stairs.pk}/change/"
    data = _admin_data(
        client,
        url,
        status=ImplementationStatus.DONE,
        planned_cost=stairs.planned_cost,
        progress=stairs.progress,
    )
    response = client.post(url, data)
    assert response.status_code == 200
    with translation.override("fi"):
        expected = str(services.DONE_NEEDS_DATE)
    page = response.content.decode()
    assert expected in page
    assert "implementation_done_has_date" not in page
    stairs.refresh_from_db()
    assert stairs.status == ImplementationStatus.PLANNING


def test_reopening_resets_progress_and_completion(projects, coordinator):
    stairs = projects["Kuntoportaat"]
    done = services.implementation_update(
        actor=coordinator,
        implementation=stairs,
        status=ImplementationStatus.DONE,
        completed_on=dt.date(2025, 9, 1),
    )
    assert done.progress == 100
    reopened = services.implementation_update(
        actor=coordinator, implementation=done, status=ImplementationStatus.IN_PROGRESS
    )
    assert (reopened.progress, reopened.completed_on) == (0, None)
    again = services.implementation_update(
        actor=coordinator, implementation=reopened, status=ImplementationStatus.DONE
    )
    back = services.implementation_update(
        actor=coordinator,
        implementation=again,
        status=ImplementationStatus.IN_PROGRESS,
        progress=80,
    )
    assert back.progress == 80


@pytest.fixture
def overspent(projects, coordinator):
    """6 500 € of expenses on the 6 000 € planned for the mural."""
    mural = projects["Muraali"]
    services.implementation_update(actor=coordinator, implementation=mural, planned_cost=6000)
    for n, amount in enumerate(("4000", "2500")):
        services.expense_record(
            actor=coordinator,
            implementation=mural,
            paid_on=dt.date(2025, 6, 1 + n),
            amount=Decimal(amount),
            supplier="Maalaamo Oy",
            invoice_reference=f"L-{n}",
        )
    return mural


def test_overspending_is_flagged_on_the_project_dashboard_and_report(
    client, overspent, council_member
):
    [row] = [
        i
        for i in selectors.implementations_of_years([2025], dt.date(2025, 12, 31))
        if i.pk == overspent.pk
    ]
    assert selectors.overspent_by(row) == Decimal("500.00")
    with translation.override("en"):
        sections = reporting.dashboard_sections(2025, dt.date(2025, 12, 31))
    texts = [b.data for s in sections for b in s.blocks if b.kind == "text"]
    assert any("Over budget: Muraali" in str(t) and "500.00" in str(t) for t in texts), texts
    page = client.get(f"/en/budgets/built/{overspent.pk}/").content.decode()
    assert "Over budget by €500.00" in page
    client.force_login(council_member)
    dashboard = client.get("/en/budgets/dashboard/?year=2025&as_of=2025-12-31").content.decode()
    assert "Over budget: Muraali" in dashboard
