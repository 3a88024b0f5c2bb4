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


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"SAMLResponse": ""},
        {"SAMLResponse": "not base64 at all ***"},
        {"SAMLResponse": "PHNhbWw+"},  # "<saml>"
        {"SAMLResponse": "PD94bWwgdmVyc2lvbj0iMS4wIj8+PCFET0NUWVBFIGE+"},  # a DOCTYPE
    ],
)
def test_crafted_assertions_are_refused_without_a_server_error(
    test_service, client, resident, data
):
    client.force_login(resident)
    response = client.post(reverse("identification:saml_acs"), data)
    assert 400 <= response.status_code < 500
    assert not VerifiedIdentity.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "?SAMLRequest=garbage",
        "?SAMLResponse=garbage",
        "?SAMLResponse=PHNhbWw%2B",
        "",
    ],
)
def test_crafted_logout_messages_are_refused_without_a_server_error(
    test_service, client, resident, query
):
    client.force_login(resident)
    response = client.get(reverse("identification:saml_ls") + query)
    assert response.status_code < 500


@pytest.mark.parametrize(
    "query",
    ["?code=x&state=y", "?state=y", "?code=x", "?error=access_denied", "?code=&state="],
)
def test_crafted_school_account_answers_are_refused_without_a_server_error(
    test_service, client, resident, query
):
    client.force_login(resident)
    response = client.get(reverse("identification:mpassid_callback") + query)
    assert response.status_code < 500
    assert not VerifiedIdentity.objects.exists()


def test_finish_without_any_identification_is_a_message(test_service, client, resident):
    client.force_login(resident)
    assert client.get(reverse("identification:suomifi_finish")).status_code == 400


@pytest.mark.parametrize("field", ["SAMLRequest", "SAMLResponse"])
def test_crafted_logout_messages_after_suomifi_are_refused_without_a_server_error(
    test_service, client, resident, field
):
    client.force_login(resident)
    start = client.get(reverse("identification:saml_login"), {"next": "/fi/voting/"})
    request, relay = saml_request_of(start)
    client.post(
        reverse("identification:saml_acs"),
        {"SAMLResponse": devidp.authn_response(request, AILI)[1], "RelayState": relay},
    )
    client.get(reverse("identification:suomifi_finish"))
    for value in ["garbage", "PHNhbWw+", ""]:
        response = client.get(reverse("identification:saml_ls"), {field: value})
        assert response.status_code < 500
        response = client.post(reverse("identification:saml_ls_post"), {field: value})
        assert response.status_code < 500


def test_a_pupil_with_a_school_account_cannot_vote_on_an_adult_ballot(
    resident, cycle, time_machine
):
    """The profile says 1980; the school account says class 9: the school wins."""
    from identification import services
    from identification.people import PUPILS_BY_KEY
    from voting import services as voting_services
    from voting.eligibility import TOO_YOUNG

    from ..factories import BallotFactory, helsinki

    at = helsinki(2027, 1, 30, 12, 0)
    time_machine.move_to(at, tick=False)
    resident.birth_year = 1980
    resident.save()
    services.identity_confirm(
        user=resident, facts=services.mpassid_facts(PUPILS_BY_KEY["niko"].claims())
    )
    adults = BallotFactory(cycle=cycle, identity_level="in_person", min_age=18)
    assert voting_services.eligibility_problems(resident, adults, at) == [
        str(TOO_YOUNG % {"age": 18})
    ]
