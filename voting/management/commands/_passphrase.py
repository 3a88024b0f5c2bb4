"""How the commands get a ballot's election passphrase without it showing in `ps`."""

from __future__ import annotations

import getpass
import os
import sys

from django.core.management.base import CommandError

ENV = "OMAK_ELECTION_PASSPHRASE"


def add_argument(parser) -> None:
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help=f"file holding the election passphrase (or set {ENV}, or type it when asked)",
    )


def read(options, *, prompt: str = "Election passphrase: ") -> str:
    path = options.get("passphrase_file")
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
    if os.environ.get(ENV):
        return os.environ[ENV]
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise CommandError(f"Give the election passphrase: --passphrase-file FILE or {ENV}.")
