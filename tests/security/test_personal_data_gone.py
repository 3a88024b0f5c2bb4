"""After erasure, retention and `anonymise_copy`, a dump of the whole database holds no
trace of the person: not their name, e-mail, phone, street address or secret link.

`pg_dump --data-only` of every table (audit log, notifications, outbox, work attempts,
sessions included), grepped for each of them. The person leaves marks the way real
people do: a profile, an idea, a pledge, a workshop seat, a funding application with
its secret-link e-mail, a comment-free vote.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from committees import services as committee_services
from committees.models import FundingApplication
from ideas import services as idea_services
from omakouvola import services
from omakouvola.models import User

from ..factories import CycleFactory, IdeaFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Sulevi Korpijaakko"
EMAIL = "sulevi.korpijaakko@example.fi"
PHONE = "040 918 2736"
ADDRESS = "Korpijaakontie 17"


def _dump() -> str:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = ["pg_dump", "--data-only", "--no-owner", "-h", db["HOST"] or "127.0.0.1"]
    if db.get("PORT"):
        command += ["-p", str(db["PORT"])]
    command += ["-U", db["USER"] or "postgres", db["NAME"]]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def _traces(dump: str, secrets: list[str]) -> list[str]:
    found = []
    lowered = dump.lower()
    for needle in [NAME, NAME.split()[1], EMAIL, PHONE, PHONE.replace(" ", ""), ADDRESS, *secrets]:
        if needle.lower() in lowered:
            line = next(li for li in dump.splitlines() if needle.lower() in li.lower())
            found.append(f"{needle!r} in: {line[:200]}")
    return found


def _a_person_leaves_marks(area):
    """Returns the person and the secrets that must not outlive them."""
    cycle = CycleFactory()
    person = UserFactory(email=EMAIL, display_name="Sulevi")  # with a verified address
    services.user_update_profile(
        actor=person,
        user=person,
        display_name=NAME,
        postal_code="45100",
        birth_year=1961,
        preferred_language="fi",
        receives_optional_email=True,
    )
    IdeaFactory(cycle=cycle, submitter=person, title="Laavu joen rantaan")
    idea_services.pledge_create(
        actor=person, what="Kannan puita", hours=4, idea=IdeaFactory(cycle=cycle)
    )
    workshop = WorkshopFactory(cycle=cycle, starts_at=timezone.now() + dt.timedelta(days=9))
    idea_services.workshop_register(actor=person, workshop=workshop)
    application = committee_services.application_save_draft(
        actor=person,
        data={
            "applicant_kind": "group",
            "responsible_person": NAME,
            "email": EMAIL,
            "phone": PHONE,
            "title": "Kyläjuhla",
            "description": f"Juhla pihallamme, {ADDRESS}. Soita {PHONE}.",
            "own_funding": Decimal("0"),
        },
        cost_rows=[],
        request_rows=[],
    )
    return person, [application.token]


def _no_traces(secrets):
    traces = _traces(_dump(), secrets)
    assert traces == [], "\n".join(traces)


def test_after_erasure_and_retention_the_dump_holds_no_trace_of_the_person(area):
    person, secrets = _a_person_leaves_marks(area)
    assert _traces(_dump(), secrets), "the scenario must leave traces to look for"
    services.user_delete_account(actor=person, user=User.objects.get(pk=person.pk))
    services.apply_retention(at=timezone.now() + dt.timedelta(days=4 * 365))
    _no_traces(secrets)


def test_after_erasure_alone_the_dump_holds_no_name_e_mail_or_link(area):
    """The account deleted today: no waiting for the retention period."""
    person, secrets = _a_person_leaves_marks(area)
    services.user_delete_account(actor=person, user=User.objects.get(pk=person.pk))
    _no_traces(secrets)


def test_an_anonymised_copy_holds_no_trace_of_the_person(area, settings):
    _person, secrets = _a_person_leaves_marks(area)
    call_command("anonymise_copy", "--skip-name-check", stdout=StringIO())
    _no_traces(secrets)
    assert FundingApplication.objects.count() == 1


@pytest.mark.django_db
def test_a_clerks_export_names_no_resident_they_verified(area):
    """Each person's export holds data about them only, not about those they served."""
    import json

    from omakouvola.models import Role
    from voting import services as voting_services

    clerk = UserFactory(email="aino@kouvola.fi", display_name="Aino", roles=[Role.PAPER_VOTE_CLERK])
    resident = UserFactory(email=EMAIL, display_name=NAME)
    voting_services.identity_verify_in_person(clerk=clerk, user=resident, identifier="010190-123M")
    exported = json.dumps(services.user_export_data(user=clerk), default=str)
    assert "identity" in exported or "verify" in exported  # the clerk's own action is there
    for trace in (EMAIL, NAME, f"user #{resident.pk}", f'"{resident.pk}"'):
        assert trace not in exported
