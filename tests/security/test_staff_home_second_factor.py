"""The staff home lists what waits for staff (ideas to screen, funding applications with
the applicants' names, ballots to publish): with a stolen password alone it must not open
while the second factor is required, like the pages its rows link to (helper r2)."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal import auth as totp

pytestmark = pytest.mark.django_db


def test_the_staff_home_asks_for_the_second_factor_first(client, coordinator, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(coordinator)
    response = client.get("/fi/staff/")
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]
    totp.TOTP.activate(coordinator, totp.generate_totp_secret())
    assert client.get("/fi/staff/").status_code == 200


def test_the_staff_home_is_still_open_without_the_setting(client, coordinator, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(coordinator)
    assert client.get("/fi/staff/").status_code == 200
