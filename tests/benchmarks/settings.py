"""Settings for benchmarks that run a real server: the test settings plus a baseline view."""

from omakouvola.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
