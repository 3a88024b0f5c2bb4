"""Print the rule × role table, or write it into docs/quality.md (--write)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from omakouvola.permission_table import markdown, updated


class Command(BaseCommand):
    help = "The permission table (rule × role) computed from the rules."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="update docs/quality.md")

    def handle(self, *args, write: bool = False, **options):
        if not write:
            self.stdout.write(markdown())
            return
        path = Path(settings.BASE_DIR) / "docs" / "quality.md"
        path.write_text(updated(path.read_text()))
        self.stdout.write(f"{path} updated")
