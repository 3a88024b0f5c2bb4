"""The scan of a paper idea form (issue #13): kept privately, opened only by the city team.

A paper form carries the sender's handwriting, address and phone number, so the scan is
never under MEDIA_URL; it is stored under a name that says nothing of the sender, a
crafted file is refused with a message, and it goes when its retention period ends.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.models import Channel, Idea
from ideas.privacy import anonymise, erase, retention
from omakouvola.models import AuditEntry

from ..factories import IdeaFactory
from .conftest import image_file
from .test_admin import CHANGELIST, _paper_idea

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _pdf(name="Irma Virtanen, Myllykoski.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _scan_url(idea: Idea) -> str:
    return reverse("ideas:scan", args=[idea.pk])


def _errors(response) -> list[str]:
    return re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)


def _change_form(client, idea: Idea) -> dict:
    """The change form as the page fills it, ready to post back."""
    page = client.get(f"{CHANGELIST}{idea.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or name in {"scan_upload", "remove_scan"}:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.date().isoformat(), "12:00:00"
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form.initial.get(name)
                if value is not None:
                    data[f"{inline_form.prefix}-{name}"] = getattr(value, "pk", value)
    return data


def test_a_paper_idea_is_entered_with_its_scan_which_only_the_city_team_opens(
    client, coordinator, cycle, area, settings
):
    client.force_login(coordinator)
    response = client.post(f"{CHANGELIST}add/", {**_paper_idea(cycle, area), "scan_upload": _pdf()})
    assert response.status_code == 302, _errors(response)
    idea = Idea.objects.get(title="Ilmoitustaulu")

    # Stored privately, under a name that says nothing of the sender.
    stored = Path(idea.paper_scan.path)
    assert stored.read_bytes() == PDF
    assert not str(stored).startswith(str(settings.MEDIA_ROOT) + "/")
    assert "Irma" not in idea.paper_scan.name and idea.paper_scan.name.endswith(".pdf")
    assert AuditEntry.objects.filter(
        action="idea.scan_attach", actor=coordinator, object_id=str(idea.pk)
    ).exists()

    # The change page (which answered 500 for any private file shown the admin's way)
    # links the scan to the checked view.
    page = client.get(f"{CHANGELIST}{idea.pk}/change/").content.decode()
    assert f'href="{_scan_url(idea)}"' in page

    download = client.get(_scan_url(idea))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    assert "Irma" not in download["Content-Disposition"]


def test_nobody_but_the_city_team_opens_a_scan(
    client, coordinator, cycle, area, resident, expert, city_team_member
):
    idea = IdeaFactory(cycle=cycle, area=area, channel=Channel.PAPER, assigned_expert=expert)
    services.idea_attach_scan(actor=coordinator, idea=idea, scan=_pdf())
    url = _scan_url(idea)

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for person in (resident, expert):  # even the expert the idea is assigned to
        client.force_login(person)
        assert client.get(url).status_code == 403, person
    client.force_login(city_team_member)
    assert client.get(url).status_code == 200
    # No public address either: nothing under MEDIA_URL serves it.
    idea.refresh_from_db()
    assert client.get(f"/media/{idea.paper_scan.name}").status_code == 404
    # And an idea without a scan has nothing to give.
    assert client.get(_scan_url(IdeaFactory(cycle=cycle))).status_code == 404


def test_the_expert_sees_no_scan_on_the_ideas_page(client, coordinator, cycle, area, expert):
    idea = IdeaFactory(cycle=cycle, area=area, channel=Channel.PAPER, assigned_expert=expert)
    services.idea_attach_scan(actor=coordinator, idea=idea, scan=_pdf())
    client.force_login(expert)
    page = client.get(f"{CHANGELIST}{idea.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/scan/" not in html and 'name="scan_upload"' not in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        # A web page renamed to .pdf: refused by what it is, not by its name.
        (
            SimpleUploadedFile("lomake.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
            "lomake.pdf ei ole PDF-, JPEG- tai PNG-tiedosto.",
        ),
        (SimpleUploadedFile("lomake.docx", b"PK\x03\x04word", "application/msword"), "ei ole PDF"),
    ],
)
def test_a_file_that_is_not_a_scan_is_a_form_error_and_nothing_is_entered(
    client, coordinator, cycle, area, upload, message
):
    client.force_login(coordinator)
    response = client.post(f"{CHANGELIST}add/", {**_paper_idea(cycle, area), "scan_upload": upload})
    assert response.status_code == 200
    assert any(message in error for error in _errors(response)), _errors(response)
    assert not Idea.objects.filter(title="Ilmoitustaulu").exists()


def test_a_too_large_scan_is_refused(client, coordinator, cycle, area, monkeypatch):
    from ideas.services import submission

    monkeypatch.setattr(submission, "MAX_SCAN_MB", 0)
    client.force_login(coordinator)
    response = client.post(f"{CHANGELIST}add/", {**_paper_idea(cycle, area), "scan_upload": _pdf()})
    assert response.status_code == 200
    assert any("on liian suuri" in error for error in _errors(response)), _errors(response)
    assert not Idea.objects.exists()


def test_a_web_idea_has_no_paper_form_to_scan(client, coordinator, cycle, area):
    client.force_login(coordinator)
    response = client.post(
        f"{CHANGELIST}add/",
        {**_paper_idea(cycle, area, channel="web"), "scan_upload": _pdf()},
    )
    assert response.status_code == 200
    assert any("paperilla" in error for error in _errors(response)), _errors(response)
    assert not Idea.objects.exists()
    # The database holds the rule too.
    idea = IdeaFactory(cycle=cycle, channel=Channel.WEB)
    with pytest.raises(IntegrityError, match="idea_scan_only_off_the_web"), transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(paper_scan="ideas/scans/x.pdf")


def test_turning_a_scanned_idea_into_a_web_idea_is_a_form_error(client, coordinator, cycle, area):
    idea = IdeaFactory(cycle=cycle, area=area, channel=Channel.PAPER)
    services.idea_attach_scan(actor=coordinator, idea=idea, scan=_pdf())
    client.force_login(coordinator)
    data = {**_change_form(client, idea), "channel": "web"}
    response = client.post(f"{CHANGELIST}{idea.pk}/change/", data)
    assert response.status_code == 200
    assert any("Verkossa lähetetyllä idealla" in error for error in _errors(response)), _errors(
        response
    )
    idea.refresh_from_db()
    assert idea.channel == Channel.PAPER and idea.paper_scan


def test_a_scan_whose_file_is_gone_answers_404_not_500(client, coordinator, cycle, area):
    idea = IdeaFactory(cycle=cycle, area=area, channel=Channel.PAPER)
    idea = services.idea_attach_scan(actor=coordinator, idea=idea, scan=_pdf())
    Path(idea.paper_scan.path).unlink()  # a restore without the private area
    client.force_login(coordinator)
    assert client.get(_scan_url(idea)).status_code == 404


def test_the_city_team_replaces_and_removes_a_scan_on_the_change_page(
    client, coordinator, cycle, area
):
    idea = IdeaFactory(cycle=cycle, area=area, channel=Channel.VILLAGE_EVENING)
    client.force_login(coordinator)
    data = _change_form(client, idea)
    jpeg = image_file(name="kylailta.JPEG")
    response = client.post(f"{CHANGELIST}{idea.pk}/change/", {**data, "scan_upload": jpeg})
    assert response.status_code == 302, _errors(response)
    idea.refresh_from_db()
    assert idea.paper_scan.name.endswith(".jpg")
    download = client.get(_scan_url(idea))
    assert download["Content-Type"] == "image/jpeg"

    data = _change_form(client, idea)
    page = client.get(f"{CHANGELIST}{idea.pk}/change/").content.decode()
    assert 'name="remove_scan"' in page
    # The stored scan is named by what it is, not by its random file name, in each language.
    for language, text in (
        ("en", "Open the scan (JPG)"),
        ("fi", "Avaa skannaus (JPG)"),
        ("sv", "Öppna skanningen (JPG)"),
    ):
        shown = client.get(f"{CHANGELIST}{idea.pk}/change/", HTTP_ACCEPT_LANGUAGE=language)
        assert re.search(
            rf'<a href="/\w\w/ideas/{idea.pk}/scan/">{re.escape(text)}</a>', shown.content.decode()
        )
        assert PurePosixPath(idea.paper_scan.name).name not in shown.content.decode()
    response = client.post(f"{CHANGELIST}{idea.pk}/change/", {**data, "remove_scan": "on"})
    assert response.status_code == 302, _errors(response)
    idea.refresh_from_db()
    assert not idea.paper_scan
    assert list(
        AuditEntry.objects.filter(object_id=str(idea.pk))
        .filter(action__startswith="idea.scan")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["idea.scan_attach", "idea.scan_remove"]


def test_an_unchanged_save_keeps_the_scan(client, coordinator, cycle, area):
    idea = IdeaFactory(cycle=cycle, area=area, channel=Channel.PAPER)
    services.idea_attach_scan(actor=coordinator, idea=idea, scan=_pdf())
    client.force_login(coordinator)
    data = _change_form(client, idea)
    data["title"] = "Ilmoitustaulu kaupan pihaan"
    response = client.post(f"{CHANGELIST}{idea.pk}/change/", data)
    assert response.status_code == 302, _errors(response)
    idea.refresh_from_db()
    assert idea.title == "Ilmoitustaulu kaupan pihaan" and idea.paper_scan


def test_a_resident_cannot_attach_a_scan(resident, cycle):
    from django.core.exceptions import PermissionDenied

    idea = IdeaFactory(cycle=cycle, channel=Channel.PAPER)
    with pytest.raises(PermissionDenied):
        services.idea_attach_scan(actor=resident, idea=idea, scan=_pdf())


def test_scans_go_at_the_end_of_their_retention_and_with_erasure_and_anonymising(
    coordinator, cycle, resident, settings
):
    now = timezone.now()
    old = IdeaFactory(cycle=cycle, channel=Channel.PAPER, created_at=now - dt.timedelta(days=800))
    fresh = IdeaFactory(cycle=cycle, channel=Channel.PAPER, created_at=now - dt.timedelta(days=10))
    for idea in (old, fresh):
        services.idea_attach_scan(actor=coordinator, idea=idea, scan=_pdf())
    assert retention(now) == {"paper_scans": 1}
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert not old.paper_scan and fresh.paper_scan
    assert old.title  # the typed-in idea stays

    theirs = IdeaFactory(cycle=cycle, channel=Channel.PAPER, submitter=resident)
    services.idea_attach_scan(actor=coordinator, idea=theirs, scan=_pdf())
    erase(resident)
    theirs.refresh_from_db()
    assert not theirs.paper_scan
    anonymise()
    assert not Idea.objects.exclude(paper_scan="").exists()
