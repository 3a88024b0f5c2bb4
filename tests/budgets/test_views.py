"""Who sees what: the public "what got built" pages, the dashboard, and the reports."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from budgets import services
from budgets.models import Report, ReportKind, ReportStatus
from omakouvola.models import Role
from tests.factories import AreaFactory, ImplementationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db, resident, coordinator, city_team_member, council_member):
    return {
        "anonymous": None,
        "resident": resident,
        "coordinator": coordinator,
        "city_team": city_team_member,
        "council": council_member,
        "decision_maker": UserFactory(email="paattaja@kouvola.fi", roles=[Role.DECISION_MAKER]),
    }


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("coordinator", 200),
        ("city_team", 200),
        ("council", 200),
        ("decision_maker", 200),
    ],
)
def test_the_dashboard_is_for_staff_and_the_council(client, people, who, status):
    response = _client(client, people[who]).get("/en/budgets/dashboard/?year=2025")
    assert response.status_code == status
    if status == 200:
        assert b"Request a report" in response.content
        assert b'href="/en/budgets/dashboard/"' in response.content  # in the main nav
    elif who == "resident":
        home = client.get("/en/").content
        assert b"/budgets/dashboard/" not in home


def _ready_report(coordinator, *, published=False) -> Report:
    report = Report.objects.create(
        kind=ReportKind.ANNUAL,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        requested_by=coordinator,
    )
    report.pdf.save("test.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    report.status = ReportStatus.READY
    report.html = "<p>Raportin sisältö</p>"
    report.save()
    if published:
        services.report_publish(actor=coordinator, report=report)
    return report


@pytest.mark.parametrize(
    ("who", "unpublished", "published"),
    [
        ("anonymous", 404, 200),
        ("resident", 404, 200),
        ("council", 200, 200),
        ("coordinator", 200, 200),
    ],
)
def test_residents_read_only_the_reports_the_coordinator_published(
    client, people, settings, tmp_path, who, unpublished, published
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    hidden = _ready_report(people["coordinator"])
    shown = _ready_report(people["coordinator"], published=True)
    c = _client(client, people[who])
    assert c.get(f"/en/budgets/reports/{hidden.pk}/").status_code == unpublished
    assert c.get(f"/en/budgets/reports/{hidden.pk}/pdf/").status_code == unpublished
    assert c.get(f"/en/budgets/reports/{shown.pk}/").status_code == published
    response = c.get(f"/en/budgets/reports/{shown.pk}/pdf/")
    assert response.status_code == published
    assert response["Content-Type"] == "application/pdf"
    listing = c.get("/en/budgets/reports/").content.decode()
    assert (f"/reports/{hidden.pk}/" in listing) == (unpublished == 200)
    assert (">Publish<" in listing) == (who == "coordinator")


def test_only_the_coordinator_publishes(client, people, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    report = _ready_report(people["coordinator"])
    client.force_login(people["council"])
    assert (
        client.post(f"/en/budgets/reports/{report.pk}/publish/", {"publish": "1"}).status_code
        == 403
    )
    client.force_login(people["coordinator"])
    client.post(f"/en/budgets/reports/{report.pk}/publish/", {"publish": "1"})
    assert Report.objects.get(pk=report.pk).is_published


def test_a_council_member_requests_an_interim_report(
    client, people, settings, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(people["council"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/budgets/reports/request/",
            {
                "kind": "interim",
                "period_start": "2025-01-01",
                "period_end": "2025-06-30",
                "language": "en",
            },
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.status, report.requested_by) == (ReportStatus.READY, people["council"])
    assert "30.06.2025" in mailoutbox[0].subject  # in the council member's language


def test_a_resident_cannot_request_a_report(client, people):
    client.force_login(people["resident"])
    response = client.post("/en/budgets/reports/request/", {"kind": "annual", "year": "2025"})
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_every_dashboard_table_downloads_as_csv_and_xlsx(client, people, projects):
    client.force_login(people["council"])
    page = client.get("/en/budgets/dashboard/?year=2025&as_of=2025-12-31").content.decode()
    for key in ("appropriations", "sources", "areas", "funnel", "committees-2025"):
        assert f"/en/budgets/dashboard/tables/{key}.csv?" in page
        csv = client.get(f"/en/budgets/dashboard/tables/{key}.csv?year=2025&as_of=2025-12-31")
        assert csv.status_code == 200
        assert csv.content.startswith("\ufeff".encode())
        xlsx = client.get(f"/en/budgets/dashboard/tables/{key}.xlsx?year=2025&as_of=2025-12-31")
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet.max_row >= 2
    csv = client.get("/en/budgets/dashboard/tables/appropriations.csv?year=2025").content.decode()
    assert "Osallistuva budjetointi;" in csv and "50000,00" in csv
    assert client.get("/en/budgets/dashboard/tables/nothing.csv?year=2025").status_code == 404


def test_the_dashboard_charts_are_svg_with_the_numbers_in_a_table(client, people, projects):
    client.force_login(people["council"])
    page = client.get("/en/budgets/dashboard/?year=2025").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page
    assert 'role="img"' in page and "<desc" in page
    # Charts need no JavaScript; the only script shows the report form's fields per kind.
    scripts = re.findall(r"<script[^>]*>", page)
    assert all("budgets/report_form" in tag for tag in scripts)
    assert 'style="' not in page


def test_the_public_page_lists_what_got_built_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, coordinator, cycle
):
    keskusta = AreaFactory(slug="keskusta", name="Keskusta")
    valkeala = AreaFactory(slug="valkeala", name="Valkeala")
    for n in range(12):
        ImplementationFactory(
            proposal__cycle=cycle,
            area=keskusta if n % 2 else valkeala,
            progress=n * 5,
            planned_cost=Decimal(1000 + n),
        )
    ImplementationFactory(proposal__cycle=cycle, title="Piilotettu", is_public=False)
    # The years, the count, the filter form's areas, the page, its photos, how many the
    # map leaves out; plus the savepoint and its release of ATOMIC_REQUESTS. More projects
    # add no queries.
    with django_assert_num_queries(8):
        response = client.get("/en/budgets/built/")
    assert response.status_code == 200
    assert "Piilotettu" not in response.content.decode()
    with django_assert_num_queries(9):  # one more: the chosen area is looked up
        response = client.get(f"/en/budgets/built/?area={valkeala.pk}")
    assert response.content.decode().count('class="project-card"') == 6


def test_a_project_page_shows_its_timeline_and_money(client, projects, coordinator):
    stairs = projects["Kuntoportaat"]
    services.expense_record(
        actor=coordinator,
        implementation=stairs,
        paid_on=dt.date(2025, 6, 1),
        amount=Decimal("4500"),
        supplier="Rakennus Oy",
        invoice_reference="L-1",
    )
    services.milestone_save(
        actor=coordinator, implementation=stairs, title="Runko pystyssä", due_on=dt.date(2025, 7, 1)
    )
    page = client.get(f"/en/budgets/built/{stairs.pk}/").content.decode()
    assert "Runko pystyssä" in page
    assert "€4,500.00" in page and "€12,000.00" in page
    services.implementation_update(actor=coordinator, implementation=stairs, is_public=False)
    assert client.get(f"/en/budgets/built/{stairs.pk}/").status_code == 404


def test_an_annual_report_with_dates_is_refused_not_built_for_another_year(client, people):
    """Dates typed beside "annual" once silently built a report of a different year."""
    client.force_login(people["coordinator"])
    response = client.post(
        "/en/budgets/reports/request/",
        {
            "kind": "annual",
            "year": "2025",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "language": "en",
        },
        follow=True,
    )
    assert not Report.objects.exists()
    assert "An annual report covers the whole year 2025" in response.content.decode()


def test_the_dashboard_has_one_id_year_and_the_request_form_shows_per_kind(client, people):
    client.force_login(people["coordinator"])
    page = client.get("/en/budgets/dashboard/?year=2025").content.decode()
    assert page.count('id="id_year"') == 1
    assert 'data-report-kind="annual"' in page
    assert page.count('data-report-kind="interim"') == 2
    assert "budgets/report_form" in page


def test_the_dashboard_has_no_empty_headers_and_unique_landmark_names(client, people, projects):
    """axe's empty-table-header and landmark-unique: a blank first cell is no row header,
    and a table's scroll region is not named like the section around it."""
    client.force_login(people["coordinator"])
    page = client.get("/en/budgets/dashboard/?year=2025").content.decode()
    assert not re.search(r"<th[^>]*>\s*</th>", page)
    regions = re.findall(r'role="region" aria-label="([^"]+)"', page)
    headings = set(re.findall(r'<h2 id="heading-[^"]+">([^<]+)</h2>', page))
    assert regions
    assert len(regions) == len(set(regions))
    assert not set(regions) & headings


@pytest.mark.parametrize(
    ("start", "end"), [("2020-01-01", "9999-12-31"), ("0001-01-01", "2024-12-31")]
)
def test_a_report_over_an_unbounded_period_is_refused_and_nothing_queued(
    client, people, start, end
):
    from budgets.services import PERIOD_TOO_LONG, REPORT_MAX_YEARS

    client.force_login(people["council"])
    response = client.post(
        "/en/budgets/reports/request/",
        {"kind": "interim", "period_start": start, "period_end": end, "language": "en"},
        follow=True,
    )
    assert response.status_code == 200
    assert str(PERIOD_TOO_LONG % {"years": REPORT_MAX_YEARS}) in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("language", "shown"), [("fi", "31.12.2025"), ("sv", "2025-12-31"), ("en", "2025-12-31")]
)
def test_the_dashboard_day_is_written_in_the_page_language_not_the_browser_picker(
    client, people, language, shown
):
    client.force_login(people["council"])
    for query in ("year=2025&as_of=2025-12-31", f"year=2025&as_of={shown}"):
        page = client.get(f"/{language}/budgets/dashboard/?{query}").content.decode()
        field = re.search(r'<input[^>]*name="as_of"[^>]*>', page).group(0)
        assert 'type="date"' not in field  # Chromium would show mm/dd/yyyy
        assert f'value="{shown}"' in field


def test_a_report_whose_pdf_is_gone_answers_404_not_500(client, people, settings, tmp_path):
    """A restore without the private area leaves rows naming files that are not there."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    report = _ready_report(people["coordinator"], published=True)
    Path(report.pdf.path).unlink()
    assert client.get(f"/en/budgets/reports/{report.pk}/pdf/").status_code == 404


def test_a_report_pdf_is_not_kept_by_caches_on_the_way(client, people, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    report = _ready_report(people["coordinator"], published=True)
    response = client.get(f"/en/budgets/reports/{report.pk}/pdf/")
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
