"""Demo data for the ideas app: the 2022 pilot "Kohenna Kouvolaa" and the current round.

Rows are written directly (not through the services) so that seeding sends no e-mail;
statuses and their public history are filled in as the services would leave them.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from ideas import services
from ideas.models import (
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
from omakouvola.models import HELSINKI, Area, Cycle, User

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
def seed_ideas(
    *,
    areas: dict[str, Area],
    users: dict[str, User],
    cycle: Cycle,
    youth_cycle: Cycle | None = None,
) -> dict:
    rng = random.Random(2022)  # noqa: S311 - demo data, reproducible
    themes = _theme_map()
    pilot = pilot_cycle()
    if not pilot.ideas.exists():
        _seed_pilot(rng, pilot, areas, themes, users)
    if not cycle.ideas.exists():
        _seed_living(rng, cycle, areas, themes, users)
    if youth_cycle is not None and not youth_cycle.ideas.exists():
        _seed_youth(rng, youth_cycle, areas, themes, users)
    if youth_cycle is not None:
        _youth_workshops(youth_cycle)
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
        for k, idea in enumerate(ideas[cursor : cursor + 2]):
            idea.status = IdeaStatus.MERGED
            idea.proposal = proposal
            if slug:
                idea.area = areas[slug]
                # The idea names a place in its new area, the one the proposal's title
                # names when it names one ("Muraali Inkeroisten alikulkuun"), so the
                # proposal and what got built from it stand on the map where they say.
                named = [p for p in PLACES[slug] if p[:5] in title]
                place = named[0] if named else PLACES[slug][(cursor + k) % len(PLACES[slug])]
                if idea.address:
                    idea.title = idea.title.replace(idea.address, place)
                    idea.description = idea.description.replace(idea.address, place)
                idea.address = place
        cursor += 2

    plan = (
        [IdeaStatus.FORWARDED] * 38
        + [IdeaStatus.REJECTED] * 62
        + [IdeaStatus.TRANSFERRED] * 37
        + [IdeaStatus.DUPLICATE] * 12
    )
    screened_at = _aware(dt.date(2022, 5, 16))
    _screened_as(
        rng, ideas, cursor, plan, screened_at=screened_at, merged_at=_aware(dt.date(2022, 10, 20))
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
    # The demo resident offered help on an idea that was then merged into a proposal.
    VolunteerPledge.objects.create(
        user=users["asukas@omakouvola.test"],
        idea=ideas[0],
        what="Kivien siirto",
        hours=4,
        created_at=_aware(dt.date(2022, 3, 20)),
    )


def _screened_as(rng, ideas, merged: int, plan, *, screened_at, merged_at) -> None:
    """History of a past round's screening: the first `merged` ideas (given their proposal
    by the caller) were merged on `merged_at`, the rest screened on `screened_at` as `plan`
    says, each with its public reasoning and its two status changes."""
    reasons = list(REJECT_REASONINGS)
    for idea, status in zip(ideas[merged:], plan, strict=True):
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
            "title",
            "description",
            "address",
            "reject_reason",
            "public_reasoning",
            "transferred_to",
            "duplicate_of",
        ],
    )
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
                at=merged_at if i.status == IdeaStatus.MERGED else screened_at,
            )
            for i in ideas
        ]
    )


def seed_past_ideas(cycle: Cycle, proposals: list[Proposal], areas: dict[str, Area]) -> None:
    """A past round's ideas, as history: two merged into each of its proposals (in the
    proposal's area) and the rest screened out or forwarded, like the pilot's."""
    if cycle.ideas.exists():
        return
    rng = random.Random(cycle.year * 7)  # noqa: S311 - demo data, reproducible
    themes = _theme_map()
    span = (cycle.ideation_ends_on - cycle.ideation_starts_on).days
    days = [cycle.ideation_starts_on + dt.timedelta(days=n) for n in range(span + 1)]
    merged = 2 * len(proposals)
    plan = [IdeaStatus.FORWARDED] * 6 + [IdeaStatus.REJECTED] * 16 + [IdeaStatus.TRANSFERRED] * 6
    Idea.objects.bulk_create(
        [
            _make_idea(
                rng,
                cycle,
                areas,
                themes,
                day=rng.choice(days),
                channel=Channel.PAPER if rng.random() < 0.25 else Channel.WEB,
            )
            for _ in range(merged + len(plan))
        ]
    )
    ideas = list(cycle.ideas.order_by("id"))
    for n, proposal in enumerate(proposals):
        for idea in ideas[2 * n : 2 * n + 2]:
            idea.status = IdeaStatus.MERGED
            idea.proposal = proposal
            idea.area = proposal.area
    _screened_as(
        rng,
        ideas,
        merged,
        plan,
        screened_at=_aware(cycle.ideation_ends_on + dt.timedelta(days=10)),
        merged_at=_aware(cycle.workshops_ends_on),
    )


def _participants(count: int) -> list[User]:
    from allauth.account.models import EmailAddress

    people = []
    for n in range(count):
        email = f"osallistuja{n + 1}@omakouvola.test"
        user, _ = User.objects.get_or_create(
            email=email,
            defaults={"display_name": f"Osallistuja {n + 1}", "postal_code": "45100"},
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        people.append(user)
    return people


PICTURE_SKIES = [(120, 170, 220), (150, 190, 230), (236, 170, 120), (180, 200, 215)]
PICTURE_GROUNDS = [(60, 130, 70), (110, 150, 60), (90, 110, 80), (140, 120, 90)]


def _font(size: int):
    """A font with ä, ö and the dash (DejaVu, from Debian's fonts-dejavu-core, which
    Chromium brings); Pillow's own default draws boxes for them, so it is the fallback."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def demo_picture(n: int, title: str) -> SimpleUploadedFile:
    """A simple landscape with the project's name, drawn at seed time (never committed)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 500), PICTURE_SKIES[n % len(PICTURE_SKIES)])
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 300, 800, 500], fill=PICTURE_GROUNDS[n % len(PICTURE_GROUNDS)])
    draw.ellipse([600, 50, 700, 150], fill=(255, 221, 87))
    for k in range(4):  # a row of spruces
        x = 60 + k * 120 + (n * 37) % 60
        draw.polygon([(x, 300), (x + 40, 170 + 10 * k), (x + 80, 300)], fill=(30, 80, 45))
    draw.rectangle([40, 400, 760, 470], fill=(245, 245, 240))
    draw.text((60, 418), title[:44], fill=(20, 20, 20), font=_font(28))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"ehdotus-{n}.jpg", buffer.getvalue(), content_type="image/jpeg")


def demo_paper_form(*, title: str, description: str, name: str, day: dt.date) -> SimpleUploadedFile:
    """A "scan" of an idea card filled in by hand, drawn at seed time (never committed)."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (1000, 1400), (250, 249, 244))
    draw = ImageDraw.Draw(page)
    heading, label, hand = (_font(size) for size in (44, 26, 30))
    draw.text((70, 60), "OmaKouvola – ideakortti", fill=(0, 70, 120), font=heading)
    draw.text((70, 120), "Palauta asiointipisteeseen tai kirjastoon", fill=(60, 60, 60), font=label)
    ink = (25, 40, 120)
    y = 200
    for caption, text, lines in (
        ("Ideani", title, 2),
        ("Kerro tarkemmin", description, 6),
        ("Nimi (ei julkaista)", name, 1),
        ("Päivämäärä", day.strftime("%d.%m.%Y"), 1),
    ):
        draw.text((70, y), caption, fill=(60, 60, 60), font=label)
        y += 40
        draw.rectangle([70, y, 930, y + 60 * lines], outline=(120, 120, 120), width=2)
        words, row, rows = text.split(), "", []
        for word in words:
            if len(row) + len(word) > 44:
                rows.append(row)
                row = ""
            row = f"{row} {word}".strip()
        rows.append(row)
        for k, line in enumerate(rows[:lines]):
            draw.text((90, y + 12 + 60 * k), line, fill=ink, font=hand)
        y += 60 * lines + 50
    buffer = io.BytesIO()
    page.save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile("skannaus.png", buffer.getvalue(), content_type="image/png")


SECTORS = {
    "liikunta": "Liikuntapalvelut",
    "luonto": "Ympäristöpalvelut",
    "kulttuuri": "Kulttuuripalvelut",
    "lapset": "Kasvatus ja opetus",
    "yhteiso": "Kaupunkirakenne",
    "liikenne": "Kaupunkirakenne",
    "puistot": "Kaupunkirakenne",
}
# The area ballots share 75 000 € by population; a proposal costs at most 60 % of its pot.
AREA_MONEY = Decimal(75_000)
AREA_MONEY_SHARE = Decimal("0.6")
PROPOSALS_PER_AREA = {"keskusta": 9}
YOUTH_PROPOSALS = [
    ("Nuorten oleskelukatos Kuusankosken skeittipaikalle", "kuusankoski-jaala", "3800"),
    ("Kuntosalilaitteet Elimäen nuorisotalolle", "elimaki-koria", "2900"),
    ("Pelikonsolit ja lautapelit Valkealan nuorisotilaan", "valkeala", "1500"),
    ("Lainattavat SUP-laudat Käyrälammelle", "keskusta", "3200"),
    ("Graffitiseinä Inkeroisiin", "anjalankoski", "2400"),
]
CITY_PROPOSALS = [
    ("Linnunpönttötalkoot koko Kouvolaan", "luonto", "6400"),
    ("Paikallishistorian opastaulut kyliin", "kulttuuri", "12600"),
    ("Penkkejä ulkoilureittien varsille", "puistot", "9800"),
]


def _forwarded_idea(
    staff, expert, cycle, *, title, description, area, theme, cost, day, n, place=""
):
    """An idea as it arrived (web survey export, paper form or village evening), screened
    by the expert and forwarded, all through the services. The place it names (else its
    area's name) puts it on the map when it is one of PLACE_COORDINATES."""
    channel = [Channel.WEB, Channel.WEB, Channel.PAPER, Channel.VILLAGE_EVENING][n % 4]
    idea = services.idea_enter_on_behalf(
        actor=staff,
        cycle=cycle,
        channel=channel,
        title=title,
        description=description,
        submitter_name=SUBMITTER_NAMES[n % len(SUBMITTER_NAMES)],
        area=area,
        theme=theme,
        address=place or (area.name if area else ""),
        rough_cost=cost,
        consents_to_codevelopment=n % 3 != 0,
        created_at=_aware(day, 9 + n % 12),
    )
    services.idea_start_screening(actor=staff, idea=idea, expert=expert)
    services.assessment_record(
        actor=expert,
        idea=idea,
        feasibility=Feasibility.FEASIBLE,
        cost_min=(cost * Decimal("0.85")).quantize(Decimal(1)),
        cost_max=(cost * Decimal("1.15")).quantize(Decimal(1)),
        feasibility_note="Toteutettavissa kaupungin maalla, ei lupatarvetta.",
    )
    services.sustainability_record(
        actor=expert,
        idea=idea,
        ecological=Rating.POSITIVE if n % 2 else Rating.NEUTRAL,
        social=Rating.POSITIVE,
        economic=Rating.POSITIVE,
        social_note="Avoin kaikille ja kokoaa asukkaita yhteen.",
        no_later_costs=True,
    )
    return services.idea_forward(actor=staff, idea=idea, public_reasoning="Jatkoon pajaan.")


def _proposal(staff, coordinator, cycle, ideas, *, title, description, area, theme, cost, n):
    proposal = services.proposal_create(
        actor=staff,
        cycle=cycle,
        ideas=ideas,
        title=title,
        description=description,
        cost=cost,
        area=area,
        theme=theme,
        responsible_sector=SECTORS.get(theme.slug, "Kaupunkirakenne"),
        sustainability_summary=(
            "Ekologisesti, sosiaalisesti ja taloudellisesti kestävä: ei ylläpitokuluja "
            "kaupungille, osa työstä tehdään talkoilla."
        ),
        image=demo_picture(n, title),
        image_alt_text=f"Havainnekuva: {title}",
    )
    return services.proposal_approve(actor=coordinator, proposal=proposal)


def _seed_living(rng, cycle, areas, themes, users) -> None:
    """Today's round is in its vote: every area has costed proposals with a picture."""
    coordinator = users["koordinaattori@omakouvola.test"]
    staff = users["vihertiimi@omakouvola.test"]
    expert = users["asiantuntija@omakouvola.test"]
    span = max((cycle.ideation_ends_on - cycle.ideation_starts_on).days, 1)

    def ideation_day() -> dt.date:
        return cycle.ideation_starts_on + dt.timedelta(days=rng.randrange(span))

    population = sum(a.population for a in areas.values())
    n = 0
    for slug, area in sorted(areas.items()):
        limit = (AREA_MONEY * area.population / population * AREA_MONEY_SHARE).quantize(
            Decimal(100)
        )
        fitting = [t for t in IDEA_TEMPLATES if Decimal(t[3]) <= limit]
        chosen = rng.sample(fitting, min(PROPOSALS_PER_AREA.get(slug, 8), len(fitting)))
        for theme_slug, title, description, rough in chosen:
            place = rng.choice(PLACES[slug])
            factor = Decimal(rng.choice(["0.9", "1", "1.1"]))
            cost = min((Decimal(rough) * factor).quantize(Decimal(100)), limit)
            ideas = [
                _forwarded_idea(
                    staff,
                    expert,
                    cycle,
                    title=f"{title} – {place}" if k == 0 else f"{place}: {title.lower()}",
                    description=f"{description} Paikka: {place}.",
                    area=area,
                    theme=themes[theme_slug],
                    cost=cost,
                    day=ideation_day(),
                    n=n + k,
                    place=place,
                )
                for k in range(1 + n % 2)
            ]
            _proposal(
                staff,
                coordinator,
                cycle,
                ideas,
                title=f"{title}: {place}",
                description=(
                    f"{description} Paikka: {place}. Yhteiskehittämispajassa kustannusarvioitu "
                    "ehdotus; kaupunki toteuttaa sen vuoden aikana, jos se voittaa."
                ),
                area=area,
                theme=themes[theme_slug],
                cost=cost,
                n=n,
            )
            n += 1
    others = [
        (title, None, themes[theme], Decimal(cost), f"{title}: kaikilla viidellä alueella.")
        for title, theme, cost in CITY_PROPOSALS
    ] + [
        (
            title,
            areas[slug],
            themes["lapset"],
            Decimal(cost),
            f"Nuorten ideoima ja nuorisopalvelujen kanssa kehitetty: {title}.",
        )
        for title, slug, cost in YOUTH_PROPOSALS
    ]
    for title, area, theme, cost, description in others:
        idea = _forwarded_idea(
            staff,
            expert,
            cycle,
            title=title,
            description=description,
            area=area,
            theme=theme,
            cost=cost,
            day=ideation_day(),
            n=n,
            # A youth proposal stands at its area's first place; a city-wide one has none.
            place=PLACES[area.slug][0] if area else "",
        )
        _proposal(
            staff,
            coordinator,
            cycle,
            [idea],
            title=title,
            description=description,
            area=area,
            theme=theme,
            cost=cost,
            n=n,
        )
        n += 1

    # Ideas that did not go on: the public sees why.
    for k, (reason, reasoning) in enumerate(REJECT_REASONINGS.items()):
        theme_slug, title, description, cost = IDEA_TEMPLATES[(7 * k + 3) % len(IDEA_TEMPLATES)]
        slug = sorted(areas)[k % len(areas)]
        idea = services.idea_enter_on_behalf(
            actor=staff,
            cycle=cycle,
            channel=Channel.WEB,
            title=f"{title} – {PLACES[slug][0]}",
            description=description,
            submitter_name=SUBMITTER_NAMES[(k + 5) % len(SUBMITTER_NAMES)],
            area=areas[slug],
            theme=themes[theme_slug],
            rough_cost=Decimal(cost),
            created_at=_aware(ideation_day(), 18),
        )
        services.idea_reject(actor=staff, idea=idea, reason=reason, public_reasoning=reasoning)
    road_day = ideation_day()
    road = services.idea_enter_on_behalf(
        actor=staff,
        cycle=cycle,
        channel=Channel.PAPER,
        title="Kevyen liikenteen väylä Jaalan kirkonkylään",
        description="Pyörätie maantien varteen kylältä koululle.",
        submitter_name="Tapio N.",
        area=areas["kuusankoski-jaala"],
        theme=themes["liikenne"],
        rough_cost=Decimal(250_000),
        created_at=_aware(road_day, 12),
        # The card came by post: the city team keeps its scan (only they can open it).
        scan=demo_paper_form(
            title="Kevyen liikenteen väylä Jaalan kirkonkylään",
            description="Pyörätie maantien varteen kylältä koululle, lapset kulkevat nyt "
            "pientareella rekkojen vieressä.",
            name="Tapio N.",
            day=road_day,
        ),
    )
    services.idea_transfer(
        actor=staff,
        idea=road,
        body="Kaakkois-Suomen ELY-keskus",
        public_reasoning="Maantien varren asiat kuuluvat ELY-keskukselle.",
    )

    # The workshops behind the proposals, and a volunteering workshop still to come.
    participants = _participants(28)
    for k, (title, place) in enumerate(
        [
            ("Yhteiskehittämispaja: liikunta ja ulkoilu", "Kouvolan pääkirjasto, Salamonkatu 10"),
            ("Yhteiskehittämispaja: kylät, puistot ja luonto", "Kuusankoskitalo, Kymintie 8"),
        ]
    ):
        day = cycle.workshops_starts_on + dt.timedelta(days=3 + 14 * k)
        workshop = Workshop.objects.create(
            cycle=cycle,
            title=title,
            description="Ideoista kehitettiin kustannusarvioituja ehdotuksia äänestykseen.",
            starts_at=_aware(day, 17),
            ends_at=_aware(day, 20),
            place=place,
            capacity=30,
            outcome="Pajassa yhdistettiin samaa paikkaa koskevat ideat ja arvioitiin kustannukset.",
        )
        services.workshop_set_agenda(
            actor=staff, workshop=workshop, ideas=list(cycle.ideas.order_by("pk")[k * 10 :][:10])
        )
        if k == 0:  # the demo resident took part: a past seat on her own page
            WorkshopRegistration.objects.create(
                workshop=workshop,
                user=users["asukas@omakouvola.test"],
                status=RegistrationStatus.REGISTERED,
                seat=1,
                attended=True,
                created_at=_aware(day - dt.timedelta(days=7), 10),
            )
    talkoot_day = cycle.voting_ends_on + dt.timedelta(days=10)
    talkoot = Workshop.objects.create(
        cycle=cycle,
        title="Talkoopaja: voittajahankkeet toteutukseen",
        description=(
            "Sovitaan yhdessä, mitkä voittaneiden hankkeiden työt tehdään talkoilla ja milloin."
        ),
        starts_at=_aware(talkoot_day, 17),
        ends_at=_aware(talkoot_day, 19),
        place="Kouvolan pääkirjasto, Salamonkatu 10",
        capacity=25,
    )
    resident = users["asukas@omakouvola.test"]
    for person in [*participants[:9], resident]:
        services.workshop_register(actor=person, workshop=talkoot)
    proposals = list(cycle.proposals.order_by("pk"))
    services.pledge_create(actor=resident, proposal=proposals[1], what="Kahvitus", hours=3)
    for k, person in enumerate(participants[:14]):
        services.pledge_create(
            actor=person,
            proposal=proposals[(k * 5) % len(proposals)],
            what=rng.choice(["Maalaustalkoot", "Kahvitus", "Istutukset", "Rakennustalkoot"]),
            hours=rng.choice([2, 4, 6]),
        )


def _seed_youth(rng, youth_cycle, areas, themes, users) -> None:
    """The youth round takes ideas now; its workshops are coming, with free seats."""
    staff = users["vihertiimi@omakouvola.test"]
    resident = users["asukas@omakouvola.test"]
    young = users["nuori@omakouvola.test"]
    submitted_on = min(
        max(Cycle.local_date(), youth_cycle.ideation_starts_on), youth_cycle.ideation_ends_on
    )
    span = max((submitted_on - youth_cycle.ideation_starts_on).days, 1)
    ideas = []
    for k in range(12):
        theme_slug, title, description, cost = IDEA_TEMPLATES[(5 * k + 1) % len(IDEA_TEMPLATES)]
        slug = sorted(areas)[k % len(areas)]
        place = PLACES[slug][k % len(PLACES[slug])]
        arrived = youth_cycle.ideation_starts_on + dt.timedelta(days=k * span // 12)
        ideas.append(
            services.idea_enter_on_behalf(
                actor=staff,
                cycle=youth_cycle,
                channel=[Channel.YOUTH_COUNCIL, Channel.WEB, Channel.WORKSHOP][k % 3],
                title=f"{title} – {place}",
                description=f"{description} Paikka: {place}.",
                submitter_name=SUBMITTER_NAMES[k % len(SUBMITTER_NAMES)],
                submitter_birth_year=2008 + k % 5,
                area=areas[slug],
                theme=themes[theme_slug],
                address=place,
                rough_cost=min(Decimal(cost), Decimal(4000)),
                for_youth=True,
                created_at=_aware(arrived, 16),
                # The youth council's first card, as the city team scanned it.
                scan=demo_paper_form(
                    title=f"{title} – {place}",
                    description=description,
                    name=SUBMITTER_NAMES[k % len(SUBMITTER_NAMES)],
                    day=arrived,
                )
                if k == 0
                else None,
            )
        )
    for idea in ideas[:4]:
        services.idea_start_screening(
            actor=staff, idea=idea, expert=users["asiantuntija@omakouvola.test"]
        )
    # The demo's own residents have ideas waiting, which they can still edit.
    for actor, title, description, slug, theme in [
        (
            resident,
            "Penkkejä Kuusankosken rantareitille",
            "Levähdyspenkkejä rantareitin varteen, jotta isovanhemmatkin jaksavat kävellä.",
            "kuusankoski-jaala",
            "puistot",
        ),
        (
            resident,
            "Koirapuisto Niskapietilään",
            "Aidattu koirapuisto, jossa erilliset alueet pienille ja isoille koirille.",
            "kuusankoski-jaala",
            "puistot",
        ),
        (
            young,
            "Parkour-telineet Elimäen koulun pihaan",
            "Telineitä parkouriin ja kiipeilyyn, välitunneille ja iltaisin.",
            "elimaki-koria",
            "lapset",
        ),
    ]:
        services.idea_submit(
            actor=actor,
            cycle=youth_cycle,
            title=title,
            description=description,
            area=areas[slug],
            theme=themes[theme],
            rough_cost=Decimal(3000),
            consents_to_codevelopment=True,
            at=_aware(submitted_on, 15),
        )


def _youth_workshops(youth_cycle) -> None:
    """The youth round's workshops, with seats left in one and the other full; a later run
    that finds them past (the round was moved on) plans them again."""
    participants = _participants(28)
    for k, (title, place, capacity, taken) in enumerate(
        [
            ("Nuorten ideapaja: liikuntapaikat", "Nuorisotalo Sointula, Kouvola", 20, 12),
            ("Nuorten ideapaja: hengailupaikat", "Kuusankosken nuorisotila Kuusis", 16, 16),
        ]
    ):
        day = youth_cycle.workshops_starts_on + dt.timedelta(days=2 + 7 * k)
        if Workshop.objects.filter(
            cycle=youth_cycle, title=title, starts_at__gte=_aware(day, 0)
        ).exists():
            continue
        workshop = Workshop.objects.create(
            cycle=youth_cycle,
            title=title,
            description="Kehitetään nuorten ideoista kustannusarvioituja ehdotuksia.",
            starts_at=_aware(day, 16),
            ends_at=_aware(day, 18),
            place=place,
            capacity=capacity,
        )
        for person in participants[10 : 10 + taken + k * 2]:
            services.workshop_register(actor=person, workshop=workshop)


# ---------------------------------------------------------------------------------------
# Located ideas and residents' support (issue #17)
# ---------------------------------------------------------------------------------------

#: Roughly where each demo place is (latitude, longitude), each inside its area's outline.
PLACE_COORDINATES = {
    "Myllykoski": (60.7667, 26.7833),
    "Inkeroinen": (60.6990, 26.8305),
    "Anjala": (60.6900, 26.8050),
    "Keltakangas": (60.7400, 26.7500),
    "Sippola": (60.7333, 27.0000),
    "Ummeljoki": (60.6850, 26.7000),
    "Elimäki": (60.7213, 26.4481),
    "Koria": (60.8500, 26.5500),
    "Raussila": (60.7500, 26.3500),
    "Peippola": (60.7800, 26.5000),
    "Mustila": (60.7330, 26.4330),
    "Kouvolan keskusta": (60.8683, 26.7044),
    "Kaunisnurmi": (60.8700, 26.6900),
    "Lehtomäki": (60.8600, 26.7200),
    "Käpylä": (60.8760, 26.7280),
    "Tornionmäki": (60.8800, 26.6800),
    "Korjala": (60.8540, 26.7350),
    "Sarkola": (60.8620, 26.6500),
    "Kuusankoski": (60.9079, 26.6239),
    "Voikkaa": (60.9500, 26.5800),
    "Jaala": (61.0500, 26.4900),
    "Kymintehdas": (60.8950, 26.6000),
    "Niskapietilä": (60.9300, 26.6600),
    "Valkeala": (60.9398, 26.7999),
    "Utti": (60.8900, 26.9300),
    "Vekaranjärvi": (61.0000, 27.0500),
    "Kääpälä": (60.9200, 26.8500),
    "Oravala": (61.0300, 26.9000),
}


@transaction.atomic
def seed_locations_and_supports(*, cycle: Cycle) -> dict[str, int]:
    """Put the demo ideas that name a place on the map (a few hundred metres around the
    place, kept inside the idea's area), and give the current round's ideas supports from
    the demo residents. Runs again without adding anything."""
    from ideas.models import IdeaSupport
    from omakouvola import geo

    rng = random.Random(17)  # noqa: S311 - demo data, reproducible
    located = []
    for idea in (
        Idea.objects.filter(latitude__isnull=True).exclude(address="").select_related("area")
    ):
        place = PLACE_COORDINATES.get(idea.address)
        if place is None:
            continue
        lat = Decimal(str(round(place[0] + rng.uniform(-0.004, 0.004), 5)))
        lon = Decimal(str(round(place[1] + rng.uniform(-0.008, 0.008), 5)))
        if idea.area is not None and geo.area_slug_at(lat, lon) != idea.area.slug:
            lat, lon = Decimal(str(place[0])), Decimal(str(place[1]))
            if geo.area_slug_at(lat, lon) != idea.area.slug:
                continue  # a hand-written demo idea names a place in another area
        idea.latitude, idea.longitude = lat, lon
        located.append(idea)
    Idea.objects.bulk_update(located, ["latitude", "longitude"])

    residents = list(User.objects.exclude(postal_code="").filter(is_staff=False)[:80])
    supports = []
    already = IdeaSupport.objects.filter(idea__cycle=cycle).exists()
    for idea in [] if already else Idea.objects.public().filter(cycle=cycle):
        # A few popular ideas, most with a handful, some with none: a screening signal.
        n = min(len(residents), int(rng.paretovariate(1.3)) - 1)
        supports += [IdeaSupport(idea=idea, user=u) for u in rng.sample(residents, max(0, n))]
    IdeaSupport.objects.bulk_create(supports, ignore_conflicts=True)
    return {"located": len(located), "supports": len(supports)}
