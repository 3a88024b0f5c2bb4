"""Create a cycle, a ballot, its proposals and votes from a Pabulib file.

For demos, load tests and research: the votes carry no user. They are sealed with the
election passphrase given (as every ballot's votes are) and marked as counted.
"""

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ideas.models import Proposal, ProposalStatus
from omakouvola.models import HELSINKI, Cycle
from omakouvola.money import MONEY
from voting import secrecy
from voting.counting.pabulib import PabulibError, read_pabulib
from voting.models import Ballot, CountingRule, Residency, SelectionRule, Vote

from . import _passphrase

MONEY_LIMIT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"])
MONEY_TOO_BIG = "{where}: {what} {amount} does not fit (at most {digits} digits before the point)"
MONEY_TOO_FINE = "{where}: {what} {amount} has more than {places} decimals"
VOTER_TWICE = "line {line}: voter {voter!r} appears twice (first on line {first})"


def _unstorable(election) -> str | None:
    """Why the file, readable as it is, cannot be stored as a ballot; ``None`` if it can."""
    amounts = [("META", "budget", election.budget)] + [
        (f"line {p.line}", f"cost of project {p.project_id!r}", p.cost) for p in election.projects
    ]
    for where, what, amount in amounts:
        if abs(amount) >= MONEY_LIMIT:
            digits = MONEY["max_digits"] - MONEY["decimal_places"]
            return MONEY_TOO_BIG.format(where=where, what=what, amount=amount, digits=digits)
        if amount != amount.quantize(Decimal(1).scaleb(-MONEY["decimal_places"])):
            return MONEY_TOO_FINE.format(
                where=where, what=what, amount=amount, places=MONEY["decimal_places"]
            )
    first_line: dict[str, int] = {}
    for vote in election.votes:
        if not vote.voter_id:
            continue
        if vote.voter_id in first_line:
            return VOTER_TWICE.format(
                line=vote.line, voter=vote.voter_id, first=first_line[vote.voter_id]
            )
        first_line[vote.voter_id] = vote.line
    return None


class Command(BaseCommand):
    help = "Import an approval-ballot Pabulib file as a new cycle with one ballot."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--name", help="name for the cycle and ballot (default: file name)")
        _passphrase.add_argument(parser)

    @transaction.atomic
    def handle(self, *args, file, name=None, **options):
        try:
            election = read_pabulib(file)
        except (OSError, PabulibError) as exc:
            raise CommandError(str(exc)) from exc
        if election.vote_type != "approval":
            raise CommandError(f"Only approval ballots can be imported, not {election.vote_type}.")
        problem = _unstorable(election)
        if problem:
            raise CommandError(problem)
        passphrase = _passphrase.read(options)
        try:
            secrecy.check_new_passphrase(passphrase)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        salt = secrecy.new_key_salt()
        public_key = secrecy.public_key_text(secrecy.private_key_from_passphrase(passphrase, salt))
        name = name or Path(file).stem.replace("_", " ")[:100]
        today = timezone.localdate()
        year = today.year
        cycle = Cycle.objects.create(
            name=f"{name} ({timezone.now():%Y-%m-%d %H:%M:%S})"[:120],
            year=year,
            description=f"Imported from the Pabulib file {Path(file).name}.",
            opens_on=today - dt.timedelta(days=60),
            ideation_starts_on=today - dt.timedelta(days=59),
            ideation_ends_on=today - dt.timedelta(days=40),
            workshops_starts_on=today - dt.timedelta(days=39),
            workshops_ends_on=today - dt.timedelta(days=30),
            voting_starts_on=today - dt.timedelta(days=29),
            voting_ends_on=today - dt.timedelta(days=2),
            decision_starts_on=today - dt.timedelta(days=1),
            decision_ends_on=today + dt.timedelta(days=30),
            implementation_starts_on=today + dt.timedelta(days=31),
            implementation_ends_on=today + dt.timedelta(days=400),
        )
        rule = (
            CountingRule.EQUAL_SHARES if "equal" in election.rule.lower() else CountingRule.GREEDY
        )
        start = dt.datetime.combine(today - dt.timedelta(days=29), dt.time(9), tzinfo=HELSINKI)
        ballot = Ballot.objects.create(
            cycle=cycle,
            name=name,
            money=election.budget,
            opens_at=start,
            closes_at=start + dt.timedelta(days=27),
            selection_rule=SelectionRule.APPROVAL,
            min_choices=0,
            counting_rule=rule,
            residency=Residency.ANYONE,
            public_key=public_key,
            key_salt=salt,
        )
        proposals = {}
        for project in election.projects:
            proposals[project.project_id] = Proposal.objects.create(
                cycle=cycle,
                title=(project.extra.get("name") or f"Project {project.project_id}")[:140],
                description=project.extra.get("description", "")[:5000] or "–",
                cost=project.cost,
                status=ProposalStatus.APPROVED,
            )
        ballot.proposals.set(proposals.values())
        on_ballot = len(proposals)
        votes = [
            Vote(
                ballot=ballot,
                sealed=secrecy.seal_choices(
                    public_key,
                    [proposals[pid].pk for pid in dict.fromkeys(v.projects) if pid in proposals],
                    proposals_on_ballot=on_ballot,
                ),
                receipt_code=secrecy.new_receipt_code(),
                mixed=True,
                final=True,
            )
            for i, v in enumerate(election.votes)
        ]
        random.SystemRandom().shuffle(votes)
        Vote.objects.bulk_create(votes, batch_size=2000)
        self.stdout.write(
            f"Imported ballot {ballot.pk} ({ballot.name}): {len(proposals)} proposals, "
            f"{len(votes)} votes."
        )
