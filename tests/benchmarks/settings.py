"""Settings for benchmarks that run a real server: the test settings plus a baseline view."""

from omakouvola.settings.test import *  # noqa: F403
from omakouvola.settings.test import env

ROOT_URLCONF = "tests.benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# The load test may send receipts through a real worker (voting_bench --celery).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
LOGGING = {"version": 1, "disable_existing_loggers": False}
