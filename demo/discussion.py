"""Demo discussion: comments, a reply, an official answer, a hidden comment with its
reason, an open report and a comment waiting for pre-moderation. Through the services,
so the audit log and the rules see it as they would see residents; safe to run again.

`seed_discussion(users=..., cycle=..., youth_cycle=...)` is the one call for seed_demo.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from demo.core import DEMO_PASSWORD
from discussion import services
from discussion.models import Comment, DiscussionSettings, ReportReason
from ideas.models import Idea, Proposal
from omakouvola.models import Cycle, User

COMMENTER = ("kommentoija@omakouvola.test", "Kommentoija Kalle", "45610", 1971)


def _commenter() -> User:
    email, name, postal_code, birth_year = COMMENTER
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"display_name": name, "postal_code": postal_code, "birth_year": birth_year},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _open(coordinator: User, cycle: Cycle, **phases: bool) -> None:
    if DiscussionSettings.objects.filter(cycle=cycle).exists():
        return  # seeded before; seeding again changes nothing
    found = DiscussionSettings(cycle=cycle)
    for name, value in phases.items():
        setattr(found, name, value)
    services.discussion_settings_save(
        actor=coordinator, settings=found, changed_fields=list(phases)
    )


@transaction.atomic
def seed_discussion(*, users: dict[str, User], cycle: Cycle, youth_cycle: Cycle) -> dict:
    coordinator = users["koordinaattori@omakouvola.test"]
    city_team = users["vihertiimi@omakouvola.test"]
    aili = users["asukas@omakouvola.test"]
    paavo = users["puheenjohtaja@omakouvola.test"]
    niko = users["nuori@omakouvola.test"]
    kalle = _commenter()
    _open(coordinator, cycle, in_ideation=True, in_voting=True)
    _open(coordinator, youth_cycle, in_ideation=True, pre_moderation=True)
    if Comment.objects.exists():
        return {"comments": Comment.objects.count()}

    proposals = list(Proposal.objects.public().filter(cycle=cycle).order_by("pk")[:2])
    if proposals:
        first = proposals[0]
        question = services.comment_post(
            actor=aili,
            target=first,
            body=(
                "Tämä olisi tosi tarpeellinen. Nyt lasten kanssa ei ole kunnolla paikkaa, "
                "jossa istua ja syödä eväitä.\nTuleeko mukaan myös katos sateen varalle?"
            ),
        )
        services.comment_post(
            actor=paavo,
            target=first,
            parent=question,
            body="Samaa mieltä! Kylätoimikunta voisi auttaa kokoamisessa talkoilla.",
        )
        services.comment_post(
            actor=city_team,
            target=first,
            parent=question,
            official=True,
            body=(
                "Kiitos kysymyksestä! Katos on mukana kustannusarviossa. Talkooapu on "
                "tervetullutta: voitte ilmoittautua talkoolupauksella tällä sivulla."
            ),
        )
        rude = services.comment_post(
            actor=kalle,
            target=first,
            body=(
                "Taas rahaa tuhlataan muualle kuin meidän kylään. Soittakaa minulle "
                "040 123 4567, niin kerron mitä mieltä olen näistä päättäjistä."
            ),
        )
        services.comment_hide(
            actor=coordinator,
            comment=rude,
            reason="Kommentti sisälsi puhelinnumeron ja asiattomia ilmauksia.",
        )
    if len(proposals) > 1:
        reported = services.comment_post(
            actor=kalle,
            target=proposals[1],
            body="Aivan turha hanke. Ne, jotka tätä kannattavat, eivät tiedä mistään mitään.",
        )
        services.comment_report(actor=aili, comment=reported, reason=ReportReason.ABUSE)
        services.comment_post(
            actor=aili,
            target=proposals[1],
            body="Kävin paikalla eilen: polku on tosiaan liukas ja valaistus puuttuu kokonaan.",
        )
    youth_idea = Idea.objects.public().filter(cycle=youth_cycle).order_by("pk").first()
    if youth_idea is not None:
        services.comment_post(
            actor=niko,
            target=youth_idea,
            body="Hyvä idea! Meidän koululla moni haluaisi tällaisen.",
        )
    return {"comments": Comment.objects.count()}
