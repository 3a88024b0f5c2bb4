"""Attacks on the identification flows after the merge (helper r2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from identification import devidp, people
from voting.models import VerifiedIdentity

from ..factories import UserFactory
from .conftest import saml_request_of

pytestmark = pytest.mark.django_db

AILI = people.BY_KEY["aili"]


def test_a_pending_suomifi_identity_never_lands_on_the_next_account_in_the_browser(
    test_service, client, resident
):
    """Aili's assertion is accepted, but her finishing step never runs (her session ended,
    the tab was closed). The SAML session is a cookie of its own that signing out does not
    clear, so the next person to sign in on that browser must not inherit her identity."""
    client.force_login(resident)
    start = client.get(reverse("identification:saml_login"), {"next": "/fi/voting/"})
    request, relay = saml_request_of(start)
    _destination, saml_response = devidp.authn_response(request, AILI)
    acs = client.post(
        reverse("identification:saml_acs"), {"SAMLResponse": saml_response, "RelayState": relay}
    )
    assert acs.status_code == 302
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session

    other = UserFactory(email="toinen@example.fi")
    client.force_login(other)
    finish = client.get(reverse("identification:suomifi_finish"))
    assert finish.status_code in (302, 400)
    assert not VerifiedIdentity.objects.filter(user=other).exists()
