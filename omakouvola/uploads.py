"""Checking an uploaded document (an attachment, a scan of a paper form) before it is kept.

The type is read from the file's first bytes, never from its name or the browser's
Content-Type, so a renamed script is refused. Images shown to the public go through
`omakouvola.images` instead, which re-encodes them; documents kept here are private
and served only by a permission-checked view.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# content type -> the file-name ending it is stored with
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}

FILE_TOO_LARGE = _("%(name)s is too large: the limit is %(limit)s MB.")
FILE_TYPE = _("%(name)s is not a PDF, JPEG or PNG file.")


def sniff_type(head: bytes) -> str | None:
    """The content type of a PDF, JPEG or PNG from its first bytes; None for anything else."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def validate_document(upload: UploadedFile, *, max_mb: int, images_only: bool = False) -> str:
    """The file's real content type; raises a ValidationError to show if it is unsuitable."""
    name = upload.name or "file"
    if (upload.size or 0) > max_mb * 1024 * 1024:
        raise ValidationError(
            FILE_TOO_LARGE, code="too_large", params={"name": name, "limit": max_mb}
        )
    upload.seek(0)
    content_type = sniff_type(upload.read(16))
    upload.seek(0)
    if content_type is None or (images_only and not content_type.startswith("image/")):
        raise ValidationError(FILE_TYPE, code="type", params={"name": name})
    return content_type
