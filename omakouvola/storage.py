"""Where private files live: minutes before publication, decision letters, attachments.

They are never under MEDIA_URL (which the development server exposes); a view checks the
permission and streams the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file-system storage beside MEDIA_ROOT, read from the settings at each use."""

    # Every file here is named by a row; omakouvola.files removes the ones that are not.
    orphans_removed = True

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        custom = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        if custom:
            return str(custom)
        media = Path(settings.MEDIA_ROOT)
        return str(media.with_name(media.name + "-private"))

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):  # pragma: no cover - guards against a public link by mistake
        raise ValueError("Private files have no public URL; use the permission-checked view.")


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _private
