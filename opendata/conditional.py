"""ETags for the API: a hash of what would be sent, and 304 when the client has it."""

from __future__ import annotations

import functools

from django.utils.cache import get_conditional_response, set_response_etag


def conditional_on_content(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        response.headers.setdefault("Cache-Control", "public, max-age=300")
        return get_conditional_response(request, etag=response.headers["ETag"], response=response)

    return wrapper
