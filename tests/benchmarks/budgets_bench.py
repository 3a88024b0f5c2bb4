"""The annual report for a busy year: 1 000 ideas, 50 000 votes, 200 grants, 2 000 expenses.

    DATABASE_URL=postgres://… .venv/bin/python -m tests.benchmarks.budgets_bench

Builds a throw-away test database (test_<name>), fills one budget year with bulk_create,
then builds the annual report exactly as the Celery task does (figures, HTML, PDF,
stored under its final name) and prints the wall time, the query count and the peak
memory (Python allocations by tracemalloc, and the process's peak resident size).
Goal: under 15 s and 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import tempfile
import time
import tracemalloc
from decimal import Decimal

YEAR = 2025


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=1000)
    parser.add_argument("--votes", type=int, default=50_000)
    parser.add_argument("--grants", type=int, default=200)
    parser.add_argument("--expenses", type=int, default=2000)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omakouvola.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
        teardown_test_environment,
    )

    setup_test_environment()
    settings.PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="budgets-bench-")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        start = time.perf_counter()
        report_id = _fill(args)
        print(f"fixture data: {time.perf_counter() - start:.1f} s")

        from budgets import reporting, services
        from budgets.models import Report

        # Phases timed on their own first (tracemalloc slows Python down, so it is off).
        report = Report.objects.get(pk=report_id)
        phases = {}
        start = time.perf_counter()
        context = reporting.build_report_context(report)
        phases["figures"] = time.perf_counter() - start
        start = time.perf_counter()
        reporting.render_report_html(context, language=report.language)
        phases["HTML"] = time.perf_counter() - start
        start = time.perf_counter()
        reporting.render_report_pdf(context, language=report.language)
        phases["PDF"] = time.perf_counter() - start
        del context

        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            report = services.report_build(report_id=report_id)
            elapsed = time.perf_counter() - start
        Report.objects.filter(pk=report_id).update(status="queued")
        tracemalloc.start()
        services.report_build(report_id=report_id)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        report.refresh_from_db()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size = os.path.getsize(report.pdf.path)
        print(
            f"\nannual report {YEAR}: {args.ideas} ideas, {args.votes} votes, {args.grants} grants,"
            f" {args.expenses} expenses; database: {connection.vendor}"
        )
        print(f"  status        {report.status} ({report.pdf_variant})")
        print(f"  build time    {elapsed:.2f} s (goal < 15 s), the whole task's service")
        for phase, seconds in phases.items():
            print(f"    {phase:<11} {seconds:.2f} s")
        print(f"  queries       {len(queries)}")
        print(f"  peak Python   {peak / 1024 / 1024:.0f} MB (tracemalloc)")
        print(f"  peak process  {rss_mb:.0f} MB resident, whole run incl. fixtures (goal < 500 MB)")
        print(f"  PDF           {size / 1024:.0f} kB, HTML {len(report.html) / 1024:.0f} kB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def _fill(args) -> int:
    from nacl.public import PrivateKey

    from budgets.models import (
        Appropriation,
        AppropriationShare,
        Commitment,
        Expense,
        FundingSource,
        Implementation,
        Report,
        VolunteerWork,
    )
    from committees.models import (
        Allocation,
        Committee,
        Decision,
        FundingApplication,
        FundingRequest,
        Grant,
        Payment,
    )
    from demo.core import seed_core
    from demo.ideas import IDEA_TEMPLATES, _theme_map
    from ideas.models import Idea, IdeaStatus, Proposal, SustainabilityAssessment
    from omakouvola.models import Cycle
    from voting import secrecy
    from voting.models import Ballot, BallotResult, Vote, VoterRoll, WinnerDecision
    from voting.selectors import ballot_turnout

    rng = random.Random(2025)
    core = seed_core(today=dt.date(2026, 3, 1))
    areas = list(core["areas"].values())
    themes = list(_theme_map().values())
    from demo.core import cycle_dates

    cycle = Cycle.objects.create(name=f"Budjettivuosi {YEAR}", year=YEAR, **cycle_dates(YEAR - 1))

    statuses = [IdeaStatus.FORWARDED] * 3 + [IdeaStatus.REJECTED, IdeaStatus.TRANSFERRED]
    ideas = []
    for n in range(args.ideas):
        status = rng.choice(statuses)
        _theme, title, description, cost = rng.choice(IDEA_TEMPLATES)
        ideas.append(
            Idea(
                cycle=cycle,
                title=f"{title} {n}",
                description=description,
                area=rng.choice(areas),
                theme=rng.choice(themes),
                rough_cost=cost,
                status=status,
                reject_reason="other" if status == IdeaStatus.REJECTED else "",
                transferred_to="ELY-keskus" if status == IdeaStatus.TRANSFERRED else "",
                submitter_birth_year=rng.randint(1940, 2015),
            )
        )
    Idea.objects.bulk_create(ideas, batch_size=1000)

    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                cycle=cycle,
                title=f"Ehdotus {n}",
                description="Kustannusarvioitu suunnitelma.",
                area=areas[n % len(areas)],
                cost=Decimal(rng.randint(20, 200) * 100),
                status="selected" if n < 20 else "not_selected",
            )
            for n in range(40)
        ]
    )
    forwarded = list(Idea.objects.filter(cycle=cycle, status=IdeaStatus.FORWARDED)[:120])
    for n, idea in enumerate(forwarded):
        idea.status, idea.proposal = IdeaStatus.MERGED, proposals[n % 20]
    Idea.objects.bulk_update(forwarded, ["status", "proposal"])
    SustainabilityAssessment.objects.bulk_create(
        [
            SustainabilityAssessment(
                idea=i,
                ecological="positive",
                social="positive",
                economic=rng.choice(["positive", "neutral"]),
            )
            for i in forwarded
        ]
    )
    money = sum((p.cost for p in proposals[:20]), Decimal(0))
    ballot = Ballot.objects.create(
        cycle=cycle,
        name=f"Koko kaupunki {YEAR}",
        money=money,
        opens_at=dt.datetime(YEAR, 1, 20, 9, tzinfo=dt.UTC),
        closes_at=dt.datetime(YEAR, 2, 5, 18, tzinfo=dt.UTC),
        public_key=secrecy.public_key_text(PrivateKey.generate()),
    )
    ballot.proposals.set(proposals)
    votes, ballots, roll = [], [], []
    for n in range(args.votes):
        identity = f"bench-{n}"
        chosen = [p.pk for p in rng.sample(proposals, 3)]
        ballots.append(chosen)
        vote = Vote(
            ballot=ballot,
            sealed=secrecy.seal_choices(
                ballot.public_key, chosen, proposals_on_ballot=len(proposals)
            ),
            receipt_code=f"R{n:011d}",
            final=True,
            mixed=True,
        )
        votes.append(vote)
        roll.append(
            VoterRoll(
                ballot=ballot,
                identity_hash=identity,
                channel="web" if n % 7 else "paper",
                age_band=rng.choice(["13-17", "18-29", "30-49", "50-64", "65+"]),
                area=rng.choice(areas),
                voted_on=dt.date(YEAR, 1, 20 + n % 10),
            )
        )
    Vote.objects.bulk_create(votes, batch_size=5000)
    VoterRoll.objects.bulk_create(roll, batch_size=5000)
    tally = {p.pk: sum(p.pk in b for b in ballots) for p in proposals}
    BallotResult.objects.create(
        ballot=ballot,
        rule="greedy",
        data={
            "proposals": [
                {"project_id": str(p.pk), "cost": str(p.cost), "votes": tally[p.pk]}
                for p in proposals
            ]
        },
        turnout=ballot_turnout(ballot),
        votes_counted=args.votes,
        ballots=ballots,
    )
    decision = WinnerDecision.objects.create(
        ballot=ballot,
        decided_on=dt.date(YEAR, 2, 20),
        decision_number="B/1",
        rule_used="greedy",
        rationale=".",
    )
    decision.confirmed.set(proposals[:20])

    city = FundingSource.objects.create(name="Kaupungin talousarvio", kind="city_budget")
    pb = Appropriation.objects.create(
        year=YEAR, purpose="pb", name="Osallistuva budjetointi", amount=money
    )
    AppropriationShare.objects.create(appropriation=pb, source=city, amount=money)
    Commitment.objects.create(
        appropriation=pb, ballot=ballot, amount=money, committed_on=dt.date(YEAR, 1, 2)
    )
    projects = Implementation.objects.bulk_create(
        [
            Implementation(
                proposal=p,
                ballot=ballot,
                title=p.title,
                year=YEAR,
                area=p.area,
                planned_cost=p.cost,
                status="in_progress",
                progress=50,
            )
            for p in proposals[:20]
        ]
    )
    per_project = args.expenses // len(projects)
    Expense.objects.bulk_create(
        [
            Expense(
                implementation=project,
                paid_on=dt.date(YEAR, 3, 1) + dt.timedelta(days=(n * 7) % 280),
                amount=(project.planned_cost / (per_project * 2)).quantize(Decimal("0.01")),
                supplier="Toimittaja Oy",
                invoice_reference=f"L-{project.pk}-{n}",
            )
            for project in projects
            for n in range(per_project)
        ]
    )
    VolunteerWork.objects.bulk_create(
        [
            VolunteerWork(implementation=p, done_on=dt.date(YEAR, 6, 1), hours=Decimal(12))
            for p in projects
        ]
    )

    committees = [
        Committee.objects.create(area=a, name=f"{a.name} aluetoimikunta", slug=a.slug)
        for a in areas
    ]
    committee_money = Appropriation.objects.create(
        year=YEAR, purpose="committees", name="Aluetoimikuntien hankeraha", amount=Decimal(500_000)
    )
    AppropriationShare.objects.create(
        appropriation=committee_money, source=city, amount=Decimal(500_000)
    )
    for c in committees:
        allocation = Allocation.objects.create(committee=c, year=YEAR, amount=Decimal(100_000))
        Commitment.objects.create(
            appropriation=committee_money,
            allocation=allocation,
            amount=allocation.amount,
            committed_on=dt.date(YEAR, 1, 2),
        )
    applications = FundingApplication.objects.bulk_create(
        [
            FundingApplication(
                applicant_kind="organisation",
                organisation_name=f"Yhdistys {n} ry",
                responsible_person="Liisa Laine",
                email=f"h{n}@example.fi",
                title=f"Hanke {n}",
                description="Kuvaus",
                status="decided",
                submitted_at=dt.datetime(YEAR, 2, 1, tzinfo=dt.UTC),
            )
            for n in range(args.grants)
        ]
    )
    requests = FundingRequest.objects.bulk_create(
        [
            FundingRequest(
                application=a, committee=committees[n % 5], amount=Decimal(1500), status="granted"
            )
            for n, a in enumerate(applications)
        ]
    )
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                funding_request=r,
                outcome="grant",
                amount=Decimal(1500),
                rationale=".",
                fast_track=True,
                decided_on=dt.date(YEAR, 3, 1) + dt.timedelta(days=n % 200),
            )
            for n, r in enumerate(requests)
        ]
    )
    grants = Grant.objects.bulk_create(
        [
            Grant(
                decision=d,
                committee=d.funding_request.committee,
                year=YEAR,
                amount=Decimal(1500),
                report_due=dt.date(YEAR + 1, 3, 1),
            )
            for d in decisions
        ]
    )
    Payment.objects.bulk_create(
        [
            Payment(
                grant=g,
                paid_on=dt.date(YEAR, 4, 1) + dt.timedelta(days=n % 240),
                amount=Decimal(1000),
                reference=f"M{n}",
            )
            for n, g in enumerate(grants)
        ]
    )
    Implementation.objects.bulk_create(
        [
            Implementation(
                grant=g,
                title=f"Hanke {n}",
                year=YEAR,
                area=g.committee.area,
                planned_cost=g.amount,
                status="in_progress",
                progress=60,
            )
            for n, g in enumerate(grants)
        ]
    )
    report = Report.objects.create(
        kind="annual", period_start=dt.date(YEAR, 1, 1), period_end=dt.date(YEAR, 12, 31)
    )
    return report.pk


if __name__ == "__main__":
    main()
