"""The header's role links are decided once and kept in the cache (omakouvola.navigation),
and follow changes to a person's groups and committee memberships at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from committees.models import MembershipRole
from omakouvola.models import Role

from ..committees.factories import MembershipFactory
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

MY_TASKS = "Tehtäväni"
PAPER_VOTES = "Paperiäänet"


def _header(client) -> str:
    html = client.get("/fi/").content.decode()
    return html[: html.index('<main id="main"')]


def test_a_resident_s_second_page_decides_no_header_links(client, django_assert_num_queries):
    resident = UserFactory()
    client.force_login(resident)
    client.get("/fi/ideas/")
    # Issue #15: the header's rules took four queries on every page (groups, committee
    # memberships, Django's user and group permissions). Now: the request's savepoint
    # pair, the session and the user, then the page's own count (no ideas to read).
    with django_assert_num_queries(5):
        client.get("/fi/ideas/")


def test_joining_a_group_shows_its_links_on_the_next_page(client):
    person = UserFactory()
    client.force_login(person)
    assert MY_TASKS not in _header(client) and PAPER_VOTES not in _header(client)
    person.groups.add(Group.objects.get_or_create(name=Role.COORDINATOR.value)[0])
    assert MY_TASKS in _header(client)
    person.groups.clear()
    assert MY_TASKS not in _header(client)
    # From the group's side too.
    group = Group.objects.get_or_create(name=Role.COORDINATOR.value)[0]
    group.user_set.add(person)
    assert MY_TASKS in _header(client)


def test_becoming_a_chair_shows_my_tasks_and_leaving_hides_it(client):
    person = UserFactory()
    client.force_login(person)
    assert MY_TASKS not in _header(client)
    membership = MembershipFactory(user=person, role=MembershipRole.CHAIR)
    assert MY_TASKS in _header(client)
    membership.delete()
    assert MY_TASKS not in _header(client)
