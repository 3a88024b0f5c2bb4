"""Pages of the core app: home, languages, sign-up, profile, health."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation

from omakouvola.models import User

from ..factories import helsinki

pytestmark = pytest.mark.django_db


def test_the_root_redirects_to_finnish(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/"


@pytest.mark.parametrize(
    ("language", "heading", "phase_word"),
    [
        ("fi", "OmaKouvola", "Ideointi"),
        ("sv", "OmaKouvola", "Idéinsamling"),
        ("en", "OmaKouvola", "Ideation"),
    ],
)
def test_the_home_page_shows_the_cycle_timeline_in_each_language(
    client, cycle, time_machine, language, heading, phase_word
):
    time_machine.move_to(helsinki(2026, 11, 28, 12, 0))
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert cycle.name in html
    current = re.search(r'<li class="is-current" aria-current="step">(.*?)</li>', html, re.S)
    assert current is not None
    assert phase_word in current.group(1)


def test_the_home_page_says_when_no_round_exists(client):
    response = client.get("/en/")
    assert "No round is open yet" in response.content.decode()


def test_the_language_switcher_keeps_the_page(client):
    response = client.post(
        "/i18n/setlang/", {"language": "sv", "next": "/fi/accessibility/"}, follow=False
    )
    assert response.status_code == 302
    assert response["Location"] == "/sv/accessibility/"
    # Afterwards the bare root remembers the choice.
    assert client.get("/")["Location"] == "/sv/"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_accessibility_statement_exists_in_each_language(client, language):
    response = client.get(f"/{language}/accessibility/")
    assert response.status_code == 200
    assert "osallisuus@kouvola.fi" in response.content.decode()


def test_signup_verify_and_login_journey(client, area, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post(
            "/en/accounts/signup/",
            {
                "email": "Uusi.Asukas@Example.fi",
                "password1": "kaunis-kesä-Kouvolassa",
                "password2": "kaunis-kesä-Kouvolassa",
            },
        )
    assert signup.status_code == 302
    user = User.objects.get(email__iexact="uusi.asukas@example.fi")
    assert not EmailAddress.objects.get(user=user).verified

    # Before verification the account cannot be used.
    login = client.post(
        "/en/accounts/login/",
        {"login": "uusi.asukas@example.fi", "password": "kaunis-kesä-Kouvolassa"},
    )
    assert login.status_code == 302
    assert "confirm-email" in login["Location"]
    assert client.get("/en/profile/").status_code == 302

    # The verification e-mail went through the notification queue.
    assert len(mail.outbox) >= 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body)
    assert link is not None
    path = link.group(0).split("testserver", 1)[-1]
    confirm = client.post(path)
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.post("/en/accounts/logout/")
    login = client.post(
        "/en/accounts/login/",
        {"login": "uusi.asukas@example.fi", "password": "kaunis-kesä-Kouvolassa"},
    )
    assert login.status_code == 302
    assert client.get("/en/profile/").status_code == 200


def test_a_forgotten_password_can_be_reset(client, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/password/reset/", {"email": resident.email})
    assert len(mail.outbox) == 1
    link = re.search(r"/en/accounts/password/reset/key/[^\s]+/", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(0), follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(0),
        {"password1": "uusi-salasana-Kouvola", "password2": "uusi-salasana-Kouvola"},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("uusi-salasana-Kouvola")


def test_login_is_locked_after_repeated_failures(client, resident):
    """Five wrong passwords for one account lock it for a while, the right one included."""
    for _ in range(5):
        response = client.post(
            "/en/accounts/login/", {"login": resident.email, "password": "väärä-salasana"}
        )
        assert response.status_code == 200
    response = client.post(
        "/en/accounts/login/", {"login": resident.email, "password": "salasana-123"}
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_requests_are_rate_limited_per_address(client, settings, resident):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [
        client.post(
            "/en/accounts/login/", {"login": resident.email, "password": "salasana-123"}
        ).status_code
        for _ in range(5)
    ]
    assert statuses[-1] == 429


def test_signup_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/h/ip"}
    statuses = [
        client.post(
            "/en/accounts/signup/",
            {"email": f"tulva{n}@example.fi", "password1": "Pitkä-salasana-1", "password2": "x"},
        ).status_code
        for n in range(5)
    ]
    assert statuses[-1] == 429


def test_the_profile_needs_a_login(client):
    response = client.get("/fi/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/accounts/login/")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fi", "ei ole Kouvolan postinumero"),
        ("en", "is not a Kouvola postal code"),
    ],
)
def test_the_profile_refuses_a_postal_code_outside_kouvola(client, resident, language, message):
    client.force_login(resident)
    response = client.post(
        f"/{language}/profile/",
        {
            "display_name": "Aili",
            "postal_code": "00100",
            "birth_year": "1994",
            "preferred_language": "fi",
            "receives_optional_email": "on",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    resident.refresh_from_db()
    assert resident.postal_code == "45100"
    assert resident.birth_year is None


def test_the_profile_saves_a_kouvola_postal_code_and_shows_the_area(client, resident, valkeala):
    client.force_login(resident)
    response = client.post(
        "/en/profile/",
        {
            "display_name": "Aili K.",
            "postal_code": "45360",
            "birth_year": "2010",
            "preferred_language": "sv",
        },
        follow=True,
    )
    assert response.status_code == 200
    resident.refresh_from_db()
    assert (resident.display_name, resident.postal_code, resident.birth_year) == (
        "Aili K.",
        "45360",
        2010,
    )
    assert resident.receives_optional_email is False
    assert "Valkeala" in response.content.decode()


@pytest.mark.parametrize("bad_year", ["abc", "-5", "99999999999999999999", "1899"])
def test_the_profile_refuses_nonsense_birth_years_without_an_error_page(client, resident, bad_year):
    client.force_login(resident)
    response = client.post(
        "/en/profile/",
        {
            "display_name": "Aili",
            "postal_code": "45100",
            "birth_year": bad_year,
            "preferred_language": "fi",
        },
    )
    assert response.status_code == 200
    resident.refresh_from_db()
    assert resident.birth_year is None


def test_healthz_reports_the_database_and_the_eager_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import connections

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_reports_a_broker_that_is_down(client, settings):
    from omakouvola.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "unavailable"}


def test_every_page_link_in_the_header_resolves(client):
    with translation.override("fi"):
        for name in ["home", "accessibility", "account_login", "account_signup"]:
            assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    ("setting", "url_name"),
    [("RATE_LIMIT_IDEAS", "/en/ideas/new/"), ("RATE_LIMIT_APPLICATIONS", "/en/committees/apply/")],
)
def test_repeated_form_posts_are_rate_limited_with_a_429_page(
    client, resident, settings, setting, url_name
):
    setattr(settings, setting, "2/m")
    client.force_login(resident)
    statuses = [client.post(url_name, {}).status_code for _ in range(4)]
    assert statuses[-1] == 429
    assert "Too many attempts" in client.post(url_name, {}).content.decode()


def test_the_signup_email_names_the_service(client, area, django_capture_on_commit_callbacks):
    """allauth greets "Terve palvelusta {site name}!"; the name must not be empty."""
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fi/accounts/signup/",
            {
                "email": "nimi@example.fi",
                "password1": "kaunis-kesä-Kouvolassa",
                "password2": "kaunis-kesä-Kouvolassa",
            },
        )
    body = mail.outbox[-1].body
    assert "palvelusta !" not in body
    assert "OmaKouvola" in body.split("\n\n")[0] or "palvelusta OmaKouvola" in body
