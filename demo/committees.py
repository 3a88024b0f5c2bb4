"""Demo data for the area committees; `seed_demo` calls `seed_committees`. Safe to re-run.

The money follows the seed: 300 000 € in 2018, 100 000 € in 2022 and 50 000 € in 2023
for all five committees, split by population. The 2023 grants' payments up to
19 September 2023 add up to exactly 11 943,36 € — the figure the city reported as "used
this year" — so `committee_budget_status(None, 2023, as_of=date(2023, 9, 19)).used`
reproduces it. Everything goes through the services, so the demo obeys the same rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.fi import ytunnus

from committees import selectors, services
from committees.models import (
    Allocation,
    Committee,
    FundingApplication,
    FundingRequest,
    Grant,
    Meeting,
    Membership,
    MembershipRole,
    OperatingRules,
)
from omakouvola.apportion import split_by_population
from omakouvola.models import HELSINKI, Area, User

COMMITTEES = [
    # area slug, name, what it does
    ("anjalankoski", "Anjalankosken aluetoimikunta", "Anjala, Inkeroinen, Myllykoski, Sippola"),
    ("elimaki-koria", "Elimäki-Korian aluetoimikunta", "Elimäki ja Koria"),
    ("keskusta", "Keskustan aluetoimikunta", "Kouvolan keskusta ja lähiöt"),
    ("kuusankoski-jaala", "Kuusankoski-Jaalan aluetoimikunta", "Kuusankoski, Voikkaa ja Jaala"),
    ("valkeala", "Valkealan aluetoimikunta", "Valkeala, Utti ja Pilkanmaa"),
]

FIRST_NAMES = [
    "Aino",
    "Eero",
    "Helmi",
    "Ilkka",
    "Kaarina",
    "Lauri",
    "Marjatta",
    "Niilo",
    "Outi",
    "Pentti",
    "Raili",
    "Seppo",
    "Tuula",
    "Urho",
    "Vuokko",
    "Jorma",
    "Leena",
    "Matti",
    "Riitta",
    "Tapio",
    "Sirpa",
    "Kalevi",
    "Anneli",
    "Heikki",
    "Pirkko",
    "Olavi",
]
LAST_NAMES = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Salminen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Hirvonen",
]
REPRESENTS = [
    "kyläyhdistys",
    "vapaa-ajan asukkaat",
    "urheiluseura",
    "eläkeläisyhdistys",
    "nuorisovaltuusto",
    "omakotiyhdistys",
    "kulttuuriyhdistys",
    "yrittäjät",
]

RULES_TEXT_2018 = (
    "Aluetoimikunnan tehtävä on edistää ja tukea alueensa kehittämishankkeita, hyvinvointia, "
    "paikallista toimintaa ja kulttuuria sekä tehdä yhteistyötä kylä- ja vapaa-ajan "
    "toimijoiden kanssa. Aluetoimikunta on päätösvaltainen, kun yli puolet jäsenistä on "
    "paikalla; varajäsen tulee poissaolevan jäsenen tilalle."
)
RULES_TEXT_2023 = RULES_TEXT_2018 + (
    "\n\nKevät 2023: rahoitettavista hankkeista arvioidaan ennen päätöstä, täyttävätkö ne "
    "ekologisen, sosiaalisen ja taloudellisen kestävyyden kriteerit. Puheenjohtaja voi "
    "päättää enintään 500 euron avustuksesta kokousten välillä; päätös tuodaan tiedoksi "
    "seuraavaan kokoukseen."
)

# 2023 grants: committee, applicant, title, granted, [(paid on, amount)], meeting day.
# Payments up to 19.9.2023 add up to 11 943,36 €.
GRANTS_2023 = [
    (
        "anjalankoski",
        "Inkeroisen Kyläyhdistys ry",
        "Inkeroisen kylätalon katon korjaus",
        "3000.00",
        [((2023, 6, 15), "2450.00")],
        (2023, 5, 9),
    ),
    (
        "elimaki-koria",
        "Korian Kyläseura ry",
        "Korian uimarannan laituri",
        "1800.00",
        [((2023, 7, 20), "1800.00")],
        (2023, 5, 11),
    ),
    (
        "keskusta",
        "Kouvolan Kulttuuriyhdistys ry",
        "Kesäkonsertit Kaunisnurmen puistossa",
        "4000.00",
        [((2023, 8, 30), "3112.48"), ((2023, 11, 15), "887.52")],
        (2023, 4, 26),
    ),
    (
        "kuusankoski-jaala",
        "Jaalan Kirkonkylän Kyläyhdistys ry",
        "Jaalan kyläilta ja talkoot",
        "1500.00",
        [((2023, 9, 5), "1237.90")],
        (2023, 5, 16),
    ),
    (
        "valkeala",
        "Utin Kyläyhdistys ry",
        "Utin kyläkoulun välituntivälineet",
        "3500.00",
        [((2023, 5, 31), "2000.00"), ((2023, 9, 19), "1342.98"), ((2023, 10, 10), "157.02")],
        (2023, 4, 20),
    ),
    # Decided after 19 September: counts in the year, not in the seed's figure.
    (
        "keskusta",
        "Kouvolan Omakotiyhdistys ry",
        "Asukasillat lähiöissä",
        "2000.00",
        [((2023, 12, 5), "1850.00")],
        (2023, 10, 4),
    ),
]
SEED_FIGURE_DAY = dt.date(2023, 9, 19)

# This year's applications, one at each stage; days are counted from today.
# committee, applicant, title, amount, meeting (days from today), payments (days after the
# meeting, amount). A meeting still to come leaves the application on its agenda.
GRANTS_NOW = [
    (
        "anjalankoski",
        "Myllykosken Nuorisoseura ry",
        "Myllykosken kesätapahtuma",
        "2500.00",
        -100,
        [(20, "2500.00")],
    ),
    (
        "keskusta",
        "Kaunisnurmen Asukasyhdistys ry",
        "Kaunisnurmen puiston penkit ja istutukset",
        "3200.00",
        -60,
        [(25, "1600.00")],
    ),
    (
        "kuusankoski-jaala",
        "Voikkaan Kyläyhdistys ry",
        "Voikkaan kylätalon esteetön luiska",
        "4000.00",
        -20,
        [],
    ),
    (
        "elimaki-koria",
        "Korian Kyläseura ry",
        "Korian kyläkirppis ja talkoopäivä",
        "1200.00",
        10,
        [],
    ),
]
SEED_FIGURE = Decimal("11943.36")


def _business_id(seed: int) -> str:
    base = f"{2_100_000 + seed * 7919:07d}"[:7]
    for digit in range(10):
        candidate = f"{base}-{digit}"
        if ytunnus.is_valid(candidate):
            return candidate
    return ""  # pragma: no cover - every base has a check digit but 1 (then try the next)


def _person(n: int) -> str:
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n * 7) % len(LAST_NAMES)]}"


def _at(day: tuple[int, int, int], hour: int = 18) -> dt.datetime:
    return dt.datetime(*day, hour, 0, tzinfo=HELSINKI)


def _members(committee: Committee, index: int, users: dict[str, User]) -> None:
    if committee.memberships.exists():
        return
    term_start = dt.date(2021, 8, 1)
    deputies = 3 + index % 2
    chair_user = (
        users.get("puheenjohtaja@omakouvola.test") if committee.slug == "valkeala" else None
    )
    for seat in range(8 + deputies):
        n = index * 12 + seat
        role = (
            MembershipRole.CHAIR
            if seat == 0
            else MembershipRole.VICE_CHAIR
            if seat == 1
            else MembershipRole.MEMBER
            if seat < 8
            else MembershipRole.DEPUTY
        )
        user = chair_user if seat == 0 else None
        name = "Paavo Puheenjohtaja" if user is not None else _person(n)
        Membership.objects.create(
            committee=committee,
            user=user,
            name=name,
            email=""
            if user
            else f"{name.lower().replace(' ', '.')}@esimerkki.fi".replace("ä", "a").replace(
                "ö", "o"
            ),
            role=role,
            represents=REPRESENTS[n % len(REPRESENTS)],
            term_start=term_start,
        )


def _decide_grant(
    *,
    actor: User,
    committee: Committee,
    applicant: str,
    title: str,
    amount: Decimal,
    payments,
    meeting_day,
    n: int,
) -> None:
    if FundingApplication.objects.filter(title=title).exists():
        return
    application = FundingApplication.objects.create(
        applicant_kind="organisation",
        organisation_name=applicant,
        business_id=_business_id(n),
        responsible_person=_person(100 + n),
        email=f"hakemus{n}@esimerkki.fi",
        title=title,
        description=f"{title}: talkoilla ja yhdessä alueen asukkaiden kanssa.",
        own_funding=Decimal("300.00"),
        volunteer_hours=40 + 10 * n,
        sustainability_ecological="Kierrätetään materiaalit ja vältetään uutta rakentamista.",
        sustainability_social="Kokoaa eri-ikäiset asukkaat yhteen.",
        sustainability_economic="Ei jatkokustannuksia kaupungille.",
        email_verified_at=_at(meeting_day) - dt.timedelta(days=30),
        status="submitted",
        submitted_at=_at(meeting_day) - dt.timedelta(days=21),
        created_at=_at(meeting_day) - dt.timedelta(days=30),
    )
    application.cost_items.create(
        position=1, description="Materiaalit ja palvelut", amount=amount + Decimal("300.00")
    )
    request = application.requests.create(committee=committee, amount=amount)
    meeting = Meeting.objects.filter(committee=committee, starts_at=_at(meeting_day)).first()
    if meeting is None:
        meeting = services.meeting_create(
            actor=actor,
            committee=committee,
            starts_at=_at(meeting_day),
            place=f"{committee.area.name}, kirjaston kokoushuone",
        )
    item = services.agenda_add_request(actor=actor, meeting=meeting, funding_request=request)
    services.meeting_record_attendance(
        actor=actor,
        meeting=meeting,
        present=committee.memberships.exclude(role=MembershipRole.DEPUTY)[:6],
    )
    decision = services.decision_record(
        actor=actor,
        agenda_item=item,
        data=services.DecisionInput(
            outcome="grant",
            amount=amount,
            rationale="Hanke tukee alueen yhteisöllisyyttä ja on tehty talkoilla.",
            conditions="Kaupungin tuki mainitaan tiedotteissa. Selvitys vuoden kuluessa.",
            sustainability_ecological="Hyvä: materiaalit kierrätetään.",
            sustainability_social="Hyvä: avoin kaikille asukkaille.",
            sustainability_economic="Hyvä: ei ylläpitokuluja.",
        ),
    )
    for day, paid in payments:
        services.payment_record(
            actor=actor,
            grant=decision.grant,
            paid_on=dt.date(*day),
            amount=Decimal(paid),
            reference=f"Lasku {n}-{day[1]:02d}{day[2]:02d}",
        )


@transaction.atomic
def seed_committees(*, areas: dict[str, Area], users: dict[str, User]) -> dict:
    coordinator = users.get("koordinaattori@omakouvola.test")
    committees: dict[str, Committee] = {}
    for index, (slug, name, places) in enumerate(COMMITTEES):
        committee, _created = Committee.objects.update_or_create(
            slug=slug,
            defaults={
                "area": areas[slug],
                "name": name,
                "description": (
                    f"{name} edistää alueensa ({places}) kehittämishankkeita, hyvinvointia, "
                    "paikallista toimintaa ja kulttuuria ja jakaa avustuksia yhdistyksille, "
                    "kylille ja asukasryhmille."
                ),
                "email": f"{slug}@omakouvola.test",
            },
        )
        committees[slug] = committee
        _members(committee, index, users)

    OperatingRules.objects.get_or_create(
        committee=None,
        version=1,
        defaults={
            "valid_from": dt.date(2018, 1, 1),
            "text": RULES_TEXT_2018,
            "sustainability_required": False,
        },
    )
    OperatingRules.objects.get_or_create(
        committee=None,
        version=2,
        defaults={
            "valid_from": dt.date(2023, 4, 1),
            "text": RULES_TEXT_2023,
            "small_grant_limit": Decimal("500.00"),
        },
    )

    populations = {c: c.area.population for c in committees.values()}
    this_year = timezone.localdate().year
    yearly = [(2018, 300_000), (2022, 100_000)] + [
        (year, 50_000) for year in range(2023, this_year + 1)
    ]
    for year, total in yearly:
        if Allocation.objects.filter(year=year).exists():
            continue
        for committee, amount in split_by_population(total, populations).items():
            services.allocation_set(
                actor=coordinator,
                committee=committee,
                year=year,
                amount=amount,
                note="Jaettu asukasluvun mukaan",
            )

    for n, (slug, applicant, title, amount, payments, day) in enumerate(GRANTS_2023, start=1):
        _decide_grant(
            actor=coordinator,
            committee=committees[slug],
            applicant=applicant,
            title=title,
            amount=Decimal(amount),
            payments=payments,
            meeting_day=day,
            n=n,
        )

    # The Valkeala chair's small grant in August, reported to the October meeting.
    valkeala = committees["valkeala"]
    chair = users.get("puheenjohtaja@omakouvola.test")
    small_title = "Pilkanmaan talkoovälineet"
    if chair is not None and not FundingApplication.objects.filter(title=small_title).exists():
        small = services.committee_project_adopt(
            actor=chair,
            committee=valkeala,
            title=small_title,
            description="Haravat, lapiot ja kottikärryt kyläyhdistyksen talkoisiin.",
            amount=Decimal("450.00"),
        )
        decision = services.decision_fast_track(
            actor=chair,
            funding_request=small.requests.get(),
            decided_on=dt.date(2023, 8, 10),
            data=services.DecisionInput(
                outcome="grant",
                amount=Decimal("450.00"),
                rationale="Pieni hankinta, joka ei voi odottaa syyskokousta.",
                sustainability_ecological="Välineet kestävät vuosia.",
                sustainability_social="Talkoisiin osallistuu koko kylä.",
                sustainability_economic="Kertahankinta.",
            ),
        )
        reported_to = services.meeting_create(
            actor=chair,
            committee=valkeala,
            starts_at=_at((2023, 10, 12)),
            place="Valkealan kirjasto",
        )
        # The meeting the grant was reported to was held: no past meeting is still planned.
        services.meeting_record_attendance(
            actor=chair,
            meeting=reported_to,
            present=valkeala.memberships.exclude(role=MembershipRole.DEPUTY)[:6],
        )
        services.payment_record(
            actor=coordinator,
            grant=decision.grant,
            paid_on=dt.date(2023, 9, 25),
            amount=Decimal("450.00"),
            reference="Kuitti 2023-09",
        )

    _close_2023_reports(coordinator)
    _seed_this_year(committees, coordinator, today=timezone.localdate())
    return {
        "committees": committees,
        "seed_figure": selectors.committee_budget_status(None, 2023, as_of=SEED_FIGURE_DAY).used,
    }


def _application(*, applicant, title, description, committee, amount, n, submit=True):
    """An application as the applicant fills it in on the public form."""
    data = {
        "applicant_kind": "organisation",
        "organisation_name": applicant,
        "business_id": _business_id(n),
        "responsible_person": _person(100 + n),
        "email": f"hakemus{n}@esimerkki.fi",
        "title": title,
        "description": description,
        "own_funding": Decimal("300.00"),
        "volunteer_hours": 40 + 10 * (n % 5),
        "sustainability_ecological": "Kierrätetään materiaalit ja vältetään uutta rakentamista.",
        "sustainability_social": "Kokoaa eri-ikäiset asukkaat yhteen.",
        "sustainability_economic": "Ei jatkokustannuksia kaupungille.",
    }
    application = services.application_save_draft(
        actor=None,
        data=data,
        cost_rows=[
            services.CostRow("Materiaalit ja palvelut", amount),
            services.CostRow("Tarjoilut talkoolaisille", Decimal("300.00")),
        ],
        request_rows=[services.RequestRow(committee, amount)],
    )
    if submit:
        services.application_verify_email(application=application)
        services.application_submit(actor=None, application=application)
        application.refresh_from_db()
    return application


def _meeting(actor, committee, day: dt.date) -> Meeting:
    starts_at = _at(day.timetuple()[:3])
    meeting = Meeting.objects.filter(committee=committee, starts_at=starts_at).first()
    return meeting or services.meeting_create(
        actor=actor,
        committee=committee,
        starts_at=starts_at,
        place=f"{committee.area.name}, kirjaston kokoushuone",
    )


def _seed_this_year(committees: dict[str, Committee], actor: User, *, today: dt.date) -> None:
    """Applications waiting at each stage now: paid and done, partly paid, decided and
    waiting for payment, on the agenda of the next meeting, just submitted, a draft."""
    for n, (slug, applicant, title, amount, offset, payments) in enumerate(GRANTS_NOW, 60):
        if FundingApplication.objects.filter(title=title).exists():
            continue
        committee = committees[slug]
        application = _application(
            applicant=applicant,
            title=title,
            description=f"{title}: talkoilla ja yhdessä alueen asukkaiden kanssa.",
            committee=committee,
            amount=Decimal(amount),
            n=n,
        )
        meeting_day = today + dt.timedelta(days=offset)
        meeting = _meeting(actor, committee, meeting_day)
        item = services.agenda_add_request(
            actor=actor,
            meeting=meeting,
            funding_request=FundingRequest.objects.get(application=application),
        )
        if offset >= 0:
            continue  # decided in the meeting still to come
        services.meeting_record_attendance(
            actor=actor,
            meeting=meeting,
            present=committee.memberships.exclude(role=MembershipRole.DEPUTY)[:6],
        )
        decision = services.decision_record(
            actor=actor,
            agenda_item=item,
            data=services.DecisionInput(
                outcome="grant",
                amount=Decimal(amount),
                rationale="Hanke tukee alueen yhteisöllisyyttä, ja siihen osallistuu talkoolaisia.",
                conditions="Kaupungin tuki mainitaan tiedotteissa. Loppuselvitys vuoden kuluessa.",
                sustainability_ecological="Hyvä: materiaalit kierrätetään.",
                sustainability_social="Hyvä: avoin kaikille asukkaille.",
                sustainability_economic="Hyvä: ei ylläpitokuluja.",
            ),
        )
        for after, paid in payments:
            services.payment_record(
                actor=actor,
                grant=decision.grant,
                paid_on=min(meeting_day + dt.timedelta(days=after), today),
                amount=Decimal(paid),
                reference=f"Lasku {n}-{after}",
            )

    valkeala = committees["valkeala"]
    open_title = "Valkealan ulkoportaiden valaistus"
    if not FundingApplication.objects.filter(title=open_title).exists():
        _application(
            applicant="Valkealan Kyläyhdistys ry",
            title=open_title,
            description="Ulkoportaille valaistus, jotta ne ovat turvalliset myös syksyllä.",
            committee=valkeala,
            amount=Decimal("2000.00"),
            n=42,
        )
        if not Meeting.objects.filter(
            committee=valkeala, status="planned", starts_at__gt=timezone.now()
        ).exists():
            _meeting(actor, valkeala, today + dt.timedelta(days=14))
    draft_title = "Utin kyläjuhla"
    if not FundingApplication.objects.filter(title=draft_title).exists():
        _application(
            applicant="Utin Kyläyhdistys ry",
            title=draft_title,
            description="Kyläjuhla kyläkoululla: musiikkia, kahvila ja lasten pihapelit.",
            committee=valkeala,
            amount=Decimal("800.00"),
            n=43,
            submit=False,
        )


def _close_2023_reports(actor: User) -> None:
    """The 2023 grants have long been reported; the fully paid ones are closed."""
    for grant in Grant.objects.filter(year=2023, final_report__isnull=True).select_related(
        "decision__funding_request__application"
    ):
        application = grant.decision.funding_request.application
        paid = sum((p.amount for p in grant.payments.all()), Decimal(0))
        services.report_submit(
            actor=None,
            grant=grant,
            what_was_done=f"{application.title}: tehty suunnitellusti talkoilla.",
            actual_costs=paid + application.own_funding,
            volunteer_hours=application.volunteer_hours,
        )
        if paid >= grant.amount:
            last = max(p.paid_on for p in grant.payments.all())
            services.grant_close(actor=actor, grant=grant, on=last + dt.timedelta(days=30))
