"""The main forms with the keyboard alone: an idea, and a funding application.

Focus moves only with Tab; text is typed; choices are made with the arrow keys and the
space bar; forms are sent with Enter. (Voting with the keyboard is in test_voting.py.)
"""

from __future__ import annotations

import re

import pytest

from committees.models import FundingApplication
from ideas.models import Idea

from ..factories import AreaFactory, UserFactory, helsinki

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"never reached by Tab: {selector}")


def test_an_idea_submitted_with_the_keyboard_alone(page, cycle, area, time_machine):
    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=True)
    UserFactory(email="aili@example.fi", postal_code="45100")
    page.goto(page.base_url + "/fi/accounts/login/")
    _tab_to(page, "input[name=login]")
    page.keyboard.type("aili@example.fi")
    _tab_to(page, "input[name=password]")
    page.keyboard.type("salasana-123")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/fi/$"))

    _tab_to(page, "a[href='/fi/ideas/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fi/ideas/")
    _tab_to(page, "a[href='/fi/ideas/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fi/ideas/new/")
    _tab_to(page, "input[name=title]")
    page.keyboard.type("Penkkejä Kymijoen rantaan")
    _tab_to(page, "textarea[name=description]")
    page.keyboard.type("Levähdyspaikkoja ikäihmisille rantareitin varteen.")
    _tab_to(page, "select[name=area]")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "input[name=consents_to_codevelopment]")
    page.keyboard.press("Space")
    _tab_to(page, "button[type=submit]:not(.btn-sm):not(.btn-link)")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/fi/ideas/\d+/$"))
    idea = Idea.objects.get()
    assert (idea.title, idea.area.name, idea.consents_to_codevelopment) == (
        "Penkkejä Kymijoen rantaan",
        "Keskusta",
        True,
    )


def test_a_funding_application_with_the_keyboard_alone(page, db):
    from committees.models import Committee

    committee = Committee.objects.create(
        slug="valkeala",
        name="Valkealan aluetoimikunta",
        area=AreaFactory(slug="valkeala", name="Valkeala"),
    )
    page.goto(page.base_url + "/fi/committees/apply/")
    _tab_to(page, "input[name=applicant_kind]")
    page.keyboard.press("Space")  # the first choice: an organisation
    fields = {
        "organisation_name": "Utin Kyläyhdistys ry",
        "business_id": "2345678-0",
        "responsible_person": "Liisa Laine",
        "email": "liisa@example.fi",
        "title": "Kyläkoulun välituntivälineet",
        "description": "Välineet välitunneille talkoilla.",
        "own_funding": "100",
        "volunteer_hours": "20",
        f"request_{committee.pk}": "900",
        "cost_1_description": "Välineet",
        "cost_1_amount": "1000",
        "sustainability_ecological": "Kestävät välineet.",
        "sustainability_social": "Lapset liikkuvat yhdessä.",
        "sustainability_economic": "Koulu huoltaa välineet.",
    }
    for name, value in fields.items():
        _tab_to(page, f"[name={name}]")
        page.keyboard.press("Control+a")
        page.keyboard.type(value)
    _tab_to(page, "form.application-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/apply/link-sent/")
    application = FundingApplication.objects.get()
    assert (application.title, application.business_id) == (
        "Kyläkoulun välituntivälineet",
        "2345678-0",
    )
