"""What the ideas app holds about a person, and how it forgets them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat

from .models import Idea, IdeaSupport, RegistrationStatus, VolunteerPledge, WorkshopRegistration


def export(user) -> dict[str, Any]:
    return {
        "ideas": list(
            Idea.objects.filter(submitter=user)
            .order_by("created_at")
            .values(
                "id",
                "title",
                "description",
                "status",
                "created_at",
                "address",
                "on_behalf_of",
                "cycle__name",
            )
        ),
        "volunteer_pledges": list(
            VolunteerPledge.objects.filter(user=user).values(
                "what", "hours", "created_at", "idea__title", "proposal__title"
            )
        ),
        "idea_supports": list(
            IdeaSupport.objects.filter(user=user)
            .order_by("created_at")
            .values("idea_id", "idea__title", "created_at")
        ),
        "workshop_registrations": list(
            WorkshopRegistration.objects.filter(user=user)
            .exclude(status=RegistrationStatus.CANCELLED)
            .values("workshop__title", "workshop__starts_at", "status", "attended")
        ),
    }


def erase(user) -> None:
    """Ideas stay, without a name (or a scan of a form); pledges, supports and
    registrations are removed."""
    Idea.objects.filter(submitter=user).update(
        submitter=None, submitter_name="", submitter_contact="", on_behalf_of="", paper_scan=""
    )
    Idea.objects.filter(assigned_expert=user).update(assigned_expert=None)
    VolunteerPledge.objects.filter(user=user).delete()
    IdeaSupport.objects.filter(user=user).delete()
    WorkshopRegistration.objects.filter(user=user).delete()


def retention(now: dt.datetime) -> dict[str, int]:
    """A paper form's scan goes once its period has passed; the typed-in idea stays. The
    file itself goes with the daily clean-up of private files no row names."""
    limit = now - dt.timedelta(days=settings.RETENTION_PAPER_SCAN_DAYS)
    scans = Idea.objects.filter(created_at__lt=limit).exclude(paper_scan="")
    return {"paper_scans": scans.update(paper_scan="")}


def anonymise() -> None:
    """For a test copy: ideas keep their text, lose who sent them."""

    Idea.objects.exclude(submitter_name="").update(
        submitter_name=Concat(Value("Ehdottaja "), Cast(F("pk"), CharField())), submitter_contact=""
    )
    Idea.objects.update(on_behalf_of="", paper_scan="")
    VolunteerPledge.objects.update(what="Talkooapu")
