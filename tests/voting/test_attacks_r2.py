"""Attacks on the merged code channel, my-vote page and staff pages (helper r2)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from voting import codes
from voting.models import Vote, VoterRoll

from ..factories import BallotFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def printed(monkeypatch):
    made: list[str] = []
    real = codes.new_code

    def recording():
        made.append(real())
        return made[-1]

    monkeypatch.setattr(codes, "new_code", recording)
    monkeypatch.setattr("voting.pdf.render_slips", lambda **kw: b"%PDF-1.7 slips")
    return made


@pytest.fixture
def batch(coordinator, ballot, during_voting, printed):
    made = codes.code_batch_create(actor=coordinator, ballot=ballot, place="Kirjasto", size=3)
    return codes.code_batch_print(batch_id=made.pk)


@pytest.mark.parametrize(
    "values",
    [["99999999999999999"], ["-1"], ["1.5"], ["0"], [""], ["１"]],
)
def test_crafted_proposal_ids_with_a_code_are_a_message(client, batch, printed, values):
    page = client.post("/fi/voting/code/", {"code": printed[0], "cast": "1", "proposals": values})
    assert page.status_code == 200
    assert not Vote.objects.exists()


def test_a_proposal_of_another_ballot_is_refused_with_a_code(client, batch, printed, cycle, area):
    other = BallotFactory(cycle=cycle, name="Toinen")
    foreign = ProposalFactory(cycle=cycle, area=area, title="Vieras")
    other.proposals.add(foreign)
    page = client.post(
        "/fi/voting/code/", {"code": printed[0], "cast": "1", "proposals": [foreign.pk]}
    )
    assert page.status_code == 200
    assert not VoterRoll.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/fi/voting/99999999999999999999/my-vote/",
        "/fi/voting/99999999999999999999/code/done/",
    ],
)
def test_huge_ballot_ids_are_not_found(client, url):
    assert client.get(url).status_code == 404
    assert client.post(url, {"receipt": "x"}).status_code in (404, 405)


def test_receipt_input_is_a_message(client, ballot):
    for value in ["", "x" * 500, "\x00", "ÅÄÖ"]:
        assert (
            client.post(f"/fi/voting/{ballot.pk}/my-vote/", {"receipt": value}).status_code == 200
        )
