"""Small steps the committees tests share: a meeting held with given people present."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from committees import services
from committees.models import Membership, MembershipRole

GRANT_ASSESSMENT = {
    "sustainability_ecological": "Kunnostus säästää materiaaleja.",
    "sustainability_social": "Kokoaa kyläläiset talkoisiin.",
    "sustainability_economic": "Ei ylläpitokuluja kaupungille.",
}


def grant_input(amount, **extra) -> services.DecisionInput:
    return services.DecisionInput(
        outcome="grant",
        amount=Decimal(amount),
        rationale="Hanke elävöittää kylää.",
        conditions="Kaupungin logo tiedotteisiin.",
        **{**GRANT_ASSESSMENT, **extra},
    )


def held_meeting(committee, actor, *, present=None, when=None, requests=()):
    """A meeting with everyone regular present (or `present`), requests on the agenda."""
    meeting = services.meeting_create(
        actor=actor,
        committee=committee,
        starts_at=when or dt.datetime(2026, 3, 12, 18, 0, tzinfo=dt.UTC),
        place="Valkealan kylätalo",
    )
    items = [
        services.agenda_add_request(actor=actor, meeting=meeting, funding_request=r)
        for r in requests
    ]
    if present is None:
        present = Membership.objects.filter(committee=committee).exclude(role=MembershipRole.DEPUTY)
    services.meeting_record_attendance(actor=actor, meeting=meeting, present=present)
    return meeting, items
