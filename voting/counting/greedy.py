"""The greedy rule: most votes first, fund each proposal that still fits.

This is what CONSUL and Helsinki's OmaStadi compute. A proposal that does not fit the money
left is skipped, not the end of the count: a cheaper one further down may still fit.
All arithmetic is on Decimals, so "fits" is exact to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .outcome import CountResult, ProposalOutcome, Reason, TieBreak, TieRecord, tie_break_ranks
from .pabulib import Election
from .profile import ApprovalProfile

__all__ = ["greedy", "greedy_fill"]


def greedy(
    election: Election | ApprovalProfile,
    *,
    threshold: int | None = None,
    tie_break: TieBreak = TieBreak.MUNICIPAL,
    seed: int | None = None,
) -> CountResult:
    """Count by votes, descending; fund each proposal that fits the money left.

    Proposals with fewer than ``threshold`` votes are left out first (Warsaw's
    ``greedy-threshold``; pass ``election.min_project_score_threshold``). Proposals nobody
    voted for are never funded. Equal votes are ordered by ``tie_break``.
    """
    profile = _profile(election)
    ranks, seed = tie_break_ranks(profile.ids, profile.costs, profile.votes, tie_break, seed)
    outcomes: dict[int, ProposalOutcome] = {}
    eligible = []
    for p in range(len(profile.ids)):
        if profile.votes[p] == 0:
            outcomes[p] = _outcome(profile, p, Reason.NOT_FUNDED_NO_VOTES)
        elif threshold is not None and profile.votes[p] < threshold:
            outcomes[p] = _outcome(profile, p, Reason.NOT_FUNDED_BELOW_THRESHOLD)
        else:
            eligible.append(p)
    winners, money_left, ties = greedy_fill(
        profile, eligible, profile.budget, ranks, outcomes, stage="greedy"
    )
    rule = "greedy" if threshold is None else "greedy-threshold"
    return CountResult(
        rule=rule,
        budget=profile.budget,
        winners=tuple(profile.ids[p] for p in winners),
        total_cost=profile.budget - money_left,
        proposals=tuple(outcomes[p] for p in range(len(profile.ids))),
        tie_break=tie_break,
        seed=seed,
        ties=ties,
        options={"threshold": threshold},
    )


def greedy_fill(
    profile: ApprovalProfile,
    candidates: Sequence[int],
    money_left: Decimal,
    ranks: Sequence[int],
    outcomes: dict[int, ProposalOutcome],
    *,
    stage: str,
    position: int = 0,
    funded_reason: Reason = Reason.FUNDED_FITS,
) -> tuple[list[int], Decimal, tuple[TieRecord, ...]]:
    """Go through ``candidates`` by votes and fund those that fit; fills ``outcomes``.

    Shared by the greedy rule and the greedy completion after Equal Shares. Returns the funded
    project indices in order, the money left and the ties met on the way.
    """
    order = sorted(candidates, key=lambda p: (-profile.votes[p], ranks[p]))
    winners: list[int] = []
    for p in order:
        cost = profile.costs[p]
        if cost <= money_left:
            position += 1
            outcomes[p] = _outcome(profile, p, funded_reason, position, money_left)
            money_left -= cost
            winners.append(p)
        else:
            outcomes[p] = _outcome(
                profile, p, Reason.NOT_FUNDED_EXCEEDS_MONEY_LEFT, None, money_left
            )
    return winners, money_left, _ties_in_order(profile, order, stage)


def _ties_in_order(profile: ApprovalProfile, order: list[int], stage: str) -> tuple[TieRecord, ...]:
    ties = []
    start = 0
    for end in range(1, len(order) + 1):
        if end == len(order) or profile.votes[order[end]] != profile.votes[order[start]]:
            if end - start > 1:
                tied = tuple(profile.ids[p] for p in order[start:end])
                ties.append(TieRecord(stage=stage, tied=tied, chosen=tied[0]))
            start = end
    return tuple(ties)


def _outcome(
    profile: ApprovalProfile,
    p: int,
    reason: Reason,
    position: int | None = None,
    money_left: Decimal | None = None,
) -> ProposalOutcome:
    return ProposalOutcome(
        project_id=profile.ids[p],
        cost=profile.costs[p],
        votes=profile.votes[p],
        reason=reason,
        position=position,
        money_left=money_left,
    )


def _profile(election: Election | ApprovalProfile) -> ApprovalProfile:
    if isinstance(election, ApprovalProfile):
        return election
    return ApprovalProfile.from_election(election)
