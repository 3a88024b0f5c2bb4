"""Budgets' work queue: implementation milestones past their planned date."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omakouvola import workqueues
from omakouvola.dates import local_today
from omakouvola.rules import is_city_team, is_coordinator

from .models import ImplementationStatus, Milestone

SECTION = gettext_lazy("Implementation")


def _overdue(user):
    return (
        Milestone.objects.filter(
            done_on__isnull=True,
            due_on__lt=local_today(),
            implementation__status__in=[
                ImplementationStatus.PLANNING,
                ImplementationStatus.IN_PROGRESS,
            ],
        )
        .select_related("implementation")
        .order_by("due_on", "pk")
    )


def _detail(milestone: Milestone) -> str:
    return _("%(implementation)s · planned for %(date)s") % {
        "implementation": milestone.implementation.title,
        "date": date_format(milestone.due_on, "SHORT_DATE_FORMAT"),
    }


def register() -> None:
    workqueues.register(
        workqueues.WorkQueue(
            key="budgets.milestones_overdue",
            title=gettext_lazy("Implementation milestones overdue"),
            section=SECTION,
            who=is_coordinator | is_city_team,
            items=_overdue,
            link=lambda milestone, user: reverse(
                "admin:budgets_implementation_change", args=[milestone.implementation_id]
            ),
            detail=_detail,
            more=lambda user: (
                reverse("admin:budgets_implementation_changelist")
                + f"?status__exact={ImplementationStatus.IN_PROGRESS}"
            ),
            order=40,
        )
    )
