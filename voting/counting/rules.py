"""One entry point for every counting rule, by the names ballots and Pabulib files use."""

from __future__ import annotations

from decimal import Decimal

from .equal_shares import equal_shares
from .greedy import greedy
from .outcome import CountResult, TieBreak
from .pabulib import Election
from .profile import ApprovalProfile

__all__ = ["RULES", "count"]

RULES = (
    "greedy",
    "greedy-threshold",
    "equal-shares",
    "equal-shares/add1",
    "equal-shares/add1u",
)

# Pabulib's own spellings of the same rules.
_ALIASES = {
    "equalshares": "equal-shares",
    "equalshares/add1": "equal-shares/add1",
    "equalshares/add1u": "equal-shares/add1u",
    "equal-shares/add1-greedy": "equal-shares/add1u",
}


def count(
    election: Election,
    rule: str,
    *,
    tie_break: TieBreak = TieBreak.MUNICIPAL,
    seed: int | None = None,
    step: Decimal | int = 1,
    threshold: int | None = None,
) -> CountResult:
    """Count ``election`` by ``rule`` (one of :data:`RULES` or a Pabulib spelling).

    ``greedy-threshold`` takes ``threshold`` or else the file's
    ``min_project_score_threshold``; ``step`` is the Add1 raise per voter.
    """
    name = _ALIASES.get(rule.strip().lower(), rule.strip().lower())
    profile = ApprovalProfile.from_election(election)
    if name == "greedy":
        return greedy(profile, tie_break=tie_break, seed=seed)
    if name == "greedy-threshold":
        if threshold is None:
            threshold = election.min_project_score_threshold
        if threshold is None:
            raise ValueError("greedy-threshold needs a threshold (min_project_score_threshold)")
        return greedy(profile, threshold=threshold, tie_break=tie_break, seed=seed)
    completions = {"equal-shares": None, "equal-shares/add1": "add1", "equal-shares/add1u": "add1u"}
    if name in completions:
        return equal_shares(
            profile, completion=completions[name], step=step, tie_break=tie_break, seed=seed
        )
    raise ValueError(f"unknown counting rule {rule!r}; known: {', '.join(RULES)}")
