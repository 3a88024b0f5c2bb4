"""Settings of the Celery worker that fault tests start in a subprocess and then kill.

The worker uses the test database and a broker queue the test names; FAULT_PAUSE_IN
("module:attribute") makes the first call of that function in a worker process write the
process id to FAULT_MARKER and wait, so the test can SIGKILL the process mid-task;
FAULT_KILL_IN makes every call kill its own process (a poison message).
"""

import importlib
import os
import signal
import time

from celery.signals import worker_process_init

from omakouvola.settings.test import *  # noqa: F403
from omakouvola.settings.test import DATABASES, env

DATABASES["default"] = env.db("DATABASE_URL")
DATABASES["default"]["ATOMIC_REQUESTS"] = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = env("FAULT_BROKER_URL")
CELERY_TASK_DEFAULT_QUEUE = env("FAULT_QUEUE")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("FAULT_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 3,
}
MEDIA_ROOT = env("MEDIA_ROOT")
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT")
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("FAULT_MAIL_DIR")


def _resolve(target: str):
    module_name, _, path = target.partition(":")
    owner = importlib.import_module(module_name)
    *parents, name = path.split(".")
    for part in parents:
        owner = getattr(owner, part)
    return owner, name


def _pause_first_call(original, marker: str):
    def wrapper(*args, **kwargs):
        if not os.path.exists(marker):
            with open(marker, "w") as handle:
                handle.write(str(os.getpid()))
            time.sleep(120)
        return original(*args, **kwargs)

    return wrapper


def _kill_every_call(original):
    def wrapper(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    return wrapper


@worker_process_init.connect
def _install_faults(**kwargs):
    for variable, make in (
        ("FAULT_PAUSE_IN", lambda f: _pause_first_call(f, os.environ["FAULT_MARKER"])),
        ("FAULT_KILL_IN", _kill_every_call),
    ):
        if os.environ.get(variable):
            owner, name = _resolve(os.environ[variable])
            setattr(owner, name, make(getattr(owner, name)))
