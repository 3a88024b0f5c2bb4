"""Voting's work queues: ballots to count and publish, winners to confirm, paper votes."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omakouvola import workqueues
from omakouvola.rules import is_coordinator, is_decision_maker, is_paper_vote_clerk

from .models import Ballot

SECTION = gettext_lazy("Voting")


def _day(value) -> str:
    return date_format(timezone.localtime(value).date(), "SHORT_DATE_FORMAT")


def _closed(ballot: Ballot) -> str:
    return _("Voting closed %(date)s") % {"date": _day(ballot.closes_at)}


def _closes(ballot: Ballot) -> str:
    return _("Voting closes %(date)s") % {"date": _day(ballot.closes_at)}


def _to_publish(user):
    return Ballot.objects.filter(
        closes_at__lte=timezone.now(), results_published_at__isnull=True
    ).order_by("closes_at", "pk")


def _to_decide(user):
    return Ballot.objects.filter(result__isnull=False, decision__isnull=True).order_by(
        "closes_at", "pk"
    )


def _open_for_paper(user):
    now = timezone.now()
    return Ballot.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("name", "pk")


def register() -> None:
    workqueues.register(
        workqueues.WorkQueue(
            key="voting.to_publish",
            title=gettext_lazy("Ballots to count and publish"),
            section=SECTION,
            who=is_coordinator,
            items=_to_publish,
            link=lambda ballot, user: reverse("admin:voting_ballot_change", args=[ballot.pk]),
            detail=_closed,
            more=lambda user: reverse("admin:voting_ballot_changelist"),
            order=20,
        )
    )
    workqueues.register(
        workqueues.WorkQueue(
            key="voting.to_decide",
            title=gettext_lazy("Winners to confirm"),
            section=SECTION,
            who=is_decision_maker,
            items=_to_decide,
            link=lambda ballot, user: reverse("voting:decide", args=[ballot.pk]),
            detail=_closed,
            order=21,
        )
    )
    workqueues.register(
        workqueues.WorkQueue(
            key="voting.paper_votes",
            title=gettext_lazy("Ballots open for paper votes"),
            section=SECTION,
            who=is_paper_vote_clerk,
            items=_open_for_paper,
            link=lambda ballot, user: reverse("voting:paper_vote") + f"?ballot={ballot.pk}",
            detail=_closes,
            more=lambda user: reverse("voting:paper_vote"),
            order=22,
        )
    )
