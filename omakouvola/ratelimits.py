"""Rate limits on the actions people can repeat: ideas, applications, votes.

django-ratelimit counts in the cache (Redis in production); the limits come from
settings so a city can tune them without a release. A refused request gets a 429 page in
the person's language (RATELIMIT_VIEW).
"""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.decorators import ratelimit


def _rate(name: str):
    def rate(group, request):
        return getattr(settings, name)

    return rate


def limit_posts(setting: str):
    """Limit POSTs per signed-in user (or per address when anonymous)."""
    return ratelimit(key="user_or_ip", rate=_rate(setting), method="POST", block=True)
