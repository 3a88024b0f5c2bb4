"""Reads of the voting app: ballots, the count, turnout, receipts, Pabulib data."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from ideas.models import Proposal
from omakouvola.models import Cycle

from .counting import rules as counting
from .counting.outcome import CountResult
from .counting.pabulib import Election, Project
from .counting.pabulib import Vote as PabulibVote
from .models import Ballot, Vote, VoteChoice, VoterRoll
from .secrecy import normalise_receipt


def ballots_of_cycle(cycle: Cycle | None) -> QuerySet[Ballot]:
    ballots = Ballot.objects.select_related("area", "group", "cycle").annotate(
        proposal_count=Count("proposals", distinct=True)
    )
    if cycle is not None:
        ballots = ballots.filter(cycle=cycle)
    return ballots.order_by("group__name", "area__name", "name")


def ballot_with_proposals(pk: int) -> Ballot:
    return (
        Ballot.objects.select_related("area", "group", "cycle")
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("area").order_by("cost", "title"),
            )
        )
        .get(pk=pk)
    )


def vote_of(ballot: Ballot, key: str) -> Vote | None:
    return (
        Vote.objects.filter(ballot=ballot, voter_key=key)
        .prefetch_related(Prefetch("proposals", queryset=Proposal.objects.order_by("title")))
        .first()
    )


def ballot_tally(ballot: Ballot) -> dict[int, int]:
    """Votes per proposal, counted in the database."""
    counts = dict(
        VoteChoice.objects.filter(vote__ballot=ballot)
        .values_list("proposal")
        .annotate(n=Count("id"))
        .values_list("proposal", "n")
    )
    return {p.pk: counts.get(p.pk, 0) for p in ballot.proposals.all()}


def ballot_turnout(ballot: Ballot) -> dict[str, object]:
    """Turnout by area, age band and channel from the voter roll (SQL aggregates)."""
    roll = VoterRoll.objects.filter(ballot=ballot).order_by()

    def by(field: str) -> dict[str, int]:
        return {str(k or ""): n for k, n in roll.values_list(field).annotate(n=Count("id"))}

    return {
        "total": roll.count(),
        "by_area": by("area__name"),
        "by_age_band": by("age_band"),
        "by_channel": by("channel"),
    }


def ballot_election(ballot: Ballot, *, selected: set[int] | None = None) -> Election:
    """The ballot as a Pabulib election: projects by proposal id, anonymous voters."""
    proposals = list(ballot.proposals.order_by("pk"))
    projects = tuple(
        Project(
            project_id=str(p.pk),
            cost=p.cost,
            selected=(1 if p.pk in selected else 0) if selected is not None else None,
            extra={"name": p.title, "area": p.area.name if p.area_id else ""},
        )
        for p in proposals
    )
    chosen: dict[str, list[str]] = {}
    rows = (
        VoteChoice.objects.filter(vote__ballot=ballot)
        .order_by("vote_id", "proposal_id")
        .values_list("vote_id", "proposal_id")
    )
    for vote_id, proposal_id in rows.iterator(chunk_size=5000):
        chosen.setdefault(str(vote_id), []).append(str(proposal_id))
    # Voter ids in the file are sequence numbers, not the vote's key or id.
    votes = tuple(
        PabulibVote(voter_id=str(n), projects=tuple(projects_))
        for n, projects_ in enumerate(sorted(chosen.values()), start=1)
    )
    meta = {
        "description": ballot.name,
        "country": "Finland",
        "unit": "Kouvola",
        "instance": str(ballot.cycle.year),
        "num_projects": str(len(projects)),
        "num_votes": str(len(votes)),
        "budget": str(ballot.money),
        "vote_type": "approval",
        "rule": "greedy" if ballot.counting_rule == "greedy" else "equalshares/add1",
        "currency": "EUR",
        "date_begin": ballot.opens_at.date().isoformat(),
        "date_end": ballot.closes_at.date().isoformat(),
    }
    if ballot.selection_rule == "approval" and ballot.max_choices:
        meta["max_length"] = str(ballot.max_choices)
    return Election(meta=meta, projects=projects, votes=votes)


def ballot_count(ballot: Ballot, rule: str | None = None) -> tuple[CountResult, int]:
    """Count the ballot by its rule (or another), with the recorded tie-break seed."""
    election = ballot_election(ballot)
    result = counting.count(
        election,
        rule or ballot.counting_rule,
        seed=ballot.tie_break_seed,
        step=Decimal(ballot.add1_step),
    )
    return result, len(election.votes)


def receipt_counted(ballot: Ballot, code: str) -> bool:
    """Whether a receipt code belongs to a vote that is counted on this ballot."""
    normalised = normalise_receipt(code)
    return bool(normalised) and Vote.objects.filter(ballot=ballot, receipt_code=normalised).exists()
