"""Fill the database with realistic Kouvola demo data; safe to run again."""

from django.core.management.base import BaseCommand

from omakouvola import demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo areas, cycles and users."

    def handle(self, *args, **options):
        result = demo.seed_core()
        cycle = result["cycle"]
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
