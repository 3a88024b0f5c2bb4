"""The Celery application (cookiecutter-django's recipe).

Configuration comes from Django settings under the CELERY_ namespace; tasks are found in
each installed app's tasks.py.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omakouvola.settings.local")

app = Celery("omakouvola")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
