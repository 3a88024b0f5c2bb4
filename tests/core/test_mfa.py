"""Staff sign in to the admin through allauth, where a second factor can be required."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal import auth as totp

from omakouvola.middleware import SECOND_FACTOR_NEEDED

pytestmark = pytest.mark.django_db


def test_the_admin_login_goes_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302
    assert "/accounts/login/" in login["Location"]


def test_a_coordinator_with_an_authenticator_must_give_the_code(client, coordinator):
    secret = totp.generate_totp_secret()
    totp.TOTP.activate(coordinator, secret)
    response = client.post(
        "/en/accounts/login/?next=/admin/",
        {"login": coordinator.email, "password": "salasana-123"},
    )
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get("/admin/").status_code == 302  # not in yet

    wrong = client.post(response["Location"], {"code": "000000"})
    assert wrong.status_code == 200
    counter = next(totp.yield_hotp_counters_from_time())
    code = totp.format_hotp_value(totp.hotp_value(secret, counter))
    done = client.post(response["Location"], {"code": code})
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_two_factor_page_is_reachable_from_the_profile(client, resident):
    client.force_login(resident)
    profile = client.get("/en/profile/").content.decode()
    assert "/en/accounts/2fa/" in profile
    assert client.get("/en/accounts/2fa/").status_code == 200


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, coordinator, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(coordinator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]
    secret = totp.generate_totp_secret()
    totp.TOTP.activate(coordinator, secret)
    assert client.get("/admin/").status_code == 200


def test_the_second_factor_is_required_by_default():
    from omakouvola.settings import base

    assert base.MFA_REQUIRED_FOR_STAFF is True


def test_staff_sent_from_the_admin_to_set_up_a_second_factor_are_told_why(
    client, coordinator, settings
):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(coordinator)
    response = client.get("/admin/", follow=True, headers={"accept-language": "fi"})
    assert response.redirect_chain[-1][0].endswith("/accounts/2fa/")
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [str(SECOND_FACTOR_NEEDED)]
