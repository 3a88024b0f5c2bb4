"""``python -m voting.counting FILE``: count a Pabulib file without Django (see :mod:`.cli`)."""

import sys

from .cli import main

sys.exit(main())
