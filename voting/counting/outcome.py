"""Results of a count: the winners and, for every proposal, why it won or lost.

Every figure a resident may read on the results page is here as a :class:`~decimal.Decimal`
and a reason code; wording and translation belong to the presentation layer, with
:meth:`ProposalOutcome.explain` as the plain English fallback used by command-line tools.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

__all__ = [
    "CountResult",
    "ProposalOutcome",
    "Reason",
    "TieBreak",
    "TieRecord",
    "tie_break_ranks",
]

CENT = Decimal("0.01")


class Reason(StrEnum):
    FUNDED_FITS = "funded_fits"
    """Greedy: it fitted the money left when its turn came."""
    FUNDED_EQUAL_SHARES = "funded_equal_shares"
    """Equal Shares: its supporters could pay for it and no cheaper-per-supporter one remained."""
    FUNDED_FREE = "funded_free"
    """Equal Shares: it costs nothing and has supporters."""
    FUNDED_COMPLETION = "funded_completion"
    """Equal Shares then greedy completion: it fitted the money left afterwards."""
    NOT_FUNDED_EXCEEDS_MONEY_LEFT = "not_funded_exceeds_money_left"
    """Its cost was more than the money left when its turn came."""
    NOT_FUNDED_SUPPORTERS_SHORT = "not_funded_supporters_short"
    """Equal Shares: its supporters' remaining shares did not add up to its cost."""
    NOT_FUNDED_BELOW_THRESHOLD = "not_funded_below_threshold"
    """It had fewer votes than the ballot's vote threshold."""
    NOT_FUNDED_NO_VOTES = "not_funded_no_votes"
    """Nobody voted for it."""

    @property
    def funded(self) -> bool:
        return self.value.startswith("funded")


class TieBreak(StrEnum):
    MUNICIPAL = "municipal"
    """Lower cost first, then more votes, then a lot drawn from the recorded seed
    (equalshares.net's recommendation and the city's documented rule)."""
    PROJECT_ID = "project-id"
    """Project ids compared as strings ("10" before "9"): pabutools' default, for reference
    comparisons only."""


def tie_break_ranks(
    ids: Sequence[str],
    costs: Sequence[Decimal],
    votes: Sequence[int],
    tie_break: TieBreak,
    seed: int | None,
) -> tuple[list[int], int | None]:
    """A rank per project, lower winning a tie, and the seed actually used.

    The lot is one random order of all projects drawn once from the seed, so the same seed
    always breaks the same tie the same way, however many times the rule re-runs (Add1).
    """
    if tie_break is TieBreak.PROJECT_ID:
        order = sorted(range(len(ids)), key=lambda i: ids[i])
        seed = None
    else:
        if seed is None:
            seed = secrets.randbits(32)
        # Drawing from the sorted ids keeps the lot independent of the file's row order.
        lot = random.Random(seed).sample(sorted(ids), len(ids))  # noqa: S311 -- a public lot, not a secret
        lot_position = {pid: i for i, pid in enumerate(lot)}
        order = sorted(range(len(ids)), key=lambda i: (costs[i], -votes[i], lot_position[ids[i]]))
    ranks = [0] * len(ids)
    for rank, i in enumerate(order):
        ranks[i] = rank
    return ranks, seed


@dataclass(frozen=True)
class TieRecord:
    """Projects that were exactly level at one decision, and the one the tie-break chose first."""

    stage: str
    tied: tuple[str, ...]
    chosen: str


@dataclass(frozen=True)
class ProposalOutcome:
    """Why one proposal was or was not funded, with the numbers behind it.

    ``position`` is the order of funding (1 = first). For Equal Shares, ``max_payment`` is the
    most any single supporter paid, ``supporters_paying_less`` how many supporters paid less
    because that was all they had left, and ``effective_votes`` the cost divided by the
    maximum payment (the votes it counted as, given what its supporters had already spent).
    ``supporters_money`` is, for a proposal Equal Shares did not fund, what its supporters had
    left between them at the end. Payment figures are rounded to cents; the decisions were not.
    """

    project_id: str
    cost: Decimal
    votes: int
    reason: Reason
    position: int | None = None
    money_left: Decimal | None = None
    max_payment: Decimal | None = None
    effective_votes: Decimal | None = None
    supporters_paying_less: int | None = None
    supporters_money: Decimal | None = None

    @property
    def funded(self) -> bool:
        return self.reason.funded

    def explain(self) -> str:
        r = self.reason
        if r is Reason.FUNDED_FITS:
            return f"funded: fit the money left ({self.money_left})"
        if r is Reason.FUNDED_COMPLETION:
            return f"funded after Equal Shares: fit the money left ({self.money_left})"
        if r is Reason.FUNDED_FREE:
            return "funded: costs nothing"
        if r is Reason.FUNDED_EQUAL_SHARES:
            text = (
                f"funded by Equal Shares: each supporter paid at most {self.max_payment} "
                f"(counted as {self.effective_votes} votes)"
            )
            if self.supporters_paying_less:
                text += f"; {self.supporters_paying_less} supporters paid all they had left"
            return text
        if r is Reason.NOT_FUNDED_EXCEEDS_MONEY_LEFT:
            return f"not funded: cost {self.cost} exceeded the money left {self.money_left}"
        if r is Reason.NOT_FUNDED_SUPPORTERS_SHORT:
            return (
                f"not funded: its supporters had {self.supporters_money} left between them, "
                f"less than its cost {self.cost}"
            )
        if r is Reason.NOT_FUNDED_BELOW_THRESHOLD:
            return f"not funded: {self.votes} votes, below the vote threshold"
        return "not funded: no votes"


@dataclass(frozen=True)
class CountResult:
    """Winners in the order they were funded, and an outcome for every proposal.

    ``per_voter_budget`` is, for Equal Shares, each voter's share in the run whose outcome
    was kept (after Add1's raises), and ``passes`` how many runs the count needed.
    """

    rule: str
    budget: Decimal
    winners: tuple[str, ...]
    total_cost: Decimal
    proposals: tuple[ProposalOutcome, ...]
    tie_break: TieBreak
    seed: int | None
    ties: tuple[TieRecord, ...] = ()
    per_voter_budget: Decimal | None = None
    passes: int = 1
    options: dict[str, Any] = field(default_factory=dict)

    def proposal(self, project_id: str) -> ProposalOutcome:
        for outcome in self.proposals:
            if outcome.project_id == project_id:
                return outcome
        raise KeyError(project_id)

    @property
    def money_left(self) -> Decimal:
        return self.budget - self.total_cost

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (Decimals as strings, so no cent is lost)."""

        def plain(value: Any) -> Any:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        data = plain(asdict(self))
        for item, outcome in zip(data["proposals"], self.proposals, strict=True):
            item["funded"] = outcome.funded
            item["explanation"] = outcome.explain()
        return data


def to_cents(value: float) -> Decimal:
    return Decimal(value).quantize(CENT)
