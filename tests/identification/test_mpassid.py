"""MPASSid (OpenID Connect) against the local test provider, over real HTTP back channels."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse
from django.utils import timezone

from identification import devidp, people
from identification.services import MPASSID_NOT_A_PUPIL, class_level_birth_year
from identification.views import MPASSID_REFUSED
from voting.models import IdentityLevel, IdentitySource, VerifiedIdentity

from .conftest import use_test_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings, identification_keys, live_server):
    """The test provider's back channel (token, user info, keys) is the live server."""
    use_test_service(settings, identification_keys, "http://testserver")
    oidc = live_server.url + "/identification/test-service/oidc"
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc + "/token/"
    settings.OIDC_OP_USER_ENDPOINT = oidc + "/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = oidc + "/jwks/"
    return settings


def _authorize(client, pupil="niko", **override):
    start = client.get(reverse("identification:mpassid_login"), {"next": "/fi/voting/"})
    assert start.status_code == 302
    params = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
    params.update(override)
    answer = client.post(reverse("identification:test_oidc_authorize"), {**params, "pupil": pupil})
    assert answer.status_code == 302
    return answer["Location"].removeprefix("http://testserver")


def test_a_school_account_proves_the_pupils_school_and_age(provider, client, resident):
    client.force_login(resident)
    callback = _authorize(client)
    done = client.get(callback)
    assert done.status_code == 302 and done["Location"] == "/fi/voting/"
    verified = VerifiedIdentity.objects.get(user=resident)
    assert (verified.source, verified.method) == (IdentitySource.MPASSID, IdentityLevel.IN_PERSON)
    assert verified.school_code == "03810"
    assert verified.school_name == "Kouvolan Yhteiskoulu"
    assert verified.birth_year == class_level_birth_year(9, timezone.localdate())
    assert "_auth_user_id" in client.session  # still signed in as before


def test_a_callback_with_a_foreign_state_is_refused(provider, client, resident):
    client.force_login(resident)
    callback = _authorize(client)
    forged = callback.replace("state=", "state=x")
    response = client.get(forged)
    assert response.status_code == 400
    assert str(MPASSID_REFUSED) in response.content.decode()
    assert not VerifiedIdentity.objects.exists()


def test_a_replayed_callback_is_refused(provider, client, resident, other_resident):
    client.force_login(resident)
    callback = _authorize(client)
    assert client.get(callback).status_code == 302
    VerifiedIdentity.objects.all().delete()
    assert client.get(callback).status_code == 400
    assert not VerifiedIdentity.objects.exists()


def test_a_token_with_another_nonce_is_refused(provider, client, resident):
    client.force_login(resident)
    response = client.get(_authorize(client, nonce="not-the-one-we-sent"))
    assert response.status_code == 400
    assert not VerifiedIdentity.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(
            {"key": rsa.generate_private_key(public_exponent=65537, key_size=2048)}, id="other-key"
        ),
        pytest.param({"audience": "another-client"}, id="other-audience"),
        pytest.param({"lifetime": -120}, id="expired"),
    ],
)
def test_a_bad_id_token_is_refused(provider, client, resident, monkeypatch, bad):
    original = devidp.id_token
    monkeypatch.setattr(devidp, "id_token", lambda claims, **kw: original(claims, **{**kw, **bad}))
    client.force_login(resident)
    response = client.get(_authorize(client))
    assert response.status_code == 400
    assert str(MPASSID_REFUSED) in response.content.decode()
    assert not VerifiedIdentity.objects.exists()


def test_a_cancelled_sign_in_keeps_the_resident_signed_in(provider, client, resident):
    client.force_login(resident)
    response = client.get(reverse("identification:mpassid_callback"), {"error": "access_denied"})
    assert response.status_code == 400
    assert "_auth_user_id" in client.session


def test_mpassid_never_signs_anybody_in(provider, client):
    response = client.get(reverse("identification:mpassid_callback"), {"code": "x", "state": "y"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_claims_without_a_class_level_are_refused():
    from django.core.exceptions import ValidationError

    from identification.services import mpassid_facts

    claims = people.PUPILS_BY_KEY["niko"].claims()
    del claims["urn:mpass.id:classLevel"]
    with pytest.raises(ValidationError) as caught:
        mpassid_facts(claims)
    assert caught.value.messages == [str(MPASSID_NOT_A_PUPIL)]


@pytest.mark.parametrize(
    ("level", "today", "born"),
    [
        (9, dt.date(2027, 1, 30), 2011),  # spring term: class 9 turns 16 this year
        (9, dt.date(2026, 9, 1), 2011),  # autumn term: class 9 turns 15 this year
        (1, dt.date(2026, 8, 20), 2019),
    ],
)
def test_the_class_level_tells_the_birth_year(level, today, born):
    assert class_level_birth_year(level, today) == born
