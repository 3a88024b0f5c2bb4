"""With MFA_REQUIRED_FOR_STAFF on, staff pages outside the admin need a second factor too.

Derived from the URL × role table: every page a resident may not open but some role may
(the clerk's paper-vote pages, the decision maker's, dashboards, committee workspaces
and chair pages) sends that role, without an authenticator, to set one up; with one, the
page answers as the table says. Public and residents' pages never ask.
"""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal import auth as totp
from django.urls import reverse

from .test_url_matrix import EXPECTED, ROLES, _patterns

pytestmark = pytest.mark.django_db

STAFF_ROLES = [r for r in ROLES if r not in {"anonymous", "unverified", "resident"}]
OPEN = {"200", "file"}


def _staff_pages():
    for name, row in sorted(EXPECTED.items()):
        if row["resident"] in OPEN:
            continue
        roles = [role for role in STAFF_ROLES if str(row[role]) in OPEN]
        if roles:
            yield name, roles


def test_the_table_has_staff_pages_outside_the_admin():
    names = dict(_staff_pages())
    for name in ("voting:paper_vote", "voting:decide", "budgets:dashboard", "committees:chairs"):
        assert name in names


def test_staff_pages_ask_for_a_second_factor_and_then_open(client, world, settings):
    from .matrix_world import outcome, url_kwargs

    settings.MFA_REQUIRED_FOR_STAFF = True
    kwargs = url_kwargs(world)
    patterns = dict(_patterns())
    wrong, checked = [], 0
    pages = list(_staff_pages())
    for name, roles in pages:
        assert name in patterns
        url = reverse(name, kwargs=kwargs.get(name, {})).replace("/fi/", "/en/", 1)
        for role in roles:
            client.force_login(world[role])
            response = client.get(url)
            checked += 1
            if response.status_code != 302 or "/accounts/2fa/" not in response["Location"]:
                wrong.append(f"{name} as {role} without a second factor: {outcome(response)}")
    for role in STAFF_ROLES:
        totp.TOTP.activate(world[role], totp.generate_totp_secret())
    for name, roles in pages:
        url = reverse(name, kwargs=kwargs.get(name, {})).replace("/fi/", "/en/", 1)
        for role in roles:
            client.force_login(world[role])
            got = outcome(client.get(url))
            if str(got) != str(EXPECTED[name][role]):
                wrong.append(f"{name} as {role} with a second factor: {got}")
    assert wrong == [], "\n".join(wrong)
    print(f"\n{checked} staff page × role combinations asked for a second factor")


def test_residents_pages_never_ask_for_a_second_factor(client, world, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(world["coordinator"])
    for name in ("ideas:submit", "profile", "my_page"):
        response = client.get(reverse(name).replace("/fi/", "/en/", 1))
        assert response.status_code == 200, name


def test_a_service_called_directly_needs_no_second_factor(coordinator, settings):
    """The factor guards the web session; services called by tasks or the shell do not ask."""
    from omakouvola.rules import require

    settings.MFA_REQUIRED_FOR_STAFF = True
    require(coordinator, "voting.manage_ballots")
