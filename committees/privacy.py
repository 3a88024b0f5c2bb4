"""What the committees app holds about a person, how it forgets them, and how long it
keeps applicants' contact details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q

from .models import Comment, FundingApplication, Membership


def export(user) -> dict[str, Any]:
    return {
        "committee_memberships": list(
            Membership.objects.filter(user=user).values(
                "committee__name", "role", "represents", "term_start", "term_end"
            )
        ),
        "funding_applications": list(
            FundingApplication.objects.filter(
                Q(created_by=user) | Q(email__iexact=user.email)
            ).values(
                "title",
                "status",
                "organisation_name",
                "responsible_person",
                "email",
                "phone",
                "created_at",
            )
        ),
        "internal_comments": list(Comment.objects.filter(author=user).values("text", "created_at")),
    }


def erase(user) -> None:
    """Memberships are public records of a public body: the name stays, the account link
    goes. Applications are the applicant organisation's; the person's link goes."""
    Membership.objects.filter(user=user).update(user=None)
    FundingApplication.objects.filter(created_by=user).update(created_by=None)
    Comment.objects.filter(author=user).update(author=None)


def retention(now: dt.datetime) -> dict[str, int]:
    """Applicants' contact details go once the configured period has passed after the
    application was settled; the organisation, amounts and decisions stay."""
    from omakouvola.models import Notification

    limit = now - dt.timedelta(days=settings.RETENTION_APPLICANT_CONTACT_DAYS)
    # Drafts never sent and applications never decided expire too: a period without any
    # change is the end of the purpose the contacts were given for.
    expired = FundingApplication.objects.filter(updated_at__lt=limit).exclude(email="")
    emails = {e.lower() for e in expired.values_list("email", flat=True)}
    # The messages sent to those addresses hold the secret link and the person's name.
    messages = Notification.objects.filter(template__startswith="committees_application").filter(
        to_email__in=emails
    )
    cleared = messages.update(to_email="", body_text="", body_html="", subject="")
    removed = expired.update(responsible_person="", email="", phone="")
    return {"applicant_contacts": removed, "applicant_messages": cleared}


def anonymise() -> None:
    """For a test copy: applicants' and members' contacts become placeholders."""
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat

    FundingApplication.objects.update(
        responsible_person=Concat(Value("Yhteyshenkilö "), Cast(F("pk"), CharField())),
        email=Concat(Value("hakija"), Cast(F("pk"), CharField()), Value("@example.invalid")),
        phone="",
    )
    Membership.objects.update(
        name=Concat(Value("Jäsen "), Cast(F("pk"), CharField())),
        email=Concat(Value("jasen"), Cast(F("pk"), CharField()), Value("@example.invalid")),
        phone="",
    )
    Comment.objects.update(text="(kommentti poistettu)")
