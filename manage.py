#!/usr/bin/env python
"""Django's command-line utility for OmaKouvola."""

import os
import sys


def main() -> None:
    # Counting a Pabulib file needs neither the database nor Django: skip loading the apps.
    if len(sys.argv) > 1 and sys.argv[1] == "tally":
        from voting.counting.cli import main as count_file
        from voting.counting.cli import wants_file_tally

        if wants_file_tally(sys.argv):
            sys.exit(count_file(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omakouvola.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
