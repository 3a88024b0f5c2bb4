"""Sections an upper app adds to a lower app's page, without the lower app knowing it.

The idea and proposal pages belong to `ideas`; the discussion under them belongs to an
app above it. The page asks `{% item_panels "idea" idea %}` and each app that registered
a renderer for that kind in its `AppConfig.ready()` adds its HTML (like
`privacy.register`, this is how the core lets an upper app serve a lower one's page).
A renderer takes the request and the object and returns safe HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Renderer = Callable[[Any, Any], str]

_PANELS: dict[str, dict[str, tuple[int, Renderer]]] = {}


def register(kind: str, key: str, renderer: Renderer, *, order: int = 100) -> None:
    _PANELS.setdefault(kind, {})[key] = (order, renderer)


def render(kind: str, request: Any, obj: Any) -> list[str]:
    panels = sorted(_PANELS.get(kind, {}).items(), key=lambda item: (item[1][0], item[0]))
    return [renderer(request, obj) for _key, (_order, renderer) in panels]
