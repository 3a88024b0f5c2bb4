"""Every person's main task, on the seeded demo as `make run` serves it, in Chromium at
phone and desktop width, with axe-core (WCAG 2.1 AA) on every page visited.

The demo is a living cycle on the day the test runs: nothing here moves the clock or
creates a ballot; the journeys use what `seed_demo` left (the `world` fixture).
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from .conftest import axe_violations
from .test_accessibility import _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": 390, "desktop": 1280}


class Journey:
    """One person's browser: each page is checked by axe and for sideways scrolling."""

    def __init__(self, browser, live_server, user, width):
        self.context = _login(browser, live_server, user)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.set_viewport_size({"width": width, "height": 900})
        self.base = live_server.url
        self.width = width
        self.problems: list[str] = []

    def goto(self, path: str):
        response = self.page.goto(self.base + path)
        assert response.status == 200, path
        self.check()
        return response

    def check(self) -> None:
        url = self.page.url.replace(self.base, "")
        violations = axe_violations(self.page)
        if violations:
            self.problems.append(f"{url} @{self.width}px: axe {violations}")
        scroll = self.page.evaluate("document.documentElement.scrollWidth")
        # The Django admin's change lists are wide tables that scroll on a phone by design.
        if self.width < 500 and scroll > self.width and not url.startswith("/admin/"):
            self.problems.append(f"{url} @{self.width}px: scrolls sideways ({scroll}px)")

    def close(self) -> list[str]:
        self.context.close()
        return self.problems


def _ballot(name_start: str):
    from omakouvola.selectors import cycle_current
    from voting.models import Ballot

    return Ballot.objects.get(cycle=cycle_current(), name__startswith=name_start)


def _resident_proposes_and_votes(browser, live_server, world, width) -> list[str]:
    from ideas.models import Idea

    me = Journey(browser, live_server, world["resident"], width)
    page = me.page
    me.goto("/fi/")
    me.goto("/fi/ideas/new/")
    page.get_by_label("Idean nimi").fill("Uimarannan pukukoppi Käyrälammelle")
    page.get_by_label("Kuvaile ideaa").fill("Pukukoppi ja penkki uimarannalle.")
    page.get_by_label("Alue").select_option(label="Kuusankoski-Jaala")
    page.get_by_role("button", name="Lähetä idea").click()
    page.wait_for_url(re.compile(r".*/fi/ideas/\d+/$"))
    me.check()
    assert Idea.objects.filter(title="Uimarannan pukukoppi Käyrälammelle").exists()

    ballot = _ballot("Kuusankoski-Jaala")
    me.goto("/fi/voting/")
    me.goto(f"/fi/voting/{ballot.pk}/")
    left = ballot.money
    for proposal in sorted(ballot.proposals.all(), key=lambda p: p.cost):
        if proposal.cost <= left:
            page.locator(f"#proposal-{proposal.pk}").check()
            left -= proposal.cost
    page.locator("button.btn-lg[type=submit]").click()
    page.wait_for_url(f"**/fi/voting/{ballot.pk}/receipt/")
    me.check()
    assert page.locator(".receipt-code").inner_text().strip()
    return me.close()


def _youth_votes(browser, live_server, world, width) -> list[str]:
    from omakouvola.models import User

    me = Journey(browser, live_server, User.objects.get(email="nuori@omakouvola.test"), width)
    page = me.page
    ballot = _ballot("Nuoret")
    me.goto("/fi/voting/")
    me.goto(f"/fi/voting/{ballot.pk}/")
    for proposal in list(ballot.proposals.order_by("pk"))[:2]:
        page.locator(f"#proposal-{proposal.pk}").check()
    page.locator("button.btn-lg[type=submit]").click()
    page.wait_for_url(f"**/fi/voting/{ballot.pk}/receipt/")
    me.check()
    return me.close()


def _clerk_enters_a_paper_vote(browser, live_server, world, width) -> list[str]:
    from voting.models import VoterRoll

    me = Journey(browser, live_server, world["clerk"], width)
    page = me.page
    ballot = _ballot("Keskusta")
    me.goto(f"/fi/voting/paper/?ballot={ballot.pk}")
    page.locator("input[name=identifier]").fill("010190-123M")
    if page.locator("input[name=birth_year]").count():
        page.locator("input[name=birth_year]").fill("1990")
    page.locator("input[name=postal_code]").fill("45100")
    page.locator(
        f"input[name=proposals][value='{ballot.proposals.order_by('cost')[0].pk}']"
    ).check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    me.check()
    assert VoterRoll.objects.filter(ballot=ballot, channel="paper").count() == 1
    return me.close()


def _coordinator_screens_an_idea(browser, live_server, world, width) -> list[str]:
    from ideas.models import Idea, IdeaStatus

    me = Journey(browser, live_server, world["coordinator"], width)
    page = me.page
    idea = Idea.objects.filter(status=IdeaStatus.SUBMITTED, cycle__is_youth=True).first()
    me.goto(f"/admin/ideas/idea/?q={idea.title.split(' – ')[0]}")
    page.locator("tr", has_text=idea.title).locator("input[type=checkbox]").first.check()
    page.select_option("select[name=action]", "reject")
    page.click("button[name=index]")
    me.check()
    page.select_option("#id_reason", "already_planned")
    page.fill("#id_public_reasoning", "Asia on jo kaupungin investointisuunnitelmassa.")
    page.click("input[name=apply]")
    page.wait_for_url("**/admin/ideas/idea/**")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REJECTED
    return me.close()


def _coordinator_enters_a_paper_idea_with_its_scan(browser, live_server, world, width):
    """A card came by post: typed in with the day it arrived and its scan, which the
    coordinator then opens from the idea's page (issue #13)."""
    import datetime as dt

    from demo.ideas import demo_paper_form
    from ideas.models import Idea
    from omakouvola.dates import local_today
    from omakouvola.selectors import cycle_open_for_ideas

    me = Journey(browser, live_server, world["coordinator"], width)
    page = me.page
    cycle = cycle_open_for_ideas()
    title = f"Kuntoportaat Myllykoskelle {width}"
    arrived = local_today() - dt.timedelta(days=2)
    scan = demo_paper_form(title=title, description="Portaat.", name="Irma V.", day=arrived)
    me.goto("/admin/ideas/idea/add/")
    page.select_option("#id_cycle", str(cycle.pk))
    page.fill("#id_title", title)
    page.fill("#id_description", "Portaat rinteeseen kuntoilijoille.")
    page.select_option("#id_channel", "paper")
    page.fill("#id_submitter_name", "Irma V.")
    page.fill("#id_created_at_0", arrived.isoformat())
    page.set_input_files(
        "#id_scan_upload",
        files=[{"name": "kortti.png", "mimeType": "image/png", "buffer": scan.read()}],
    )
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r".*/admin/ideas/idea/\d+/change/.*"))
    me.check()
    idea = Idea.objects.get(title=title)
    assert idea.paper_scan and idea.created_at.date() == arrived
    link = page.locator(f"a[href$='/ideas/{idea.pk}/scan/']")
    assert link.count() == 1
    opened = page.request.get(me.base + link.get_attribute("href"))
    assert opened.status == 200 and opened.headers["content-type"] == "image/png"
    return me.close()


def _chair_handles_an_application(browser, live_server, world, width) -> list[str]:
    from django.utils import timezone

    from committees.models import AgendaItem, FundingRequest, Meeting

    me = Journey(browser, live_server, world["chair"], width)
    page = me.page
    me.goto("/fi/committees/valkeala/workspace/")
    assert "Valkealan ulkoportaiden valaistus" in page.content()
    meeting = Meeting.objects.filter(
        committee__slug="valkeala", status="planned", starts_at__gt=timezone.now()
    ).first()
    page.locator(f"a[href$='/meetings/{meeting.pk}/']").first.click()
    page.wait_for_url(re.compile(r".*/meetings/\d+/$"))
    me.check()
    waiting = FundingRequest.objects.get(
        application__title="Valkealan ulkoportaiden valaistus", committee__slug="valkeala"
    )
    page.select_option("select[name=funding_request]", str(waiting.pk))
    page.locator("form[action$='/agenda/'] button").first.click()
    page.wait_for_load_state()
    me.check()
    assert AgendaItem.objects.filter(
        funding_request__application__title="Valkealan ulkoportaiden valaistus"
    ).exists()
    return me.close()


def _council_reads_the_dashboard_and_the_report(browser, live_server, world, width) -> list[str]:
    from budgets.models import Report, ReportStatus
    from budgets.selectors import dashboard_default_year

    me = Journey(browser, live_server, world["council"], width)
    page = me.page
    me.goto("/fi/budgets/dashboard/")
    year = dashboard_default_year()
    assert page.locator("select[name=year]").first.input_value() == str(year)
    assert "€" in page.inner_text("main")
    form = page.locator("form.report-request")
    form.locator("select[name=kind]").select_option("annual")
    if form.locator("select[name=year]").count():
        form.locator("select[name=year]").select_option(str(year))
    form.locator("select[name=language]").select_option("fi")
    # The PDF is built in-process here (eager tasks), which takes a while on a busy machine.
    form.locator("button[type=submit]").click(timeout=90_000)
    page.wait_for_url("**/budgets/reports/", timeout=90_000)
    me.check()
    report = Report.objects.filter(requested_by=world["council"]).latest("pk")
    assert report.status == ReportStatus.READY
    with page.expect_download() as download:
        page.evaluate(
            "url => { window.location.href = url }",
            f"{me.base}/fi/budgets/reports/{report.pk}/pdf/",
        )
    with open(download.value.path(), "rb") as handle:
        pdf = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert str(year) in pdf
    return me.close()


def _city_team_screens_ideas_in_bulk(browser, live_server, world, width) -> list[str]:
    from ideas.models import Idea, IdeaStatus

    me = Journey(browser, live_server, world["city_team"], width)
    page = me.page
    waiting = list(
        Idea.objects.filter(status=IdeaStatus.SUBMITTED, cycle__is_youth=True).order_by("pk")[:3]
    )
    assert len(waiting) == 3
    me.goto(f"/admin/ideas/idea/?status__exact=submitted&cycle__id__exact={waiting[0].cycle_id}")
    for idea in waiting:
        page.locator(f"input[name=_selected_action][value='{idea.pk}']").check()
    page.select_option("select[name=action]", "record_screening")
    page.click("button[name=index]")
    me.check()
    ratings = {"ecological": "positive", "social": "positive", "economic": "neutral"}
    for field, rating in ratings.items():
        page.select_option(f"select[name={field}]", rating)
    page.locator("input[name=no_later_costs]").check()
    page.locator("input[name=forward]").check()
    page.fill("textarea[name=public_reasoning], input[name=public_reasoning]", "Toteutettavissa.")
    page.click("input[name=apply]")
    page.wait_for_url("**/admin/ideas/idea/**")
    me.check()
    assert {i.status for i in Idea.objects.filter(pk__in=[i.pk for i in waiting])} == {
        IdeaStatus.FORWARDED
    }
    return me.close()


def _expert_writes_an_assessment(browser, live_server, world, width) -> list[str]:
    from ideas.models import Idea

    me = Journey(browser, live_server, world["expert"], width)
    page = me.page
    idea = Idea.objects.filter(assigned_expert=world["expert"], assessment__isnull=True).first()
    assert idea is not None
    me.goto(f"/admin/ideas/idea/{idea.pk}/change/")
    page.locator("#assessment-group .add-row a").click()  # the inline starts empty
    page.select_option("#id_assessment-0-feasibility", "feasible")
    page.fill("#id_assessment-0-cost_min", "4000")
    page.fill("#id_assessment-0-cost_max", "6000")
    page.fill("#id_assessment-0-maintenance_cost_per_year", "150")
    page.fill("#id_assessment-0-maintenance_justification", "Vuosittainen huolto ja tarkastus.")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r".*/admin/ideas/idea/(\?.*)?$"))
    me.check()
    idea.refresh_from_db()
    assert idea.assessment.cost_max == 6000
    assert idea.assessment.maintenance_cost_per_year == 150
    return me.close()


def _decision_maker_confirms_the_winners(browser, live_server, world, width) -> list[str]:
    from django.utils import timezone

    from voting.models import Ballot, WinnerDecision

    me = Journey(browser, live_server, world["decision_maker"], width)
    page = me.page
    me.goto("/fi/staff/")
    ballot = Ballot.objects.get(name=f"Nuoret {timezone.localdate().year - 1}")
    heading = page.get_by_role("heading", name="Vahvistettavat voittajat")
    card = page.locator(".work-queue", has=heading)
    card.locator(f"a[href$='/voting/{ballot.pk}/decide/']").click()
    page.wait_for_url(f"**/fi/voting/{ballot.pk}/decide/")
    me.check()
    page.fill("input[name=decided_on]", timezone.localdate().isoformat())
    page.fill("input[name=decision_number]", f"KVL/77/02.07.01/{ballot.cycle.year}")
    page.fill("textarea[name=rationale]", "Vahvistetaan nuorten äänestyksen tulos.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/fi/voting/{ballot.pk}/results/")
    me.check()
    decision = WinnerDecision.objects.get(ballot=ballot)
    assert decision.confirmed.count() == 2 and decision.departures == []
    return me.close()


JOURNEYS = [
    _resident_proposes_and_votes,
    _youth_votes,
    _clerk_enters_a_paper_vote,
    _coordinator_screens_an_idea,
    _coordinator_enters_a_paper_idea_with_its_scan,
    _city_team_screens_ideas_in_bulk,
    _expert_writes_an_assessment,
    _decision_maker_confirms_the_winners,
    _chair_handles_an_application,
    _council_reads_the_dashboard_and_the_report,
]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_every_persons_main_task_on_the_demo(browser, live_server, world, width):
    problems: list[str] = []
    for journey in JOURNEYS:
        problems += journey(browser, live_server, world, width)
    assert problems == [], "\n".join(problems)
