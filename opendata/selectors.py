"""What the open data API publishes: public rows only, each list in a fixed number of queries.

Every function returns a queryset (or list) of public rows with what a row needs already
joined or annotated; `rows.py` turns them into the published fields.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from budgets.models import Expense, Implementation
from budgets.selectors import implementations_with_money
from ideas.models import Idea, Proposal
from ideas.selectors import IdeaFilters, idea_list_public
from omakouvola.models import Cycle
from voting.models import Ballot


def cycles() -> QuerySet[Cycle]:
    return Cycle.objects.order_by("-opens_on", "-id")


def ideas(*, cycle_id: int | None = None, status: str = "", query: str = "") -> QuerySet[Idea]:
    cycle = Cycle.objects.filter(pk=cycle_id).first() if cycle_id else None
    rows = idea_list_public(IdeaFilters(cycle=cycle, status=status, query=query))
    if cycle_id and cycle is None:
        return rows.none()
    return rows.prefetch_related(None).select_related("area", "theme")


def proposals(*, cycle_id: int | None = None) -> QuerySet[Proposal]:
    rows = (
        Proposal.objects.public()
        .select_related("area", "theme")
        .prefetch_related(
            Prefetch("source_ideas", queryset=Idea.objects.public().only("id", "proposal_id"))
        )
        .order_by("-cycle__opens_on", "title", "id")
    )
    return rows.filter(cycle_id=cycle_id) if cycle_id else rows


def ballots(*, cycle_id: int | None = None) -> QuerySet[Ballot]:
    rows = (
        Ballot.objects.select_related("area", "cycle")
        .annotate(proposal_count=Count("proposals", distinct=True))
        .order_by("-opens_at", "id")
    )
    return rows.filter(cycle_id=cycle_id) if cycle_id else rows


def ballot_public(pk: int) -> Ballot | None:
    return (
        Ballot.objects.select_related("area", "cycle", "result", "decision")
        .prefetch_related("proposals", "decision__confirmed")
        .filter(pk=pk)
        .first()
    )


def implementations(*, year: int | None = None) -> QuerySet[Implementation]:
    rows = (
        implementations_with_money()
        .filter(is_public=True)
        .annotate(
            milestones_total=Count("milestones", distinct=True),
            milestones_done=Count(
                "milestones", filter=Q(milestones__done_on__isnull=False), distinct=True
            ),
        )
        .order_by("-year", "title", "id")
    )
    return rows.filter(year=year) if year else rows


def expenses(*, year: int | None = None) -> QuerySet[Expense]:
    rows = Expense.objects.filter(implementation__is_public=True).order_by("paid_on", "id")
    return rows.filter(paid_on__year=year) if year else rows
