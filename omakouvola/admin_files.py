"""Read-only admin display of files kept in private storage.

Django's admin shows a read-only FileField as a link to ``file.url``; private storage has
no public URL by design, so the change page of any row with such a file answered 500.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html


def private_file_display(
    field_name: str, description: str, url_name: str | None = None, label=None
):
    """An admin display callable: the file's name, linked to the permission-checked view.

    ``label`` (a translatable text with ``%(type)s``, the file's type: "PDF", "PNG") is
    shown instead of the name, for files stored under a random name that says nothing.
    """

    @admin.display(description=description)
    def show(self, obj):
        value = getattr(obj, field_name)
        if not value:
            return "-"
        name = PurePosixPath(value.name).name
        if label is not None:
            name = label % {"type": PurePosixPath(name).suffix.lstrip(".").upper() or "?"}
        if url_name is None:
            return name
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[obj.pk]), name)

    show.__name__ = f"{field_name}_file"
    return show
