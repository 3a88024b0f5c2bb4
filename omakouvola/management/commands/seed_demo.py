"""Fill the database with realistic Kouvola demo data; safe to run again."""

from django.core.management.base import BaseCommand

from budgets.demo import seed_budgets
from committees.demo import seed_committees
from ideas.demo import seed_ideas
from identification.demo import seed_identification
from omakouvola import demo
from omakouvola.formatting import format_euros
from voting.demo import seed_voting


class Command(BaseCommand):
    help = "Create (or refresh) the demo areas, cycles and users."

    def handle(self, *args, **options):
        result = demo.seed_core()
        cycle = result["cycle"]
        # Each layer adds its own demo data on top of the one below.
        ideas = seed_ideas(areas=result["areas"], users=result["users"], cycle=cycle)
        self.stdout.write(
            f"Ideas: {ideas['pilot'].ideas.count()} in {ideas['pilot']},"
            f" {cycle.ideas.count()} in {cycle}."
        )
        voting = seed_voting(
            areas=result["areas"], users=result["users"], cycle=cycle, pilot=ideas["pilot"]
        )
        pilot_ballot = voting["pilot_ballot"]
        self.stdout.write(
            f"Voting: {pilot_ballot} with {pilot_ballot.votes.count()} votes and a decision;"
            f" {len(voting['ballots'])} ballots in {cycle}."
        )
        trial = seed_identification(cycle=cycle, areas=result["areas"])
        self.stdout.write(f"Identification: {len(trial)} trial ballots (test identity service).")
        committees = seed_committees(areas=result["areas"], users=result["users"])
        self.stdout.write(
            f"Committees: {len(committees['committees'])}; committee money used by"
            f" 19.9.2023: {format_euros(committees['seed_figure'], language='fi')}."
        )
        budgets = seed_budgets(
            users=result["users"], cycle=cycle, pilot_ballot=pilot_ballot, ballots=voting["ballots"]
        )
        self.stdout.write(
            f"Budgets: PB 2023 used {format_euros(budgets['pb_2023_used'], language='fi')}"
            f" of {format_euros(budgets['appropriations']['pb_2023'].amount, language='fi')}."
        )
        phase = cycle.current_phase()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(result['areas'])} areas, cycle {cycle}"
                f" (phase now: {phase.label if phase else '–'})."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for email, role in demo.ROLE_LOGINS.items():
            self.stdout.write(f"  {role:<16} {email}")
        self.stdout.write(
            "  other roles:     "
            + ", ".join(email for email, *_ in demo.DEMO_USERS if email not in demo.ROLE_LOGINS)
        )
        self.stdout.write("Site: http://127.0.0.1:8000/fi/  Admin: http://127.0.0.1:8000/admin/")
