"""Vote counting for participatory budgeting: rules, results, Pabulib files, money splits.

Pure Python and numpy, with no Django imports, so that auditors and researchers can run the
same counting code on a Pabulib file that the service runs on the ballots.
"""

from .equal_shares import equal_shares
from .greedy import greedy
from .outcome import CountResult, ProposalOutcome, Reason, TieBreak, TieRecord
from .pabulib import (
    Election,
    PabulibError,
    Project,
    Vote,
    parse_pabulib,
    read_pabulib,
    write_pabulib,
)
from .profile import ApprovalProfile
from .rules import RULES, count
from .split import split_by_population

__all__ = [
    "RULES",
    "ApprovalProfile",
    "CountResult",
    "Election",
    "PabulibError",
    "Project",
    "ProposalOutcome",
    "Reason",
    "TieBreak",
    "TieRecord",
    "Vote",
    "count",
    "equal_shares",
    "greedy",
    "parse_pabulib",
    "read_pabulib",
    "split_by_population",
    "write_pabulib",
]
