"""What the committees app holds about a person, how it forgets them, and how long it
keeps applicants' contact details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat

from .models import ApplicationStatus, Comment, FundingApplication, Membership, new_token


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


def _forget_contacts(applications) -> int:
    """The contacts go and the secret link dies (a new key nobody was sent)."""
    count = 0
    for application in applications.only("pk"):
        FundingApplication.objects.filter(pk=application.pk).update(
            responsible_person="", email="", phone="", token=new_token()
        )
        count += 1
    return count


def erase(user) -> None:
    """Memberships are public records of a public body: the name stays, the account link
    goes. Applications sent are the applicant organisation's: the person's link and
    contacts go; drafts never sent were only the person's and go whole."""
    Membership.objects.filter(user=user).update(user=None)
    theirs = FundingApplication.objects.filter(Q(created_by=user) | Q(email__iexact=user.email))
    theirs.filter(status=ApplicationStatus.DRAFT).delete()
    _forget_contacts(theirs)
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
    removed = _forget_contacts(expired)
    return {
        "applicant_contacts": removed,
        "applicant_messages": cleared,
    }


def anonymise() -> None:
    """For a test copy: applicants' and members' contacts become placeholders."""

    FundingApplication.objects.update(
        responsible_person=Concat(Value("Yhteyshenkilö "), Cast(F("pk"), CharField())),
        email=Concat(Value("hakija"), Cast(F("pk"), CharField()), Value("@example.invalid")),
        phone="",
        # Free text may name people and places; the secret links must not work on a copy.
        description=Concat(Value("Hakemuksen kuvaus "), Cast(F("pk"), CharField())),
    )
    for pk in FundingApplication.objects.values_list("pk", flat=True):
        FundingApplication.objects.filter(pk=pk).update(token=new_token())
    Membership.objects.update(
        name=Concat(Value("Jäsen "), Cast(F("pk"), CharField())),
        email=Concat(Value("jasen"), Cast(F("pk"), CharField()), Value("@example.invalid")),
        phone="",
    )
    Comment.objects.update(text="(kommentti poistettu)")
