"""Count a Pabulib file from the command line, without Django.

``python -m voting.counting FILE`` (or ``--pabulib FILE``) and ``manage.py tally --pabulib
FILE`` (which manage.py routes here before loading Django) print the same thing as the
``tally`` management command does for a stored ballot. Malformed files and unknown rules are
reported in one line, ``CommandError: …`` on stderr with exit status 1, as Django does for a
command's error, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence

from .outcome import CountResult
from .pabulib import read_pabulib

__all__ = ["RULE_NAMES", "main", "render"]

# Short names on the command line; "equal-shares" means with the Add1 completion.
RULE_NAMES = {
    "greedy": "greedy",
    "greedy-threshold": "greedy-threshold",
    "equal-shares": "equal-shares/add1",
    "equal-shares-greedy": "equal-shares/add1u",
}


def render(result: CountResult, seconds: float, *, as_json: bool, write: Callable[[str], object]):
    """Print a count as ``tally`` does: JSON, or one line per proposal in funding order."""
    if as_json:
        write(
            json.dumps(
                {
                    "winners": list(result.winners),
                    "cost": str(result.total_cost),
                    "seconds": round(seconds, 4),
                }
            )
        )
        return
    write(
        f"Rule: {result.rule}; budget {result.budget}; "
        f"winners cost {result.total_cost}; counted in {seconds:.3f} s"
    )
    for outcome in sorted(result.proposals, key=lambda o: (o.position or 10**9, -o.votes)):
        mark = "+" if outcome.funded else "-"
        write(
            f" {mark} {outcome.project_id:>8} {outcome.votes:>7} votes "
            f"{outcome.cost:>12}  {outcome.explain()}"
        )


def count_file(path: str, rule: str | None, step: str) -> tuple[CountResult, float]:
    """Read and count one file; raises ``ValueError`` (``PabulibError``) or ``OSError``."""
    from .rules import count

    election = read_pabulib(path)
    start = time.perf_counter()
    result = count(election, RULE_NAMES.get(rule or "", rule) or "greedy", step=step)
    return result, time.perf_counter() - start


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m voting.counting", description="Count a Pabulib file and print the winners."
    )
    parser.add_argument("file", nargs="?")
    parser.add_argument("--pabulib", metavar="FILE")
    parser.add_argument("--rule", default=None, help=", ".join(RULE_NAMES))
    parser.add_argument("--step", default="1", help="Add1 step per voter (e.g. 100 for forints)")
    parser.add_argument("--json", action="store_true")
    # manage.py's own options, accepted so that a tally command line works unchanged.
    parser.add_argument("-v", "--verbosity", help=argparse.SUPPRESS)
    parser.add_argument("--settings", help=argparse.SUPPRESS)
    parser.add_argument("--pythonpath", help=argparse.SUPPRESS)
    for flag in ("--traceback", "--no-color", "--force-color", "--skip-checks"):
        parser.add_argument(flag, action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    path = args.pabulib or args.file
    if not path or (args.pabulib and args.file):
        sys.stderr.write("CommandError: Give one Pabulib file (FILE or --pabulib FILE).\n")
        return 1
    try:
        result, seconds = count_file(path, args.rule, args.step)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"CommandError: {exc}\n")
        return 1
    render(result, seconds, as_json=args.json, write=lambda s: print(s))
    return 0


def wants_file_tally(argv: Sequence[str]) -> bool:
    """Whether a manage.py command line is ``tally --pabulib FILE`` (no database needed)."""
    return (
        len(argv) > 1
        and argv[1] == "tally"
        and any(a == "--pabulib" or a.startswith("--pabulib=") for a in argv[2:])
    )
