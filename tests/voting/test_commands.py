"""tally, export_pabulib and import_pabulib: the research and audit interface."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from voting.models import Ballot

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[3] / "shared" / "pabulib"


def _needs_files():
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the Pabulib files are not shared here")


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_tally_counts_a_pabulib_file_directly_as_json():
    _needs_files()
    expected = json.loads((SHARED / "expected.json").read_text())["files"]
    name = "Netherlands_Assen_2024.pb"
    printed = json.loads(
        _call("tally", "--pabulib", str(SHARED / name), "--rule", "greedy", "--json")
    )
    assert set(printed) == {"winners", "cost", "seconds"}
    reference = expected[name]
    greedy = (
        next(
            v
            for k, v in reference.items()
            if "greedy" in k.lower() and isinstance(v, dict) and "winners" in v
        )
        if any("greedy" in k.lower() for k in reference)
        else None
    )
    if greedy is not None:
        assert set(printed["winners"]) == set(greedy["winners"])


def test_export_then_import_gives_the_same_tally(tmp_path, monkeypatch):
    _needs_files()
    monkeypatch.setenv("OMAK_ELECTION_PASSPHRASE", "research-passphrase")
    _call("import_pabulib", str(SHARED / "Netherlands_Assen_2024.pb"))
    ballot = Ballot.objects.get()
    first = json.loads(_call("tally", str(ballot.pk), "--rule", "equal-shares", "--json"))
    exported = tmp_path / "assen.pb"
    _call("export_pabulib", str(ballot.pk), "-o", str(exported))
    assert "VOTES" in exported.read_text()
    _call("import_pabulib", str(exported), "--name", "Assen again")
    again = Ballot.objects.get(name="Assen again")
    second = json.loads(_call("tally", str(again.pk), "--rule", "equal-shares", "--json"))
    titles = dict(Ballot.objects.get(pk=ballot.pk).proposals.values_list("pk", "title"))
    titles_again = dict(again.proposals.values_list("pk", "title"))
    assert sorted(titles[int(w)] for w in first["winners"]) == sorted(
        titles_again[int(w)] for w in second["winners"]
    )
    assert first["cost"] == second["cost"]


def test_a_missing_ballot_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No ballot 999"):
        _call("tally", "999", "--json")


def test_tally_of_a_stored_ballot_needs_its_passphrase(tmp_path, monkeypatch):
    """The votes are sealed: the count takes the passphrase from a file, never argv."""
    from django.core.management.base import CommandError

    from voting import services

    from ..factories import (
        TEST_ELECTION_PASSPHRASE,
        AreaFactory,
        BallotFactory,
        CycleFactory,
        PostalCodeFactory,
        ProposalFactory,
        UserFactory,
        helsinki,
    )

    monkeypatch.delenv("OMAK_ELECTION_PASSPHRASE", raising=False)
    cycle = CycleFactory(opening_year=2026)
    PostalCodeFactory(code="45100", area=AreaFactory(slug="keskusta"))
    proposal = ProposalFactory(cycle=cycle, cost=1000, status="approved")
    ballot = BallotFactory(cycle=cycle, proposals=[proposal])
    import time_machine

    with time_machine.travel(helsinki(2027, 1, 30, 12, 0)):
        services.vote_cast(
            actor=UserFactory(postal_code="45100"), ballot=ballot, proposal_ids=[proposal.pk]
        )
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all")
    from django.utils import translation

    with translation.override("en"), pytest.raises(CommandError, match="does not open"):
        _call("tally", str(ballot.pk), "--json", "--passphrase-file", str(wrong))
    right = tmp_path / "right"
    right.write_text(TEST_ELECTION_PASSPHRASE + "\n")
    printed = json.loads(_call("tally", str(ballot.pk), "--json", "--passphrase-file", str(right)))
    assert printed["winners"] == [str(proposal.pk)]
