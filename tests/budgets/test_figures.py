"""The dashboard's and the report's figures: as of a date, and equal to sums computed
independently from the rows."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import translation

from budgets import selectors, services
from budgets.models import Expense, Purpose
from budgets.reporting import dashboard_sections, report_context

pytestmark = pytest.mark.django_db


def _expense(coordinator, project, day, amount):
    return services.expense_record(
        actor=coordinator,
        implementation=project,
        paid_on=day,
        amount=Decimal(amount),
        supplier="Toimittaja Oy",
        invoice_reference=f"L-{day.isoformat()}-{amount}",
    )


def _table(sections, key):
    for section in sections:
        for table in section.tables:
            if table.key == key:
                return table
    raise AssertionError(f"no table {key}")


def test_money_is_counted_as_it_stood_at_the_end_of_the_chosen_day(projects, coordinator):
    stairs = projects["Kuntoportaat"]
    _expense(coordinator, stairs, dt.date(2025, 5, 1), "5000")
    _expense(coordinator, stairs, dt.date(2025, 9, 19), "1000")
    _expense(coordinator, stairs, dt.date(2025, 9, 20), "4000")

    def spent(day):
        [status] = selectors.appropriation_status([2025], day)
        return status.committed, status.spent

    assert spent(dt.date(2025, 1, 9)) == (Decimal("0"), Decimal("0"))
    assert spent(dt.date(2025, 9, 19)) == (Decimal("30000.00"), Decimal("6000.00"))
    assert spent(dt.date(2025, 12, 31)) == (Decimal("30000.00"), Decimal("10000.00"))
    page = selectors.implementations_with_money(dt.date(2025, 9, 19)).get(pk=stairs.pk)
    assert page.expenses_total == Decimal("6000.00")


def test_money_of_a_shared_appropriation_is_split_by_source_shares(
    coordinator, city_budget, operating_funds, pb_cycle
):
    from tests.factories import BallotFactory

    youth = services.appropriation_save(
        actor=coordinator,
        year=2025,
        purpose=Purpose.YOUTH_PB,
        name="Nuoret",
        amount=Decimal("10000"),
        shares={city_budget: Decimal("5000"), operating_funds: Decimal("5000")},
    )
    ballot = BallotFactory(cycle=pb_cycle, money=8000, operating_funds=4000)
    services.commitment_create(
        actor=coordinator, appropriation=youth, ballot=ballot, committed_on=dt.date(2025, 1, 5)
    )
    statuses = selectors.appropriation_status([2025], dt.date(2025, 12, 31))
    rows = {s.name: s for s in selectors.money_by_source(statuses)}
    assert rows["Toimintaraha"].amount == Decimal("5000.00")
    assert rows["Toimintaraha"].committed == Decimal("4000.00")
    assert rows["Kaupungin talousarvio"].committed == Decimal("4000.00")


def test_the_report_agrees_with_sums_computed_from_the_rows(projects, coordinator, area):
    """Random expenses; the report's totals are recomputed here straight from the ledger."""
    rng = random.Random(6)
    stairs, mural = projects["Kuntoportaat"], projects["Muraali"]
    for n in range(30):
        project = stairs if n % 2 else mural
        day = dt.date(2025, 3, 1) + dt.timedelta(days=rng.randint(0, 300))
        _expense(coordinator, project, day, str(Decimal(rng.randint(100, 90000)) / 100))
    services.volunteer_work_record(
        actor=coordinator, implementation=mural, done_on=dt.date(2025, 6, 1), hours=Decimal("12.5")
    )
    as_of = dt.date(2025, 10, 31)
    with translation.override("en"):
        context = report_context(period_start=dt.date(2025, 1, 1), period_end=as_of, kind="interim")
    sections = context["sections"]
    expected = {
        p.pk: sum(
            (e.amount for e in Expense.objects.filter(implementation=p, paid_on__lte=as_of)),
            Decimal(0),
        )
        for p in (stairs, mural)
    }
    projects_table = _table(sections, "implementation")
    by_title = {row[0]: row for row in projects_table.rows}
    assert by_title["Kuntoportaat"][6] == expected[stairs.pk]
    assert by_title["Muraali"][6] == expected[mural.pk]
    assert by_title["Muraali"][7] == Decimal("12.5")
    assert projects_table.footer[6] == sum(expected.values())
    appropriations = _table(sections, "appropriations")
    assert appropriations.rows[0][6] == sum(expected.values())
    assert appropriations.rows[0][4] - appropriations.rows[0][6] == appropriations.rows[0][7]
    areas = _table(sections, "areas")
    assert {r[0]: r[2] for r in areas.rows}["Keskusta"] == sum(expected.values())


def test_the_funnel_counts_ideas_to_built_projects(projects, coordinator, pb_cycle):
    from budgets.models import ImplementationStatus
    from tests.factories import IdeaFactory

    for status in ["submitted", "forwarded", "forwarded", "rejected"]:
        IdeaFactory(
            cycle=pb_cycle, status=status, reject_reason="other" if status == "rejected" else ""
        )
    services.implementation_update(
        actor=coordinator,
        implementation=projects["Muraali"],
        status=ImplementationStatus.DONE,
        completed_on=dt.date(2025, 8, 1),
    )
    with translation.override("en"):
        sections = dashboard_sections(2025, dt.date(2025, 12, 31))
        funnel = dict((r[0], r[1]) for r in _table(sections, "funnel").rows)
    assert funnel == {
        "Ideas received": 4,
        "Screened": 3,
        "Forwarded to co-development": 2,
        "Proposals": 3,
        "On a ballot": 3,
        "Winners": 2,
        "Built": 1,
    }
