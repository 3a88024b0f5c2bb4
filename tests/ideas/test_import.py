"""Importing many ideas from a survey export: all rows or none."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from ideas import importing, services
from ideas.models import Idea

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The import report is in the coordinator's language; these tests read English."""
    from django.utils import translation

    with translation.override("en"):
        yield


GOOD_CSV = (
    "otsikko;kuvaus;alue;teema;kanava;kustannusarvio;nuoret;nimi;syntymävuosi;päivämäärä\n"
    "Penkkejä rantaan;Levähdyspaikkoja;Keskusta;Liikunta ja ulkoilu;paper;1 200,50;ei;Irma;1941;"
    "2.3.2022\n"
    "Skeittiramppi;Nuorille;koko kaupunki;;web;;kyllä;;;2022-03-05\n"
)


def test_a_good_csv_is_read_with_finnish_headers(area, theme):
    result = importing.parse_idea_file("kohenna.csv", GOOD_CSV.encode("utf-8-sig"))
    assert result.errors == []
    assert len(result.rows) == 2
    first, second = result.rows
    assert (first["area"], first["theme"], str(first["rough_cost"])) == (area, theme, "1200.50")
    assert first["channel"] == "paper" and first["submitter_birth_year"] == 1941
    assert first["created_at"].date().isoformat() == "2022-03-02"
    assert (second["area"], second["for_youth"], second["channel"]) == (None, True, "web")


def test_an_xlsx_file_is_read_too(area, coordinator, cycle):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title", "description", "area", "rough_cost"])
    sheet.append(["Grillikatos", "Yhteiseen käyttöön", "Keskusta", 9000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importing.parse_idea_file("survey.xlsx", buffer.getvalue())
    assert result.ok
    ideas = services.idea_import(actor=coordinator, cycle=cycle, rows=result.rows)
    assert [i.title for i in ideas] == ["Grillikatos"]
    assert ideas[0].channel == "paper"


def test_bad_rows_are_each_reported_and_nothing_is_saved(area):
    content = (
        "title;description;area;rough_cost;for_youth;submitter_birth_year;created_at\n"
        "Hyvä rivi;Kuvaus;Keskusta;100;;;\n"
        ";Ei otsikkoa;Keskusta;;;;\n"
        "Väärä alue;Kuvaus;Helsinki;-5;ehkä;1850;32.13.2022\n"
    ).encode()
    result = importing.parse_idea_file("bad.csv", content)
    assert not result.ok
    assert len(result.rows) == 1
    problems = {(row, column) for row, column, _message in result.errors}
    assert problems == {
        (3, "title"),
        (4, "area"),
        (4, "rough_cost"),
        (4, "for_youth"),
        (4, "submitter_birth_year"),
        (4, "created_at"),
    }
    messages = [m for _r, _c, m in result.errors]
    assert "Unknown area “Helsinki”." in messages


def test_wrong_columns_are_refused():
    result = importing.parse_idea_file("x.csv", b"name;email\nA;b\n")
    assert result.errors == [(0, "", "The file lacks the columns: description, title.")]


def test_a_file_that_is_not_a_table_is_refused():
    result = importing.parse_idea_file("x.xlsx", b"\x00\x01 not a spreadsheet")
    assert result.errors == [(0, "", str(importing.WRONG_FILE))]


def test_the_import_is_all_or_nothing(coordinator, cycle, area, theme):
    rows = importing.parse_idea_file("kohenna.csv", GOOD_CSV.encode()).rows
    rows[1]["title"] = "x" * 500  # slips past parsing; the model refuses it
    with pytest.raises(Exception):  # noqa: B017 - any refusal must roll back all rows
        services.idea_import(actor=coordinator, cycle=cycle, rows=rows)
    assert not Idea.objects.exists()


def test_the_admin_import_previews_then_saves(client, coordinator, cycle, area, theme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    upload = SimpleUploadedFile("kohenna.csv", GOOD_CSV.encode(), content_type="text/csv")
    preview = client.post("/admin/ideas/idea/import/", {"cycle": cycle.pk, "file": upload})
    assert preview.status_code == 200
    assert "import-preview" in preview.content.decode()
    assert not Idea.objects.exists()
    confirm = client.post("/admin/ideas/idea/import/", {"confirm": "1"})
    assert confirm.status_code == 302
    assert Idea.objects.count() == 2


def test_the_admin_import_shows_errors_and_saves_nothing(client, coordinator, cycle, area):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    upload = SimpleUploadedFile("bad.csv", b"title;description;area\nX;Y;Mars\n")
    response = client.post("/admin/ideas/idea/import/", {"cycle": cycle.pk, "file": upload})
    assert "import-errors" in response.content.decode()
    client.post("/admin/ideas/idea/import/", {"confirm": "1"})
    assert not Idea.objects.exists()


def test_a_resident_cannot_reach_the_import(client, resident):
    client.force_login(resident)
    assert client.get("/admin/ideas/idea/import/").status_code == 302


def _xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_read():
    """A small archive with a huge member: its declared size is checked, nothing parsed."""
    import zipfile

    buffer = io.BytesIO(_xlsx([["title", "description"], ["Penkki", "Rantaan"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * (importing.MAX_XLSX_UNCOMPRESSED + 1))
    content = buffer.getvalue()
    assert len(content) < importing.MAX_IMPORT_BYTES
    result = importing.parse_idea_file("ideat.xlsx", content)
    assert result.errors == [(0, "", str(importing.XLSX_TOO_LARGE))]


def test_rows_are_counted_while_streaming_and_reading_stops_over_the_limit():
    consumed = {"n": 0}

    def rows():
        for i in range(10 * importing.MAX_IMPORT_ROWS):
            consumed["n"] += 1
            yield [f"Idea {i}", "Kuvaus"]

    table = importing._first_rows(rows())
    assert len(table) == importing.MAX_IMPORT_ROWS + 2
    assert consumed["n"] == importing.MAX_IMPORT_ROWS + 2


def test_an_xlsx_with_too_many_rows_names_the_limit():
    content = _xlsx([["title", "description"]] + [["Penkki", "Rantaan"]] * 2500)
    result = importing.parse_idea_file("ideat.xlsx", content)
    assert result.errors == [
        (0, "", str(importing.TOO_MANY_ROWS % {"max": importing.MAX_IMPORT_ROWS}))
    ]
