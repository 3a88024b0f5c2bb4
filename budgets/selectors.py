"""Reads of the budgets app: money by appropriation, source, area and committee as of a
date, the PB funnel, implementation pages, and the extra figures the report needs.

Figures the lower apps already compute are read through their selectors
(`committee_budget_status`, `idea_statistics`, `ballot_turnout` …), not recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from committees.models import Committee, FundingRequest, Grant, Meeting, MeetingStatus, Payment
from committees.selectors import BudgetStatus, committee_budget_statuses
from ideas.models import Idea, IdeaStatus, Proposal, Rating
from ideas.selectors import LOCATED, ideas_forwarded, ideas_screened, proposal_location
from omakouvola import geo
from omakouvola.dates import local_today
from omakouvola.models import Area, Cycle
from omakouvola.money import ZERO
from omakouvola.rules import allows
from voting.models import AgeBand, Ballot, WinnerDecision, age_band

from .models import (
    Appropriation,
    Commitment,
    Expense,
    Implementation,
    ImplementationPhoto,
    ImplementationStatus,
    Milestone,
    ProgressNote,
    Report,
    ReportStatus,
    VolunteerWork,
)

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def default_as_of(year: int) -> dt.date:
    """The end of the year, or today while the year is still running."""
    return min(dt.date(year, 12, 31), max(local_today(), dt.date(year, 1, 1)))


# ---------------------------------------------------------------------------------------
# Money by appropriation and source
# ---------------------------------------------------------------------------------------


@dataclass
class AppropriationStatus:
    appropriation: Appropriation
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    shares: list = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return self.appropriation.amount

    @property
    def left(self) -> Decimal:
        """What is not yet spent."""
        return self.amount - self.spent

    @property
    def uncommitted(self) -> Decimal:
        return self.amount - self.committed


CommitteeBudgets = dict[int, dict[int, BudgetStatus]]
"""`committee_budget_statuses` by year: computed once per page or report and shared."""


def committee_budgets(years: Iterable[int], as_of: dt.date) -> CommitteeBudgets:
    return {year: committee_budget_statuses(year, as_of) for year in years}


def appropriation_status(
    years: Iterable[int], as_of: dt.date, budgets: CommitteeBudgets | None = None
) -> list[AppropriationStatus]:
    """Each appropriation of `years` with what was committed and spent by the end of `as_of`.

    Spent is the sum of PB expenses paid on or before `as_of` for the projects of ballots
    that draw from the appropriation, plus the committee payments (as the committees app
    counts them) of allocations that draw from it.
    """
    appropriations = list(
        Appropriation.objects.filter(year__in=list(years))
        .prefetch_related("shares__source")
        .order_by("year", "purpose", "name")
    )
    ids = [a.pk for a in appropriations]
    committed = dict(
        Commitment.objects.filter(appropriation__in=ids, committed_on__lte=as_of)
        .values_list("appropriation")
        .annotate(s=Sum("amount"))
        .values_list("appropriation", "s")
    )
    spent: dict[int, Decimal] = defaultdict(lambda: ZERO)
    budgets = {} if budgets is None else budgets
    for appropriation_id, total in (
        Expense.objects.filter(
            paid_on__lte=as_of,
            implementation__ballot__budget_commitment__appropriation__in=ids,
        )
        .values_list("implementation__ballot__budget_commitment__appropriation")
        .annotate(s=Sum("amount"))
        .values_list("implementation__ballot__budget_commitment__appropriation", "s")
    ):
        spent[appropriation_id] += total
    for commitment in Commitment.objects.filter(
        appropriation__in=ids, allocation__isnull=False
    ).select_related("allocation"):
        allocation = commitment.allocation
        assert allocation is not None  # allocation__isnull=False
        if allocation.year not in budgets:
            budgets[allocation.year] = committee_budget_statuses(allocation.year, as_of)
        status = budgets[allocation.year].get(allocation.committee_id)
        spent[commitment.appropriation_id] += status.paid if status else ZERO
    return [
        AppropriationStatus(
            appropriation=a,
            committed=committed.get(a.pk, ZERO),
            spent=spent[a.pk],
            shares=list(a.shares.all()),
        )
        for a in appropriations
    ]


@dataclass
class SourceStatus:
    name: str
    kind: str
    amount: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def left(self) -> Decimal:
        return self.amount - self.spent


def money_by_source(statuses: list[AppropriationStatus]) -> list[SourceStatus]:
    """Each source's share of the money; committed and spent in proportion to its share.

    A euro spent from an appropriation paid by two sources is counted to each in the
    proportion they pay the appropriation (the city's books do not earmark single euros).
    """
    sources: dict[int, SourceStatus] = {}
    for status in statuses:
        for share in status.shares:
            row = sources.setdefault(
                share.source_id, SourceStatus(name=share.source.name, kind=share.source.kind)
            )
            row.amount += share.amount
            if status.amount:
                ratio = share.amount / status.amount
                row.committed += (status.committed * ratio).quantize(Decimal("0.01"))
                row.spent += (status.spent * ratio).quantize(Decimal("0.01"))
    return sorted(sources.values(), key=lambda s: (-s.amount, s.name))


# ---------------------------------------------------------------------------------------
# Committees
# ---------------------------------------------------------------------------------------


@dataclass
class CommitteeYear:
    committee: Committee | None
    budget: BudgetStatus
    applications: int = 0
    grants: int = 0
    meetings: int = 0


def committee_money(
    year: int, as_of: dt.date, budgets: CommitteeBudgets | None = None
) -> tuple[list[CommitteeYear], CommitteeYear]:
    """Per committee: allocation, granted, paid, left (committees' own figures), plus the
    applications received, grants made and meetings held in the year up to `as_of`."""
    start = dt.date(year, 1, 1)
    applications = dict(
        FundingRequest.objects.filter(
            application__submitted_at__date__gte=start,
            application__submitted_at__date__lte=as_of,
        )
        .values_list("committee")
        .annotate(n=Count("id"))
        .values_list("committee", "n")
    )
    grants = dict(
        Grant.objects.filter(year=year, decision__decided_on__lte=as_of)
        .values_list("committee")
        .annotate(n=Count("id"))
        .values_list("committee", "n")
    )
    meetings = dict(
        Meeting.objects.filter(
            committee__isnull=False,
            starts_at__date__gte=start,
            starts_at__date__lte=as_of,
            status__in=[MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED],
        )
        .values_list("committee")
        .annotate(n=Count("id"))
        .values_list("committee", "n")
    )
    statuses = (
        budgets[year] if budgets and year in budgets else committee_budget_statuses(year, as_of)
    )
    nothing = BudgetStatus(year=year, as_of=as_of, allocation=ZERO, granted=ZERO, paid=ZERO)
    rows = [
        CommitteeYear(
            committee=c,
            budget=statuses.get(c.pk, nothing),
            applications=applications.get(c.pk, 0),
            grants=grants.get(c.pk, 0),
            meetings=meetings.get(c.pk, 0),
        )
        for c in Committee.objects.select_related("area").order_by("name")
    ]
    total = CommitteeYear(
        committee=None,
        budget=BudgetStatus(
            year=year,
            as_of=as_of,
            allocation=sum((b.allocation for b in statuses.values()), ZERO),
            granted=sum((b.granted for b in statuses.values()), ZERO),
            paid=sum((b.paid for b in statuses.values()), ZERO),
        ),
        applications=sum(applications.values()),
        grants=sum(grants.values()),
        meetings=sum(meetings.values()),
    )
    return rows, total


def committee_payments_by_date(year: int, as_of: dt.date) -> list[tuple[dt.date, Decimal, Decimal]]:
    """(day, paid that day, paid so far in the year) for the days payments were made."""
    rows = (
        Payment.objects.filter(grant__year=year, paid_on__lte=as_of)
        .values_list("paid_on")
        .annotate(s=Sum("amount"))
        .order_by("paid_on")
        .values_list("paid_on", "s")
    )
    running = ZERO
    result = []
    for day, amount in rows:
        running += amount
        result.append((day, amount, running))
    return result


# ---------------------------------------------------------------------------------------
# Participatory budgeting: the funnel, ideas by age, sustainability
# ---------------------------------------------------------------------------------------


def cycles_of_years(years: Iterable[int]) -> list[Cycle]:
    return list(Cycle.objects.filter(year__in=list(years)).order_by("is_youth", "opens_on"))


def pb_funnel(
    cycles: list[Cycle], idea_stats: dict[int, dict], as_of: dt.date
) -> list[tuple[str, int]]:
    """Ideas → screened → forwarded → proposals → on ballot → winners → done."""

    ideas = screened = forwarded = 0
    for cycle in cycles:
        stats = idea_stats[cycle.pk]
        ideas += stats["total"]
        screened += ideas_screened(stats)
        forwarded += ideas_forwarded(stats)
    proposals = Proposal.objects.public().filter(cycle__in=cycles)
    winners = Proposal.objects.filter(
        pk__in=WinnerDecision.confirmed.through.objects.filter(
            winnerdecision__ballot__cycle__in=cycles, winnerdecision__decided_on__lte=as_of
        ).values("proposal_id")
    )
    done = Implementation.objects.filter(
        proposal__cycle__in=cycles,
        status=ImplementationStatus.DONE,
        completed_on__lte=as_of,
    )
    return [
        (_("Ideas received"), ideas),
        (_("Screened"), screened),
        (_("Forwarded to co-development"), forwarded),
        (_("Proposals"), proposals.count()),
        (_("On a ballot"), proposals.filter(ballots__isnull=False).distinct().count()),
        (_("Winners"), winners.count()),
        (_("Built"), done.count()),
    ]


AGE_BANDS = [b for b in AgeBand.values if b]


def idea_age_bands(cycle: Cycle) -> dict[str, int]:
    """Ideas by the submitter's age in the cycle's year (the birth year the idea recorded,
    else the account's); an idea without either counts as unknown."""
    counts: dict[str, int] = defaultdict(int)
    rows = (
        Idea.objects.filter(cycle=cycle)
        .exclude(status=IdeaStatus.WITHDRAWN)
        .annotate(born=Coalesce("submitter_birth_year", "submitter__birth_year"))
        .values_list("born")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("born", "n")
    )
    for born, n in rows:
        counts[age_band(cycle.year - born if born else None)] += n
    return {band: counts.get(band, 0) for band in [*AGE_BANDS, AgeBand.UNKNOWN]}


RATINGS = [Rating.POSITIVE, Rating.NEUTRAL, Rating.NEGATIVE]
_WORST: dict[str, int] = {Rating.NEGATIVE: 0, Rating.NEUTRAL: 1, Rating.POSITIVE: 2}


def sustainability_of_funded(implementations: list[Implementation]) -> dict[str, dict[str, int]]:
    """For each criterion, how many funded projects were rated positive/neutral/negative.

    A PB winner takes the least favourable rating among the ideas merged into it; a grant
    the rating of the resident idea the committee adopted, if any. Others are unrated.
    """
    proposal_ids = [i.proposal_id for i in implementations if i.proposal_id]
    grant_ids = [i.grant_id for i in implementations if i.grant_id]
    per_proposal: dict[int, dict[str, str]] = {}
    for proposal_id, *ratings in Idea.objects.filter(
        proposal_id__in=proposal_ids, sustainability__isnull=False
    ).values_list(
        "proposal_id",
        "sustainability__ecological",
        "sustainability__social",
        "sustainability__economic",
    ):
        current = per_proposal.setdefault(proposal_id, {})
        for criterion, rating in zip(("ecological", "social", "economic"), ratings, strict=True):
            if criterion not in current or _WORST[rating] < _WORST[current[criterion]]:
                current[criterion] = rating
    per_grant: dict[int, dict[str, str]] = {
        grant_id: dict(zip(("ecological", "social", "economic"), ratings, strict=True))
        for grant_id, *ratings in Grant.objects.filter(
            pk__in=grant_ids,
            decision__funding_request__application__idea__sustainability__isnull=False,
        ).values_list(
            "pk",
            "decision__funding_request__application__idea__sustainability__ecological",
            "decision__funding_request__application__idea__sustainability__social",
            "decision__funding_request__application__idea__sustainability__economic",
        )
    }
    result = {
        criterion: {**{r: 0 for r in RATINGS}, "unrated": 0}
        for criterion in ("ecological", "social", "economic")
    }
    for implementation in implementations:
        rated = (
            per_proposal.get(implementation.proposal_id, {})
            if implementation.proposal_id
            else per_grant.get(implementation.grant_id or 0, {})
        )
        for criterion, counts in result.items():
            counts[rated.get(criterion, "unrated")] += 1
    return result


# ---------------------------------------------------------------------------------------
# Implementations: the public page, a project's page, the report's list
# ---------------------------------------------------------------------------------------


def _sum_subquery(model, *, outer: str, value: str, filters: Q | None = None) -> Coalesce:
    rows = model.objects.filter(**{outer: OuterRef("pk")})
    if filters is not None:
        rows = rows.filter(filters)
    total = rows.order_by().values(outer).annotate(s=Sum(value)).values("s")
    return Coalesce(
        Subquery(total, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD
    )


def implementations_with_money(as_of: dt.date | None = None) -> QuerySet[Implementation]:
    """Implementations with what was spent (expenses, or the grant's payments) and the
    volunteer hours done, each as a subquery so a list costs one query."""
    day = as_of or local_today()
    return Implementation.objects.select_related("area").annotate(
        expenses_total=_sum_subquery(
            Expense, outer="implementation", value="amount", filters=Q(paid_on__lte=day)
        ),
        payments_total=_sum_subquery(
            Payment, outer="grant__implementation", value="amount", filters=Q(paid_on__lte=day)
        ),
        volunteer_hours=_sum_subquery(
            VolunteerWork, outer="implementation", value="hours", filters=Q(done_on__lte=day)
        ),
    )


def _money(implementation: Implementation, name: str) -> Decimal:
    """A sum implementations_with_money annotated: not a column, so the model's type lacks it."""
    value: Decimal = getattr(implementation, name)
    return value


def spent_of(implementation: Implementation) -> Decimal:
    return _money(implementation, "payments_total" if implementation.grant_id else "expenses_total")


def overspent_by(implementation: Implementation) -> Decimal:
    """How much more was spent than planned (zero when within the budget)."""
    over = spent_of(implementation) - implementation.planned_cost
    return over if over > 0 else ZERO


def implementation_list_public(
    *, year: int | None = None, area: Area | None = None
) -> QuerySet[Implementation]:
    """What got built: public winners and grants, newest year first; two queries in all."""
    rows = (
        implementations_with_money()
        .filter(is_public=True)
        .prefetch_related(
            Prefetch("photos", queryset=ImplementationPhoto.objects.order_by("taken_on", "id"))
        )
    )
    return _built_filtered(rows, year=year, area=area).order_by("-year", "area__name", "title")


def _built_filtered(
    rows: QuerySet[Implementation], *, year: int | None, area: Area | None
) -> QuerySet[Implementation]:
    """The public list's filters, shared by the list, its map and the map's note."""
    if year is not None:
        rows = rows.filter(year=year)
    if area is not None:
        rows = rows.filter(area=area)
    return rows


def _located_winners(*, year: int | None, area: Area | None) -> QuerySet[Implementation]:
    """Public implementations of ballot winners with their proposal's place; a committee
    grant has no idea behind it, so no point."""
    return _built_filtered(
        Implementation.objects.public().filter(proposal__isnull=False),
        year=year,
        area=area,
    ).annotate(**proposal_location("proposal"))


def implementation_map_features(*, year: int | None = None, area: Area | None = None) -> dict:
    """The built-project list's located winners under the list's filters, as GeoJSON
    points in one query."""
    rows = _located_winners(year=year, area=area).filter(LOCATED).order_by("-year", "title")
    return geo.located_features(rows, status=lambda row: f"{row.get_status_display()} · {row.year}")


def implementations_off_map(*, year: int | None = None, area: Area | None = None) -> int:
    """How many projects of the filtered list the map leaves out (grants, and winners none
    of whose ideas has a point), in one query."""
    listed = _built_filtered(Implementation.objects.public(), year=year, area=area).annotate(
        **proposal_location("proposal")
    )
    counts = listed.aggregate(
        listed=Count("pk"),
        shown=Count(
            "pk",
            filter=Q(proposal__isnull=False) & LOCATED,
        ),
    )
    return counts["listed"] - counts["shown"]


def dashboard_default_year(today: dt.date | None = None) -> int:
    """The latest year, up to this one, in which money was spent (PB expenses or committee
    payments): the year the dashboard opens on, so it never opens on an empty year."""
    today = today or local_today()
    years = [
        day.year
        for day in (
            Expense.objects.filter(paid_on__lte=today).aggregate(d=Max("paid_on"))["d"],
            Payment.objects.filter(paid_on__lte=today).aggregate(d=Max("paid_on"))["d"],
        )
        if day is not None
    ]
    return max(years, default=today.year)


def implementation_years() -> list[int]:
    return list(
        Implementation.objects.public().order_by("-year").values_list("year", flat=True).distinct()
    )


def published_implementation_of(proposal) -> Implementation | None:
    """The building record of a winning proposal, once the city has published it."""
    return Implementation.objects.public().filter(proposal=proposal).first()


def implementation_page(pk: int) -> Implementation:
    return (
        implementations_with_money()
        .filter(is_public=True)
        .select_related("proposal", "grant__committee", "ballot")
        .annotate(**proposal_location("proposal"))
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id")),
            Prefetch("progress_notes", queryset=ProgressNote.objects.order_by("written_on", "id")),
            Prefetch("photos", queryset=ImplementationPhoto.objects.order_by("taken_on", "id")),
            Prefetch("expenses", queryset=Expense.objects.order_by("paid_on", "id")),
            Prefetch("volunteer_work", queryset=VolunteerWork.objects.order_by("done_on", "id")),
        )
        .get(pk=pk)
    )


def implementation_timeline(implementation: Implementation) -> list[dict]:
    """Milestones, notes and completion in date order (for the project page)."""

    events = []
    for m in implementation.milestones.all():
        events.append(
            {
                "on": m.done_on or m.due_on,
                "kind": "milestone",
                "text": m.title,
                "done": m.done_on is not None,
            }
        )
    for n in implementation.progress_notes.all():
        events.append({"on": n.written_on, "kind": "note", "text": n.text, "done": True})
    if implementation.completed_on:
        events.append(
            {
                "on": implementation.completed_on,
                "kind": "done",
                "text": _("Completed"),
                "done": True,
            }
        )
    return sorted(events, key=lambda e: (e["on"], e["kind"] != "milestone"))


def implementations_of_years(years: Iterable[int], as_of: dt.date) -> list[Implementation]:
    return list(
        implementations_with_money(as_of)
        .filter(year__in=list(years))
        .prefetch_related(
            Prefetch("photos", queryset=ImplementationPhoto.objects.order_by("taken_on", "id"))
        )
        .order_by(F("grant").asc(nulls_first=True), "area__name", "title")
    )


def money_by_area(
    implementations: list[Implementation], committees: list[CommitteeYear]
) -> list[dict]:
    """PB planned and spent by the projects' area, and committee money by the committee's."""
    rows: dict[str, dict] = {}

    def row(label: str) -> dict:
        return rows.setdefault(
            label,
            {"area": label, "pb_planned": ZERO, "pb_spent": ZERO, "allocation": ZERO, "paid": ZERO},
        )

    for i in implementations:
        if i.grant_id is None and i.status != ImplementationStatus.CANCELLED:
            r = row(i.area_label)
            r["pb_planned"] += i.planned_cost
            r["pb_spent"] += _money(i, "expenses_total")
    for c in committees:
        assert c.committee is not None  # one row per committee; the total row is apart
        r = row(c.committee.area.localized_name)
        r["allocation"] += c.budget.allocation
        r["paid"] += c.budget.paid
    return sorted(rows.values(), key=lambda r: r["area"])


# ---------------------------------------------------------------------------------------
# Votes of the period
# ---------------------------------------------------------------------------------------


def ballots_of_cycles(cycles: list[Cycle]) -> list[Ballot]:
    return list(
        Ballot.objects.filter(cycle__in=cycles)
        .select_related("cycle", "area", "result", "decision")
        .prefetch_related("decision__confirmed")
        .order_by("cycle__opens_on", "name")
    )


# ---------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------


def reports_for(user) -> QuerySet[Report]:
    """Every report for those who read the dashboard; published ones for everybody else."""
    reports = Report.objects.select_related("requested_by")
    if allows(user, "budgets.view_dashboard"):
        return reports
    return reports.filter(is_published=True, status=ReportStatus.READY)
