"""A council member asks for the annual report on the dashboard, gets the e-mail and
downloads the PDF, in real Chromium; the public "what got built" pages pass axe-core."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from budgets import services
from budgets.models import Purpose, Report, ReportStatus
from omakouvola.models import Notification, Role
from tests.factories import (
    AreaFactory,
    BallotFactory,
    CycleFactory,
    FundingSourceFactory,
    ProposalFactory,
    UserFactory,
)
from voting.models import WinnerDecision

from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _eager_tasks(settings, tmp_path):
    """The report is built in-process here, whatever an earlier real-worker test left."""
    from omakouvola.celery import app

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def _png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (0, 112, 74)).save(buffer, format="PNG")
    return SimpleUploadedFile("kuva.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def built_world(db):
    # The money is set up by the coordinator: the budgets services ask the rules.
    Group.objects.get_or_create(name=Role.COORDINATOR.value)
    coordinator = UserFactory(email="kaisa@kouvola.fi", roles=[Role.COORDINATOR])
    area = AreaFactory(slug="valkeala", name="Valkeala", population=10_653)
    cycle = CycleFactory(opening_year=2024)
    stairs = ProposalFactory(
        cycle=cycle, title="Ulkoportaat Valkealaan", cost=20_000, area=area, status="selected"
    )
    ballot = BallotFactory(cycle=cycle, name="Valkeala 2025", money=20_000, proposals=[stairs])
    decision = WinnerDecision.objects.create(
        ballot=ballot,
        decided_on=dt.date(2025, 2, 20),
        decision_number="KVL/2/2025",
        rule_used="greedy",
        rationale="Vahvistetaan.",
    )
    decision.confirmed.set([stairs])
    source = FundingSourceFactory(name="Kaupungin talousarvio")
    appropriation = services.appropriation_save(
        actor=coordinator,
        year=2025,
        purpose=Purpose.PARTICIPATORY_BUDGETING,
        name="Osallistuva budjetointi",
        amount=Decimal("100000"),
        shares={source: Decimal("100000")},
    )
    services.commitment_create(
        actor=coordinator,
        appropriation=appropriation,
        ballot=ballot,
        committed_on=dt.date(2025, 1, 5),
    )
    [project] = services.implementations_for_winners(actor=coordinator, ballot=ballot)
    services.expense_record(
        actor=coordinator,
        implementation=project,
        paid_on=dt.date(2025, 7, 1),
        amount=Decimal("18750"),
        supplier="Rakennus Valkeala Oy",
        invoice_reference="L-77",
    )
    services.milestone_save(
        actor=coordinator,
        implementation=project,
        title="Portaat valmiit",
        due_on=dt.date(2025, 8, 1),
        done_on=dt.date(2025, 8, 1),
    )
    services.photo_add(
        actor=coordinator, implementation=project, upload=_png(), alt_text="Valmiit portaat"
    )
    return project


def test_the_public_pages_pass_axe(page, built_world):
    page.goto(page.base_url + "/fi/budgets/built/")
    assert page.get_by_role("link", name="Ulkoportaat Valkealaan").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Ulkoportaat Valkealaan").click()
    page.wait_for_url(f"**/budgets/built/{built_world.pk}/")
    assert "18 750,00 €" in page.inner_text("main").replace("\xa0", " ")
    assert axe_violations(page) == []
    page.goto(page.base_url + "/fi/budgets/reports/")
    assert axe_violations(page) == []


def test_a_council_member_requests_the_annual_report_and_downloads_the_pdf(page, built_world):
    Group.objects.get_or_create(name=Role.COUNCIL.value)
    UserFactory(email="veera@kouvola.fi", roles=[Role.COUNCIL])
    page.goto(page.base_url + "/en/accounts/login/")
    page.fill("input[name=login]", "veera@kouvola.fi")
    page.fill("input[name=password]", "salasana-123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/")
    page.get_by_role("link", name="Budget dashboard").click()
    page.wait_for_url("**/budgets/dashboard/")
    page.select_option("select[name=year]", "2025")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/budgets/dashboard/?year=2025*")
    assert "€18,750.00" in page.inner_text("main")
    assert axe_violations(page) == []

    form = page.locator("form.report-request")
    form.locator("select[name=kind]").select_option("annual")
    form.locator("select[name=year]").select_option("2025")
    form.locator("select[name=language]").select_option("en")
    form.get_by_role("button", name="Build the report").click()
    page.wait_for_url("**/budgets/reports/")
    report = Report.objects.get()
    assert report.status == ReportStatus.READY

    mail = Notification.objects.get(template="budgets_report_ready", to_email="veera@kouvola.fi")
    link = re.search(r"https?://[^/\s]+(/\S+/pdf/)", mail.body_text).group(1)
    with page.expect_download() as download_info:
        page.evaluate("url => { window.location.href = url }", page.base_url + link)
    path = download_info.value.path()
    with open(path, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    assert "€18,750.00" in text
    assert "Annual report" in text or "annual report 2025" in text
