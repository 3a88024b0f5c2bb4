"""What a count means for the voters: the other rule's outcome and fairness figures.

Computed from the counted anonymous ballots alone (no voter ids), so it can be stored with the
published result and shown to anyone. The step-by-step account of Equal Shares (each round's
proposal, the most any supporter paid, how many paid less because it was all they had, and
why each loser lost, with amounts) is already in each :class:`ProposalOutcome`;
:func:`equal_shares_rounds` puts it in funding order.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from .equal_shares import equal_shares
from .greedy import greedy
from .outcome import CountResult, ProposalOutcome, Reason, TieBreak
from .profile import ApprovalProfile

__all__ = ["combined_fairness", "compare_rules", "equal_shares_rounds", "fairness", "other_rule"]


def other_rule(
    profile: ApprovalProfile,
    official: CountResult,
    *,
    tie_break: TieBreak = TieBreak.MUNICIPAL,
    step: Decimal | int = 1,
) -> CountResult:
    """The count by the rule that was not official, with the same votes and the same lot.

    Equal Shares (with Add1, the city's variant) when the official rule was greedy; greedy
    (utilitarian: most votes first) when it was Equal Shares.
    """
    seed = official.seed
    if official.rule.startswith("equal-shares"):
        return greedy(profile, tie_break=tie_break, seed=seed)
    return equal_shares(profile, completion="add1", step=step, tie_break=tie_break, seed=seed)


def fairness(profile: ApprovalProfile, winners: tuple[str, ...]) -> dict[str, Any]:
    """How the funded proposals sit with the voters.

    ``with_funded`` is the number of voters with at least one funded proposal they voted for,
    ``share_with_funded`` that as a fraction of all voters (0–1, four decimals), and
    ``median_spent`` the median, over voters, of the money going to funded proposals that the
    voter voted for (each voter counts once; lower median of an even count).
    ``spent_counts`` is that money's distribution (``[amount, voters]`` by amount, anonymous:
    no ballot can be told from it), so figures over several ballots (one per area, each
    voter on one) can be combined exactly by :func:`combined_fairness`.
    """
    n = profile.n_voters
    if n == 0:
        return _figures(0, 0, [])
    funded = set(winners)
    index = {pid: i for i, pid in enumerate(profile.ids)}
    spent = np.zeros(profile.n_groups, dtype=object)
    hit = np.zeros(profile.n_groups, dtype=bool)
    for pid in funded:
        p = index[pid]
        groups = profile.supporters[p]
        hit[groups] = True
        spent[groups] = spent[groups] + profile.costs[p]
    weights = profile.group_weights.astype(np.int64)
    counts: dict[Decimal, int] = {}
    for g in range(profile.n_groups):
        amount = Decimal(spent[g]) if spent[g] else Decimal(0)
        counts[amount] = counts.get(amount, 0) + int(weights[g])
    return _figures(n, int(weights[hit].sum()), sorted(counts.items()))


def combined_fairness(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of :func:`fairness` over several ballots' voters taken together.

    Meant for the area ballots of one round, where each voter votes on one of them, so the
    voters simply add up. Each part needs its ``spent_counts``.
    """
    counts: dict[Decimal, int] = {}
    for part in parts:
        for amount, voters in part["spent_counts"]:
            counts[Decimal(amount)] = counts.get(Decimal(amount), 0) + int(voters)
    return _figures(
        sum(int(part["voters"]) for part in parts),
        sum(int(part["with_funded"]) for part in parts),
        sorted(counts.items()),
    )


def _figures(n: int, with_funded: int, counts: list[tuple[Decimal, int]]) -> dict[str, Any]:
    """The JSON-ready figures from the voters, those with a funded proposal, and the
    distribution of the money on what each voted for (sorted by amount)."""
    if n == 0:
        return {
            "voters": 0,
            "with_funded": 0,
            "share_with_funded": "0",
            "median_spent": "0",
            "spent_counts": [],
        }
    middle = (n - 1) // 2
    seen = 0
    median = Decimal(0)
    for amount, voters in counts:
        seen += voters
        if seen > middle:
            median = amount
            break
    share = (Decimal(with_funded) / Decimal(n)).quantize(Decimal("0.0001"))
    return {
        "voters": n,
        "with_funded": with_funded,
        "share_with_funded": str(share),
        "median_spent": str(median),
        "spent_counts": [[str(amount), voters] for amount, voters in counts],
    }


def equal_shares_rounds(result: CountResult) -> list[ProposalOutcome]:
    """The proposals Equal Shares funded, in the order of its rounds."""
    rounds = [
        o
        for o in result.proposals
        if o.reason in (Reason.FUNDED_FREE, Reason.FUNDED_EQUAL_SHARES) and o.position
    ]
    return sorted(rounds, key=lambda o: o.position or 0)


def compare_rules(
    profile: ApprovalProfile,
    official: CountResult,
    *,
    tie_break: TieBreak = TieBreak.MUNICIPAL,
    step: Decimal | int = 1,
) -> dict[str, Any]:
    """JSON-ready: the other rule's result and both rules' fairness figures, side by side."""
    other = other_rule(profile, official, tie_break=tie_break, step=step)
    return {
        "official_rule": official.rule,
        "other": other.as_dict(),
        "fairness": {
            "official": fairness(profile, official.winners),
            "other": fairness(profile, other.winners),
        },
    }
