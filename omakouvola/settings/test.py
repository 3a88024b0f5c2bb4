"""The test suite: DATABASE_URL picks PostgreSQL (CI) or SQLite; tasks run eagerly.

The Celery integration tests turn eager mode off themselves when REDIS_URL is set.
"""

from .base import *

DEBUG = False
SECRET_KEY = "test-only-secret-key-that-is-long-enough-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Each test gets a clean cache so allauth's rate limits never leak between tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"
VOTE_SECRET = "test-vote-secret"  # noqa: S105
VOTE_MIX_INTERVAL = 0  # every cast is mixed at once, so the secrecy tests see the result
# Tests that sign staff in turn the second-factor requirement on themselves.
MFA_REQUIRED_FOR_STAFF = False
