"""Checking and re-encoding uploaded images.

Every image is decoded and written again with Pillow: this strips EXIF (including GPS
positions a phone adds) and means nothing but pixels is ever stored or served.
"""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

IMAGE_TOO_LARGE = _("%(name)s is larger than 5 MB. Make the image smaller and try again.")
IMAGE_WRONG_TYPE = _("%(name)s is not a JPEG, PNG or WebP image.")


def validate_image(upload: UploadedFile) -> str:
    """Check size and real content type (not the file name); return Pillow's format name."""
    name = getattr(upload, "name", "") or "image"
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(IMAGE_TOO_LARGE, code="too_large", params={"name": name})
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            fmt = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(IMAGE_WRONG_TYPE, code="wrong_type", params={"name": name}) from None
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS or width * height > MAX_PIXELS:
        raise ValidationError(IMAGE_WRONG_TYPE, code="wrong_type", params={"name": name})
    return fmt


def reencode_image(upload: UploadedFile) -> ContentFile:
    """A fresh file with the same pixels, turned upright, and no metadata at all."""
    fmt = validate_image(upload)
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        # Built from raw pixels, the new image carries no EXIF, XMP or text chunks.
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        if image.mode == "P":
            clean.putpalette(image.getpalette())
        buffer = io.BytesIO()
        options = {"quality": 85} if fmt in ("JPEG", "WEBP") else {"optimize": True}
        clean.save(buffer, format=fmt, **options)
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[fmt]}")
