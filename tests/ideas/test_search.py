"""Idea search: three languages, partial titles, relevance, and the indexes behind it."""

from __future__ import annotations

import pytest
from django.db import connection

from ideas import selectors
from ideas.models import Idea

from ..factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgres(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the search column and its indexes exist on PostgreSQL only")


def _titles(cycle, q):
    filters = selectors.IdeaFilters(cycle=cycle, query=q)
    titles = [i.title for i in selectors.idea_list_public(filters)]
    # The list page reads through IdeaListRows: the same ideas in the same order.
    page = selectors.IdeaListRows(filters, selectors.filter_choices())[0:20]
    assert [i.title for i in page] == titles
    return titles


def test_search_stems_finnish_swedish_and_english(postgres, cycle):
    IdeaFactory(cycle=cycle, title="Uimarannan laituri", description="Laituri uimarannalle.")
    IdeaFactory(cycle=cycle, title="Nya bänkar", description="Bänkarna vid stranden.")
    IdeaFactory(cycle=cycle, title="Benches by the river", description="More benches.")
    assert _titles(cycle, "uimaranta") == ["Uimarannan laituri"]
    assert _titles(cycle, "stranden") == ["Nya bänkar"]  # Swedish stemming: strand
    assert _titles(cycle, "strand") == ["Nya bänkar"]
    assert _titles(cycle, "bench") == ["Benches by the river"]  # English stemming


def test_a_part_of_a_title_still_matches(postgres, cycle):
    IdeaFactory(cycle=cycle, title="Ulkokuntosali Myllykoskelle", description="Laitteita.")
    assert _titles(cycle, "kuntosali") == ["Ulkokuntosali Myllykoskelle"]


def test_better_matches_come_first_then_newer(postgres, cycle):
    IdeaFactory(cycle=cycle, title="Penkkejä", description="Koirapuisto tarvitsee penkkejä.")
    IdeaFactory(cycle=cycle, title="Koirapuisto", description="Aidattu koirapuisto.")
    assert _titles(cycle, "koirapuisto") == ["Koirapuisto", "Penkkejä"]


def test_the_search_column_follows_edits(postgres, cycle):
    idea = IdeaFactory(cycle=cycle, title="Leikkipuisto", description="Keinut.")
    Idea.objects.filter(pk=idea.pk).update(title="Skeittiparkki")
    assert _titles(cycle, "skeittiparkki") == ["Skeittiparkki"]
    assert _titles(cycle, "leikkipuisto") == []


def _plan(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table: ask whether an index can
        try:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")


def test_search_and_the_list_are_served_by_indexes(postgres, cycle):
    IdeaFactory.create_batch(3, cycle=cycle)
    search = selectors.idea_search(Idea.objects.all(), "puisto").order_by().values("pk")
    plan = _plan(*search.query.sql_with_params())
    assert "ideas_idea_search_gin" in plan and "ideas_idea_title_trgm" in plan
    listing = selectors.idea_list_public(selectors.IdeaFilters(cycle=cycle))[:20]
    plan = _plan(*listing.query.sql_with_params())
    assert "idea_list_public_idx" in plan


def _subplan_loops(plan: dict) -> list[int]:
    loops = [plan["Actual Loops"]] if plan.get("Subplan Name", "").startswith("SubPlan") else []
    for child in plan.get("Plans", []):
        loops += _subplan_loops(child)
    return loops


@pytest.mark.parametrize("query", ["", "puisto"])
def test_a_list_page_computes_counts_and_pictures_for_its_own_rows_only(
    postgres, client, cycle, query
):
    """Issue #15: page 100 of 5 000 ideas took 30 ms in the database against half a
    millisecond for page 1, because the OFFSET ran the support, pledge and picture
    subqueries for every skipped row as well."""
    IdeaFactory.create_batch(60, cycle=cycle, title="Koirapuisto", description="Aita.")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fi/ideas/", {"page": 3, "q": query})
    assert response.content.decode().count('class="card h-100 idea-card"') == 20
    (page_sql,) = [q["sql"] for q in queries.captured_queries if "ideas_ideasupport" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + page_sql)
        (plan,) = cursor.fetchone()[0]
    loops = _subplan_loops(plan["Plan"])
    assert loops and max(loops) <= 20, loops
