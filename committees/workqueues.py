"""The committees' work queues: applications waiting, minutes to approve, reports due.

The coordinator sees every committee's; a chair sees those of the committees they chair.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omakouvola import workqueues
from omakouvola.dates import local_today
from omakouvola.formatting import format_euros
from omakouvola.rules import is_coordinator

from .models import (
    ApplicationStatus,
    FundingRequest,
    Grant,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
    RequestStatus,
)
from .rules import _active_memberships, is_any_chair

SECTION = gettext_lazy("Area committees")
#: A final report shows up this many days before it is due.
REPORTS_DUE_WITHIN_DAYS = 30


def _sees_all(user) -> bool:
    return user.is_superuser or is_coordinator.test(user)


def _chaired(user) -> list[int]:
    return [
        m.committee_id for m in _active_memberships(user) or [] if m.role == MembershipRole.CHAIR
    ]


def _mine(queryset, user, field: str):
    if _sees_all(user):
        return queryset
    return queryset.filter(**{f"{field}__in": _chaired(user)})


def _applications_waiting(user):
    waiting = FundingRequest.objects.filter(
        status=RequestStatus.PENDING, application__status=ApplicationStatus.SUBMITTED
    ).select_related("application", "committee")
    return _mine(waiting, user, "committee_id").order_by("application__submitted_at", "pk")


def _request_detail(funding_request: FundingRequest) -> str:
    return _("%(committee)s · %(amount)s") % {
        "committee": funding_request.committee,
        "amount": format_euros(funding_request.amount),
    }


def _minutes_to_approve(user):
    held = Meeting.objects.filter(status=MeetingStatus.HELD).select_related("committee")
    if not _sees_all(user):
        # Chairs approve their own committee's minutes; the chairs' meeting is the coordinator's.
        held = held.filter(committee_id__in=_chaired(user))
    return held.order_by("starts_at", "pk")


def _reports_due(user):
    horizon = local_today() + dt.timedelta(days=REPORTS_DUE_WITHIN_DAYS)
    due = Grant.objects.filter(
        closed_on__isnull=True, final_report__isnull=True, report_due__lte=horizon
    ).select_related("decision__funding_request__application", "committee")
    return _mine(due, user, "committee_id").order_by("report_due", "pk")


def _report_detail(grant: Grant) -> str:
    day = date_format(grant.report_due, "SHORT_DATE_FORMAT")
    if grant.report_due < local_today():
        return _("%(committee)s · overdue since %(date)s") % {
            "committee": grant.committee,
            "date": day,
        }
    return _("%(committee)s · due %(date)s") % {"committee": grant.committee, "date": day}


def _report_link(grant: Grant, user) -> str:
    if _sees_all(user):
        return reverse("admin:committees_grant_change", args=[grant.pk])
    return reverse("committees:workspace", args=[grant.committee.slug])


def register() -> None:
    staff_or_chair = is_coordinator | is_any_chair
    workqueues.register(
        workqueues.WorkQueue(
            key="committees.applications_waiting",
            title=gettext_lazy("Applications waiting for a decision"),
            section=SECTION,
            who=staff_or_chair,
            items=_applications_waiting,
            link=lambda req, user: reverse("committees:request", args=[req.pk]),
            detail=_request_detail,
            more=lambda user: (
                reverse("admin:committees_fundingapplication_changelist")
                + f"?status__exact={ApplicationStatus.SUBMITTED}"
                if _sees_all(user)
                else None
            ),
            order=30,
        )
    )
    workqueues.register(
        workqueues.WorkQueue(
            key="committees.minutes_to_approve",
            title=gettext_lazy("Decisions to confirm: minutes to approve"),
            section=SECTION,
            who=staff_or_chair,
            items=_minutes_to_approve,
            link=lambda meeting, user: meeting.get_absolute_url(),
            detail=lambda meeting: date_format(
                timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT"
            ),
            order=31,
        )
    )
    workqueues.register(
        workqueues.WorkQueue(
            key="committees.reports_due",
            title=gettext_lazy("Final reports due or overdue"),
            section=SECTION,
            who=staff_or_chair,
            items=_reports_due,
            link=_report_link,
            detail=_report_detail,
            more=lambda user: (
                reverse("admin:committees_grant_changelist") if _sees_all(user) else None
            ),
            order=32,
        )
    )
    register_chairs_meetings()


def _chairs_meetings(user):
    return Meeting.objects.filter(
        kind=MeetingKind.CHAIRS, status=MeetingStatus.PLANNED, starts_at__gte=timezone.now()
    ).order_by("starts_at", "pk")


def register_chairs_meetings() -> None:
    workqueues.register(
        workqueues.WorkQueue(
            key="committees.chairs_meetings",
            title=gettext_lazy("Chairs' meetings coming"),
            section=SECTION,
            who=is_coordinator | is_any_chair,
            items=_chairs_meetings,
            link=lambda meeting, user: meeting.get_absolute_url(),
            detail=lambda meeting: date_format(
                timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT"
            ),
            more=lambda user: reverse("committees:chairs"),
            always_more=True,
            more_label=gettext_lazy("All chairs' meetings"),
            order=33,
        )
    )
