"""Money in and money out keep their limits; reports are never offered half-written."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from budgets import services
from budgets.models import (
    Commitment,
    Expense,
    Implementation,
    ImplementationStatus,
    Purpose,
    Report,
    ReportKind,
    ReportStatus,
)
from omakouvola.models import AuditEntry
from tests.committees.factories import AllocationFactory, CommitteeFactory
from tests.factories import BallotFactory

pytestmark = pytest.mark.django_db


def _messages(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


def test_the_youth_budget_is_expressed_with_its_operating_funds(
    coordinator, city_budget, operating_funds
):
    """10 000 € of which 5 000 € from operating funds, exactly as the seed says."""
    youth = services.appropriation_save(
        actor=coordinator,
        year=2023,
        purpose=Purpose.YOUTH_PB,
        name="Nuorten osallistuva budjetointi",
        amount=Decimal("10000"),
        shares={city_budget: Decimal("5000"), operating_funds: Decimal("5000")},
    )
    assert youth.amount == Decimal("10000.00")
    assert {s.source.kind: s.amount for s in youth.shares.all()} == {
        "city_budget": Decimal("5000.00"),
        "operating_funds": Decimal("5000.00"),
    }
    assert AuditEntry.objects.filter(action="appropriation.create").exists()


def test_shares_that_do_not_add_up_to_the_amount_are_refused(coordinator, city_budget):
    with pytest.raises(ValidationError) as exc:
        services.appropriation_save(
            actor=coordinator,
            year=2022,
            purpose=Purpose.PARTICIPATORY_BUDGETING,
            name="Pilotti",
            amount=Decimal("154512"),
            shares={city_budget: Decimal("154000")},
        )
    assert exc.value.error_list[0].message == services.SHARES_DO_NOT_ADD_UP


def test_a_commitment_over_what_the_appropriation_holds_is_refused(
    coordinator, appropriation, pb_cycle
):
    first = BallotFactory(cycle=pb_cycle, money=30_000)
    second = BallotFactory(cycle=pb_cycle, money=25_000)
    services.commitment_create(actor=coordinator, appropriation=appropriation, ballot=first)
    with pytest.raises(ValidationError) as exc, translation.override("fi"):
        services.commitment_create(actor=coordinator, appropriation=appropriation, ballot=second)
    assert exc.value.error_list[0].message == services.APPROPRIATION_EXCEEDED
    assert "20\xa0000,00" in _messages(exc)
    # A smaller share of the second ballot's money still fits.
    services.commitment_create(
        actor=coordinator, appropriation=appropriation, ballot=second, amount=Decimal("20000")
    )
    assert sum(c.amount for c in Commitment.objects.all()) == Decimal("50000.00")


def test_a_ballot_draws_from_one_appropriation_of_its_own_year(
    coordinator, appropriation, city_budget
):
    other_year = BallotFactory(money=1000)  # a 2027 cycle
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(
            actor=coordinator, appropriation=appropriation, ballot=other_year
        )
    assert exc.value.error_list[0].message == services.WRONG_YEAR


def test_a_committee_allocation_draws_from_an_appropriation(coordinator, city_budget, valkeala):
    committees = services.appropriation_save(
        actor=coordinator,
        year=2023,
        purpose=Purpose.AREA_COMMITTEES,
        name="Aluetoimikuntien hankeraha",
        amount=Decimal("50000"),
        shares={city_budget: Decimal("50000")},
    )
    committee = CommitteeFactory(area=valkeala)
    allocation = AllocationFactory(committee=committee, year=2023, amount=Decimal("10653"))
    services.commitment_create(actor=coordinator, appropriation=committees, allocation=allocation)
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(
            actor=coordinator, appropriation=committees, allocation=allocation
        )
    assert exc.value.error_list[0].message == services.ALREADY_COMMITTED
    with pytest.raises(ValidationError) as exc:
        services.appropriation_save(
            actor=coordinator,
            year=2023,
            purpose=Purpose.AREA_COMMITTEES,
            name="Aluetoimikuntien hankeraha",
            amount=Decimal("10000"),
            shares={city_budget: Decimal("10000")},
            appropriation=committees,
        )
    assert exc.value.error_list[0].message == services.APPROPRIATION_BELOW_COMMITTED


def test_the_database_refuses_a_commitment_to_nothing(appropriation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.create(
            appropriation=appropriation, amount=Decimal("1"), committed_on=dt.date(2025, 1, 1)
        )


def test_every_confirmed_winner_gets_one_implementation_record(
    projects, committed_ballot, coordinator
):
    assert set(projects) == {"Kuntoportaat", "Muraali"}
    assert projects["Kuntoportaat"].planned_cost == Decimal("12000.00")
    assert projects["Kuntoportaat"].year == 2025
    again = services.implementations_for_winners(actor=coordinator, ballot=committed_ballot)
    assert again == []
    assert Implementation.objects.count() == 2


def test_spending_is_a_sum_of_expenses_within_what_the_ballot_committed(
    projects, coordinator, appropriation, pb_cycle
):
    stairs = projects["Kuntoportaat"]
    services.expense_record(
        actor=coordinator,
        implementation=stairs,
        paid_on=dt.date(2025, 6, 1),
        amount=Decimal("29000"),
        supplier="Rakennus Oy",
        invoice_reference="L-1",
    )
    with pytest.raises(ValidationError) as exc:
        services.expense_record(
            actor=coordinator,
            implementation=projects["Muraali"],
            paid_on=dt.date(2025, 6, 2),
            amount=Decimal("1000.01"),
            supplier="Taiteilija",
            invoice_reference="L-2",
        )
    assert exc.value.error_list[0].message == services.EXPENSES_OVER_COMMITTED
    assert Expense.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.expense_record(
            actor=coordinator,
            implementation=stairs,
            paid_on=dt.date(2025, 6, 2),
            amount=Decimal("0"),
            supplier="X",
            invoice_reference="L-3",
        )
    assert exc.value.error_list[0].message == services.AMOUNT_REQUIRED


def test_an_expense_needs_the_ballot_to_draw_from_an_appropriation(decided_ballot, coordinator):
    [project, *_] = services.implementations_for_winners(actor=coordinator, ballot=decided_ballot)
    with pytest.raises(ValidationError) as exc:
        services.expense_record(
            actor=coordinator,
            implementation=project,
            paid_on=dt.date(2025, 6, 1),
            amount=Decimal("100"),
            supplier="X",
            invoice_reference="L",
        )
    assert exc.value.error_list[0].message == services.NO_APPROPRIATION


def test_later_costs_must_be_justified_and_done_means_complete(projects, coordinator):
    stairs = projects["Kuntoportaat"]
    with pytest.raises(ValidationError) as exc:
        services.implementation_update(
            actor=coordinator, implementation=stairs, maintenance_cost_per_year=Decimal("300")
        )
    assert exc.value.error_dict["maintenance_justification"][0].message == (
        services.LATER_COSTS_NEED_REASON
    )
    done = services.implementation_update(
        actor=coordinator,
        implementation=stairs,
        status=ImplementationStatus.DONE,
        completed_on=dt.date(2025, 9, 1),
    )
    assert (done.progress, done.completed_on) == (100, dt.date(2025, 9, 1))
    entry = AuditEntry.objects.filter(action="implementation.update").latest("id")
    assert entry.changes["status"] == ["planning", "done"]


def test_the_annual_report_is_queued_in_january_once(coordinator, settings):
    assert services.annual_report_due(today=dt.date(2026, 2, 1)) is None
    report = services.annual_report_due(today=dt.date(2026, 1, 2))
    assert (report.kind, report.period_start, report.period_end) == (
        ReportKind.ANNUAL,
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
    )
    assert report.requested_by is None
    assert services.annual_report_due(today=dt.date(2026, 1, 3)) is None
    assert Report.objects.filter(kind=ReportKind.ANNUAL).count() == 1


def test_a_period_in_the_future_or_backwards_is_refused(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.report_request(
            actor=coordinator,
            kind=ReportKind.INTERIM,
            period_start=dt.date(2025, 5, 1),
            period_end=dt.date(2025, 4, 1),
        )
    assert exc.value.error_list[0].message == services.PERIOD_BACKWARDS


def _queued(coordinator) -> Report:
    return Report.objects.create(
        kind=ReportKind.INTERIM,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        requested_by=coordinator,
    )


def test_a_build_that_dies_writing_the_pdf_leaves_nothing_to_download(
    coordinator, monkeypatch, tmp_path, settings
):
    """The move into place is what fails here, as when a worker is killed mid-write."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    report = _queued(coordinator)

    def killed(src, dst):
        raise OSError("worker lost")

    monkeypatch.setattr(services.reports.os, "replace", killed)
    with pytest.raises(OSError):
        services.report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert not report.pdf
    files = [p for p in (tmp_path / "private").rglob("*") if p.is_file()]
    assert files == [], "no partial file may be left behind"
    assert not report.is_ready


def test_a_finished_build_is_ready_only_with_its_pdf_in_place(
    coordinator, tmp_path, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    report = _queued(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_build(report_id=report.pk)
    assert report.status == ReportStatus.READY
    assert report.pdf_variant == "pdf/ua-1"
    assert os.path.getsize(report.pdf.path) > 1000
    assert report.html
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    assert f"/budgets/reports/{report.pk}/" in mailoutbox[0].body
    with pytest.raises(ValidationError):
        services.report_publish(actor=coordinator, report=_queued(coordinator))
    assert services.report_publish(actor=coordinator, report=report).is_published
