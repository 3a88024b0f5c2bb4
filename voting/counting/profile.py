"""Approval ballots grouped for counting.

Identical ballots are counted once with a weight: city elections have thousands of voters but
far fewer distinct ballots, and under both rules voters with the same ballot are treated
identically (under Equal Shares they start with the same money and always pay the same), so a
group behaves exactly like one voter with ``weight`` times the money.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .pabulib import Election

__all__ = ["ApprovalProfile"]


@dataclass(frozen=True, eq=False)
class ApprovalProfile:
    """Projects (in the election's order) and grouped approval ballots.

    ``supporters[p]`` holds the indices of the ballot groups approving project ``p`` and
    ``supporter_weights[p]`` the number of voters in each of those groups.
    """

    ids: tuple[str, ...]
    costs: tuple[Decimal, ...]
    budget: Decimal
    votes: tuple[int, ...]
    n_voters: int
    group_weights: np.ndarray
    supporters: tuple[np.ndarray, ...]
    supporter_weights: tuple[np.ndarray, ...]

    @classmethod
    def from_election(cls, election: Election) -> ApprovalProfile:
        if election.vote_type != "approval":
            raise ValueError(
                f"only approval ballots can be counted, this election has {election.vote_type!r}"
            )
        ids = election.project_ids
        index = {pid: i for i, pid in enumerate(ids)}
        ballots: Counter[tuple[int, ...]] = Counter()
        for vote in election.votes:
            ballots[tuple(sorted({index[pid] for pid in vote.projects}))] += 1

        members: list[list[int]] = [[] for _ in ids]
        weights = np.empty(len(ballots), dtype=np.float64)
        for group, (ballot, weight) in enumerate(ballots.items()):
            weights[group] = weight
            for p in ballot:
                members[p].append(group)
        supporters = tuple(np.asarray(m, dtype=np.intp) for m in members)
        supporter_weights = tuple(weights[s] for s in supporters)
        votes = tuple(int(w.sum()) for w in supporter_weights)
        return cls(
            ids=ids,
            costs=tuple(p.cost for p in election.projects),
            budget=election.budget,
            votes=votes,
            n_voters=len(election.votes),
            group_weights=weights,
            supporters=supporters,
            supporter_weights=supporter_weights,
        )

    @property
    def n_groups(self) -> int:
        return len(self.group_weights)
