"""The resident pages ask the rules alone (issue 12): no superuser shortcut, and a private
idea someone may not see is 404, as if it did not exist."""

from __future__ import annotations

import pytest

from omakouvola.models import User

pytestmark = pytest.mark.django_db


def test_a_superuser_does_not_edit_or_withdraw_a_residents_idea_through_its_pages(client, idea):
    # Django's has_perm answers yes to any superuser; the rule names only the submitter.
    boss = User.objects.create_superuser(email="paakayttaja@kouvola.test", password="x" * 16)
    client.force_login(boss)
    assert client.get(f"/fi/ideas/{idea.pk}/edit/").status_code == 404
    assert client.post(f"/fi/ideas/{idea.pk}/withdraw/").status_code == 404
    idea.refresh_from_db()
    assert idea.status != "withdrawn"
    # The superuser still sees the idea: screening staff see every idea.
    assert client.get(f"/fi/ideas/{idea.pk}/").status_code == 200


def test_an_unverified_person_pledging_is_refused_with_403(client, idea, db):
    stranger = User.objects.create_user(email="vieras@example.fi", password="x" * 16)
    client.force_login(stranger)
    response = client.post(f"/fi/ideas/{idea.pk}/pledge/", {"what": "Haravointi", "hours": "2"})
    assert response.status_code == 403
