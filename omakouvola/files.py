"""Private files nobody refers to any more: rebuilt PDFs, files of deleted rows, dead temps.

A storage that sets `orphans_removed = True` (the private area: letters, minutes, council
reports, attachments) holds only files some row names. A file no row names is a leftover:
the letter a rebuild replaced while its clean-up was lost with a worker, an attachment
whose application was erased, or the `.part` file of a report build killed midway. Only
files older than PRIVATE_FILE_ORPHAN_HOURS go, so a file written by a task whose row is
not committed yet is never taken.

The core finds the file fields of every installed model itself, so an app above it needs
no registration to be covered.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)


def _private_file_fields() -> dict[str, tuple[object, list[tuple[type, str]]]]:
    """storage location -> (storage, [(model, field name)]) for the private storages."""
    found: dict[str, tuple[object, list[tuple[type, str]]]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and getattr(
                field.storage, "orphans_removed", False
            ):
                entry = found.setdefault(field.storage.location, (field.storage, []))
                entry[1].append((model, field.name))
    return found


def private_files_cleanup(*, now: dt.datetime | None = None) -> int:
    """Delete old private files that no row names; returns how many went."""
    now = now or timezone.now()
    cutoff = (now - dt.timedelta(hours=settings.PRIVATE_FILE_ORPHAN_HOURS)).timestamp()
    removed = 0
    for location, (_storage, fields) in _private_file_fields().items():
        referenced: set[str] = set()
        for model, name in fields:
            referenced.update(
                os.path.normpath(os.path.join(location, value))
                for value in model._default_manager.exclude(**{name: ""})
                .values_list(name, flat=True)
                .iterator()
                if value
            )
        by_folder: dict[str, int] = defaultdict(int)
        for folder, _dirs, files in os.walk(location):
            for filename in files:
                path = os.path.normpath(os.path.join(folder, filename))
                if path in referenced:
                    continue
                try:
                    if os.stat(path).st_mtime >= cutoff:
                        continue
                    os.unlink(path)
                except FileNotFoundError:
                    continue
                by_folder[os.path.relpath(folder, location)] += 1
                removed += 1
        for folder, count in sorted(by_folder.items()):
            logger.info("private files: removed %s orphan(s) in %s", count, folder)
    return removed


def private_file_response(
    field, *, filename: str, inline: bool = True, content_type: str | None = None
):
    """Stream a private file to someone a view has already let in: never cached on the
    way, and a row whose file is gone (a restore without the private area) answers 404,
    not 500."""
    from django.http import FileResponse, Http404

    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
