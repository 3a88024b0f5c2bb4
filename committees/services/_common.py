"""Every write of the committees app.

Money rules hold under row locks: a grant locks the committee's allocation row for the
year, a payment locks its grant, so two concurrent decisions or payments are serialised
and the second sees the first. PostgreSQL triggers (migration 0002) check the same sums.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

# --- messages that tests assert on -----------------------------------------------------
ALREADY_DECIDED = _("This request has already been decided.")
AMOUNT_REQUIRED = _("A grant needs an amount greater than zero.")
NOT_SUBMITTED = _("Only submitted applications can be put on the agenda.")

MAX_ATTACHMENT_MB = 10
MAX_ATTACHMENTS = 10


def _snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}
