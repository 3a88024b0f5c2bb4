"""Decisions a lower app announces and an upper app acts on, without an upward import.

The deciding service calls `announce(EVENT, ...)` inside its transaction, explicitly (no
model signals: a row saved in the admin or a fixture is not a decision). Each handler
that an upper app registered with `on(EVENT, handler)` in its `ready()` runs once the
transaction commits, and never if it rolls back. Like `privacy.register`, this is how the
core lets `budgets` follow `voting` and `committees`, and `following` hear of every step
of an idea (`ITEM_NEWS`) from `ideas`, `voting` and `budgets`.
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

#: Something happened that residents may want to hear about (closing the loop):
#: `kind` (one of NEWS_EVENTS), `subject` ("app_label.model", pk) of the item it happened
#: to, the `proposal_ids`, `idea_ids` and `ballot_ids` behind it, and `already_told`: the
#: user ids the announcing service has already e-mailed about it (nobody hears it twice).
ITEM_NEWS = "item.news"
NEWS_SCREENED = "screened"
NEWS_MERGED = "merged"
NEWS_ON_BALLOT = "on_ballot"
NEWS_WON = "won"
NEWS_MILESTONE = "milestone"
NEWS_PHOTOS = "photos"
NEWS_COST = "cost"
NEWS_FINISHED = "finished"
NEWS_EVENTS = (
    NEWS_SCREENED,
    NEWS_MERGED,
    NEWS_ON_BALLOT,
    NEWS_WON,
    NEWS_MILESTONE,
    NEWS_PHOTOS,
    NEWS_COST,
    NEWS_FINISHED,
)

_handlers: dict[str, list[Callable[..., Any]]] = defaultdict(list)


def on(event: str, handler: Callable[..., Any]) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def announce(event: str, **data: Any) -> None:
    for handler in _handlers[event]:
        transaction.on_commit(partial(handler, **data))


def announce_news(
    event: str,
    *,
    subject: Any,
    proposal_ids: Any = (),
    idea_ids: Any = (),
    ballot_ids: Any = (),
    already_told: Any = (),
) -> None:
    """Announce `ITEM_NEWS` about the model instance `subject` (ids only travel)."""
    if event not in NEWS_EVENTS:
        raise ValueError(f"unknown news event {event!r}")
    announce(
        ITEM_NEWS,
        kind=event,
        subject=(subject._meta.label_lower, subject.pk),
        proposal_ids=sorted({int(pk) for pk in proposal_ids}),
        idea_ids=sorted({int(pk) for pk in idea_ids}),
        ballot_ids=sorted({int(pk) for pk in ballot_ids if pk is not None}),
        already_told=sorted({int(pk) for pk in already_told if pk is not None}),
    )
