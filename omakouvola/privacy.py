"""GDPR: what each app holds about a person, how it forgets them, and retention.

Apps above the core register their parts in AppConfig.ready(), so the core can export or
erase a person without importing the apps that sit on top of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], dict[str, Any]]
Eraser = Callable[[Any], None]
Retention = Callable[[dt.datetime], dict[str, int]]

EXPORTERS: dict[str, Exporter] = {}
ERASERS: dict[str, Eraser] = {}
RETENTION: dict[str, Retention] = {}
ANONYMISERS: dict[str, Callable[[], None]] = {}


def register(
    label: str,
    *,
    export: Exporter | None = None,
    erase: Eraser | None = None,
    retention: Retention | None = None,
    anonymise: Callable[[], None] | None = None,
) -> None:
    if export is not None:
        EXPORTERS[label] = export
    if erase is not None:
        ERASERS[label] = erase
    if retention is not None:
        RETENTION[label] = retention
    if anonymise is not None:
        ANONYMISERS[label] = anonymise
