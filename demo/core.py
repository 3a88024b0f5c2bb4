"""Demo data for the core app; `seed_demo` calls this and later apps add their own.

Area populations are the ones the 2022 pilot used to split 79 512 € at about one euro
per resident. Postal codes are the main codes of each area; the coordinator keeps the
full list in the admin.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from omakouvola.models import Area, Cycle, Notification, Phase, PostalCode, Role, User, WorkAttempt

AREAS = [
    # slug, Finnish, Swedish, population (2022)
    ("anjalankoski", "Anjalankoski", "Anjalankoski", 13_581),
    ("elimaki-koria", "Elimäki-Koria", "Elimä-Koria", 7_342),
    ("keskusta", "Keskusta", "Centrum", 28_833),
    ("kuusankoski-jaala", "Kuusankoski-Jaala", "Kuusankoski-Jaala", 19_103),
    ("valkeala", "Valkeala", "Valkeala", 10_653),
]

POSTAL_CODES = {
    "anjalankoski": [
        ("46800", "Anjalankoski"),
        ("46860", "Keltakangas"),
        ("46900", "Inkeroinen"),
        ("46910", "Anjala"),
        ("46930", "Huruksela"),
        ("46750", "Sippola"),
        ("47150", "Kaipiainen"),
    ],
    "elimaki-koria": [
        ("47200", "Elimäki"),
        ("47220", "Elimäki"),
        ("45610", "Koria"),
    ],
    "keskusta": [
        ("45100", "Kouvola"),
        ("45120", "Kouvola"),
        ("45130", "Kouvola"),
        ("45150", "Kouvola"),
        ("45160", "Kouvola"),
        ("45200", "Kouvola"),
    ],
    "kuusankoski-jaala": [
        ("45700", "Kuusankoski"),
        ("45720", "Kuusankoski"),
        ("45740", "Kuusankoski"),
        ("45750", "Kuusankoski"),
        ("45910", "Voikkaa"),
        ("47710", "Jaala"),
    ],
    "valkeala": [
        ("45360", "Valkeala"),
        ("45370", "Valkeala"),
        ("45410", "Utti"),
        ("45810", "Pilkanmaa"),
    ],
}

DEMO_PASSWORD = "Kouvola-demo-2026"  # noqa: S105 - printed for the demo on purpose

DEMO_USERS = [
    # e-mail, display name, roles, is_staff, postal code, birth year
    (
        "koordinaattori@omakouvola.test",
        "Osallisuuskoordinaattori Kaisa",
        [Role.COORDINATOR],
        True,
        "45100",
        1979,
    ),
    ("vihertiimi@omakouvola.test", "Vihertiimi Ville", [Role.CITY_TEAM], True, "45700", 1985),
    (
        "asiantuntija@omakouvola.test",
        "Asiantuntija Anna",
        [Role.SECTOR_EXPERT],
        True,
        "45130",
        1981,
    ),
    (
        "paattaja@omakouvola.test",
        "Hyvinvointipäällikkö Pekka",
        [Role.DECISION_MAKER],
        False,
        "45150",
        1970,
    ),
    ("valtuutettu@omakouvola.test", "Valtuutettu Veera", [Role.COUNCIL], False, "46900", 1968),
    (
        "asiointipiste@omakouvola.test",
        "Asiointipiste Aino",
        [Role.PAPER_VOTE_CLERK],
        False,
        "45100",
        1990,
    ),
    ("puheenjohtaja@omakouvola.test", "Puheenjohtaja Paavo", [], False, "45360", 1958),
    ("asukas@omakouvola.test", "Asukas Aili", [], False, "45720", 1994),
    ("nuori@omakouvola.test", "Nuori Niko", [], False, "47200", 2011),
]

ROLE_LOGINS = {
    "koordinaattori@omakouvola.test": "coordinator",
    "asukas@omakouvola.test": "resident",
    "nuori@omakouvola.test": "young resident",
    "puheenjohtaja@omakouvola.test": "committee chair",
    "valtuutettu@omakouvola.test": "council member",
    "vihertiimi@omakouvola.test": "city team",
    "asiantuntija@omakouvola.test": "sector expert",
    "paattaja@omakouvola.test": "decision maker",
    "asiointipiste@omakouvola.test": "paper-vote clerk",
}


def cycle_dates(opening_year: int) -> dict[str, dt.date]:
    """The city's yearly rhythm: October opening … implementation to the end of next year."""
    y0, y1 = opening_year, opening_year + 1
    return {
        "opens_on": dt.date(y0, 10, 1),
        "ideation_starts_on": dt.date(y0, 11, 1),
        "ideation_ends_on": dt.date(y0, 12, 31),
        "workshops_starts_on": dt.date(y1, 1, 8),
        "workshops_ends_on": dt.date(y1, 1, 21),
        "voting_starts_on": dt.date(y1, 1, 26),
        "voting_ends_on": dt.date(y1, 2, 8),
        "decision_starts_on": dt.date(y1, 2, 9),
        "decision_ends_on": dt.date(y1, 2, 28),
        "implementation_starts_on": dt.date(y1, 3, 1),
        "implementation_ends_on": dt.date(y1, 12, 31),
    }


# The demo is a living cycle on whatever day it is seeded: the round of the year is in
# its vote (ideas screened, proposals costed, ballots open) and the youth round takes
# ideas and has workshops coming. Offsets are days from today.
VOTING_OPEN_BEFORE = 4
VOTING_OPEN_AFTER = 24


def living_cycle_dates(today: dt.date) -> dict[str, dt.date]:
    """This year's round, shifted so that today falls in its voting phase."""

    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    return {
        "opens_on": day(-120),
        "ideation_starts_on": day(-110),
        "ideation_ends_on": day(-60),
        "workshops_starts_on": day(-50),
        "workshops_ends_on": day(-12),
        "voting_starts_on": day(-VOTING_OPEN_BEFORE),
        "voting_ends_on": day(VOTING_OPEN_AFTER),
        "decision_starts_on": day(VOTING_OPEN_AFTER + 1),
        "decision_ends_on": day(VOTING_OPEN_AFTER + 21),
        "implementation_starts_on": day(VOTING_OPEN_AFTER + 22),
        "implementation_ends_on": day(VOTING_OPEN_AFTER + 300),
    }


def living_youth_dates(today: dt.date) -> dict[str, dt.date]:
    """The youth round, shifted so that today falls in its ideation phase."""

    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    return {
        "opens_on": day(-30),
        "ideation_starts_on": day(-21),
        "ideation_ends_on": day(30),
        "workshops_starts_on": day(35),
        "workshops_ends_on": day(49),
        "voting_starts_on": day(56),
        "voting_ends_on": day(70),
        "decision_starts_on": day(71),
        "decision_ends_on": day(85),
        "implementation_starts_on": day(86),
        "implementation_ends_on": day(330),
    }


def youth_cycle_dates(year: int) -> dict[str, dt.date]:
    """Youth PB in 2023 ran ideation 23.1.–28.2. and workshops 13.–26.3."""
    return {
        "opens_on": dt.date(year, 1, 9),
        "ideation_starts_on": dt.date(year, 1, 23),
        "ideation_ends_on": dt.date(year, 2, 28),
        "workshops_starts_on": dt.date(year, 3, 13),
        "workshops_ends_on": dt.date(year, 3, 26),
        "voting_starts_on": dt.date(year, 4, 11),
        "voting_ends_on": dt.date(year, 4, 25),
        "decision_starts_on": dt.date(year, 4, 26),
        "decision_ends_on": dt.date(year, 5, 15),
        "implementation_starts_on": dt.date(year, 5, 16),
        "implementation_ends_on": dt.date(year, 12, 31),
    }


def _living_cycle(
    actor: User, *, name: str, fields: dict, dates: dict, today: dt.date, phase: Phase
) -> Cycle:
    """Create the round, or keep an existing one alive: when a later run finds that today
    has left `phase`, the phase's end and the phases after it move on (the ones already
    lived stay as they were), through the cycle service."""
    from omakouvola.services import cycle_save

    cycle = Cycle.objects.filter(name=name).first()
    if cycle is None:
        return cycle_save(actor=actor, cycle=Cycle(name=name, **fields, **dates))
    starts_on, ends_on = cycle.phase_dates(phase)
    if ends_on >= today or starts_on > today:
        return cycle  # still open, or not there yet
    order = list(dates)
    moved = order[order.index(f"{phase}_ends_on") :]
    for field_name in moved:
        setattr(cycle, field_name, dates[field_name])
    return cycle_save(actor=actor, cycle=cycle, changed_fields=moved)


@transaction.atomic
def seed_core(*, today: dt.date | None = None) -> dict[str, object]:
    today = today or timezone.localdate()
    areas = {}
    for slug, name, name_sv, population in AREAS:
        areas[slug], _ = Area.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_sv": name_sv,
                "population": population,
                "population_year": 2022,
            },
        )
    for slug, codes in POSTAL_CODES.items():
        for code, locality in codes:
            PostalCode.objects.update_or_create(
                code=code, defaults={"locality": locality, "area": areas[slug]}
            )

    users = {}
    for email, name, roles, is_staff, postal_code, birth_year in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "is_staff": is_staff,
                "postal_code": postal_code,
                "birth_year": birth_year,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(*[Group.objects.get(name=role.value) for role in roles])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[email] = user

    coordinator = users["koordinaattori@omakouvola.test"]
    cycle = _living_cycle(
        coordinator,
        name=f"OmaKouvola {today.year}",
        fields={
            "year": today.year,
            "description": (
                "Kouvolan osallistuva budjetointi: ideoi, kehitä ja äänestä, "
                "mitä lähiympäristöösi tehdään."
            ),
        },
        dates=living_cycle_dates(today),
        today=today,
        phase=Phase.VOTING,
    )
    youth_cycle = _living_cycle(
        coordinator,
        name=f"Nuorten OmaKouvola {today.year}",
        fields={
            "year": today.year,
            "is_youth": True,
            "description": (
                "Nuorten oma osallistuva budjetti: 13–20-vuotiaat ideoivat, kehittävät ja "
                "äänestävät, mitä 10 000 eurolla tehdään."
            ),
        },
        dates=living_youth_dates(today),
        today=today,
        phase=Phase.IDEATION,
    )
    return {"areas": areas, "cycle": cycle, "youth_cycle": youth_cycle, "users": users}


def seed_notifications(*, users: dict[str, User]) -> int:
    """Messages the admin's "notifications" page shows: the role notices staff got.

    Through the service that sends them in real use; the demo's messages go to memory,
    not to the console, so `seed_demo` stays short. Returns how many were written.
    """
    from django.test import override_settings

    from omakouvola import services

    coordinator = users["koordinaattori@omakouvola.test"]
    written = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for email in ("asiointipiste@omakouvola.test", "paattaja@omakouvola.test"):
            person = users[email]
            if Notification.objects.filter(user=person, template="account_changed").exists():
                continue
            services.user_account_changed(actor=coordinator, user=person, changed=["roles"])
            written += 1
    return written


DEMO_FAILED_RUN = "demo-failed-run"


def seed_failed_work(*, today: dt.date | None = None) -> WorkAttempt:
    """One failed run on the admin's "task attempts" page: last night's phase notices,
    when the database went away under the worker three times (the retry action works)."""
    from omakouvola.tasking import work_failed, work_start

    task_name = "omakouvola.tasks.cycle_phase_notices_task"
    existing = WorkAttempt.objects.filter(task_name=task_name, periodic=True).first()
    if existing is not None:
        return existing
    for _ in range(3):
        work_start(task_name=task_name, args=[], max_attempts=3, run=DEMO_FAILED_RUN)
    work_failed(
        task_name=task_name,
        args=[],
        run=DEMO_FAILED_RUN,
        final=True,
        error="OperationalError('server closed the connection unexpectedly')",
    )
    day = today or timezone.localdate()
    at = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=1), dt.time(3, 0)))
    WorkAttempt.objects.filter(task_name=task_name, periodic=True).update(
        started_at=at, failed_at=at + dt.timedelta(minutes=2)
    )
    return WorkAttempt.objects.get(task_name=task_name, periodic=True)
