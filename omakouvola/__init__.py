"""The project package and core app.

The Celery app is loaded by `OmaKouvolaConfig.ready()` (so every Django process has it
before a task is sent) and by `celery -A omakouvola`, which finds `omakouvola.celery`.
It is not imported here, so the pure modules of the core (`omakouvola.apportion`) can be
used by `voting.counting` outside Django without loading Celery and Django with them.
"""

from __future__ import annotations

from typing import Any

__all__ = ("celery_app",)


def __getattr__(name: str) -> Any:
    if name == "celery_app":
        from .celery import app

        return app
    raise AttributeError(name)
