"""The open data API, version 1: read-only JSON with an OpenAPI description.

django-ninja was chosen over Django REST Framework: its schemas are typed pydantic models
that double as the OpenAPI description (DRF needs drf-spectacular for that), it has no
serializer layer of its own to keep in step with ours, and its per-request overhead is
smaller. Every list is paginated (`limit`, `offset`), answers with an ETag and honours
`If-None-Match`; CORS allows GET from any origin (django-cors-headers, /api/ only).
Licence: CC BY 4.0, "City of Kouvola, OmaKouvola".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from . import rows, selectors
from .conditional import conditional_on_content

#: Bounds that keep every parameter inside what the database can take.
ID = {"ge": 1, "le": 2**31 - 1}
YEAR = {"ge": 1900, "le": 2200}

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "City of Kouvola, OmaKouvola"

api = NinjaAPI(
    title="OmaKouvola open data",
    version="1",
    description=(
        "Participatory budgeting and area-committee data of the City of Kouvola: cycles, "
        "ideas, proposals, ballots and their results, implementation progress and spending. "
        f"Licence {LICENCE} ({LICENCE_URL}); attribution: {ATTRIBUTION}. Read-only; money in "
        "euros as decimal strings; dates in Europe/Helsinki."
    ),
    urls_namespace="opendata-v1",
    docs_url=None,  # the OpenAPI JSON only: a Swagger page is not accessible (WCAG)
    openapi_extra={"info": {"license": {"name": LICENCE, "url": LICENCE_URL}}},
)
api.add_decorator(conditional_on_content, mode="view")


class CycleOut(Schema):
    id: int
    name: str
    year: int
    is_youth: bool
    opens_on: dt.date
    ideation_starts_on: dt.date
    ideation_ends_on: dt.date
    workshops_starts_on: dt.date
    workshops_ends_on: dt.date
    voting_starts_on: dt.date
    voting_ends_on: dt.date
    decision_starts_on: dt.date
    decision_ends_on: dt.date
    implementation_starts_on: dt.date
    implementation_ends_on: dt.date


class IdeaOut(Schema):
    id: int
    cycle_id: int
    title: str
    description: str
    area: str | None
    theme: str | None
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    rough_cost: Decimal | None
    for_youth: bool
    channel: str
    status: str
    reject_reason: str
    public_reasoning: str
    duplicate_of_id: int | None
    proposal_id: int | None
    submitted_on: dt.date
    volunteer_pledges: int
    url: str


class ProposalOut(Schema):
    id: int
    cycle_id: int
    title: str
    description: str
    area: str | None
    theme: str | None
    cost: Decimal
    responsible_sector: str
    sustainability_summary: str
    status: str
    idea_ids: list[int]
    url: str


class BallotOut(Schema):
    id: int
    cycle_id: int
    name: str
    area: str | None
    money: Decimal
    opens_at: dt.datetime
    closes_at: dt.datetime
    selection_rule: str
    counting_rule: str
    min_age: int | None
    max_age: int | None
    proposals: int
    results_published: bool


class DecisionOut(Schema):
    decided_on: dt.date
    decision_number: str
    rule_used: str
    rationale: str
    winner_ids: list[int]


class ResultOut(Schema):
    ballot_id: int
    rule: str
    votes_counted: int
    count: dict[str, Any]
    turnout: dict[str, Any]
    decision: DecisionOut | None


class ImplementationOut(Schema):
    id: int
    title: str
    year: int
    area: str | None
    kind: str
    proposal_id: int | None
    ballot_id: int | None
    status: str
    progress_percent: int
    planned_cost: Decimal
    spent: Decimal
    maintenance_cost_per_year: Decimal | None
    volunteer_hours: Decimal
    milestones: int
    milestones_done: int
    completed_on: dt.date | None
    url: str


class ExpenseOut(Schema):
    id: int
    implementation_id: int
    paid_on: dt.date
    amount: Decimal
    description: str


class _Mapped:
    """A queryset the paginator can count and slice, whose slices come out as rows."""

    def __init__(self, queryset, row):
        self.queryset, self.row = queryset, row

    def all(self):
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [self.row(obj) for obj in self.queryset[item]]


def _mapped(queryset, row) -> _Mapped:
    return _Mapped(queryset, row)


@api.get("/cycles", response=list[CycleOut], tags=["cycles"])
@paginate(LimitOffsetPagination)
def list_cycles(request: HttpRequest):
    return _mapped(selectors.cycles(), rows.cycle_row)


@api.get("/ideas", response=list[IdeaOut], tags=["ideas"])
@paginate(LimitOffsetPagination)
def list_ideas(
    request: HttpRequest,
    cycle: int | None = Query(None, **ID),
    status: str = Query("", max_length=20),
    q: str = Query("", max_length=100),
):
    return _mapped(selectors.ideas(cycle_id=cycle, status=status, query=q), rows.idea_row)


@api.get("/proposals", response=list[ProposalOut], tags=["proposals"])
@paginate(LimitOffsetPagination)
def list_proposals(request: HttpRequest, cycle: int | None = Query(None, **ID)):
    return _mapped(selectors.proposals(cycle_id=cycle), rows.proposal_row)


@api.get("/ballots", response=list[BallotOut], tags=["ballots"])
@paginate(LimitOffsetPagination)
def list_ballots(request: HttpRequest, cycle: int | None = Query(None, **ID)):
    return _mapped(selectors.ballots(cycle_id=cycle), rows.ballot_row)


@api.get("/ballots/{ballot_id}/results", response=ResultOut, tags=["ballots"])
def ballot_results(request: HttpRequest, ballot_id: int):
    if not ID["ge"] <= ballot_id <= ID["le"]:
        raise Http404
    ballot = selectors.ballot_public(ballot_id)
    result = rows.result_of(ballot) if ballot else None
    if result is None:
        raise Http404
    return result


@api.get("/implementations", response=list[ImplementationOut], tags=["implementation"])
@paginate(LimitOffsetPagination)
def list_implementations(request: HttpRequest, year: int | None = Query(None, **YEAR)):
    return _mapped(selectors.implementations(year=year), rows.implementation_row)


@api.get("/expenses", response=list[ExpenseOut], tags=["implementation"])
@paginate(LimitOffsetPagination)
def list_expenses(request: HttpRequest, year: int | None = Query(None, **YEAR)):
    return _mapped(selectors.expenses(year=year), rows.expense_row)
