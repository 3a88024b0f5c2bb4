"""The seed's own figures come out of the dashboard, the HTML report and the PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from budgets import services
from budgets.models import Expense, Implementation, ReportKind
from demo.budgets import seed_budgets
from demo.committees import seed_committees
from demo.core import seed_core
from demo.ideas import seed_ideas
from demo.voting import seed_voting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def _plain(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


@pytest.fixture
def demo(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    core = seed_core(today=dt.date(2026, 11, 1))
    ideas = seed_ideas(areas=core["areas"], users=core["users"], cycle=core["cycle"])
    voting = seed_voting(
        areas=core["areas"], users=core["users"], cycle=core["cycle"], pilot=ideas["pilot"]
    )
    seed_committees(areas=core["areas"], users=core["users"])
    seed_budgets(
        users=core["users"],
        cycle=core["cycle"],
        pilot_ballot=voting["pilot_ballot"],
        ballots=voting["ballots"],
    )
    return core


@pytest.fixture
def council(demo):
    from omakouvola.models import Role

    return UserFactory(email="valtuutettu@example.fi", roles=[Role.COUNCIL])


SEED_2023 = [
    "100 000,00 €",  # PB reserved
    "93 500,00 €",  # PB used: the pilot's expenses
    "10 000,00 €",  # youth PB
    "5 000,00 €",  # of which operating funds
    "50 000,00 €",  # committee money
]


def test_93_500_is_a_sum_of_expenses_on_the_six_pilot_projects(demo):
    pilot = Implementation.objects.filter(proposal__cycle__name="Kohenna Kouvolaa 2022")
    assert pilot.count() == 6
    total = sum(e.amount for e in Expense.objects.filter(implementation__in=pilot))
    assert total == Decimal("93500.00")


def test_the_dashboard_shows_the_seed_figures(client, council):
    client.force_login(council)
    page = _plain(client.get("/fi/budgets/dashboard/?year=2023&as_of=2023-12-31").content.decode())
    for figure in SEED_2023:
        assert figure in page, figure
    assert "161" in page
    on_the_day = _plain(
        client.get("/fi/budgets/dashboard/?year=2023&as_of=2023-09-19").content.decode()
    )
    assert "11 943,36 €" in on_the_day
    assert "50 000,00 €" in on_the_day
    pilot_year = _plain(client.get("/fi/budgets/dashboard/?year=2022").content.decode())
    for figure in ("154 512,00 €", "75 000,00 €", "79 512,00 €"):
        assert figure in pilot_year, figure


def test_the_annual_report_html_and_pdf_show_the_seed_figures(
    client, council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            actor=council,
            kind=ReportKind.ANNUAL,
            period_start=dt.date(2023, 1, 1),
            period_end=dt.date(2023, 12, 31),
            language="en",
        )
    report.refresh_from_db()
    assert report.is_ready
    client.force_login(council)
    html = _plain(client.get(f"/en/budgets/reports/{report.pk}/").content.decode())
    response = client.get(f"/en/budgets/reports/{report.pk}/pdf/")
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    pdf = _plain(" ".join(page.extract_text() or "" for page in reader.pages))
    english = ["€100,000.00", "€93,500.00", "€10,000.00", "€5,000.00", "€50,000.00", "€11,943.36"]
    for text in (html, pdf):
        for figure in english:
            assert figure in text, figure
        assert "Kohenna Kouvolaa 2022: 161 ideas received." in text
        for heading in (
            "Summary",
            "Ideas",
            "Co-development workshops and volunteering",
            "The vote",
            "Implementation",
            "Area committees",
            "Money: appropriations, commitments and spending",
            "Money by area",
            "Sustainability of the funded projects",
        ):
            assert heading in text, heading
    assert "Contents" in pdf


def test_the_interim_report_to_19_september_2023_shows_11_943_36_in_finnish(
    council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            actor=council,
            kind=ReportKind.INTERIM,
            period_start=dt.date(2023, 1, 1),
            period_end=dt.date(2023, 9, 19),
        )
    report.refresh_from_db()
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    pdf = _plain(" ".join(page.extract_text() or "" for page in reader.pages))
    assert "11 943,36 €" in pdf
    assert "50 000,00 €" in pdf
    assert "161" in pdf
