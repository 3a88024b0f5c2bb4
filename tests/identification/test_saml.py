"""Suomi.fi as a SAML 2.0 SP against a real pysaml2 identity provider on this machine."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from identification import devidp, people
from identification.views import SAML_REFUSED, SAML_REPLAYED
from voting.models import IdentityLevel, IdentitySource, VerifiedIdentity
from voting.secrecy import identity_hash

from ..factories import UserFactory
from .conftest import saml_request_of

pytestmark = pytest.mark.django_db

AILI = people.BY_KEY["aili"]


def _start(client, next_url="/fi/voting/"):
    response = client.get(reverse("identification:saml_login"), {"next": next_url})
    return saml_request_of(response)


def _post(client, saml_response, relay_state=""):
    return client.post(
        reverse("identification:saml_acs"),
        {"SAMLResponse": saml_response, "RelayState": relay_state},
    )


def test_sp_metadata_is_served_at_a_stable_url_with_signing_and_encryption_keys(
    test_service, client
):
    response = client.get("/identification/saml/metadata/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'entityID="http://testserver/identification/saml/metadata/"' in body
    assert 'use="signing"' in body and 'use="encryption"' in body
    assert "http://testserver/identification/saml/acs/" in body
    assert "SingleLogoutService" in body
    assert 'AuthnRequestsSigned="true"' in body and 'WantAssertionsSigned="true"' in body
    assert "urn:oid:1.2.246.21" in body  # the personal identity code is requested


def test_a_signed_encrypted_assertion_makes_the_account_strongly_identified(
    test_service, client, resident
):
    client.force_login(resident)
    request, relay = _start(client)
    destination, saml_response = devidp.authn_response(request, AILI)
    assert destination == "http://testserver/identification/saml/acs/"

    response = _post(client, saml_response, relay)
    assert response.status_code == 302
    assert response["Location"] == reverse("identification:suomifi_finish")
    finish = client.get(response["Location"])
    assert finish.status_code == 302
    assert finish["Location"] == "/fi/voting/"

    verified = VerifiedIdentity.objects.get(user=resident)
    assert verified.method == IdentityLevel.STRONG
    assert verified.source == IdentitySource.SUOMIFI
    # The same keyed hash a clerk records for this code: one person, one voter.
    assert verified.identity_hash == identity_hash(AILI.hetu)
    assert (verified.birth_year, verified.municipality_code, verified.postal_code) == (
        1994,
        "286",
        "45720",
    )


def test_the_personal_identity_code_is_stored_nowhere_in_clear(test_service, client, resident):
    from django.contrib.sessions.models import Session
    from django.db import connection

    client.force_login(resident)
    request, relay = _start(client)
    _post(client, devidp.authn_response(request, AILI)[1], relay)
    for session in Session.objects.all():
        assert AILI.hetu not in str(session.get_decoded())
    client.get(reverse("identification:suomifi_finish"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM voting_verifiedidentity")
        assert AILI.hetu not in str(cursor.fetchall())
        cursor.execute("SELECT * FROM omakouvola_auditentry")
        assert AILI.hetu not in str(cursor.fetchall())


def _refused(response):
    assert response.status_code in (400, 403)
    return response.content.decode()


def test_an_unsigned_assertion_is_refused(test_service, client, resident):
    client.force_login(resident)
    request, relay = _start(client)
    _, unsigned = devidp.authn_response(request, AILI, sign=False)
    assert str(SAML_REFUSED)[:40] in _refused(_post(client, unsigned, relay))
    assert not VerifiedIdentity.objects.exists()


def test_a_tampered_assertion_is_refused(test_service, client, resident):
    """A signed assertion whose municipality was changed after signing fails the signature."""
    import base64

    test_service.SUOMIFI_REQUIRE_ENCRYPTION = False  # to reach the signature check
    client.force_login(resident)
    request, relay = _start(client)
    _, signed = devidp.authn_response(request, people.BY_KEY["laura"], encrypt=False)
    xml = base64.b64decode(signed).decode()
    assert xml.count(">398<") == 1
    tampered = base64.b64encode(xml.replace(">398<", ">286<").encode()).decode()
    _refused(_post(client, tampered, relay))
    assert not VerifiedIdentity.objects.exists()


def test_an_assertion_that_was_not_encrypted_is_refused(test_service, client, resident):
    client.force_login(resident)
    request, relay = _start(client)
    _, plain = devidp.authn_response(request, AILI, encrypt=False)
    _refused(_post(client, plain, relay))
    assert not VerifiedIdentity.objects.exists()


def test_an_expired_assertion_is_refused(test_service, client, resident):
    client.force_login(resident)
    request, relay = _start(client)
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), tick=False):
        _, old = devidp.authn_response(request, AILI)
    _refused(_post(client, old, relay))
    assert not VerifiedIdentity.objects.exists()


def test_a_replayed_assertion_is_refused_in_the_same_and_in_another_session(
    test_service, client, resident, other_resident
):
    client.force_login(resident)
    request, relay = _start(client)
    _, saml_response = devidp.authn_response(request, AILI)
    assert _post(client, saml_response, relay).status_code == 302
    _refused(_post(client, saml_response, relay))

    from django.test import Client

    thief = Client()
    thief.force_login(other_resident)
    _start(thief)  # even with a request of its own outstanding
    _refused(_post(thief, saml_response, relay))
    client.get(reverse("identification:suomifi_finish"))
    assert list(VerifiedIdentity.objects.values_list("user", flat=True)) == [resident.pk]


def test_an_unsolicited_assertion_is_refused(test_service, client, resident):
    """An answer to a request this browser never made (another session's request)."""
    from django.test import Client

    other = Client()
    other.force_login(UserFactory(email="x@example.fi"))
    request, relay = _start(other)
    _, saml_response = devidp.authn_response(request, AILI)
    client.force_login(resident)
    _refused(_post(client, saml_response, relay))


def test_a_replayed_assertion_id_is_refused_by_the_sp_itself(test_service, client, resident):
    """Even with pysaml2's record of the answered request put back, the assertion is used once."""
    from importlib import import_module

    from django.conf import settings

    client.force_login(resident)
    request, relay = _start(client)
    _, saml_response = devidp.authn_response(request, AILI)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    saml_session = store(client.cookies["saml_session"].value)
    outstanding = dict(saml_session["_saml2_outstanding_queries"])
    assert _post(client, saml_response, relay).status_code == 302

    saml_session = store(client.cookies["saml_session"].value)
    saml_session["_saml2_outstanding_queries"] = outstanding
    saml_session.save()
    assert str(SAML_REPLAYED) in _refused(_post(client, saml_response, relay))


def test_the_same_person_cannot_strengthen_a_second_account(
    test_service, client, resident, other_resident
):
    from voting.services import IDENTITY_TAKEN

    for user in (resident, other_resident):
        client.force_login(user)
        request, relay = _start(client)
        _post(client, devidp.authn_response(request, AILI)[1], relay)
        finish = client.get(reverse("identification:suomifi_finish"))
    assert str(IDENTITY_TAKEN) in finish.content.decode()
    assert VerifiedIdentity.objects.get().user == resident


def test_a_clerk_verified_person_is_the_same_voter_via_suomifi(test_service, client, resident):
    """The clerk's hash and Suomi.fi's match, so the account is upgraded, not duplicated."""
    from omakouvola.models import Role
    from voting import services

    clerk = UserFactory(email="clerk@example.fi", roles=[Role.PAPER_VOTE_CLERK])
    services.identity_verify_in_person(clerk=clerk, user=resident, identifier=AILI.hetu)
    client.force_login(resident)
    request, relay = _start(client)
    _post(client, devidp.authn_response(request, AILI)[1], relay)
    client.get(reverse("identification:suomifi_finish"))
    verified = VerifiedIdentity.objects.get(user=resident)
    assert (verified.method, verified.source) == (IdentityLevel.STRONG, IdentitySource.SUOMIFI)


def test_single_logout_ends_both_sessions(test_service, client, resident):
    client.force_login(resident)
    request, relay = _start(client)
    _post(client, devidp.authn_response(request, AILI)[1], relay)
    client.get(reverse("identification:suomifi_finish"))
    to_idp = client.get(reverse("identification:saml_logout"))
    assert to_idp.status_code == 302
    assert "/identification/test-service/saml/slo/" in to_idp["Location"]
    back = client.get(to_idp["Location"].removeprefix("http://testserver"))
    assert back.status_code == 302 and "/identification/saml/ls/" in back["Location"]
    done = client.get(back["Location"].removeprefix("http://testserver"))
    assert done.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_test_service_is_closed_without_the_setting(client, settings):
    settings.IDENTIFICATION_DEV_IDP = False
    assert client.get("/identification/test-service/saml/metadata/").status_code == 404
    assert client.get("/identification/test-service/oidc/jwks/").status_code == 404
