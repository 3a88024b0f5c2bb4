"""Approval ballots grouped for counting.

Identical ballots are counted once with a weight: city elections have thousands of voters but
far fewer distinct ballots, and under both rules voters with the same ballot are treated
identically (under Equal Shares they start with the same money and always pay the same), so a
group behaves exactly like one voter with ``weight`` times the money.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

import numpy as np

from .pabulib import Election, Vote

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
        weights, supporters = _group(ids, election.votes)
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


def _group(ids: Sequence[str], votes: Sequence[Vote]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Identical ballots as weighted groups, numbered in the order each first appears.

    Returns each group's weight and, per project, the ascending indices of the groups that
    approve it. A ballot is its set of projects (order and repeats don't matter). Done with
    numpy over all approvals at once: each ballot becomes a row of bits and identical rows
    are found by one sort of those rows (a Python loop over 100 000 ballots took a quarter
    of a second, a quarter of the count).
    """
    index = {pid: i for i, pid in enumerate(ids)}
    n, n_projects = len(votes), len(ids)
    ballots = [v.projects for v in votes]
    lengths = np.fromiter(map(len, ballots), dtype=np.intp, count=n)
    project = np.fromiter(
        map(index.__getitem__, chain.from_iterable(ballots)),
        dtype=np.intp,
        count=int(lengths.sum()),
    )
    voter = np.repeat(np.arange(n, dtype=np.intp), lengths)
    # Each ballot as a row of bits in 64-bit words; identical rows sort next to each other.
    words = max(1, (n_projects + 63) // 64)
    bits = np.zeros((n, words * 8), dtype=np.uint8)
    np.bitwise_or.at(bits, (voter, project >> 3), (128 >> (project & 7)).astype(np.uint8))
    rows = bits.view(np.uint64)
    # A stable sort keeps each group's earliest voter first in its block.
    by_row = np.lexsort(rows.T[::-1])
    ordered = rows[by_row]
    starts = np.ones(n, dtype=bool)
    if n > 1:
        starts[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    block = np.cumsum(starts) - 1
    first = by_row[starts]
    counts = np.diff(np.append(np.flatnonzero(starts), n))
    inverse = np.empty(n, dtype=np.intp)
    inverse[by_row] = block
    # The blocks come in the rows' order; renumber the groups by first appearance.
    order = np.argsort(first, kind="stable")
    renumber = np.empty(len(order), dtype=np.intp)
    renumber[order] = np.arange(len(order), dtype=np.intp)
    group_of_voter = renumber[inverse]
    weights = counts[order].astype(np.float64)
    # One voter stands for each group; their approvals, without repeats, sorted by project
    # and then group, cut into one run per project.
    stands_for = np.zeros(n, dtype=bool)
    stands_for[first] = True
    mine = stands_for[voter]
    n_groups = len(order)
    keys = np.sort(project[mine] * n_groups + group_of_voter[voter[mine]])
    if len(keys) > 1:
        # A project named twice on one ballot; a sort and a comparison, as numpy's own
        # unique (hashing, in numpy 2.3) took most of the time here.
        keys = keys[np.append(True, keys[1:] != keys[:-1])]
    cuts = np.searchsorted(keys, np.arange(n_projects + 1, dtype=np.intp) * n_groups)
    groups = keys % n_groups if n_groups else keys
    supporters = tuple(groups[cuts[p] : cuts[p + 1]] for p in range(n_projects))
    return weights, supporters
