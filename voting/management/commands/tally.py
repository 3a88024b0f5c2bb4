"""Count a ballot, or a Pabulib file directly, and print the winners."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from voting import selectors
from voting.counting import rules as counting
from voting.counting.cli import RULE_NAMES, count_file, render
from voting.models import Ballot
from voting.secrecy import election_key

from . import _passphrase


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
            # manage.py runs this case without Django (voting.counting.cli); this path is for
            # call_command and for command lines manage.py does not recognise.
            try:
                result, seconds = count_file(pabulib, rule, step)
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
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
        render(result, seconds, as_json=options["json"], write=self.stdout.write)
