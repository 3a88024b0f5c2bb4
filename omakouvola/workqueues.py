"""What waits for each member of staff: the work queues of the staff home page.

Each app above the core registers its queues in `AppConfig.ready()` (like
`privacy.register`), so the core's staff home and admin index can list ideas to screen,
ballots to decide or reports overdue without importing the apps that hold them.

A queue names who it is for as a django-rules predicate, the rows waiting as a queryset
for that person, and where each row is dealt with. Reading a queue costs two queries (a
count and the first rows), so a page's query count depends on how many queues a person
has, never on how much is waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

#: How many rows of each queue the staff home lists; the rest are one link away.
SHOWN_PER_QUEUE = 5


@dataclass(frozen=True)
class WorkQueue:
    key: str
    #: Heading of the queue, e.g. "Ideas to screen" (lazy translation).
    title: Any
    #: The role heading the queue is listed under (lazy translation).
    section: Any
    #: A django-rules predicate on the user: whose queue this is.
    who: Any
    #: The rows waiting for `user`, ordered most urgent first.
    items: Callable[[Any], QuerySet]
    #: Where one row is dealt with.
    link: Callable[[Any, Any], str]
    #: One line under the row's name (a date, a committee), or "".
    detail: Callable[[Any], str] = field(default=lambda obj: "")
    #: Where the whole queue can be worked through, or None.
    more: Callable[[Any], str | None] = field(default=lambda user: None)
    #: Show the `more` link even when every row fits (a page worth knowing about).
    always_more: bool = False
    #: Text of the `more` link instead of "See all N" (lazy translation), or None.
    more_label: Any = None
    #: Order of sections and queues on the page.
    order: int = 100


@dataclass(frozen=True)
class Row:
    text: str
    url: str
    detail: str


@dataclass(frozen=True)
class QueueView:
    key: str
    title: Any
    section: Any
    count: int
    rows: list[Row]
    more_url: str | None
    more_label: Any = None


_QUEUES: dict[str, WorkQueue] = {}


def register(queue: WorkQueue) -> None:
    _QUEUES[queue.key] = queue


def registered() -> list[WorkQueue]:
    return sorted(_QUEUES.values(), key=lambda q: (q.order, q.key))


def queues_for(user: Any) -> list[WorkQueue]:
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return registered()
    return [q for q in registered() if q.who.test(user)]
