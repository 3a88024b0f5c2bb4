"""`seed_demo` gives a living cycle on whatever day it runs, quietly, and only once.

Each date below seeds a fresh database under `time_machine`, so the demo is checked in
winter, summer and autumn; a second run on a later day must keep the cycle alive.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from omakouvola.models import HELSINKI

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    from budgets.models import Expense, Implementation
    from committees.models import FundingApplication, Grant, Meeting, Payment
    from ideas.models import Idea, Proposal, Workshop, WorkshopRegistration
    from omakouvola.models import AuditEntry, Cycle, User
    from voting.models import Ballot, Vote

    models = [
        Cycle,
        User,
        Idea,
        Proposal,
        Workshop,
        WorkshopRegistration,
        Ballot,
        Vote,
        FundingApplication,
        Meeting,
        Grant,
        Payment,
        Implementation,
        Expense,
        AuditEntry,
    ]
    return {m.__name__: m.objects.count() for m in models}


def assert_living(today: dt.date, *, fresh: bool = True) -> None:
    """Everything a person trying OmaKouvola needs is there on `today`; the committees'
    stages are dated from the first seeding, so they are checked on a fresh demo."""
    from budgets.models import ImplementationStatus
    from budgets.selectors import dashboard_default_year, implementations_with_money, overspent_by
    from committees.models import Allocation, FundingApplication, Grant, Meeting, RequestStatus
    from ideas.models import ProposalStatus, Workshop
    from omakouvola.models import Phase
    from omakouvola.selectors import cycle_current, cycle_open_for_ideas
    from voting.models import Ballot

    now = timezone.now()
    cycle = cycle_current()
    assert cycle.current_phase() == Phase.VOTING, (today, cycle, cycle.current_phase())
    open_ballots = [b for b in Ballot.objects.filter(cycle=cycle) if b.is_open(now)]
    area_ballots = [b for b in open_ballots if b.area_id is not None]
    assert len(area_ballots) == 5
    for ballot in area_ballots:
        proposals = list(ballot.proposals.all())
        assert len(proposals) >= 8, ballot
        assert all(p.status == ProposalStatus.APPROVED for p in proposals)
        assert all(Decimal(0) < p.cost <= ballot.money for p in proposals), ballot
        assert all(p.image and p.image_alt_text for p in proposals), ballot
        assert sum(p.cost for p in proposals) > ballot.money  # a real choice to make
    # Every area ballot's proposals stand on its map (issue #17), as do the youth ones.
    from budgets.selectors import implementation_map_features
    from voting.selectors import ballot_map_features

    for ballot in area_ballots:
        assert len(ballot_map_features(ballot)["features"]) == ballot.proposals.count(), ballot
    youth = [b for b in open_ballots if b.min_age]
    assert youth and youth[0].proposals.count() >= 3
    assert len(ballot_map_features(youth[0])["features"]) == youth[0].proposals.count()
    # The youth round takes ideas now, and its workshops have free seats.
    ideas_cycle = cycle_open_for_ideas()
    assert ideas_cycle is not None and ideas_cycle.is_youth
    coming = Workshop.objects.filter(starts_at__gt=now).annotate(
        taken=Count("registrations", filter=Q(registrations__status="registered"))
    )
    assert any(w.taken < w.capacity for w in coming)
    # The pilot: closed, counted, published and decided.
    pilot = Ballot.objects.get(name="Kohenna Kouvolaa 2022")
    assert not pilot.is_open(now) and pilot.results_published_at is not None
    assert pilot.decision.confirmed.count() == 6
    # The pilot's winners were built where their ideas were, and show on the built map.
    assert len(implementation_map_features()["features"]) >= 5
    assert dashboard_default_year(today) >= today.year - 1
    # Last year's round: decided, its winners built with expenses, one over its budget.
    last = Ballot.objects.get(
        cycle__name=f"OmaKouvola {today.year - 1} (päättynyt)", min_age__isnull=True
    )
    assert not last.is_open(now) and last.decision.confirmed.count() == 4
    built = list(implementations_with_money().filter(ballot=last))
    assert len(built) == 4 and all(i.year == today.year - 1 for i in built)
    assert all(i.expenses.exists() for i in built)
    assert any(i.status == ImplementationStatus.IN_PROGRESS for i in built)
    assert [i.title for i in built if overspent_by(i) > 0] == ["Leikkipuiston varjokatos Korialle"]
    assert all(e.paid_on < today for i in built for e in i.expenses.all())
    # Its ideas are history too: each proposal grew from ideas merged into it, so the
    # dashboard's funnel for that year does not read "0 ideas, 10 proposals".
    from ideas.models import IdeaStatus

    past_ideas = last.cycle.ideas
    assert past_ideas.count() > last.proposals.count()
    for proposal in last.proposals.all():
        assert proposal.source_ideas.filter(status=IdeaStatus.MERGED).exists(), proposal
    assert not past_ideas.filter(status=IdeaStatus.SUBMITTED).exists()
    assert all(i.created_at.date() <= last.cycle.ideation_ends_on for i in past_ideas.all())
    # Its youth vote is counted and published: the decision maker has winners to confirm.
    young = Ballot.objects.get(cycle=last.cycle, name=f"Nuoret {today.year - 1}")
    assert young.results_published_at is not None and not hasattr(young, "decision")
    # Paper cards that came in have their scans, kept privately (issue #13).
    from ideas.models import Channel, Idea

    scanned = Idea.objects.exclude(paper_scan="")
    assert scanned.count() >= 2
    assert all(
        i.channel != Channel.WEB and i.paper_scan.storage.exists(i.paper_scan.name) for i in scanned
    )
    if not fresh:
        return
    assert_resident_page_full(now)
    # This year's committee money, and applications waiting at each stage.
    allocations = Allocation.objects.filter(year=today.year)
    assert sum(a.amount for a in allocations) == Decimal(50_000)
    assert allocations.count() == 5
    applications = FundingApplication.objects.all()
    assert applications.filter(status="draft").exists()
    pending = applications.filter(status="submitted", requests__status=RequestStatus.PENDING)
    assert pending.filter(requests__agenda_items__isnull=True).exists()  # to be put on agenda
    assert pending.filter(
        requests__agenda_items__meeting__starts_at__gt=now
    ).exists()  # on the next meeting's agenda
    decided = Grant.objects.filter(decision__decided_on__gt=today - dt.timedelta(days=120))
    assert decided.filter(payments__isnull=True).exists()  # waiting for payment
    assert decided.filter(implementation__status=ImplementationStatus.IN_PROGRESS).exists()
    # The committees' history is held: no meeting before today is still "planned".
    assert not Meeting.objects.filter(status="planned", starts_at__lt=now).exists()
    # No open grant has its report deadline behind it.
    overdue = Grant.objects.filter(
        closed_on__isnull=True, final_report__isnull=True, report_due__lt=today
    )
    assert not overdue.exists(), list(overdue)


def assert_resident_page_full(now: dt.datetime) -> None:
    """The demo resident has something in every section of her own page (/me/)."""
    from discussion.models import Comment
    from following.selectors import follows_of
    from ideas import selectors
    from omakouvola.models import User
    from voting.selectors import ballots_voted_by

    aili = User.objects.get(email="asukas@omakouvola.test")
    upcoming, past = selectors.split_registrations(selectors.registrations_of_user(aili), now)
    pledges = list(selectors.pledges_of_user(aili))
    sections = {
        "ideas": selectors.ideas_of_user(aili).exists(),
        "supports": selectors.supports_of_user(aili).exists(),
        "pledges": bool(pledges),
        "pledge on a merged idea": any(p.idea and p.idea.proposal for p in pledges),
        "workshops coming up": bool(upcoming),
        "past workshops": bool(past),
        "follows": {row.kind for row in follows_of(aili)}
        >= {"idea", "proposal", "ballot", "implementation"},
        "ballots voted in": ballots_voted_by(aili).exists(),
        "comments": Comment.objects.filter(author=aili).exists(),
    }
    assert all(sections.values()), sections


@pytest.mark.parametrize(
    "day", [dt.date(2027, 1, 20), dt.date(2027, 6, 30), dt.date(2027, 11, 15)], ids=str
)
def test_a_fresh_demo_is_a_living_cycle_on_any_day(time_machine, day):
    time_machine.move_to(dt.datetime.combine(day, dt.time(10), tzinfo=HELSINKI), tick=False)
    _seed()
    assert_living(day)


def test_seeding_again_changes_nothing_and_a_later_day_keeps_the_cycle_alive(time_machine):
    first = dt.date(2027, 3, 10)
    time_machine.move_to(dt.datetime.combine(first, dt.time(10), tzinfo=HELSINKI), tick=False)
    _seed()
    counts = _counts()
    _seed()
    again = _counts()
    assert {k: v for k, v in again.items() if k != "AuditEntry"} == {
        k: v for k, v in counts.items() if k != "AuditEntry"
    }
    assert again["AuditEntry"] == counts["AuditEntry"]  # no service was called again

    later = dt.date(2027, 8, 20)
    time_machine.move_to(dt.datetime.combine(later, dt.time(10), tzinfo=HELSINKI), tick=False)
    _seed()
    from omakouvola.models import Cycle

    assert Cycle.objects.filter(name="OmaKouvola 2027").count() == 1
    assert_living(later, fresh=False)


def test_seed_demo_prints_a_short_summary_and_every_login_and_sends_nothing(settings):
    from demo.core import DEMO_USERS

    settings.OMAKOUVOLA_SITE_URL = "http://127.0.0.1:8123"
    mail.outbox = []
    output = _seed()
    lines = output.strip().splitlines()
    assert len(lines) <= 20, output
    for noise in ("Content-Type", "MIME-Version", "Subject:", "kombu", "hostname"):
        assert noise not in output
    for email, *_ in DEMO_USERS:
        assert email in output
    assert "Kouvola-demo-2026" in output
    assert "http://127.0.0.1:8123/fi/" in output
    assert "e-mails held back" in output
    assert mail.outbox == []


def test_the_dashboard_opens_on_the_latest_year_with_spending(client):
    from budgets.selectors import dashboard_default_year
    from omakouvola.models import Role
    from tests.factories import UserFactory

    _seed()
    year = dashboard_default_year()
    assert year in (timezone.localdate().year, timezone.localdate().year - 1)
    client.force_login(UserFactory(email="veera@kouvola.fi", roles=[Role.COUNCIL]))
    page = client.get("/fi/budgets/dashboard/").content.decode()
    assert f'<option value="{year}" selected>' in page
