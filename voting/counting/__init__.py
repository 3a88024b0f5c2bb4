"""Vote counting for participatory budgeting: rules, results, Pabulib files, money splits.

Pure Python and numpy, with no Django imports, so that auditors and researchers can run the
same counting code on a Pabulib file that the service runs on the ballots.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Names are loaded on first use (PEP 562), so that reading a file, or reporting why it cannot
# be read, does not wait for numpy; ``python -m voting.counting`` starts in a few hundredths
# of a second.
_SOURCES = {
    "equal_shares": "equal_shares",
    "greedy": "greedy",
    "CountResult": "outcome",
    "ProposalOutcome": "outcome",
    "Reason": "outcome",
    "TieBreak": "outcome",
    "TieRecord": "outcome",
    "Election": "pabulib",
    "PabulibError": "pabulib",
    "Project": "pabulib",
    "Vote": "pabulib",
    "parse_pabulib": "pabulib",
    "read_pabulib": "pabulib",
    "write_pabulib": "pabulib",
    "ApprovalProfile": "profile",
    "RULES": "rules",
    "count": "rules",
    "split_by_population": "split",
}

if TYPE_CHECKING:
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


def __getattr__(name: str):
    try:
        module = _SOURCES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_SOURCES])


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
