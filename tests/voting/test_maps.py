"""The ballot's proposals on a map (issue #17): a proposal stands at its oldest located public
idea, the GeoJSON has only public proposals of this ballot, in a fixed number of queries, and
the page puts the map after the ballot form and says how many proposals are not on it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ideas.models import IdeaStatus
from voting import selectors

from ..factories import BallotFactory, CycleFactory, IdeaFactory, ProposalFactory

pytestmark = pytest.mark.django_db

MARKET = (Decimal("60.86827"), Decimal("26.70443"))
KAPYLA = (Decimal("60.87600"), Decimal("26.72800"))


def _idea(proposal, point, **extra):
    return IdeaFactory(
        cycle=proposal.cycle,
        proposal=proposal,
        status=extra.pop("status", IdeaStatus.MERGED),
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        **extra,
    )


def _features(client, ballot):
    response = client.get(f"/fi/voting/{ballot.pk}/map.geojson")
    assert response.status_code == 200
    return {f["properties"]["title"]: f for f in response.json()["features"]}


def test_a_proposal_stands_at_its_oldest_located_public_idea(client, ballot, proposals):
    penkit, muraali, portaat = proposals
    old = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    _idea(penkit, None, created_at=old - dt.timedelta(days=9))  # no point: skipped
    _idea(penkit, KAPYLA, created_at=old + dt.timedelta(days=1))
    _idea(penkit, MARKET, created_at=old)
    # Hidden and withdrawn ideas place nothing.
    _idea(muraali, MARKET, is_hidden=True)
    _idea(muraali, KAPYLA, status=IdeaStatus.WITHDRAWN)
    features = _features(client, ballot)
    assert set(features) == {"Penkit"}
    assert features["Penkit"]["geometry"]["coordinates"] == [26.70443, 60.86827]
    assert features["Penkit"]["properties"]["url"] == penkit.get_absolute_url()
    assert features["Penkit"]["properties"]["status"] == "4\u00a0000,00\u00a0€ · Keskusta"
    assert portaat.pk not in {f["id"] for f in features.values()}


def test_only_this_ballots_public_proposals_are_on_the_map(client, cycle, ballot, proposals):
    penkit = proposals[0]
    _idea(penkit, MARKET)
    draft = ProposalFactory(cycle=cycle, title="Luonnos", status="draft")
    withdrawn = ProposalFactory(cycle=cycle, title="Peruttu", status="withdrawn")
    _idea(draft, MARKET)
    _idea(withdrawn, MARKET)
    ballot.proposals.add(draft, withdrawn)
    elsewhere = ProposalFactory(cycle=cycle, title="Toisessa äänestyksessä", status="approved")
    _idea(elsewhere, KAPYLA)
    BallotFactory(cycle=cycle, proposals=[elsewhere])
    assert set(_features(client, ballot)) == {"Penkit"}
    # The page counts the rest: two without a place, and the two that are not public.
    assert selectors.proposals_off_map(selectors.ballot_with_proposals(ballot.pk)) == 4


@pytest.mark.parametrize("count", [3, 40])
def test_the_map_data_runs_a_constant_number_of_queries(
    client, cycle, area, count, django_assert_num_queries
):
    proposals = [
        ProposalFactory(cycle=cycle, title=f"Ehdotus {n}", status="approved", area=area)
        for n in range(count)
    ]
    for proposal in proposals:
        _idea(proposal, MARKET)
        _idea(proposal, KAPYLA)
    ballot = BallotFactory(cycle=cycle, proposals=proposals)
    # The request's savepoint and release, the ballot, its located proposals.
    with django_assert_num_queries(4):
        response = client.get(f"/fi/voting/{ballot.pk}/map.geojson")
    assert len(response.json()["features"]) == count


def test_an_unknown_ballot_is_not_found(client, db):
    assert client.get("/fi/voting/999999/map.geojson").status_code == 404


def test_the_map_comes_after_the_ballot_form_and_counts_what_it_leaves_out(
    client, ballot, proposals
):
    _idea(proposals[0], MARKET)
    html = client.get(f"/fi/voting/{ballot.pk}/").content.decode()
    assert f'data-points-url="/fi/voting/{ballot.pk}/map.geojson"' in html
    assert html.index("</form>") < html.index('data-map="points"')
    assert 'href="#ballot-proposals"' in html and 'id="ballot-proposals"' in html
    assert "2 ehdotuksella ei ole sijaintia" in html
    html = client.get(f"/sv/voting/{ballot.pk}/").content.decode()
    assert "2 förslag har ingen plats" in html


def test_a_ballot_without_proposals_has_no_map(client, cycle):
    ballot = BallotFactory(cycle=cycle)
    assert 'data-map="points"' not in client.get(f"/fi/voting/{ballot.pk}/").content.decode()


# --- the proposal list's map (the proposals of a round, on or off a ballot) ----------------


def test_the_proposal_list_has_a_map_of_its_round_and_counts_what_it_leaves_out(
    client, cycle, ballot, proposals
):
    """The list had no map: the ballot page and the built projects did, proposals did not."""
    _idea(proposals[0], MARKET)
    draft = ProposalFactory(cycle=cycle, title="Luonnos", status="draft")
    _idea(draft, KAPYLA)
    other_round = CycleFactory(opening_year=cycle.year - 2)
    elsewhere = ProposalFactory(cycle=other_round, title="Viime vuonna", status="approved")
    _idea(elsewhere, KAPYLA)
    html = client.get(f"/fi/proposals/?cycle={cycle.pk}").content.decode()
    assert f'data-points-url="/fi/proposals/map.geojson?cycle={cycle.pk}"' in html
    assert 'href="#proposal-results"' in html and 'id="proposal-results"' in html
    assert "2 ehdotuksella ei ole sijaintia" in html  # Muraali and Portaat
    response = client.get(f"/fi/proposals/map.geojson?cycle={cycle.pk}")
    assert {f["properties"]["title"] for f in response.json()["features"]} == {"Penkit"}
    # The other round's map has its own proposal only; a draft is never on a map.
    response = client.get(f"/sv/proposals/map.geojson?cycle={other_round.pk}")
    assert {f["properties"]["title"] for f in response.json()["features"]} == {"Viime vuonna"}
    assert (
        "2 förslag har ingen plats"
        in client.get(f"/sv/proposals/?cycle={cycle.pk}").content.decode()
    )


@pytest.mark.parametrize("cycle_param", ["999999", "x", "1 OR 1=1", ""])
def test_a_crafted_round_on_the_proposal_map_is_the_current_round_not_an_error(
    client, cycle, ballot, proposals, cycle_param
):
    _idea(proposals[0], MARKET)
    response = client.get("/fi/proposals/map.geojson", {"cycle": cycle_param})
    assert response.status_code == 200
    assert response.json()["type"] == "FeatureCollection"


@pytest.mark.parametrize("count", [3, 40])
def test_the_proposal_list_and_its_map_run_a_constant_number_of_queries(
    client, cycle, area, count, django_assert_num_queries
):
    for n in range(count):
        proposal = ProposalFactory(cycle=cycle, title=f"Ehdotus {n}", status="approved", area=area)
        _idea(proposal, MARKET)
    url = f"/fi/proposals/?cycle={cycle.pk}"
    client.get(url)  # warms the cached choices
    # The request's savepoint and release, the chosen round, the round's proposals.
    with django_assert_num_queries(4):
        client.get(f"/fi/proposals/map.geojson?cycle={cycle.pk}")
    # The same and the round chooser's choices: 5, whatever the number of proposals.
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
