"""Serving the public uploads (idea and proposal images) with safe headers.

Only the folders that apps register as public images (`register_public_folder` in their
`ready()`) are served; private files (committee attachments, letters, minutes, council
reports) live outside MEDIA_ROOT and go through permission-checked views. A
front proxy may serve /media/ itself in a large installation; this view keeps a plain
gunicorn deployment safe and complete.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from django.views.static import serve

# Folders under MEDIA_ROOT that hold public, re-encoded images; filled by the apps.
PUBLIC_FOLDERS: set[str] = set()
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


def register_public_folder(folder: str) -> None:
    """Let /media/ serve the images under `folder` (a path under MEDIA_ROOT)."""
    PUBLIC_FOLDERS.add(folder.rstrip("/") + "/")


@require_GET
def public_media(request: HttpRequest, path: str) -> HttpResponse:
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if not path.startswith(tuple(PUBLIC_FOLDERS)) or suffix not in IMAGE_TYPES or ".." in path:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Uploaded files are re-encoded images, and are served as nothing else.
    response["Content-Type"] = IMAGE_TYPES[suffix]
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
