"""An association applies, the chair puts it on a meeting, the committee decides and the
applicant gets the letter, in real Chromium; the public pages pass axe-core."""

from __future__ import annotations

import re

import pytest

from committees.models import Decision, FundingApplication
from omakouvola.models import Notification

from ..committees.conftest import (  # noqa: F401 - fixtures
    chair_user,
    committee,
    conflicted_user,
    deputy_user,
    member_user,
    valkeala_committee,
)
from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _eager_tasks():
    """The letters are built in-process here, whatever an earlier real-worker test left."""
    from omakouvola.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def _path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/)", body).group(1)


def test_an_association_applies_and_the_committee_decides(browser, live_server, committee):
    applicant = browser.new_context(locale="fi-FI", viewport={"width": 1280, "height": 900})
    page = applicant.new_page()
    page.set_default_timeout(20_000)
    base = live_server.url

    page.goto(base + "/fi/committees/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Valkealan aluetoimikunta").click()
    page.wait_for_url("**/committees/valkeala/")
    assert axe_violations(page) == []

    page.goto(base + "/fi/committees/apply/")
    assert axe_violations(page) == []
    page.check("input[name=applicant_kind][value=organisation]")
    for name, value in {
        "organisation_name": "Utin Kyläyhdistys ry",
        "business_id": "2345678-0",
        "responsible_person": "Liisa Laine",
        "email": "liisa@example.fi",
        "title": "Utin kyläkoulun välituntivälineet",
        "description": "Välineet välitunneille talkoilla.",
        "own_funding": "100",
        "volunteer_hours": "20",
        f"request_{committee.pk}": "900",
        "cost_1_description": "Välineet",
        "cost_1_amount": "1000",
        "sustainability_ecological": "Kestävät välineet.",
        "sustainability_social": "Lapset liikkuvat yhdessä.",
        "sustainability_economic": "Koulu huoltaa välineet.",
    }.items():
        page.fill(f"[name={name}]", value)
    assert "1\xa0000,00" in page.locator("[data-cost-total]").inner_text()
    page.locator("form.application-form button[type=submit]").click()
    page.wait_for_url("**/apply/link-sent/")

    link = Notification.objects.get(template="committees_application_link")
    page.goto(base + _path(link.body_text))
    assert axe_violations(page) == []
    page.locator("form[action$='/submit/'] button").click()
    page.wait_for_load_state()
    assert FundingApplication.objects.get().status == "submitted"

    chair = browser.new_context(locale="fi-FI", viewport={"width": 1280, "height": 900})
    cpage = chair.new_page()
    cpage.set_default_timeout(20_000)
    cpage.goto(base + "/fi/accounts/login/")
    cpage.fill("input[name=login]", "paavo@example.fi")
    cpage.fill("input[name=password]", "salasana-123")
    cpage.locator("form button[type=submit]").last.click()
    cpage.wait_for_load_state()
    cpage.goto(base + "/fi/committees/valkeala/workspace/")
    assert "Utin kyläkoulun välituntivälineet" in cpage.content()
    cpage.locator("a[href$='/meetings/new/']").click()
    cpage.fill("input[name=starts_at]", "2026-03-12T18:00")
    cpage.fill("input[name=place]", "Utin kylätalo")
    cpage.locator("main form button[type=submit]").click()
    cpage.wait_for_url(re.compile(r".*/meetings/\d+/$"))
    cpage.select_option("select[name=funding_request]", index=1)
    cpage.locator("form[action$='/agenda/'] button").first.click()
    cpage.wait_for_load_state()
    cpage.locator("form[action$='/invite/'] button").click()
    cpage.wait_for_load_state()
    for box in cpage.locator("input[name=present]").all()[:8]:
        box.check()
    cpage.locator("form[action$='/attendance/'] button").click()
    cpage.wait_for_load_state()
    cpage.locator("a[href*='/decide/']").click()
    cpage.check("input[name=outcome][value=grant]")
    cpage.fill("input[name=amount]", "900")
    cpage.fill("textarea[name=rationale]", "Lasten liikunta on alueen tärkeä tavoite.")
    cpage.fill("textarea[name=sustainability_ecological]", "Kestävät välineet.")
    cpage.fill("textarea[name=sustainability_social]", "Kaikille lapsille.")
    cpage.fill("textarea[name=sustainability_economic]", "Ei jatkokuluja.")
    cpage.locator("main form button[type=submit]").click()
    cpage.wait_for_url(re.compile(r".*/meetings/\d+/$"))

    decision = Decision.objects.get()
    assert decision.amount == 900
    letter = Notification.objects.get(template="committees_decision_letter")
    assert letter.to_email == "liisa@example.fi"
    page.goto(base + _path(letter.body_text))
    assert page.locator("a[href*='/letters/']").count() == 1
    assert axe_violations(page) == []
    chair.close()
    applicant.close()


def test_the_committee_pages_fit_a_phone_and_work_with_the_keyboard(phone_page, committee):
    for path in ("/fi/committees/", "/fi/committees/valkeala/", "/fi/committees/apply/"):
        phone_page.goto(phone_page.base_url + path)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert axe_violations(phone_page) == [], path
    phone_page.goto(phone_page.base_url + "/fi/committees/")
    for _ in range(30):
        phone_page.keyboard.press("Tab")
        href = phone_page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.endswith("/committees/valkeala/"):
            break
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url("**/committees/valkeala/")
