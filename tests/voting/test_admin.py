"""The ballot admin: every write goes through a service and leaves an audit entry."""

from __future__ import annotations

import pytest

from omakouvola.models import AuditEntry, User
from voting import services
from voting.models import BallotGroup

pytestmark = pytest.mark.django_db


def test_a_ballot_group_made_changed_and_deleted_in_the_admin_is_audited(
    client, coordinator, cycle
):
    client.force_login(coordinator)
    response = client.post(
        "/admin/voting/ballotgroup/add/",
        {"cycle": cycle.pk, "name": "Alueet", "choice": "free", "_save": "Save"},
    )
    assert response.status_code == 302
    group = BallotGroup.objects.get()
    response = client.post(
        f"/admin/voting/ballotgroup/{group.pk}/change/",
        {"cycle": cycle.pk, "name": "Alueet ja nuoret", "choice": "free", "_save": "Save"},
    )
    assert response.status_code == 302
    boss = User.objects.create_superuser(email="paakayttaja@kouvola.test", password="x" * 16)
    client.force_login(boss)
    response = client.post(f"/admin/voting/ballotgroup/{group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not BallotGroup.objects.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="voting.ballotgroup")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["ballot_group.create", "ballot_group.update", "ballotgroup.delete"]


def test_a_refused_group_change_is_a_form_error_with_the_input_kept(
    client, coordinator, cycle, monkeypatch
):
    group = services.ballot_group_save(
        actor=coordinator, group=BallotGroup(cycle=cycle, name="Alueet", choice="free")
    )
    monkeypatch.setattr("voting.services.ballots.group_has_votes", lambda group: True)
    client.force_login(coordinator)
    response = client.post(
        f"/admin/voting/ballotgroup/{group.pk}/change/",
        {"cycle": cycle.pk, "name": "Uusi nimi", "choice": "home_area", "_save": "Save"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert str(services.GROUP_LOCKED) in body
    assert 'value="Uusi nimi"' in body
    group.refresh_from_db()
    assert (group.name, group.choice) == ("Alueet", "free")


def test_the_ballot_admin_asks_the_rule_not_the_model_permission(client, coordinator, cycle):
    from django.contrib.auth.models import Group

    # Without the group's model permissions to add or change, the rule still lets the
    # coordinator in: the rule the service requires is the one the admin asks.
    group = Group.objects.get(name="coordinator")
    group.permissions.remove(
        *group.permissions.filter(
            content_type__app_label="voting",
            codename__in=["add_ballotgroup", "change_ballotgroup"],
        )
    )
    coordinator = User.objects.get(pk=coordinator.pk)  # no cached permissions
    client.force_login(coordinator)
    response = client.post(
        "/admin/voting/ballotgroup/add/",
        {"cycle": cycle.pk, "name": "Alueet", "choice": "free", "_save": "Save"},
    )
    assert response.status_code == 302
    assert BallotGroup.objects.filter(name="Alueet").exists()
