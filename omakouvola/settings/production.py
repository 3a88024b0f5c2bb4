"""Production: every secret must come from the environment; no default stands in.

`manage.py check --deploy` passes with no warnings under these settings.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
VOTE_SECRET = env("VOTE_SECRET", default="")
if len(VOTE_SECRET) < 32 or VOTE_SECRET == SECRET_KEY:
    raise ImproperlyConfigured("VOTE_SECRET must be set to its own random value of 32+ characters.")

# Without a mail server, secret links and password resets would go to the console log;
# without Redis, PDFs would be built inside web requests and rate limits would count per
# process. Both are refused unless someone says so explicitly (a demo box, say).
EMAIL_MISSING = (
    "EMAIL_URL must be set (smtp+tls://user:password@host:587), or set "
    "ALLOW_CONSOLE_EMAIL=true to send e-mail to the console log on purpose."
)
REDIS_MISSING = (
    "REDIS_URL must be set (redis://host:6379/0), or set ALLOW_WITHOUT_REDIS=true to run "
    "tasks inside web requests and count rate limits per process on purpose."
)
if not env("EMAIL_URL", default="") and not env.bool("ALLOW_CONSOLE_EMAIL", default=False):
    raise ImproperlyConfigured(EMAIL_MISSING)
if not env("REDIS_URL", default="") and not env.bool("ALLOW_WITHOUT_REDIS", default=False):
    raise ImproperlyConfigured(REDIS_MISSING)

# The local test identity service asserts whoever the visitor picks from a list.
DEV_IDP_REFUSED = "IDENTIFICATION_DEV_IDP is a local test service and cannot run in production."
if env.bool("IDENTIFICATION_DEV_IDP", default=False) or IDENTIFICATION_DEV_IDP:
    raise ImproperlyConfigured(DEV_IDP_REFUSED)
# With MPASSid switched on, the ID token's issuer is checked: without it, any provider
# whose keys the JWKS endpoint served would be believed.
MPASSID_ISSUER_MISSING = "MPASSID_CLIENT_ID is set but MPASSID_ISSUER is not: set the issuer."
if MPASSID_CLIENT_ID and not MPASSID_ISSUER:
    raise ImproperlyConfigured(MPASSID_ISSUER_MISSING)

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

# Production runs behind one reverse proxy (docker-compose, the city's load balancer).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")
