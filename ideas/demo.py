"""Demo data for the ideas app: the 2022 pilot "Kohenna Kouvolaa" and the current round.

Rows are written directly (not through the services) so that seeding sends no e-mail;
statuses and their public history are filled in as the services would leave them.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from omakouvola.models import HELSINKI, Area, Cycle, User

from .models import (
    Assessment,
    Channel,
    Feasibility,
    Idea,
    IdeaStatus,
    IdeaStatusChange,
    Proposal,
    ProposalStatus,
    Rating,
    RegistrationStatus,
    RejectReason,
    SustainabilityAssessment,
    Theme,
    VolunteerPledge,
    Workshop,
    WorkshopRegistration,
)

THEMES = [
    ("liikunta", "Liikunta ja ulkoilu", "Motion och friluftsliv", "Sport and outdoors"),
    ("luonto", "Luonto ja monimuotoisuus", "Natur och mångfald", "Nature and biodiversity"),
    ("kulttuuri", "Kulttuuri ja taide", "Kultur och konst", "Culture and art"),
    ("lapset", "Lapset ja nuoret", "Barn och unga", "Children and young people"),
    ("yhteiso", "Kylät ja yhteisöllisyys", "Byar och gemenskap", "Villages and community"),
    ("liikenne", "Liikenne ja turvallisuus", "Trafik och säkerhet", "Traffic and safety"),
    ("puistot", "Puistot ja viheralueet", "Parker och grönområden", "Parks and green areas"),
]

PLACES = {
    "anjalankoski": ["Myllykoski", "Inkeroinen", "Anjala", "Keltakangas", "Sippola", "Ummeljoki"],
    "elimaki-koria": ["Elimäki", "Koria", "Raussila", "Peippola", "Mustila"],
    "keskusta": [
        "Kouvolan keskusta",
        "Kaunisnurmi",
        "Lehtomäki",
        "Käpylä",
        "Tornionmäki",
        "Korjala",
        "Sarkola",
    ],
    "kuusankoski-jaala": ["Kuusankoski", "Voikkaa", "Jaala", "Kymintehdas", "Niskapietilä"],
    "valkeala": ["Valkeala", "Utti", "Vekaranjärvi", "Kääpälä", "Oravala"],
}

# (theme, title, description, rough cost)
IDEA_TEMPLATES = [
    (
        "liikunta",
        "Ulkokuntosali",
        "Ulkokuntosali kaikenikäisille, myös senioreille sopivat laitteet.",
        20000,
    ),
    ("liikunta", "Frisbeegolfrata", "Yhdeksän väylän frisbeegolfrata nuorille ja perheille.", 9000),
    (
        "liikunta",
        "Valaistu latu",
        "Ladun valaistus, jotta talvella voi hiihtää myös arki-iltaisin.",
        35000,
    ),
    ("liikunta", "Kuntoportaat", "Portaat rinteeseen, kuntoiluun ja helpottamaan kulkua.", 18000),
    (
        "liikunta",
        "Pumptrack-rata",
        "Asfaltoitu pumptrack-rata pyörille, skeittilaudoille ja potkulaudoille.",
        45000,
    ),
    ("liikunta", "Uimarannan laituri", "Uusi laituri ja pukukoppi uimarannalle.", 12000),
    (
        "luonto",
        "Niittykaistale pölyttäjille",
        "Nurmikko niityksi, jossa perhoset ja mehiläiset viihtyvät.",
        3000,
    ),
    (
        "luonto",
        "Lintutorni",
        "Lintutorni kosteikon rantaan luontoharrastajille ja koululaisille.",
        25000,
    ),
    ("luonto", "Pitkospuut suolle", "Pitkospuut ja opastaulut lähisuolle.", 15000),
    (
        "luonto",
        "Linnunpönttötalkoot",
        "Asukkaat rakentavat ja kiinnittävät linnunpönttöjä puistoon.",
        800,
    ),
    ("luonto", "Vieraslajitalkoot", "Jättipalsamin ja lupiinin kitkentätalkoot kesäisin.", 500),
    (
        "kulttuuri",
        "Muraali",
        "Yhdessä nuorten kanssa suunniteltu seinämaalaus harmaaseen seinään.",
        10000,
    ),
    ("kulttuuri", "Kesäteatterin katos", "Katos kesäteatterin katsomolle sateen varalle.", 30000),
    (
        "kulttuuri",
        "Kirjaston lukupuisto",
        "Penkkejä ja varjoa kirjaston pihaan lukemista varten.",
        6000,
    ),
    (
        "kulttuuri",
        "Paikallishistorian opastaulut",
        "Opastaulut kylän vanhoista rakennuksista ja tarinoista.",
        4000,
    ),
    (
        "lapset",
        "Välituntivälineitä kouluille",
        "Pelejä, palloja ja kiipeilytelineitä koulujen pihoille.",
        24000,
    ),
    (
        "lapset",
        "Leikkipuiston uudistus",
        "Uusia leikkivälineitä ja turva-alustat leikkipuistoon.",
        40000,
    ),
    ("lapset", "Nuorten oleskelukatos", "Katettu paikka, jossa nuoret voivat olla iltaisin.", 8000),
    (
        "lapset",
        "Skeittipaikan laajennus",
        "Lisää ramppeja ja reilejä nykyiselle skeittipaikalle.",
        28000,
    ),
    (
        "yhteiso",
        "Kylätalon esteetön luiska",
        "Luiska kylätalon oveen, jotta kaikki pääsevät sisään.",
        5000,
    ),
    (
        "yhteiso",
        "Yhteisöpuutarha",
        "Viljelylaatikoita ja kastelupiste asukkaiden yhteiseen puutarhaan.",
        4000,
    ),
    ("yhteiso", "Grillikatos", "Grillikatos ja puuvaja yhteiseen käyttöön.", 9000),
    ("yhteiso", "Kylän ilmoitustaulu", "Säänkestävä ilmoitustaulu kaupan pihaan.", 1200),
    ("liikenne", "Suojatien valaistus", "Koulutien suojatien tehostettu valaistus.", 7000),
    ("liikenne", "Kevyen liikenteen väylä", "Pyörätie kylältä koululle.", 250000),
    ("liikenne", "Hidastetöyssyt", "Hidasteet asuinkadulle, jossa ajetaan liian kovaa.", 4000),
    ("liikenne", "Pyöräparkki", "Katettu pyöräparkki runkolukitusmahdollisuudella.", 6000),
    (
        "puistot",
        "Penkkejä rantareitille",
        "Levähdyspenkkejä rantareitin varteen ikäihmisille.",
        3500,
    ),
    (
        "puistot",
        "Koirapuisto",
        "Aidattu koirapuisto, jossa erilliset alueet pienille ja isoille koirille.",
        15000,
    ),
    ("puistot", "Puiston istutukset", "Kukkaistutuksia ja hedelmäpuita puistoon.", 2500),
    ("puistot", "Roska-astiat reitille", "Lisää roska-astioita ulkoilureitin varteen.", 1500),
]

TRANSFER_BODIES = [
    "Kaakkois-Suomen ELY-keskus",
    "Väylävirasto",
    "Metsähallitus",
    "yksityinen maanomistaja",
    "Kymenlaakson pelastuslaitos",
]

REJECT_REASONINGS = {
    RejectReason.TOO_EXPENSIVE: "Hinta-arvio ylittää osallistuvan budjetoinnin määrärahan.",
    RejectReason.LATER_COSTS: "Toteutus aiheuttaisi kaupungille vuosittaisia ylläpitokuluja.",
    RejectReason.ALREADY_PLANNED: "Asia on jo kaupungin investointisuunnitelmassa.",
    RejectReason.NOT_CITY_LAND: "Paikka ei ole kaupungin maata.",
    RejectReason.UNCLEAR: "Idean sisältö jäi epäselväksi, eikä ehdottajaa tavoitettu.",
}

PILOT_PROPOSALS = [
    # title, area slug, cost, theme, sector, description
    (
        "Frisbeegolfrata Käpylän urheilupuistoon",
        "keskusta",
        "9500",
        "liikunta",
        "Liikuntapalvelut",
        "Yhdeksän väylän frisbeegolfrata, rakennettu osin talkoilla.",
    ),
    (
        "Muraali Kuusankosken keskustaan",
        "kuusankoski-jaala",
        "10000",
        "kulttuuri",
        "Kulttuuripalvelut",
        "Nuorten kanssa suunniteltu seinämaalaus.",
    ),
    (
        "Muraali Inkeroisten alikulkuun",
        "anjalankoski",
        "10000",
        "kulttuuri",
        "Kulttuuripalvelut",
        "Alikulkutunnelin seinämaalaus yhdessä koululaisten kanssa.",
    ),
    (
        "Ulkoportaat Valkealan kirkonmäelle",
        "valkeala",
        "20000",
        "liikunta",
        "Kaupunkirakenne",
        "Kuntoportaat, jotka helpottavat myös kulkua kirkonmäelle.",
    ),
    (
        "Ulkokuntosali Myllykoskelle",
        "anjalankoski",
        "20000",
        "liikunta",
        "Liikuntapalvelut",
        "Kaikenikäisille sopiva ulkokuntosali Myllykosken urheilukentälle.",
    ),
    (
        "Välituntivälineitä kouluille",
        None,
        "24000",
        "lapset",
        "Kasvatus ja opetus",
        "Pelejä ja liikuntavälineitä koulujen pihoille neljän aluetoimikunnan alueella yhdessä.",
    ),
]

SUBMITTER_NAMES = [
    "Aino K.",
    "Eero L.",
    "Helmi V.",
    "Juho M.",
    "Kaarina S.",
    "Lauri P.",
    "Marja H.",
    "Niilo R.",
    "Oona T.",
    "Pirjo A.",
    "Sanna J.",
    "Tapio N.",
    "Ulla E.",
    "Veikko O.",
]


def _theme_map() -> dict[str, Theme]:
    themes = {}
    for slug, name, name_sv, name_en in THEMES:
        themes[slug], _ = Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_sv": name_sv, "name_en": name_en}
        )
    return themes


def _aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI)


def _make_idea(rng, cycle, areas, themes, *, day, channel, submitter=None) -> Idea:
    slug = rng.choice(list(PLACES))
    place = rng.choice(PLACES[slug])
    theme_slug, title, description, cost = rng.choice(IDEA_TEMPLATES)
    whole_city = rng.random() < 0.08
    return Idea(
        cycle=cycle,
        title=f"{title} – {place}" if not whole_city else f"{title} koko Kouvolaan",
        description=description if whole_city else f"{description} Paikka: {place}.",
        area=None if whole_city else areas[slug],
        theme=themes[theme_slug],
        address="" if whole_city else place,
        rough_cost=Decimal(cost) * Decimal(rng.choice([0.8, 1, 1, 1.2])),
        channel=channel,
        submitter=submitter,
        submitter_name="" if submitter else rng.choice(SUBMITTER_NAMES),
        consents_to_codevelopment=rng.random() < 0.6,
        created_at=_aware(day, rng.randint(8, 21)),
    )


def pilot_cycle() -> Cycle:
    cycle, _ = Cycle.objects.update_or_create(
        name="Kohenna Kouvolaa 2022",
        defaults={
            "year": 2023,
            "description": (
                "Osallistuvan budjetoinnin pilotti: ideat kerättiin 2.–20.3.2022 verkossa ja "
                "kirjastojen paperilomakkeilla. Rahoitus 154 512 € (75 000 € ympäristöministeriön "
                "luonnon monimuotoisuusrahaa ja 79 512 € aluetoimikuntien hankerahaa)."
            ),
            "opens_on": dt.date(2022, 2, 14),
            "ideation_starts_on": dt.date(2022, 3, 2),
            "ideation_ends_on": dt.date(2022, 3, 20),
            "workshops_starts_on": dt.date(2022, 9, 26),
            "workshops_ends_on": dt.date(2022, 10, 14),
            "voting_starts_on": dt.date(2022, 10, 17),
            "voting_ends_on": dt.date(2022, 11, 6),
            "decision_starts_on": dt.date(2022, 11, 7),
            "decision_ends_on": dt.date(2023, 2, 28),
            "implementation_starts_on": dt.date(2023, 3, 1),
            "implementation_ends_on": dt.date(2023, 12, 31),
        },
    )
    return cycle


@transaction.atomic
def seed_ideas(*, areas: dict[str, Area], users: dict[str, User], cycle: Cycle) -> dict:
    rng = random.Random(2022)  # noqa: S311 - demo data, reproducible
    themes = _theme_map()
    pilot = pilot_cycle()
    if not pilot.ideas.exists():
        _seed_pilot(rng, pilot, areas, themes, users)
    if not cycle.ideas.exists():
        _seed_current(rng, cycle, areas, themes, users)
    return {"pilot": pilot, "themes": themes}


def _seed_pilot(rng, pilot, areas, themes, users) -> None:
    expert = users.get("asiantuntija@omakouvola.test")
    days = [dt.date(2022, 3, 2) + dt.timedelta(days=n) for n in range(19)]
    ideas = [
        _make_idea(
            rng,
            pilot,
            areas,
            themes,
            day=rng.choice(days),
            channel=Channel.PAPER if rng.random() < 0.3 else Channel.WEB,
        )
        for _ in range(161)
    ]
    Idea.objects.bulk_create(ideas)
    ideas = list(pilot.ideas.order_by("id"))

    # Proposals and the ideas merged into them (two or three each).
    proposals = []
    cursor = 0
    for title, slug, cost, theme, sector, description in PILOT_PROPOSALS:
        proposal = Proposal.objects.create(
            cycle=pilot,
            title=title,
            description=description,
            area=areas[slug] if slug else None,
            theme=themes[theme],
            cost=Decimal(cost),
            responsible_sector=sector,
            status=ProposalStatus.SELECTED,
            sustainability_summary=(
                "Ekologisesti, sosiaalisesti ja taloudellisesti kestävä: ei ylläpitokuluja "
                "kaupungille, rakennetaan osin talkoilla."
            ),
            approved_at=_aware(dt.date(2022, 10, 20)),
        )
        proposals.append(proposal)
        for idea in ideas[cursor : cursor + 2]:
            idea.status = IdeaStatus.MERGED
            idea.proposal = proposal
            if slug:
                idea.area = areas[slug]
        cursor += 2

    reasons = list(REJECT_REASONINGS)
    plan = (
        [IdeaStatus.FORWARDED] * 38
        + [IdeaStatus.REJECTED] * 62
        + [IdeaStatus.TRANSFERRED] * 37
        + [IdeaStatus.DUPLICATE] * 12
    )
    for idea, status in zip(ideas[cursor:], plan, strict=True):
        idea.status = status
        if status == IdeaStatus.REJECTED:
            idea.reject_reason = rng.choice(reasons)
            idea.public_reasoning = REJECT_REASONINGS[idea.reject_reason]
        elif status == IdeaStatus.TRANSFERRED:
            idea.transferred_to = rng.choice(TRANSFER_BODIES)
            idea.public_reasoning = (
                "Asia kuuluu toisen viranomaisen tai maanomistajan päätettäväksi."
            )
        elif status == IdeaStatus.DUPLICATE:
            idea.duplicate_of = ideas[0]
            idea.public_reasoning = "Sama idea on jätetty jo aiemmin."
    Idea.objects.bulk_update(
        ideas,
        [
            "status",
            "proposal",
            "area",
            "reject_reason",
            "public_reasoning",
            "transferred_to",
            "duplicate_of",
        ],
    )
    screened_at = _aware(dt.date(2022, 5, 16))
    IdeaStatusChange.objects.bulk_create(
        [
            IdeaStatusChange(
                idea=i, from_status="", to_status=IdeaStatus.SUBMITTED, at=i.created_at
            )
            for i in ideas
        ]
        + [
            IdeaStatusChange(
                idea=i,
                from_status=IdeaStatus.SUBMITTED,
                to_status=i.status,
                public_reasoning=i.public_reasoning,
                at=_aware(dt.date(2022, 10, 20)) if i.status == IdeaStatus.MERGED else screened_at,
            )
            for i in ideas
        ]
    )
    forwarded = [i for i in ideas if i.status in (IdeaStatus.FORWARDED, IdeaStatus.MERGED)]
    SustainabilityAssessment.objects.bulk_create(
        [
            SustainabilityAssessment(
                idea=i,
                ecological=rng.choice([Rating.POSITIVE, Rating.NEUTRAL]),
                social=Rating.POSITIVE,
                economic=rng.choice([Rating.POSITIVE, Rating.NEUTRAL]),
                assessed_by=expert,
                assessed_at=screened_at,
            )
            for i in forwarded
        ]
    )
    Assessment.objects.bulk_create(
        [
            Assessment(
                idea=i,
                expert=expert,
                feasibility=Feasibility.FEASIBLE,
                cost_min=(i.rough_cost or Decimal(1000)) * Decimal("0.8"),
                cost_max=(i.rough_cost or Decimal(1000)) * Decimal("1.3"),
                maintenance_cost_per_year=Decimal(0),
                assessed_at=screened_at,
            )
            for i in forwarded
        ]
    )

    workshop = Workshop.objects.create(
        cycle=pilot,
        title="Kohenna Kouvolaa -yhteistyöpaja",
        description="Verkossa pidetty paja, jossa käytiin läpi jatkoon päässeet ideat.",
        starts_at=_aware(dt.date(2022, 10, 4), 17),
        ends_at=_aware(dt.date(2022, 10, 4), 19) + dt.timedelta(minutes=30),
        place="Teams",
        capacity=40,
        outcome=(
            "Ideoista muodostettiin kuusi toteutettavaa ehdotusta; osa yhdistettiin, koska ne "
            "koskivat samaa paikkaa."
        ),
    )
    workshop.ideas.set(forwarded[:20])
    participants = _participants(28)
    WorkshopRegistration.objects.bulk_create(
        [
            WorkshopRegistration(
                workshop=workshop,
                user=user,
                status=RegistrationStatus.REGISTERED,
                seat=n + 1,
                attended=n < 22,
                created_at=_aware(dt.date(2022, 9, 20)),
            )
            for n, user in enumerate(participants)
        ]
    )
    VolunteerPledge.objects.bulk_create(
        [
            VolunteerPledge(
                user=user,
                proposal=proposals[n % len(proposals)],
                what=rng.choice(
                    ["Maalaustalkoot", "Kivien siirto", "Kahvitus", "Istutukset", "Rakennustalkoot"]
                ),
                hours=rng.choice([2, 4, 6, 8]),
            )
            for n, user in enumerate(participants[:18])
        ]
    )


def _participants(count: int) -> list[User]:
    people = []
    for n in range(count):
        user, _ = User.objects.get_or_create(
            email=f"osallistuja{n + 1}@omakouvola.test",
            defaults={"display_name": f"Osallistuja {n + 1}", "postal_code": "45100"},
        )
        people.append(user)
    return people


def _seed_current(rng, cycle, areas, themes, users) -> None:
    start = cycle.ideation_starts_on
    today = min(Cycle.local_date(), cycle.ideation_ends_on)
    span = max((today - start).days, 1)
    resident = users.get("asukas@omakouvola.test")
    ideas = [
        _make_idea(
            rng,
            cycle,
            areas,
            themes,
            day=start + dt.timedelta(days=rng.randrange(span)),
            channel=rng.choice([Channel.WEB] * 5 + [Channel.PAPER, Channel.VILLAGE_EVENING]),
            submitter=resident if n < 2 else None,
        )
        for n in range(36)
    ]
    Idea.objects.bulk_create(ideas)
    ideas = list(cycle.ideas.order_by("id"))
    IdeaStatusChange.objects.bulk_create(
        [
            IdeaStatusChange(
                idea=i, from_status="", to_status=IdeaStatus.SUBMITTED, at=i.created_at
            )
            for i in ideas
        ]
    )
    # The city team has begun screening the earliest ideas.
    expert = users.get("asiantuntija@omakouvola.test")
    for idea in ideas[2:8]:
        idea.status = IdeaStatus.IN_SCREENING
        idea.assigned_expert = expert
    ideas[8].status = IdeaStatus.TRANSFERRED
    ideas[8].transferred_to = "Kaakkois-Suomen ELY-keskus"
    ideas[8].public_reasoning = "Maantien varren asiat kuuluvat ELY-keskukselle."
    Idea.objects.bulk_update(
        ideas[2:9], ["status", "assigned_expert", "transferred_to", "public_reasoning"]
    )
    IdeaStatusChange.objects.bulk_create(
        [
            IdeaStatusChange(
                idea=i,
                from_status=IdeaStatus.SUBMITTED,
                to_status=i.status,
                public_reasoning=i.public_reasoning,
            )
            for i in ideas[2:9]
        ]
    )
    Workshop.objects.create(
        cycle=cycle,
        title="Yhteiskehittämispaja: liikuntapaikat",
        description="Kehitetään liikuntaan liittyvistä ideoista kustannusarvioituja ehdotuksia.",
        starts_at=_aware(cycle.workshops_starts_on + dt.timedelta(days=2), 17),
        ends_at=_aware(cycle.workshops_starts_on + dt.timedelta(days=2), 20),
        place="Kouvolan pääkirjasto, Salamonkatu 10",
        capacity=30,
    )
