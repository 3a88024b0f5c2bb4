"""Fill the database with realistic Kouvola demo data; safe to run again.

The demo is a living cycle on the day it runs (see `demo.core`). The services it
goes through send e-mails and queue tasks as they would for real people: while seeding,
the e-mails go to the in-memory backend (nowhere) and tasks run in this process, so the
command prints only a short summary and the logins, and no demo address gets a message.
"""

from __future__ import annotations

import contextlib
import logging

from celery import current_app
from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils import timezone

from demo import core as demo
from demo.budgets import seed_budgets
from demo.committees import seed_committees
from demo.discussion import seed_discussion
from demo.following import seed_following
from demo.ideas import seed_ideas, seed_locations_and_supports
from demo.identification import seed_identification
from demo.voting import seed_paper_batch, seed_voting, seed_voting_codes
from omakouvola.formatting import format_euros

QUIET_LOGGERS = ("kombu", "celery", "amqp", "omakouvola.outbox", "py.warnings")


@contextlib.contextmanager
def demo_side_effects_held():
    """E-mail to the locmem outbox, tasks in-process, and the task libraries quiet."""
    conf = current_app.conf
    eager, propagates = conf.task_always_eager, conf.task_eager_propagates
    levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    conf.task_always_eager, conf.task_eager_propagates = True, True
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    earlier = getattr(mail, "outbox", None)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            yield mail.outbox
    finally:
        if earlier is not None:
            mail.outbox = earlier
        conf.task_always_eager, conf.task_eager_propagates = eager, propagates
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


class Command(BaseCommand):
    help = "Create (or refresh) the demo: a living cycle on the day it runs."

    def handle(self, *args, **options):
        with demo_side_effects_held() as held:
            summary = self._seed()
            held_back = len(held)
        for line in summary:
            self.stdout.write(line)
        self.stdout.write(f"  ({held_back} demo e-mails held back, none sent.)")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for email, role in demo.ROLE_LOGINS.items():
            self.stdout.write(f"  {role:<16} {email}")
        site = settings.OMAKOUVOLA_SITE_URL.rstrip("/")
        self.stdout.write(self.style.SUCCESS(f"Site: {site}/fi/  Admin: {site}/admin/"))

    def _seed(self) -> list[str]:
        today = timezone.localdate()
        result = demo.seed_core(today=today)
        cycle, youth_cycle = result["cycle"], result["youth_cycle"]
        # Each layer adds its own demo data on top of the one below.
        ideas = seed_ideas(
            areas=result["areas"], users=result["users"], cycle=cycle, youth_cycle=youth_cycle
        )
        seed_locations_and_supports(cycle=cycle)
        voting = seed_voting(
            areas=result["areas"],
            users=result["users"],
            cycle=cycle,
            pilot=ideas["pilot"],
            today=today,
        )
        trial = seed_identification(cycle=cycle, areas=result["areas"])
        committees = seed_committees(areas=result["areas"], users=result["users"])
        budgets = seed_budgets(
            users=result["users"],
            cycle=cycle,
            pilot_ballot=voting["pilot_ballot"],
            ballots=voting["ballots"],
            last_ballot=voting["last_ballot"],
        )
        open_ballots = [b for b in voting["ballots"] if b.is_open()]
        proposals = sum(b.proposals.count() for b in open_ballots)
        closes = (
            timezone.localtime(max(b.closes_at for b in open_ballots)) if open_ballots else None
        )
        # A school's batch of one-time voting codes for the youth vote.
        seed_voting_codes(
            ballots=voting["ballots"], actor=result["users"]["koordinaattori@omakouvola.test"]
        )
        # The service point's counted paper ballots (Voting › Paper ballot batches).
        seed_paper_batch(
            ballots=voting["ballots"], clerk=result["users"]["asiointipiste@omakouvola.test"]
        )
        seed_discussion(users=result["users"], cycle=cycle, youth_cycle=youth_cycle)
        seed_following(users=result["users"], cycle=cycle, pilot_ballot=voting["pilot_ballot"])
        # The admin's notification and task-attempt pages show something too.
        demo.seed_notifications(users=result["users"])
        demo.seed_failed_work(today=today)
        phase = youth_cycle.current_phase()
        return [
            f"Demo of {today.day}.{today.month}.{today.year}: {cycle} is voting"
            f" ({len(open_ballots)} ballots open, {proposals} proposals"
            + (f", until {closes.day}.{closes.month}.{closes.year})." if closes else ")."),
            f"  {youth_cycle}: {phase.label if phase else '–'}, {youth_cycle.ideas.count()} ideas;"
            f" pilot {ideas['pilot']}: {voting['pilot_ballot'].votes.count()} votes, decided;"
            f" {voting['last_ballot']}: decided, {budgets['last_round_built']} being built.",
            f"  Committees: {len(committees['committees'])}; money used by 19.9.2023:"
            f" {format_euros(committees['seed_figure'], language='fi')};"
            f" PB 2023 used {format_euros(budgets['pb_2023_used'], language='fi')}.",
            f"  Identification: {len(trial)} trial ballots on the TEST identity service.",
        ]
