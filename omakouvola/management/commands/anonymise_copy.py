"""Turn a restored copy of production data into test data with no personal data in it.

Run it on a copy, never on production: it refuses unless the database name ends in
"_copy" (or --database-name-check is explicitly skipped in a throw-away environment).
Everything needed for realistic tests stays: ideas, votes, money, decisions, areas.
"""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from omakouvola import privacy
from omakouvola.models import AuditEntry, Notification, OutboxTask, User


class Command(BaseCommand):
    help = "Anonymise the current database (a restored copy) for testing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-name-check",
            action="store_true",
            help="allow a database whose name does not end in _copy (throw-away only)",
        )

    @transaction.atomic
    def handle(self, *args, skip_name_check=False, **options):
        name = connection.settings_dict["NAME"]
        if not str(name).endswith("_copy") and not skip_name_check:
            raise CommandError(f"Refusing: {name!r} does not end in _copy. Anonymise copies only.")
        users = 0
        for user in User.objects.all().iterator():
            user.email = f"user{user.pk}@example.invalid"
            user.display_name = f"Käyttäjä {user.pk}"
            # Keep the area (statistics), drop the exact year.
            user.birth_year = (user.birth_year // 10) * 10 if user.birth_year else None
            user.set_unusable_password()
            user.save()
            user.emailaddress_set.update(email=user.email)
            users += 1
        Session.objects.all().delete()
        Notification.objects.all().delete()
        OutboxTask.objects.all().delete()
        AuditEntry.objects.update(actor_label="anonymised", changes={})
        AuditEntry.objects.filter(object_type="omakouvola.user").update(object_repr="anonymised")
        for label, anonymise in sorted(privacy.ANONYMISERS.items()):
            anonymise()
            self.stdout.write(f"{label}: anonymised")
        self.stdout.write(self.style.SUCCESS(f"Anonymised {users} accounts in {name}."))
