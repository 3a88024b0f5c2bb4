"""The coordinator's admin: areas, cycles, users, and the read-only audit log."""

from __future__ import annotations

import pytest

from omakouvola.models import AuditEntry, Cycle

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/omakouvola/area/",
        "/admin/omakouvola/cycle/",
        "/admin/omakouvola/user/",
        "/admin/omakouvola/auditentry/",
        "/admin/omakouvola/notification/",
        "/admin/omakouvola/cycle/add/",
    ],
)
def test_the_coordinator_reaches_the_admin_pages(client, coordinator, cycle, url):
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_the_admin_speaks_finnish_by_default(client, coordinator):
    client.force_login(coordinator)
    html = client.get("/admin/").content.decode()
    assert '<html lang="fi"' in html
    assert "Kirjaudu ulos" in html


def test_a_resident_is_kept_out_of_the_admin(client, resident):
    client.force_login(resident)
    response = client.get("/admin/omakouvola/cycle/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_city_team_cannot_change_cycles(client, city_team_member, cycle):
    client.force_login(city_team_member)
    assert client.get("/admin/omakouvola/cycle/").status_code == 200
    assert client.get("/admin/omakouvola/cycle/add/").status_code == 403


def test_saving_a_cycle_in_the_admin_goes_through_the_service_and_the_audit_log(
    client, coordinator, cycle
):
    client.force_login(coordinator)
    data = {
        field: getattr(cycle, field).isoformat()
        for field in [f.name for f in Cycle._meta.fields]
        if field.endswith("_on")
    }
    data.update(name=cycle.name, year=cycle.year, description="Teemana lähiliikunta")
    data["voting_ends_on"] = "2027-02-07"
    response = client.post(f"/admin/omakouvola/cycle/{cycle.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="cycle.update")
    assert entry.actor == coordinator
    assert entry.changes["voting_ends_on"] == ["2027-02-08", "2027-02-07"]
    assert "description" in entry.changes


def test_phases_out_of_order_are_refused_with_a_message(client, coordinator, cycle):
    client.force_login(coordinator)
    data = {
        field: getattr(cycle, field).isoformat()
        for field in [f.name for f in Cycle._meta.fields]
        if field.endswith("_on")
    }
    data.update(name=cycle.name, year=cycle.year, voting_starts_on="2026-12-01")
    response = client.post(
        f"/admin/omakouvola/cycle/{cycle.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "must follow each other in order" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_the_audit_log_cannot_be_edited_even_by_the_coordinator(client, coordinator, cycle):
    from omakouvola.services import audit_record

    entry = audit_record(actor=coordinator, action="cycle.update", obj=cycle)
    client.force_login(coordinator)
    response = client.post(f"/admin/omakouvola/auditentry/{entry.pk}/change/", {"action": "x"})
    assert response.status_code in (200, 403)
    entry.refresh_from_db()
    assert entry.action == "cycle.update"
    assert client.get(f"/admin/omakouvola/auditentry/{entry.pk}/delete/").status_code == 403


def test_role_groups_show_their_translated_names_not_the_stored_codes(
    client, coordinator, resident
):
    from django.contrib.auth.models import Group

    from omakouvola.models import User

    admin_user = User.objects.create_superuser("root@example.fi", "x-long-password-1")
    client.force_login(admin_user)
    groups = client.get("/admin/auth/group/").content.decode()
    assert "Osallisuuskoordinaattori" in groups
    assert "Asiointipisteen virkailija" in groups
    assert Group.objects.filter(name="coordinator").exists()  # the stored code stays

    client.force_login(coordinator)
    page = client.get(f"/admin/omakouvola/user/{resident.pk}/change/").content.decode()
    assert "Asiointipisteen virkailija" in page
    assert ">paper_vote_clerk<" not in page
    users = client.get("/admin/omakouvola/user/").content.decode()
    assert ">Osallisuuskoordinaattori<" in users or "Osallisuuskoordinaattori</a>" in users
