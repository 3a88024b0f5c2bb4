"""Decisions a lower app announces and an upper app acts on, without an upward import.

The deciding service calls `announce(EVENT, ...)` inside its transaction, explicitly (no
model signals: a row saved in the admin or a fixture is not a decision). Each handler
that an upper app registered with `on(EVENT, handler)` in its `ready()` runs once the
transaction commits, and never if it rolls back. Like `privacy.register`, this is how the
core lets `budgets` follow `voting` and `committees`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

#: The decision maker confirmed a ballot's winners: `ballot_id`.
WINNERS_DECIDED = "voting.winners_decided"
#: A committee granted money: `grant_id`.
GRANT_MADE = "committees.grant_made"

_handlers: dict[str, list[Callable[..., Any]]] = defaultdict(list)


def on(event: str, handler: Callable[..., Any]) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def announce(event: str, **data: Any) -> None:
    for handler in _handlers[event]:
        transaction.on_commit(partial(handler, **data))
