"""Every write in the voting app, one module per subject: ballots, casting, mixing,
verified identities, paper votes, results and the decision.

Every name is re-exported here, so callers keep writing `services.x`.
"""

from __future__ import annotations

# The refusal messages live with the rules and the eligibility check; callers and tests
# still read them here.
from omakouvola.rules import COORDINATOR_ONLY

from ..eligibility import (
    BIRTH_YEAR_NEEDED,
    IDENTITY_TOO_WEAK,
    NOT_RESIDENT,
    NOT_VERIFIED,
    OTHER_AREA_IN_GROUP,
    POSTAL_CODE_NEEDED,
    STRONG_NOT_AVAILABLE,
    TOO_OLD,
    TOO_YOUNG,
    VOTING_NOT_OPEN,
)
from ..rules import CLERK_ONLY, DECISION_MAKER_ONLY
from .ballots import (
    BALLOT_LOCKED,
    EXTENSION_NEEDS_REASON,
    EXTENSION_NOT_LATER,
    EXTENSION_TOO_LATE,
    GROUP_LOCKED,
    LOCKED_FIELDS,
    ballot_extend,
    ballot_group_save,
    ballot_has_votes,
    ballot_save,
    group_has_votes,
    proposal_is_frozen,
)
from .casting import (
    ALREADY_VOTED,
    CAST_ATTEMPTS,
    NO_ELECTION_KEY,
    NOT_ON_BALLOT,
    OVER_BUDGET,
    TOO_FEW,
    TOO_MANY,
    chosen_proposals,
    eligibility_problems,
    lock_for_casting,
    mix_later,
    seal_vote,
    validate_choices,
    vote_cast,
)
from .identities import (
    CANNOT_VERIFY_SELF,
    IDENTIFIER_REQUIRED,
    IDENTITY_MISMATCH,
    IDENTITY_TAKEN,
    identity_verify_electronic,
    identity_verify_in_person,
)
from .mixing import (
    votes_mix,
    votes_mix_all,
    votes_mix_pending,
)
from .paper import (
    ROW_REFUSED,
    paper_vote_record,
    paper_votes_import,
)
from .results import (
    ALREADY_DECIDED,
    COUNT_MISMATCH,
    DECISION_OVER_BUDGET,
    DEPARTURE_NEEDS_REASON,
    NO_RESULTS,
    NOT_CLOSED,
    results_publish,
    winners_decide,
)

__all__ = [
    "ALREADY_DECIDED",
    "ALREADY_VOTED",
    "BALLOT_LOCKED",
    "BIRTH_YEAR_NEEDED",
    "CANNOT_VERIFY_SELF",
    "CAST_ATTEMPTS",
    "CLERK_ONLY",
    "COORDINATOR_ONLY",
    "COUNT_MISMATCH",
    "DECISION_MAKER_ONLY",
    "DECISION_OVER_BUDGET",
    "DEPARTURE_NEEDS_REASON",
    "EXTENSION_NEEDS_REASON",
    "EXTENSION_NOT_LATER",
    "EXTENSION_TOO_LATE",
    "GROUP_LOCKED",
    "IDENTIFIER_REQUIRED",
    "IDENTITY_MISMATCH",
    "IDENTITY_TAKEN",
    "IDENTITY_TOO_WEAK",
    "LOCKED_FIELDS",
    "NOT_CLOSED",
    "NOT_ON_BALLOT",
    "NOT_RESIDENT",
    "NOT_VERIFIED",
    "NO_ELECTION_KEY",
    "NO_RESULTS",
    "OTHER_AREA_IN_GROUP",
    "OVER_BUDGET",
    "POSTAL_CODE_NEEDED",
    "ROW_REFUSED",
    "STRONG_NOT_AVAILABLE",
    "TOO_FEW",
    "TOO_MANY",
    "TOO_OLD",
    "TOO_YOUNG",
    "VOTING_NOT_OPEN",
    "ballot_extend",
    "ballot_group_save",
    "ballot_has_votes",
    "ballot_save",
    "chosen_proposals",
    "eligibility_problems",
    "group_has_votes",
    "identity_verify_electronic",
    "identity_verify_in_person",
    "lock_for_casting",
    "mix_later",
    "paper_vote_record",
    "paper_votes_import",
    "proposal_is_frozen",
    "results_publish",
    "seal_vote",
    "validate_choices",
    "vote_cast",
    "votes_mix",
    "votes_mix_all",
    "votes_mix_pending",
    "winners_decide",
]
