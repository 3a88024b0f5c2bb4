"""Settings for benchmarks that run a real server: the test settings plus a baseline view.

Where the test settings differ from production on purpose (mixing after every vote so
the secrecy tests see it, a new database connection per request), the benchmarks use the
production values: they measure what the site does, not what the test suite needs.
"""

from omakouvola.settings.test import *  # noqa: F403
from omakouvola.settings.test import DATABASES, env

ROOT_URLCONF = "tests.benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Production keeps connections (settings/production.py) and mixes a ballot at most once a
# minute (settings/base.py); the test suite does neither.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
VOTE_MIX_INTERVAL = env.int("VOTE_MIX_INTERVAL", default=60)
# Tasks go to a broker as in production, not run inside the web request: an in-memory one
# by default (nothing consumes it: the web tier is measured alone), or Redis and a real
# worker with voting_bench --celery.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
LOGGING = {"version": 1, "disable_existing_loggers": False}
