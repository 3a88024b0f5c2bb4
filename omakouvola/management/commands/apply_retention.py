"""Remove personal data whose retention period has passed (also run daily by beat)."""

import json

from django.core.management.base import BaseCommand

from omakouvola.services import apply_retention


class Command(BaseCommand):
    help = "Remove paper voters' identifiers and applicants' contacts past their retention."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(apply_retention(), indent=2))
