"""Write a ballot as a Pabulib file: projects with `selected`, anonymous votes."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from voting import selectors
from voting.counting.pabulib import write_pabulib
from voting.models import Ballot
from voting.secrecy import election_key

from . import _passphrase


class Command(BaseCommand):
    help = "Export BALLOT_ID as a Pabulib (.pb) file; no personal data is written."

    def add_arguments(self, parser):
        parser.add_argument("ballot_id", type=int)
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        _passphrase.add_argument(parser)

    def handle(self, *args, ballot_id, output=None, **options):
        ballot = Ballot.objects.filter(pk=ballot_id).first()
        if ballot is None:
            raise CommandError(f"No ballot {ballot_id}.")
        decision = getattr(ballot, "decision", None)
        result = getattr(ballot, "result", None)
        if decision is not None:
            selected = set(decision.confirmed.values_list("pk", flat=True))
        elif result is not None:
            selected = {int(w) for w in result.data["winners"]}
        else:
            selected = None
        # Once published the counted votes are on the result; before, they are sealed.
        key = None
        if result is None:
            try:
                key = election_key(
                    passphrase=_passphrase.read(options),
                    salt=ballot.key_salt,
                    public_key=ballot.public_key,
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        text = write_pabulib(selectors.ballot_election(ballot, selected=selected, private_key=key))
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            self.stdout.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
