"""Committee page and members' application list under realistic volumes.

    DATABASE_URL=postgres://… .venv/bin/python -m tests.benchmarks.committees_bench

Builds a throw-away test database (test_<name>), fills five committees with several
years of applications, meetings, grants and payments, then times the pages with Django's
test client and prints median / p95 wall time and the query count of each.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omakouvola.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = 30
APPLICATIONS_PER_COMMITTEE = 120
GRANTED_SHARE = 3  # every third application is granted


def populate() -> tuple[object, object]:
    from committees import services
    from committees.models import FundingApplication, Membership, MembershipRole
    from demo import committees as demo
    from demo.core import seed_core

    core = seed_core(today=dt.date(2026, 3, 1))
    result = demo.seed_committees(areas=core["areas"], users=core["users"])
    coordinator = core["users"]["koordinaattori@omakouvola.test"]
    for committee in result["committees"].values():
        services.allocation_set(
            actor=coordinator, committee=committee, year=2026, amount=Decimal("1000000")
        )
        meeting = services.meeting_create(
            actor=coordinator,
            committee=committee,
            starts_at=dt.datetime(2026, 2, 10, 18, tzinfo=dt.UTC),
            place="Kirjasto",
        )
        for n in range(APPLICATIONS_PER_COMMITTEE):
            application = FundingApplication.objects.create(
                applicant_kind="organisation",
                organisation_name=f"Yhdistys {n} ry",
                responsible_person="Liisa Laine",
                email=f"h{n}@example.fi",
                title=f"{committee.slug} hanke {n}",
                description="Kuvaus " * 40,
                own_funding=Decimal("100"),
                status="submitted",
                submitted_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
                email_verified_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
                sustainability_ecological="e",
                sustainability_social="s",
                sustainability_economic="t",
            )
            for k in range(4):
                application.cost_items.create(
                    position=k + 1, description=f"Kulu {k}", amount=Decimal("275")
                )
            request = application.requests.create(committee=committee, amount=Decimal("1000"))
            if n % GRANTED_SHARE == 0:
                services.agenda_add_request(
                    actor=coordinator, meeting=meeting, funding_request=request
                )
        services.meeting_record_attendance(
            actor=coordinator,
            meeting=meeting,
            present=Membership.objects.filter(committee=committee).exclude(
                role=MembershipRole.DEPUTY
            ),
        )
        for item in meeting.agenda_items.filter(kind="application"):
            decision = services.decision_record(
                actor=coordinator,
                agenda_item=item,
                data=services.DecisionInput(
                    outcome="grant",
                    amount=Decimal("800"),
                    rationale="Hyvä.",
                    sustainability_ecological="e",
                    sustainability_social="s",
                    sustainability_economic="t",
                ),
            )
            for k in range(3):
                services.payment_record(
                    actor=coordinator,
                    grant=decision.grant,
                    paid_on=dt.date(2026, 3, 1 + k),
                    amount=Decimal("200"),
                    reference=f"L{k}",
                )
    chair = core["users"]["puheenjohtaja@omakouvola.test"]
    return result["committees"]["valkeala"], chair


def measure(client, path: str) -> tuple[float, float, int]:
    client.get(path)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    from django.test import Client

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        committee, chair = populate()
        print(
            f"populated in {time.perf_counter() - started:.1f} s: 5 committees, "
            f"{APPLICATIONS_PER_COMMITTEE} applications each, "
            f"{APPLICATIONS_PER_COMMITTEE // GRANTED_SHARE} grants each with 3 payments"
        )
        public, member = Client(), Client()
        member.force_login(chair)
        rows = [
            ("committee list", public, "/fi/committees/"),
            ("committee page", public, f"/fi/committees/{committee.slug}/"),
            ("members' application list", member, f"/fi/committees/{committee.slug}/workspace/"),
        ]
        print(f"{'page':<28}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
        for label, client, path in rows:
            median, p95, queries = measure(client, path)
            print(f"{label:<28}{median:>10.1f}{p95:>10.1f}{queries:>9}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
