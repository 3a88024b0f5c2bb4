"""A person is told by e-mail when their roles, e-mail address or password change (issue 12).

The message is our own text in the person's language (nothing typed by staff), an e-mail
change is told to the old address too, and the audit entry names the fields, never values.
"""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from omakouvola.models import AuditEntry, Notification, Role

from .test_staff_powers import _post

pytestmark = pytest.mark.django_db


def _told(address: str) -> list[Notification]:
    return list(Notification.objects.filter(template="account_changed", to_email=address))


def _entry(user) -> AuditEntry:
    return AuditEntry.objects.get(action="user.account_changed", object_id=str(user.pk))


def _sign_in(client, user):
    response = client.post("/en/accounts/login/", {"login": user.email, "password": "salasana-123"})
    assert response.status_code == 302


def test_a_password_change_is_told_in_the_persons_language_and_audited(client, resident):
    resident.preferred_language = "sv"
    resident.save(update_fields=["preferred_language"])
    _sign_in(client, resident)
    response = client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": "salasana-123",
            "password1": "uusi-pitkä-salasana-Kouvola",
            "password2": "uusi-pitkä-salasana-Kouvola",
        },
    )
    assert response.status_code == 302
    [message] = _told(resident.email)
    assert message.language == "sv"
    assert message.subject == "Ditt OmaKouvola-konto har ändrats"
    assert "lösenordet" in message.body_text
    entry = _entry(resident)
    assert entry.note == "password"
    assert "uusi-pitkä" not in json.dumps(entry.changes)


def test_a_new_primary_address_is_told_to_the_old_and_the_new_one(client, resident):
    old = resident.email
    _sign_in(client, resident)
    EmailAddress.objects.create(user=resident, email="uusi.osoite@example.fi", verified=True)
    response = client.post(
        "/en/accounts/email/", {"email": "uusi.osoite@example.fi", "action_primary": ""}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.email == "uusi.osoite@example.fi"
    assert len(_told("uusi.osoite@example.fi")) == 1
    [to_old] = _told(old)
    assert "before the change" in to_old.body_text or "ennen muutosta" in to_old.body_text
    entry = _entry(resident)
    assert old not in json.dumps(entry.changes) and old not in entry.note
    assert "uusi.osoite" not in json.dumps(entry.changes)


def test_roles_given_in_the_admin_are_told_without_any_text_staff_typed(
    client, coordinator, resident
):
    """The display name is staff-editable in the admin: it must not reach the message."""
    client.force_login(coordinator)
    clerk = Group.objects.get(name=Role.PAPER_VOTE_CLERK)
    url = f"/admin/omakouvola/user/{resident.pk}/change/"
    bait = "Veronpalautus odottaa: https://huijaus.example"
    client.post(url, _post(resident, display_name=bait, groups=[str(clerk.pk)]))
    [message] = _told(resident.email)
    assert bait not in message.body_text and bait not in message.body_html
    assert bait not in message.subject
    assert _entry(resident).note == "roles"


def test_an_address_changed_in_the_admin_is_told_to_both_addresses(client, coordinator, resident):
    old = resident.email
    # Only a superuser changes an address in the admin (the coordinator's field is read-only).
    coordinator.is_superuser = True
    coordinator.save(update_fields=["is_superuser"])
    client.force_login(coordinator)
    url = f"/admin/omakouvola/user/{resident.pk}/change/"
    data = _post(resident, email="toinen@example.fi")
    data.pop("is_staff")
    response = client.post(url, data)
    assert response.status_code == 302
    assert len(_told("toinen@example.fi")) == 1
    assert len(_told(old)) == 1
    entry = _entry(resident)
    assert entry.note == "email"
    assert old not in json.dumps(entry.changes) and "toinen@" not in json.dumps(entry.changes)


def test_a_profile_change_that_touches_no_account_field_tells_nobody(client, coordinator, resident):
    client.force_login(coordinator)
    url = f"/admin/omakouvola/user/{resident.pk}/change/"
    data = _post(resident, birth_year="1980")
    data.pop("is_staff")
    client.post(url, data)
    assert _told(resident.email) == []


def test_the_coordinator_cannot_change_a_residents_address_in_the_admin(
    client, coordinator, resident
):
    """The address is where a reset link goes: changing it would take the account over."""
    old = resident.email
    client.force_login(coordinator)
    url = f"/admin/omakouvola/user/{resident.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="email"' not in page
    data = _post(resident, email="hyokkaaja@example.fi")
    data.pop("is_staff")
    response = client.post(url, data)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.email == old
    assert not _told("hyokkaaja@example.fi")


def test_changepassword_from_the_shell_is_audited_and_told(resident, monkeypatch):
    import io

    from django.core.management import call_command

    monkeypatch.setattr("getpass.getpass", lambda prompt="": "uusi-Salasana-2026-x")
    call_command("changepassword", resident.email, stdout=io.StringIO())
    resident.refresh_from_db()
    assert resident.check_password("uusi-Salasana-2026-x")
    assert _entry(resident).note == "password"
    assert _entry(resident).actor is None
    assert len(_told(resident.email)) == 1
