"""The ideas app's work queues on the staff home: ideas to screen, assessments, proposals."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omakouvola import workqueues
from omakouvola.rules import is_city_team, is_coordinator, is_sector_expert

from .models import SCREENABLE_STATUSES, Idea, IdeaStatus, Proposal, ProposalStatus

SECTION = gettext_lazy("Ideas and proposals")
_SCREENING = sorted(SCREENABLE_STATUSES)


def _submitted(idea: Idea) -> str:
    day = date_format(timezone.localtime(idea.created_at).date(), "SHORT_DATE_FORMAT")
    return _("%(area)s · submitted %(date)s") % {"area": idea.area or _("whole city"), "date": day}


def _idea_admin(idea: Idea, user) -> str:
    return reverse("admin:ideas_idea_change", args=[idea.pk])


def _ideas_to_screen(user):
    return (
        Idea.objects.filter(status__in=_SCREENING, is_hidden=False)
        .select_related("area")
        .order_by("created_at", "pk")
    )


def _assessments_to_write(user):
    return (
        Idea.objects.filter(assigned_expert=user, status__in=_SCREENING, assessment__isnull=True)
        .select_related("area")
        .order_by("created_at", "pk")
    )


def _proposals_to_approve(user):
    return (
        Proposal.objects.filter(status=ProposalStatus.DRAFT)
        .select_related("area")
        .order_by("created_at", "pk")
    )


def register() -> None:
    workqueues.register(
        workqueues.WorkQueue(
            key="ideas.to_screen",
            title=gettext_lazy("Ideas to screen"),
            section=SECTION,
            who=is_coordinator | is_city_team,
            items=_ideas_to_screen,
            link=_idea_admin,
            detail=_submitted,
            more=lambda user: (
                reverse("admin:ideas_idea_changelist") + "?status__in=" + ",".join(_SCREENING)
            ),
            order=10,
        )
    )
    workqueues.register(
        workqueues.WorkQueue(
            key="ideas.to_assess",
            title=gettext_lazy("Assessments to write"),
            section=SECTION,
            who=is_sector_expert,
            items=_assessments_to_write,
            link=_idea_admin,
            detail=_submitted,
            more=lambda user: (
                reverse("admin:ideas_idea_changelist") + f"?status__exact={IdeaStatus.IN_SCREENING}"
            ),
            order=11,
        )
    )
    workqueues.register(
        workqueues.WorkQueue(
            key="ideas.proposals_to_approve",
            title=gettext_lazy("Proposals to approve for the ballot"),
            section=SECTION,
            who=is_coordinator,
            items=_proposals_to_approve,
            link=lambda proposal, user: reverse("admin:ideas_proposal_change", args=[proposal.pk]),
            detail=lambda proposal: str(proposal.area or _("whole city")),
            more=lambda user: (
                reverse("admin:ideas_proposal_changelist")
                + f"?status__exact={ProposalStatus.DRAFT}"
            ),
            order=12,
        )
    )
