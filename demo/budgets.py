"""Demo data for budgets; `seed_demo` calls `seed_budgets`. Safe to run again.

The money follows the seed: the 2022 pilot's 154 512 € (75 000 € Ministry of the
Environment biodiversity money + 79 512 € area-committee project money); 2023
participatory budgeting 100 000 €, of which the pilot's six projects used 93 500 € — a
sum of recorded expenses; youth PB 10 000 €, 5 000 € of it operating funds; committee
money 300 000 € (2018), 100 000 € (2022) and 50 000 € (2023), drawn by the committees'
allocations. Everything goes through the services.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from budgets import services
from budgets.models import (
    Appropriation,
    FundingSource,
    Implementation,
    ImplementationStatus,
    Purpose,
    SourceKind,
)
from committees.models import Allocation
from omakouvola.models import Cycle, User
from voting.models import Ballot

SOURCES = {
    "city": ("Kaupungin talousarvio", SourceKind.CITY_BUDGET),
    "operating": ("Toimintaraha", SourceKind.OPERATING_FUNDS),
    "ministry": (
        "Ympäristöministeriö: luonnon monimuotoisuuden edistäminen",
        SourceKind.MINISTRY,
    ),
    "committees": ("Aluetoimikuntien hankeraha", SourceKind.CITY_BUDGET),
    "state": ("Valtion hankeavustus (kestävän kehityksen hanke)", SourceKind.STATE_PROJECT),
}

# Last year's winners (by title start): expenses (days after the decision, amount,
# supplier, what), then done (days after the decision) or how far it is. The shade roof
# went over its 15 000 € budget: the implementation page, the dashboard and the report
# flag it.
LAST_ROUND_WORK = {
    "Kuntoportaat": (
        [(95, "11200.00", "Rakennus Kuusankoski Oy", "Portaiden runko ja perustukset")],
        None,
        60,
    ),
    "Leikkipuiston varjokatos": (
        [
            (80, "9800.00", "Lappset Group Oy", "Katoksen runko ja asennus"),
            (150, "6700.00", "Kouvolan Maanrakennus Oy", "Lisäperustus savimaahan"),
        ],
        165,
        100,
    ),
    "Kylätalon esteetön": (
        [(120, "4500.00", "Rakennus Anjala Oy", "Luiskan suunnittelu ja pohjatyöt")],
        None,
        35,
    ),
    "Puistopenkit": (
        [(70, "8640.00", "Puutyö Valkeala Oy", "Kahdeksan penkkiä asennettuna")],
        100,
        100,
    ),
}

# Pilot projects (by title start): expenses (day, amount, supplier, what), completed,
# volunteer hours, milestones.
PILOT_WORK = {
    "Frisbeegolfrata": (
        [
            ((2023, 6, 12), "6200.00", "Discgolfpark Finland Oy", "Korit ja heittopaikat"),
            ((2023, 8, 22), "3300.00", "Kouvolan Maanrakennus Oy", "Väylien raivaus"),
        ],
        (2023, 8, 31),
        120,
    ),
    "Muraali Kuusankosken": (
        [
            ((2023, 7, 5), "4000.00", "Taiteilija Aino Virtanen", "Luonnokset ja työpajat"),
            ((2023, 9, 29), "6000.00", "Taiteilija Aino Virtanen", "Maalaus ja materiaalit"),
        ],
        (2023, 10, 6),
        60,
    ),
    "Muraali Inkeroisten": (
        [((2023, 8, 15), "10000.00", "Katutaide Kymi ry", "Alikulun muraali")],
        (2023, 8, 25),
        45,
    ),
    "Ulkoportaat": (
        [
            ((2023, 7, 20), "12000.00", "Rakennus Valkeala Oy", "Portaiden runko"),
            ((2023, 10, 25), "8000.00", "Rakennus Valkeala Oy", "Kaiteet ja viimeistely"),
        ],
        (2023, 10, 31),
        80,
    ),
    "Ulkokuntosali": (
        [
            ((2023, 6, 30), "18500.00", "Lappset Group Oy", "Kuntolaitteet ja asennus"),
            ((2023, 9, 8), "1500.00", "Kouvolan Maanrakennus Oy", "Turva-alusta"),
        ],
        (2023, 9, 15),
        30,
    ),
    "Välituntivälineitä": (
        [
            ((2023, 5, 25), "12000.00", "Liikuntavälinetukku Oy", "Välineet, ensimmäinen erä"),
            ((2023, 8, 28), "12000.00", "Liikuntavälinetukku Oy", "Välineet, toinen erä"),
        ],
        (2023, 9, 1),
        16,
    ),
}

PHOTO_COLOURS = [(0, 112, 74), (11, 83, 148), (213, 94, 0), (106, 61, 154), (184, 134, 11)]


def _photo(n: int, title: str) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), PHOTO_COLOURS[n % len(PHOTO_COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 250, 600, 360], fill=(240, 240, 235))
    draw.ellipse([460, 40, 580, 160], fill=(255, 221, 87))
    draw.text((60, 290), title[:60], fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"demo-{n}.png", buffer.getvalue(), content_type="image/png")


def _appropriation(actor, *, year, purpose, name, shares, note="") -> Appropriation:
    existing = Appropriation.objects.filter(year=year, name=name).first()
    if existing is not None:
        return existing
    return services.appropriation_save(
        actor=actor,
        year=year,
        purpose=purpose,
        name=name,
        amount=sum(shares.values(), Decimal(0)),
        shares=shares,
        note=note,
    )


def _commit(actor, appropriation, *, ballot=None, allocation=None, on: dt.date) -> None:
    target = ballot or allocation
    if getattr(target, "budget_commitment", None) is not None:
        return
    services.commitment_create(
        actor=actor,
        appropriation=appropriation,
        ballot=ballot,
        allocation=allocation,
        committed_on=on,
    )


def _seed_last_round_work(actor, ballot: Ballot) -> None:
    decided_on = ballot.decision.decided_on
    for implementation in Implementation.objects.filter(ballot=ballot).order_by("title"):
        work = next(
            (w for k, w in LAST_ROUND_WORK.items() if implementation.title.startswith(k)), None
        )
        if work is None or implementation.expenses.exists():
            continue
        expenses, done_after, progress = work
        for n, (after, amount, supplier, what) in enumerate(expenses):
            paid_on = decided_on + dt.timedelta(days=after)
            services.expense_record(
                actor=actor,
                implementation=implementation,
                paid_on=paid_on,
                amount=Decimal(amount),
                supplier=supplier,
                invoice_reference=f"KVL-{paid_on:%Y-%m%d}-{implementation.pk}-{n}",
                description=what,
            )
        if done_after is None:
            services.implementation_update(
                actor=actor,
                implementation=implementation,
                responsible_person="Kaisa Koordinaattori",
                status=ImplementationStatus.IN_PROGRESS,
                progress=progress,
            )
        else:
            services.implementation_update(
                actor=actor,
                implementation=implementation,
                responsible_person="Kaisa Koordinaattori",
                status=ImplementationStatus.DONE,
                completed_on=decided_on + dt.timedelta(days=done_after),
            )


@transaction.atomic
def seed_budgets(
    *,
    users: dict[str, User],
    cycle: Cycle,
    pilot_ballot: Ballot,
    ballots: list[Ballot],
    last_ballot: Ballot | None = None,
) -> dict:
    actor = users.get("koordinaattori@omakouvola.test")
    sources = {
        key: services.funding_source_save(actor=actor, name=name, kind=kind)
        if not FundingSource.objects.filter(name=name).exists()
        else FundingSource.objects.get(name=name)
        for key, (name, kind) in SOURCES.items()
    }

    # Area committees: each year's allocations draw from that year's appropriation.
    for year in sorted(set(Allocation.objects.values_list("year", flat=True))):
        allocations = list(Allocation.objects.filter(year=year).select_related("committee"))
        total = sum((a.amount for a in allocations), Decimal(0))
        if not total:
            continue
        appropriation = _appropriation(
            actor,
            year=year,
            purpose=Purpose.AREA_COMMITTEES,
            name="Aluetoimikuntien hankeraha",
            shares={sources["city"]: total},
            note="Sisältää innovaatiohankkeet." if year == 2018 else "",
        )
        for allocation in allocations:
            _commit(actor, appropriation, allocation=allocation, on=dt.date(year, 1, 15))

    pilot_money = _appropriation(
        actor,
        year=2022,
        purpose=Purpose.PARTICIPATORY_BUDGETING,
        name="Kohenna Kouvolaa -pilotti",
        shares={sources["ministry"]: Decimal(75_000), sources["committees"]: Decimal(79_512)},
        note=(
            "Aluetoimikuntien osuus jaettiin asukasluvun mukaan (noin 1 € asukasta kohden): "
            "Anjalankoski 13 581 €, Elimäki-Koria 7 342 €, Keskusta 28 833 €, "
            "Kuusankoski-Jaala 19 103 €, Valkeala 10 653 €."
        ),
    )
    pb_2023 = _appropriation(
        actor,
        year=2023,
        purpose=Purpose.PARTICIPATORY_BUDGETING,
        name="Osallistuva budjetointi",
        shares={sources["city"]: Decimal(100_000)},
        note="Budjettivaraus; pilotin hankkeet toteutetaan kesällä ja syksyllä 2023.",
    )
    youth_2023 = _appropriation(
        actor,
        year=2023,
        purpose=Purpose.YOUTH_PB,
        name="Nuorten osallistuva budjetointi",
        shares={sources["city"]: Decimal(5_000), sources["operating"]: Decimal(5_000)},
    )
    _commit(actor, pb_2023, ballot=pilot_ballot, on=dt.date(2022, 10, 1))

    # The current round: the area and city-wide ballots, and the youth ballot.
    year = cycle.year
    pb_now = _appropriation(
        actor,
        year=year,
        purpose=Purpose.PARTICIPATORY_BUDGETING,
        name="Osallistuva budjetointi",
        shares={sources["city"]: Decimal(100_000)},
    )
    youth_now = _appropriation(
        actor,
        year=year,
        purpose=Purpose.YOUTH_PB,
        name="Nuorten osallistuva budjetointi",
        shares={sources["city"]: Decimal(5_000), sources["operating"]: Decimal(5_000)},
    )
    for ballot in ballots:
        target = youth_now if ballot.operating_funds else pb_now
        _commit(actor, target, ballot=ballot, on=cycle.opens_on)

    if last_ballot is not None:
        pb_last = _appropriation(
            actor,
            year=last_ballot.cycle.year,
            purpose=Purpose.PARTICIPATORY_BUDGETING,
            name="Osallistuva budjetointi",
            shares={sources["city"]: last_ballot.money},
        )
        _commit(actor, pb_last, ballot=last_ballot, on=last_ballot.cycle.opens_on)

    services.implementations_sync(actor=actor)
    if last_ballot is not None:
        _seed_last_round_work(actor, last_ballot)
    photo_n = 0
    for implementation in Implementation.objects.filter(ballot=pilot_ballot).order_by("title"):
        work = next((w for k, w in PILOT_WORK.items() if implementation.title.startswith(k)), None)
        if work is None or implementation.expenses.exists():
            continue
        expenses, completed, hours = work
        for day, amount, supplier, what in expenses:
            services.expense_record(
                actor=actor,
                implementation=implementation,
                paid_on=dt.date(*day),
                amount=Decimal(amount),
                supplier=supplier,
                invoice_reference=f"KVL-{day[0]}-{day[1]:02d}{day[2]:02d}-{implementation.pk}",
                description=what,
            )
        services.milestone_save(
            actor=actor,
            implementation=implementation,
            title="Suunnitelma valmis",
            due_on=dt.date(2023, 4, 28),
            done_on=dt.date(2023, 4, 28),
        )
        services.milestone_save(
            actor=actor,
            implementation=implementation,
            title="Rakentaminen alkaa",
            due_on=dt.date(2023, 5, 22),
            done_on=dt.date(2023, 5, 22),
        )
        services.volunteer_work_record(
            actor=actor,
            implementation=implementation,
            done_on=dt.date(*completed) - dt.timedelta(days=7),
            hours=Decimal(hours),
            people=max(hours // 6, 2),
            description="Talkoot",
        )
        services.progress_note_add(
            actor=actor,
            implementation=implementation,
            written_on=dt.date(*completed),
            text="Valmis ja käytössä. Kiitos talkoolaisille!",
        )
        services.photo_add(
            actor=actor,
            implementation=implementation,
            upload=_photo(photo_n, implementation.title),
            alt_text=f"{implementation.title} valmiina",
            taken_on=dt.date(*completed),
        )
        photo_n += 1
        services.implementation_update(
            actor=actor,
            implementation=implementation,
            responsible_person="Kaisa Koordinaattori",
            status=ImplementationStatus.DONE,
            completed_on=dt.date(*completed),
        )

    for implementation in Implementation.objects.filter(grant__isnull=False):
        if implementation.status != ImplementationStatus.PLANNING:
            continue
        paid = sum((p.amount for p in implementation.grant.payments.all()), Decimal(0))
        if not paid:
            continue  # decided, the work has not started
        if paid >= implementation.grant.amount:
            services.implementation_update(
                actor=actor,
                implementation=implementation,
                status=ImplementationStatus.DONE,
                completed_on=max(p.paid_on for p in implementation.grant.payments.all()),
            )
        else:
            services.implementation_update(
                actor=actor,
                implementation=implementation,
                status=ImplementationStatus.IN_PROGRESS,
                progress=int(paid * 100 / implementation.grant.amount),
            )
    from budgets.selectors import appropriation_status

    [pb_status] = [
        a for a in appropriation_status([2023], dt.date(2023, 12, 31)) if a.appropriation == pb_2023
    ]
    return {
        "last_round_built": (
            Implementation.objects.filter(ballot=last_ballot).count() if last_ballot else 0
        ),
        "pb_2023_used": pb_status.spent,
        "appropriations": {
            "pilot": pilot_money,
            "pb_2023": pb_2023,
            "youth_2023": youth_2023,
            "pb_now": pb_now,
            "youth_now": youth_now,
        },
    }
