"""Bounded staff powers in the admin (issue 12, item 2)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from omakouvola.models import AuditEntry, Role

pytestmark = pytest.mark.django_db


def _post(user, **extra):
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "postal_code": user.postal_code or "",
        "birth_year": user.birth_year or "",
        "preferred_language": user.preferred_language,
        "is_active": "on",
        "is_staff": "on",
    }
    data.update(extra)
    return data


def test_the_coordinator_cannot_make_themselves_superuser_or_take_roles(client, coordinator):
    client.force_login(coordinator)
    decision_maker = Group.objects.get(name=Role.DECISION_MAKER)
    url = f"/admin/omakouvola/user/{coordinator.pk}/change/"
    response = client.post(
        url, _post(coordinator, is_superuser="on", groups=[str(decision_maker.pk)])
    )
    assert response.status_code in (200, 302)
    coordinator.refresh_from_db()
    assert not coordinator.is_superuser
    assert set(coordinator.groups.values_list("name", flat=True)) == {Role.COORDINATOR}


def test_the_coordinator_assigns_only_the_allowed_roles_and_it_is_audited(
    client, coordinator, resident
):
    client.force_login(coordinator)
    clerk = Group.objects.get(name=Role.PAPER_VOTE_CLERK)
    decision_maker = Group.objects.get(name=Role.DECISION_MAKER)
    url = f"/admin/omakouvola/user/{resident.pk}/change/"
    client.post(url, _post(resident, groups=[str(decision_maker.pk)]))
    assert not resident.groups.filter(name=Role.DECISION_MAKER).exists()
    client.post(url, _post(resident, groups=[str(clerk.pk)]))
    assert set(resident.groups.values_list("name", flat=True)) == {Role.PAPER_VOTE_CLERK}
    entry = AuditEntry.objects.get(action="user.roles", object_id=str(resident.pk))
    assert entry.changes == {"groups": [[], [Role.PAPER_VOTE_CLERK]]}
    resident.refresh_from_db()
    assert not resident.is_superuser


@pytest.mark.parametrize("as_superuser", [False, True])
def test_no_staff_member_sets_a_residents_password(client, coordinator, resident, as_superuser):
    if as_superuser:
        coordinator.is_superuser = True
        coordinator.save(update_fields=["is_superuser"])
    client.force_login(coordinator)
    url = f"/admin/omakouvola/user/{resident.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "uusi-salasana-X9", "password2": "uusi-salasana-X9"})
    assert response.status_code == 403
    resident.refresh_from_db()
    assert not resident.check_password("uusi-salasana-X9")
