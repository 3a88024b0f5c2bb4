"""Count a ballot, or a Pabulib file directly, and print the winners."""

import json
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from voting import selectors
from voting.counting import rules as counting
from voting.counting.pabulib import PabulibError, read_pabulib
from voting.models import Ballot
from voting.secrecy import election_key

from . import _passphrase

# Short names on the command line; "equal-shares" means with the Add1 completion.
RULE_NAMES = {
    "greedy": "greedy",
    "greedy-threshold": "greedy-threshold",
    "equal-shares": "equal-shares/add1",
    "equal-shares-greedy": "equal-shares/add1u",
}


class Command(BaseCommand):
    help = "Count a stored ballot (BALLOT_ID) or a Pabulib file (--pabulib FILE)."

    def add_arguments(self, parser):
        parser.add_argument("ballot_id", nargs="?", type=int)
        parser.add_argument("--pabulib", metavar="FILE")
        parser.add_argument("--rule", default=None, help=", ".join([*RULE_NAMES, *counting.RULES]))
        parser.add_argument(
            "--step", default="1", help="Add1 step per voter (e.g. 100 for forints)"
        )
        parser.add_argument("--json", action="store_true")
        _passphrase.add_argument(parser)

    def handle(self, *args, ballot_id=None, pabulib=None, rule=None, step="1", **options):
        if (ballot_id is None) == (pabulib is None):
            raise CommandError("Give either BALLOT_ID or --pabulib FILE.")
        rule_name = RULE_NAMES.get(rule or "", rule)
        if pabulib:
            try:
                election = read_pabulib(pabulib)
            except (OSError, PabulibError) as exc:
                raise CommandError(str(exc)) from exc
            start = time.perf_counter()
            try:
                result = counting.count(election, rule_name or "greedy", step=step)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            seconds = time.perf_counter() - start
        else:
            ballot = Ballot.objects.filter(pk=ballot_id).first()
            if ballot is None:
                raise CommandError(f"No ballot {ballot_id}.")
            # The votes are sealed: counting needs the election passphrase.
            try:
                key = election_key(
                    passphrase=_passphrase.read(options),
                    salt=ballot.key_salt,
                    public_key=ballot.public_key,
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            start = time.perf_counter()
            try:
                result, _votes = selectors.ballot_count(ballot, rule_name, private_key=key)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            seconds = time.perf_counter() - start
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "winners": list(result.winners),
                        "cost": str(result.total_cost),
                        "seconds": round(seconds, 4),
                    }
                )
            )
            return
        self.stdout.write(
            f"Rule: {result.rule}; budget {result.budget}; "
            f"winners cost {result.total_cost}; counted in {seconds:.3f} s"
        )
        for outcome in sorted(result.proposals, key=lambda o: (o.position or 10**9, -o.votes)):
            mark = "+" if outcome.funded else "-"
            self.stdout.write(
                f" {mark} {outcome.project_id:>8} {outcome.votes:>7} votes "
                f"{outcome.cost:>12}  {outcome.explain()}"
            )
