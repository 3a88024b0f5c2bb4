"""The open data API: public fields only, constant queries, ETags, CORS, CSV, bad input."""

from __future__ import annotations

import json

import pytest

from ideas.models import IdeaStatus, ProposalStatus
from omakouvola.models import Cycle

from ..factories import IdeaFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _get(client, url, **headers):
    return client.get(url, headers=headers)


def test_ideas_list_publishes_public_fields_and_never_the_submitter(client, cycle, resident):
    IdeaFactory(
        cycle=cycle,
        title="Koirapuisto",
        submitter=resident,
        submitter_name="Maija Meikäläinen",
        submitter_contact="maija@example.fi",
    )
    IdeaFactory(cycle=cycle, title="Piilotettu", is_hidden=True)
    IdeaFactory(cycle=cycle, title="Peruttu", status=IdeaStatus.WITHDRAWN)
    response = client.get("/api/v1/ideas")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["items"]
    assert row["title"] == "Koirapuisto" and row["url"].endswith(f"/ideas/{row['id']}/")
    text = response.content.decode()
    for secret in ("Maija", "maija@example.fi", resident.email, "submitter"):
        assert secret not in text
    csv_text = client.get("/api/v1/ideas.csv").content.decode()
    assert "Koirapuisto" in csv_text and "Maija" not in csv_text and "Piilotettu" not in csv_text


def test_draft_proposals_are_not_published(client, cycle):
    ProposalFactory(cycle=cycle, title="Luonnos", status=ProposalStatus.DRAFT)
    ProposalFactory(cycle=cycle, title="Hyväksytty", status=ProposalStatus.APPROVED)
    titles = [p["title"] for p in client.get("/api/v1/proposals").json()["items"]]
    assert titles == ["Hyväksytty"]


@pytest.mark.parametrize(
    "resource", ["cycles", "ideas", "proposals", "ballots", "implementations", "expenses"]
)
def test_every_list_costs_the_same_queries_at_any_size(
    client, world, resource, django_assert_max_num_queries
):
    # The demo world has dozens of rows in each list; the first page and a page of one
    # row must cost the same.
    with django_assert_max_num_queries(6) as small:
        assert client.get(f"/api/v1/{resource}?limit=1").status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/api/v1/{resource}?limit=500")
    assert response.status_code == 200
    assert response.json()["count"] >= 1, resource


def test_etag_gives_304_when_nothing_changed(client, cycle):
    IdeaFactory(cycle=cycle)
    first = client.get("/api/v1/ideas")
    etag = first["ETag"]
    assert etag
    again = _get(client, "/api/v1/ideas", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    IdeaFactory(cycle=cycle)
    changed = _get(client, "/api/v1/ideas", **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_any_origin_may_read_the_api_but_not_the_site(client, cycle):
    api = _get(client, "/api/v1/cycles", Origin="https://data.example.org")
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in api
    page = _get(client, "/fi/ideas/", Origin="https://data.example.org")
    assert "Access-Control-Allow-Origin" not in page
    # The API is read-only.
    assert client.post("/api/v1/ideas", {}).status_code == 405


@pytest.mark.parametrize(
    "query",
    ["limit=100000", "limit=0", "offset=-1", "cycle=abc", "cycle=²", "year=9999999999999999999"],
)
def test_bad_parameters_are_a_clear_422_not_a_500(client, query):
    response = client.get(f"/api/v1/ideas?{query}".replace("ideas?year", "expenses?year"))
    assert response.status_code == 422
    assert "detail" in response.json()


def test_unknown_ballot_or_csv_is_404(client):
    assert client.get("/api/v1/ballots/999999/results").status_code == 404
    assert client.get("/api/v1/people.csv").status_code == 404


def test_results_appear_only_once_published(client, world):
    from voting.models import Ballot

    published = Ballot.objects.exclude(results_published_at=None).first()
    unpublished = Ballot.objects.filter(results_published_at=None).first()
    body = client.get(f"/api/v1/ballots/{published.pk}/results").json()
    assert body["votes_counted"] > 0 and body["count"]["winners"]
    assert client.get(f"/api/v1/ballots/{unpublished.pk}/results").status_code == 404


def test_csv_neutralises_spreadsheet_formulas(client, cycle):
    IdeaFactory(cycle=cycle, title='=HYPERLINK("http://evil.example","x")')
    text = client.get("/api/v1/ideas.csv").content.decode()
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_openapi_names_the_licence(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    assert schema["info"]["license"]["name"] == "CC BY 4.0"
    assert "/api/v1/ideas" in schema["paths"]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_open_data_page_explains_it_in_every_language(client, world, language):
    response = client.get(f"/{language}/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "CC BY 4.0" in html and "/api/v1/ideas.csv" in html and "results.pb" in html


#: Queries of each CSV download (the session/user lookups of a plain GET included); the
#: same whether the list holds a handful of rows or thousands (rows come in chunks of 500
#: with their prefetches, so a chunk is one or two queries more, not one per row).
CSV_QUERIES = {
    "cycles": 3,
    "ideas": 3,
    "proposals": 4,  # + the source ideas' prefetch
    "ballots": 3,
    "implementations": 3,
    "expenses": 3,
}


@pytest.mark.parametrize("resource", sorted(CSV_QUERIES))
def test_every_csv_download_costs_a_pinned_number_of_queries(
    client, world, resource, django_assert_num_queries
):
    with django_assert_num_queries(CSV_QUERIES[resource]):
        response = client.get(f"/api/v1/{resource}.csv")
        assert response.status_code == 200
        lines = response.content.decode().splitlines()
    assert len(lines) >= 2, resource


def test_the_ideas_csv_costs_the_same_queries_with_more_ideas(
    client, world, django_assert_num_queries
):
    before = client.get("/api/v1/ideas.csv").content.decode().count("\n")
    IdeaFactory.create_batch(40, cycle=Cycle.objects.first())
    with django_assert_num_queries(CSV_QUERIES["ideas"]):
        response = client.get("/api/v1/ideas.csv")
    assert response.content.decode().count("\n") == before + 40
