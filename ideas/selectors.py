"""Reads of the ideas app: public lists, pages, and the figures the report needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce
from django.db.models.sql.datastructures import BaseTable
from django.urls import reverse
from django.utils.translation import get_language

from omakouvola import geo
from omakouvola.formatting import format_euros
from omakouvola.models import Area, Cycle, User

from .models import (
    Idea,
    IdeaImage,
    IdeaStatus,
    IdeaSupport,
    Proposal,
    ProposalStatus,
    RegistrationStatus,
    Theme,
    VolunteerPledge,
    Workshop,
    WorkshopRegistration,
)


def _uses_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@dataclass(frozen=True)
class IdeaFilters:
    cycle: Cycle | None = None
    area: Area | None = None
    whole_city: bool = False
    theme: Theme | None = None
    status: str = ""
    query: str = ""


#: The languages an idea may be written in; each gets its own stemming.
SEARCH_CONFIGS = ("finnish", "swedish", "english")
_SEARCH_QUERY_SQL = " || ".join(
    f"websearch_to_tsquery('{config}'::regconfig, %s)" for config in SEARCH_CONFIGS
)


class _OnSearchVector(Expression):
    """SQL on the stored `search_vector` column of the ideas table under whatever alias the
    query gives it: `RawSQL` names the table outright, so inside a subquery (where the
    table is `U0`) it would point at the outer query's row and run once per outer row.

    Only module constants go into the SQL; the search text is a parameter.
    """

    def __init__(self, template: str, query: str, output_field) -> None:
        super().__init__(output_field=output_field)
        self.template = template
        self.query = query

    def as_sql(self, compiler, connection):
        alias = next(
            name
            for name, table in compiler.query.alias_map.items()
            if isinstance(table, BaseTable) and table.table_name == Idea._meta.db_table
        )
        column = f'{compiler.quote_name_unless_alias(alias)}."search_vector"'
        return self.template.format(column=column, tsquery=f"({_SEARCH_QUERY_SQL})"), [
            self.query
        ] * len(SEARCH_CONFIGS)


def idea_search(queryset: QuerySet[Idea], query: str) -> QuerySet[Idea]:
    """Full-text search in Finnish, Swedish and English on PostgreSQL, plus partial title
    matches, both served by indexes; a plain contains elsewhere.

    `search_vector` is a stored generated column that migration ideas/0002 adds on
    PostgreSQL only (title weight A, description weight B, stemmed in each language).
    """
    query = query.strip()
    if not query:
        return queryset
    if _uses_postgres():
        matches = _OnSearchVector("{column} @@ {tsquery}", query, BooleanField())
        # Sorting by relevance also lets the planner take the matching rows from the
        # indexes first.
        return _by_relevance(queryset.filter(Q(matches) | Q(title__icontains=query)), query)
    return queryset.filter(Q(title__icontains=query) | Q(description__icontains=query))


def _by_relevance(queryset: QuerySet[Idea], query: str) -> QuerySet[Idea]:
    """Best matches first (the rank weighs the title above the description), then newest."""
    rank = _OnSearchVector("ts_rank({column}, {tsquery})", query, FloatField())
    return queryset.annotate(search_rank=rank).order_by(
        F("search_rank").desc(), "-created_at", "-id"
    )


def _pledge_count() -> Coalesce:
    pledges = (
        VolunteerPledge.objects.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(pledges), 0)


def support_count_subquery() -> Coalesce:
    supports = (
        IdeaSupport.objects.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(supports), 0)


def idea_list_public(filters: IdeaFilters) -> QuerySet[Idea]:
    """Published ideas with everything a list row shows, in a fixed number of queries.

    The list page itself reads them through `IdeaListRows`; this is for the open data.
    """
    ideas = (
        Idea.objects.public()
        .select_related("area", "theme", "cycle")
        # A subquery, not a join: a COUNT then skips it altogether.
        .annotate(pledge_count=_pledge_count(), support_count=support_count_subquery())
        .prefetch_related(Prefetch("images", queryset=IdeaImage.objects.order_by("position")))
    )
    return idea_search(_filtered(ideas, filters).order_by("-created_at", "-id"), filters.query)


#: What a card on the list page shows of an idea (`templatetags/ideas_tags.idea_cards`).
_CARD_FIELDS = ("title", "description", "status", "created_at", "area", "theme")


class IdeaListRows:
    """The list page's ideas for `Paginator`, in one query per count and one per page.

    A page's query takes the page's ids from the list's index first (the OFFSET skips index
    entries, not rows) and computes the support and pledge counts and the first picture
    for those twenty only: an OFFSET over the full query computed them for every skipped
    row too (page 100 of 5 000 ideas took 30 ms in the database, page 1 half a
    millisecond). The area and theme come from the cached filter choices, not a join.
    """

    def __init__(self, filters: IdeaFilters, choices: dict[str, list]) -> None:
        self.filters = filters
        self._areas = {area.pk: area for area in choices["areas"]}
        self._themes = {theme.pk: theme for theme in choices["themes"]}

    def _matching(self) -> QuerySet[Idea]:
        return idea_search(
            _filtered(Idea.objects.public(), self.filters).order_by("-created_at", "-id"),
            self.filters.query,
        )

    def count(self) -> int:
        return self._matching().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Idea]:
        page_ids = self._matching().values("pk")[window]
        first = IdeaImage.objects.filter(idea=OuterRef("pk")).order_by("position", "id")
        rows: QuerySet[Idea] = (
            Idea.objects.filter(pk__in=page_ids)
            .only(*_CARD_FIELDS)
            .annotate(
                pledge_count=_pledge_count(),
                support_count=support_count_subquery(),
                first_image_file=Subquery(first.values("image")[:1]),
                first_image_alt=Subquery(first.values("alt_text")[:1]),
            )
        )
        query = self.filters.query.strip()
        if query and _uses_postgres():
            rows = _by_relevance(rows, query)
        else:
            rows = rows.order_by("-created_at", "-id")
        ideas: list[Idea] = list(rows)
        for idea in ideas:
            # Set through the descriptor's cache, so reading idea.area runs no query.
            if idea.area_id is not None and idea.area_id in self._areas:
                Idea.area.field.set_cached_value(idea, self._areas[idea.area_id])
            if idea.theme_id is not None and idea.theme_id in self._themes:
                Idea.theme.field.set_cached_value(idea, self._themes[idea.theme_id])
            idea.list_image = list_image(idea)  # type: ignore[attr-defined]  # for the card
        return ideas


def _filtered(ideas: QuerySet[Idea], filters: IdeaFilters) -> QuerySet[Idea]:
    """The list's filters, shared by the list page and its map."""
    if filters.cycle is not None:
        ideas = ideas.filter(cycle=filters.cycle)
    if filters.whole_city:
        ideas = ideas.filter(area__isnull=True)
    elif filters.area is not None:
        ideas = ideas.filter(area=filters.area)
    if filters.theme is not None:
        ideas = ideas.filter(theme=filters.theme)
    if filters.status:
        ideas = ideas.filter(status=filters.status)
    return ideas


#: At most this many markers in one map answer (a cycle has a few hundred ideas).
MAP_FEATURE_LIMIT = 2000


def idea_map_features(filters: IdeaFilters) -> dict[str, Any]:
    """The located ideas the list shows under the same filters, as GeoJSON points, in one
    query. The map clusters them in the browser (Leaflet.markercluster)."""
    rows = idea_search(
        _filtered(Idea.objects.public().filter(latitude__isnull=False), filters).filter(
            longitude__isnull=False
        ),
        filters.query,
    ).order_by("-created_at", "-id")
    points = rows.values_list("pk", "title", "status", "latitude", "longitude")[:MAP_FEATURE_LIMIT]
    labels = dict(IdeaStatus.choices)
    return geo.feature_collection(
        [
            geo.point_feature(
                pk,
                title=title,
                status=str(labels.get(status, status)),
                url=reverse("ideas:detail", args=[pk]),
                latitude=lat,
                longitude=lon,
            )
            for pk, title, status, lat, lon in points
        ]
    )


#: Rows annotated by `proposal_location` that have a point.
LOCATED = Q(map_latitude__isnull=False, map_longitude__isnull=False)


def proposal_location(proposal: str = "pk") -> dict[str, Subquery]:
    """Where a proposal stands on a map, as annotations of the rows that name it through
    `proposal` (a proposal's own "pk", an implementation's "proposal"): its oldest located
    public idea among those merged into it (`map_latitude`, `map_longitude`, and that
    idea's place, `map_address`), None when no merged idea has a point.

    Not the mean of its ideas: the mean of two ideas on either side of a lake lies in the
    lake, while the first idea is a place a resident named. Hidden and withdrawn ideas never
    place anything. Subqueries, so the rows stay one query."""
    ideas = (
        Idea.objects.public()
        .filter(proposal=OuterRef(proposal), latitude__isnull=False, longitude__isnull=False)
        .order_by("created_at", "id")
    )
    return {
        name: Subquery(ideas.values(column)[:1])
        for name, column in (
            ("map_latitude", "latitude"),
            ("map_longitude", "longitude"),
            ("map_address", "address"),
        )
    }


def list_image(idea: Idea) -> IdeaImage | None:
    """The card picture of an idea read by `IdeaListRows` (its first image's file and text)."""
    image = getattr(idea, "first_image_file", None)
    if not image:
        return None
    return IdeaImage(idea=idea, image=image, alt_text=getattr(idea, "first_image_alt", ""))


# The list page's filter choices (rounds, themes, areas) change a few times a year; reading
# them was three of the page's nine queries. Kept in the cache, dropped whenever one of
# them is saved or deleted (ideas/apps.py connects the signals), and for a minute at most.
FILTER_CHOICES_KEY = "ideas:filter-choices"
FILTER_CHOICES_SECONDS = 60


def filter_choices() -> dict[str, list]:

    choices = cache.get(FILTER_CHOICES_KEY)
    if choices is None:
        choices = {
            "cycles": list(Cycle.objects.order_by("-opens_on")),
            "themes": list(Theme.objects.order_by("name")),
            "areas": list(Area.objects.order_by("name")),
        }
        cache.set(FILTER_CHOICES_KEY, choices, FILTER_CHOICES_SECONDS)
    return choices


def filter_choices_forget(**_kwargs) -> None:

    cache.delete(FILTER_CHOICES_KEY)


def cycle_current_of(cycles: list[Cycle], *, at=None) -> Cycle | None:
    """omakouvola.selectors.cycle_current, chosen from an already read list of cycles:
    the one running now; else the next one to open; else the latest one."""
    today = Cycle.local_date(at)
    adult = [c for c in cycles if not c.is_youth]
    running = [c for c in adult if c.opens_on <= today <= c.implementation_ends_on]
    if running:
        return max(running, key=lambda c: c.opens_on)
    upcoming = [c for c in adult if c.opens_on > today]
    if upcoming:
        return min(upcoming, key=lambda c: c.opens_on)
    return max(adult, key=lambda c: c.implementation_ends_on, default=None)


def idea_detail(pk: int) -> Idea:
    return (
        Idea.objects.select_related(
            "area",
            "theme",
            "cycle",
            "proposal",
            "duplicate_of",
            "submitter",
            "assessment",
            "sustainability",
        )
        .prefetch_related("images", "status_changes")
        .annotate(
            pledge_count=Count("pledges", distinct=True), support_count=support_count_subquery()
        )
        .get(pk=pk)
    )


def idea_public_assessment(idea: Idea) -> dict[str, Any] | None:
    """What the public sees of the screening: the expert's feasibility and cost figures
    and the sustainability ratings, never the internal notes. Shown once screening has
    begun, so a half-typed assessment of a fresh idea does not leak."""
    if idea.status in (IdeaStatus.SUBMITTED, IdeaStatus.WITHDRAWN):
        return None
    assessment = getattr(idea, "assessment", None)
    sustainability = getattr(idea, "sustainability", None)
    if assessment is None and sustainability is None:
        return None
    return {"assessment": assessment, "sustainability": sustainability}


def ideas_of_user(user: User) -> QuerySet[Idea]:
    return (
        Idea.objects.filter(submitter=user)
        .select_related("cycle", "area", "proposal")
        .order_by("-created_at")
    )


def pledges_of_user(user: User) -> QuerySet[VolunteerPledge]:
    """This person's offers of volunteer work, newest first, with the proposal an idea was
    merged into (the pledge stays on the idea; one query)."""
    return (
        VolunteerPledge.objects.filter(user=user)
        .select_related("idea__proposal", "proposal")
        .order_by("-created_at", "-pk")
    )


def supports_of_user(user: User) -> QuerySet[IdeaSupport]:
    """The ideas this person supports, newest support first (one query)."""
    return IdeaSupport.objects.filter(user=user).select_related("idea").order_by("-created_at")


def registrations_of_user(user: User) -> QuerySet[WorkshopRegistration]:
    """This person's workshop seats and waiting-list places, not the cancelled ones."""
    return (
        WorkshopRegistration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("workshop")
        .order_by("workshop__starts_at")
    )


def split_registrations(
    registrations: Iterable[WorkshopRegistration], now: dt.datetime
) -> tuple[list[WorkshopRegistration], list[WorkshopRegistration]]:
    """(upcoming, past): a workshop is past once it has ended; past ones newest first."""
    upcoming: list[WorkshopRegistration] = []
    past: list[WorkshopRegistration] = []
    for registration in registrations:
        (past if registration.workshop.ends_at <= now else upcoming).append(registration)
    past.reverse()
    return upcoming, past


def workshop_list_public(cycle: Cycle | None = None) -> QuerySet[Workshop]:
    workshops = Workshop.objects.select_related("cycle").annotate(
        registered=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )
    if cycle is not None:
        workshops = workshops.filter(cycle=cycle)
    return workshops.order_by("starts_at")


def workshop_detail(pk: int) -> Workshop:
    return (
        workshop_list_public()
        .prefetch_related(Prefetch("ideas", queryset=Idea.objects.public().select_related("area")))
        .get(pk=pk)
    )


def proposals_public_of(cycle: Cycle | None) -> QuerySet[Proposal]:
    """The public proposals of a round (of every round when there is none)."""
    proposals = Proposal.objects.public()
    return proposals if cycle is None else proposals.filter(cycle=cycle)


def proposal_list_public(cycle: Cycle | None = None) -> QuerySet[Proposal]:
    """The public proposals of a round, each with where the map places it
    (`proposal_location`), so the page can say how many the map leaves out."""
    return (
        proposals_public_of(cycle)
        .select_related("area", "theme", "cycle")
        .annotate(
            pledge_count=Count("pledges", distinct=True),
            idea_count=Count("source_ideas", distinct=True),
            **proposal_location(),
        )
        .order_by("area__name", "title")
    )


def on_map(proposal: Proposal) -> bool:
    """The rule `proposal_map_features` applies in SQL, for a proposal read with
    `proposal_location`: public, with a point."""
    return (
        proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
        and getattr(proposal, "map_latitude", None) is not None
        and getattr(proposal, "map_longitude", None) is not None
    )


def off_map_count(proposals: Iterable[Proposal]) -> int:
    """How many of these proposals (read with `proposal_location`) a map leaves out; the
    page says so under the map."""
    return sum(1 for proposal in proposals if not on_map(proposal))


def proposal_map_features(proposals: QuerySet[Proposal]) -> dict[str, Any]:
    """Those of `proposals` (public ones) that have a place (`proposal_location`), as GeoJSON
    points in one query, each with its cost and area for the popup: the proposal list's map
    and a ballot's."""
    rows = (
        proposals.select_related("area")
        .annotate(**proposal_location())
        .filter(LOCATED)
        .order_by("cost", "title")
    )
    language = get_language()
    return geo.located_features(
        rows, status=lambda p: f"{format_euros(p.cost, language=language)} · {p.area_label}"
    )


def proposal_detail(pk: int) -> Proposal:
    return (
        Proposal.objects.public()
        .select_related("area", "theme", "cycle")
        .prefetch_related(
            Prefetch("source_ideas", queryset=Idea.objects.public().select_related("area"))
        )
        .annotate(pledge_count=Count("pledges", distinct=True))
        .get(pk=pk)
    )


# ---------------------------------------------------------------------------------------
# Figures for dashboards and the council's report
# ---------------------------------------------------------------------------------------


def _counts(ideas: QuerySet[Idea], field: str) -> dict[str | None, int]:
    return {row[field]: row["n"] for row in ideas.order_by().values(field).annotate(n=Count("id"))}


def idea_statistics(cycle: Cycle) -> dict[str, Any]:
    """Ideas of a cycle by area, theme, channel, status and reject reason (withdrawn left out)."""
    ideas = Idea.objects.filter(cycle=cycle).exclude(status=IdeaStatus.WITHDRAWN)
    return {
        "total": ideas.count(),
        "by_area": _counts(ideas, "area__name"),
        "by_theme": _counts(ideas, "theme__name"),
        "by_channel": _counts(ideas, "channel"),
        "by_status": _counts(ideas, "status"),
        "by_reject_reason": _counts(ideas.filter(status=IdeaStatus.REJECTED), "reject_reason"),
        "transferred_to": _counts(ideas.filter(status=IdeaStatus.TRANSFERRED), "transferred_to"),
    }


AWAITING_SCREENING = (IdeaStatus.SUBMITTED, IdeaStatus.IN_SCREENING)
"""An idea in these states has not been screened yet; any other state is a screening outcome."""
FORWARDED_STATUSES = (IdeaStatus.FORWARDED, IdeaStatus.MERGED)
"""An idea went on to co-development: forwarded as it is, or merged into a proposal."""


def ideas_screened(stats: dict[str, Any]) -> int:
    """How many ideas of `idea_statistics` have been screened (withdrawn ones left out)."""
    return stats["total"] - sum(stats["by_status"].get(s, 0) for s in AWAITING_SCREENING)


def ideas_forwarded(stats: dict[str, Any]) -> int:
    """How many ideas of `idea_statistics` went on to co-development."""
    return sum(stats["by_status"].get(s, 0) for s in FORWARDED_STATUSES)


def workshop_statistics(cycle: Cycle) -> dict[str, int]:
    workshops = Workshop.objects.filter(cycle=cycle)
    registrations = workshops.aggregate(
        held=Count("id", distinct=True),
        registered=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.REGISTERED),
        ),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        attended=Count("registrations", filter=Q(registrations__attended=True)),
    )
    return registrations


def pledge_statistics(cycle: Cycle) -> dict[str, int]:
    pledges = VolunteerPledge.objects.filter(Q(idea__cycle=cycle) | Q(proposal__cycle=cycle))
    return pledges.aggregate(
        pledges=Count("id"),
        people=Count("user", distinct=True),
        hours=Coalesce(Sum("hours"), 0),
    )


def idea_supported_by(idea: Idea, user: User) -> bool:
    """Whether the signed-in person supports the idea (the page shows the button's state)."""
    return user.is_authenticated and IdeaSupport.objects.filter(idea=idea, user=user).exists()
