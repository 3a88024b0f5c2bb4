"""The coordinator's admin goes through the services: limits, locks and the audit log."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgets.models import Appropriation, Expense
from omakouvola.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/budgets/appropriation/",
        "/admin/budgets/fundingsource/",
        "/admin/budgets/commitment/",
        "/admin/budgets/implementation/",
        "/admin/budgets/expense/",
        "/admin/budgets/volunteerwork/",
        "/admin/budgets/report/",
        "/admin/budgets/appropriation/add/",
        "/admin/budgets/expense/add/",
    ],
)
def test_the_coordinator_opens_the_money_pages(client, coordinator, path):
    client.force_login(coordinator)
    assert client.get(path).status_code == 200


def test_the_council_has_no_admin_pages(client, council_member):
    council_member.is_staff = True
    council_member.save()
    client.force_login(council_member)
    assert client.get("/admin/budgets/appropriation/").status_code == 403


def test_an_appropriation_is_saved_with_its_shares_through_the_service(
    client, coordinator, city_budget, operating_funds
):
    client.force_login(coordinator)
    response = client.post(
        "/admin/budgets/appropriation/add/",
        {
            "year": "2023",
            "purpose": "youth_pb",
            "name": "Nuorten osallistuva budjetointi",
            "amount": "10000",
            "note": "",
            "created_at_0": "2023-01-01",
            "created_at_1": "10:00",
            "shares-TOTAL_FORMS": "2",
            "shares-INITIAL_FORMS": "0",
            "shares-MIN_NUM_FORMS": "0",
            "shares-MAX_NUM_FORMS": "1000",
            "shares-0-source": str(city_budget.pk),
            "shares-0-amount": "5000",
            "shares-1-source": str(operating_funds.pk),
            "shares-1-amount": "5000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    youth = Appropriation.objects.get()
    assert sorted(s.amount for s in youth.shares.all()) == [Decimal("5000.00")] * 2
    assert AuditEntry.objects.filter(action="appropriation.create").count() == 1


def test_an_expense_over_the_committed_money_is_refused_in_the_admin(client, coordinator, projects):
    client.force_login(coordinator)
    data = {
        "implementation": str(projects["Muraali"].pk),
        "paid_on": "2025-06-01",
        "amount": "30000.01",
        "supplier": "Taiteilija",
        "invoice_reference": "L-9",
        "description": "",
    }
    response = client.post("/admin/budgets/expense/add/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "more than the" in response.content.decode()
    assert not Expense.objects.exists()
    data["amount"] = "9000"
    assert client.post("/admin/budgets/expense/add/", data).status_code == 302
    assert Expense.objects.get().amount == Decimal("9000.00")
    assert AuditEntry.objects.filter(action="implementation.expense").count() == 1


def _management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_the_city_team_updates_progress_and_adds_a_milestone(client, city_team_member, projects):
    stairs = projects["Kuntoportaat"]
    client.force_login(city_team_member)
    data = {
        "description": stairs.description,
        "responsible_sector": "Kaupunkirakenne",
        "responsible_person": "Ville Vihertiimi",
        "status": "in_progress",
        "progress": "40",
        "completed_on": "",
        "planned_cost": "12000.00",
        "maintenance_cost_per_year": "0",
        "maintenance_justification": "",
        "notes": "",
        "is_public": "on",
        **_management("milestones", 1),
        "milestones-0-title": "Runko pystyssä",
        "milestones-0-due_on": "2025-07-01",
        "milestones-0-done_on": "",
        **_management("progress_notes"),
        **_management("photos"),
        **_management("expenses"),
        **_management("volunteer_work"),
    }
    response = client.post(f"/admin/budgets/implementation/{stairs.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    stairs.refresh_from_db()
    assert (stairs.status, stairs.progress, stairs.responsible_person) == (
        "in_progress",
        40,
        "Ville Vihertiimi",
    )
    assert stairs.milestones.get().title == "Runko pystyssä"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"implementation.update", "implementation.milestone"} <= actions
