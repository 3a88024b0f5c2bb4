"""Reads of the committees app that join, choose or add up."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from omakouvola.dates import local_date, local_today
from omakouvola.models import User

from .models import (
    ZERO,
    Allocation,
    ApplicationStatus,
    Committee,
    ConflictDeclaration,
    Decision,
    DecisionOutcome,
    FundingApplication,
    FundingRequest,
    Grant,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    MembershipRole,
    OperatingRules,
    Participant,
    Payment,
    RequestStatus,
)


def meeting_day(meeting: Meeting) -> dt.date:
    """The day of a meeting in Kouvola: its rules, members and the year its money is from."""
    return local_date(meeting.starts_at)


# ---------------------------------------------------------------------------------------
# Operating rules
# ---------------------------------------------------------------------------------------


def rules_for(committee: Committee | None, *, on: dt.date | None = None) -> OperatingRules:
    """The rules in force for `committee` on `on`: its own latest version, else the common
    one, else the defaults written in the model (quorum over half, 500 € small grants)."""
    day = on or local_today()
    versions = OperatingRules.objects.filter(valid_from__lte=day).order_by(
        "-valid_from", "-version"
    )
    if committee is not None:
        own = versions.filter(committee=committee).first()
        if own is not None:
            return own
    common = versions.filter(committee__isnull=True).first()
    return common or OperatingRules(version=0, valid_from=day, text="")


# ---------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetStatus:
    year: int
    as_of: dt.date
    allocation: Decimal
    granted: Decimal
    paid: Decimal

    @property
    def left(self) -> Decimal:
        """What the committee can still grant this year."""
        return self.allocation - self.granted

    @property
    def used(self) -> Decimal:
        """Money actually paid out: the figure the city reports as "used"."""
        return self.paid


def committee_budget_status(
    committee: Committee | None, year: int, as_of: dt.date | None = None
) -> BudgetStatus:
    """Allocation, granted, paid and left for `year` as they stood at the end of `as_of`.

    - granted: grants decided on or before `as_of`, less what closed grants gave back
      (only when the grant was closed on or before `as_of`);
    - paid ("used" in the city's reports): payments with a payment date on or before `as_of`;
    - left: allocation − granted.

    `committee=None` adds up all committees (the city's figure for the year).
    """
    day = as_of or local_today()
    allocations = Allocation.objects.filter(year=year)
    grants = Grant.objects.filter(year=year, decision__decided_on__lte=day)
    payments = Payment.objects.filter(grant__year=year, paid_on__lte=day)
    if committee is not None:
        allocations = allocations.filter(committee=committee)
        grants = grants.filter(committee=committee)
        payments = payments.filter(grant__committee=committee)
    allocation = allocations.aggregate(s=Sum("amount"))["s"] or ZERO
    granted = grants.aggregate(s=Sum("amount"))["s"] or ZERO
    released = grants.filter(closed_on__lte=day).aggregate(s=Sum("released_amount"))["s"] or ZERO
    paid = payments.aggregate(s=Sum("amount"))["s"] or ZERO
    return BudgetStatus(
        year=year, as_of=day, allocation=allocation, granted=granted - released, paid=paid
    )


def committee_budget_statuses(year: int, as_of: dt.date) -> dict[int, BudgetStatus]:
    """`committee_budget_status` of every committee at once, by committee id, in four
    queries whatever the number of committees (the dashboard and the council's report)."""

    def by_committee(rows: QuerySet, key: str, value: str) -> dict[int, Decimal]:
        return dict(rows.order_by().values_list(key).annotate(s=Sum(value)).values_list(key, "s"))

    grants = Grant.objects.filter(year=year, decision__decided_on__lte=as_of)
    allocation = by_committee(Allocation.objects.filter(year=year), "committee", "amount")
    granted = by_committee(grants, "committee", "amount")
    released = by_committee(grants.filter(closed_on__lte=as_of), "committee", "released_amount")
    paid = by_committee(
        Payment.objects.filter(grant__year=year, paid_on__lte=as_of), "grant__committee", "amount"
    )
    ids = set(allocation) | set(granted) | set(paid)
    return {
        pk: BudgetStatus(
            year=year,
            as_of=as_of,
            allocation=allocation.get(pk) or ZERO,
            granted=(granted.get(pk) or ZERO) - (released.get(pk) or ZERO),
            paid=paid.get(pk) or ZERO,
        )
        for pk in ids
    }


def allocation_left(committee: Committee, year: int) -> Decimal:
    allocation = (
        Allocation.objects.filter(committee=committee, year=year).values_list("amount", flat=True)
    ).first()
    if allocation is None:
        return ZERO
    return allocation - Grant.objects.filter(committee=committee, year=year).committed_total()


# ---------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------


def memberships_of(user: User, *, on: dt.date | None = None) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.active_on(on or local_today())
        .filter(user=user)
        .select_related("committee", "committee__area")
    )


def membership_in(user: User, committee: Committee, *, on=None) -> Membership | None:
    return memberships_of(user, on=on).filter(committee=committee).first()


def composition_warnings(committee: Committee, *, on: dt.date | None = None) -> list[str]:
    """The admin's warnings (not refusals) when a committee is off the usual 8 + 3–4."""

    day = on or local_today()
    active = Membership.objects.active_on(day).filter(committee=committee)
    regular = active.regular().count()
    deputies = active.deputies().count()
    chairs = active.filter(role=MembershipRole.CHAIR).count()
    warnings = []
    if regular != 8:
        warnings.append(
            _("%(name)s has %(n)s members; the usual number is 8.")
            % {"name": committee.name, "n": regular}
        )
    if not 3 <= deputies <= 4:
        warnings.append(
            _("%(name)s has %(n)s deputies; the usual number is 3–4.")
            % {"name": committee.name, "n": deputies}
        )
    if chairs != 1:
        warnings.append(_("%(name)s should have exactly one chair.") % {"name": committee.name})
    return warnings


# ---------------------------------------------------------------------------------------
# Public pages
# ---------------------------------------------------------------------------------------


def committee_list_public(*, year: int | None = None) -> QuerySet[Committee]:
    """Committees with this year's allocation and granted total; two queries in all."""
    year = year or local_today().year
    money = DecimalField(max_digits=12, decimal_places=2)
    return (
        Committee.objects.select_related("area")
        .annotate(
            year_allocation=Coalesce(
                Sum("allocations__amount", filter=Q(allocations__year=year)),
                Value(ZERO),
                output_field=money,
            ),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.active_on(local_today()).filter(
                    role=MembershipRole.CHAIR
                ),
                to_attr="chairs",
            )
        )
        .order_by("name")
    )


def committee_page(slug: str) -> Committee:
    """One committee with everything its public page shows, in a fixed number of queries."""
    today = local_today()
    return (
        Committee.objects.select_related("area")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.active_on(today).order_by("role", "name"),
                to_attr="active_memberships",
            ),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.order_by("-starts_at"),
                to_attr="all_meetings",
            ),
            Prefetch(
                "grants",
                queryset=Grant.objects.select_related(
                    "decision", "decision__funding_request__application"
                ).order_by("-decision__decided_on", "-id"),
                to_attr="all_grants",
            ),
        )
        .get(slug=slug)
    )


def committee_years(committee: Committee) -> list[int]:
    return list(
        Allocation.objects.filter(committee=committee)
        .order_by("-year")
        .values_list("year", flat=True)
    )


# ---------------------------------------------------------------------------------------
# Members' area
# ---------------------------------------------------------------------------------------


def requests_open(committee: Committee) -> QuerySet[FundingRequest]:
    """Submitted requests still waiting for this committee's decision, with everything."""
    return (
        FundingRequest.objects.filter(
            committee=committee,
            status=RequestStatus.PENDING,
            application__status=ApplicationStatus.SUBMITTED,
        )
        .select_related("application")
        .prefetch_related(
            "application__cost_items",
            "application__attachments",
            Prefetch(
                "application__requests", queryset=FundingRequest.objects.select_related("committee")
            ),
            Prefetch(
                "conflicts", queryset=ConflictDeclaration.objects.select_related("membership")
            ),
            "comments__author",
        )
        .annotate(agenda_count=Count("agenda_items", distinct=True))
        .order_by("application__submitted_at", "id")
    )


def request_detail(pk: int) -> FundingRequest:
    return (
        FundingRequest.objects.select_related("application", "committee", "committee__area")
        .prefetch_related(
            "application__cost_items",
            "application__attachments",
            Prefetch(
                "application__requests", queryset=FundingRequest.objects.select_related("committee")
            ),
            Prefetch(
                "conflicts", queryset=ConflictDeclaration.objects.select_related("membership")
            ),
            "comments__author",
            Prefetch("decisions", queryset=Decision.objects.select_related("meeting")),
        )
        .get(pk=pk)
    )


def meetings_upcoming(committee: Committee | None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(status=MeetingStatus.PLANNED)
    if committee is None:
        return meetings.filter(kind=MeetingKind.CHAIRS).order_by("starts_at")
    return meetings.filter(committee=committee).order_by("starts_at")


def meeting_detail(pk: int) -> Meeting:
    return (
        Meeting.objects.select_related("committee", "committee__area")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("membership", "membership__committee"),
            ),
            "agenda_items__funding_request__application",
            "agenda_items__funding_request__conflicts__membership",
            "agenda_items__information_decision__funding_request__application",
            "agenda_items__decision",
            "decisions__recused",
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class Quorum:
    members: int
    present_members: int
    deputies_counted: int
    required: int

    @property
    def present(self) -> int:
        return self.present_members + self.deputies_counted

    @property
    def has_quorum(self) -> bool:
        return self.members > 0 and self.present >= self.required


def meeting_quorum(meeting: Meeting, *, excluding: Iterable[int] = ()) -> Quorum:
    """Whether enough members are present: more than the rules' share of the members, a
    present deputy counting for an absent member. Members in `excluding` (a conflict of
    interest on the matter) count neither as present nor as members to be replaced."""
    excluded = set(excluding)
    day = meeting_day(meeting)
    rules = rules_for(meeting.committee, on=day)
    regular_ids = set(
        Membership.objects.active_on(day)
        .filter(committee=meeting.committee)
        .regular()
        .values_list("id", flat=True)
    )
    present = {
        p.membership_id: p.membership.role
        for p in meeting.participants.all()
        if p.present and p.membership.committee_id == meeting.committee_id
    }
    present_regular = {m for m in present if m in regular_ids} - excluded
    present_deputies = {
        m for m, role in present.items() if role == MembershipRole.DEPUTY and m not in excluded
    }
    absent = len(regular_ids - present_regular - excluded)
    counted = min(len(present_deputies), absent)
    members = len(regular_ids)
    required = math.floor(members * rules.quorum_share) + 1
    return Quorum(
        members=members,
        present_members=len(present_regular),
        deputies_counted=counted,
        required=required,
    )


def fast_track_decisions_unreported(committee: Committee) -> QuerySet[Decision]:
    return Decision.objects.filter(
        fast_track=True, funding_request__committee=committee, reported_in__isnull=True
    ).order_by("decided_on", "id")


def applications_of(user: User) -> QuerySet[FundingApplication]:
    return (
        FundingApplication.objects.filter(created_by=user)
        .prefetch_related("requests__committee")
        .order_by("-created_at")
    )


def application_decisions(application: FundingApplication) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(funding_request__application=application)
        .select_related("funding_request__committee", "grant")
        .order_by("decided_on", "id")
    )


def applications_for_committee(committee: Committee) -> QuerySet[FundingRequest]:
    """Every request to the committee, newest first (the members' application list)."""
    return (
        FundingRequest.objects.filter(committee=committee)
        .exclude(application__status=ApplicationStatus.DRAFT)
        .select_related("application")
        .annotate(
            granted=Coalesce(
                Sum("decisions__amount", filter=Q(decisions__outcome=DecisionOutcome.GRANT)),
                Value(ZERO),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )
        .order_by("-application__submitted_at", "-id")
    )
