"""Redis down: the resident's action still succeeds and its e-mail follows later.

Runs a private redis-server on a free port, so stopping it disturbs nothing else.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid

import pytest
from django.core import mail

from ideas.models import Idea
from omakouvola.celery import app
from omakouvola.models import Notification, OutboxTask
from omakouvola.outbox import outbox_drain

from ..factories import helsinki

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self):
        self.port = _free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _reset_broker_connections():
    """Forget pooled connections, so the next task goes to the broker configured now."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def private_redis(settings):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed: the outage test needs its own Redis")
    redis = PrivateRedis()
    redis.start()
    queue = f"outage-{uuid.uuid4().hex[:8]}"
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=redis.url, task_always_eager=False, task_default_queue=queue)
    _reset_broker_connections()
    try:
        yield redis, queue
    finally:
        redis.stop()
        app.conf.update(saved)
        _reset_broker_connections()


def test_an_idea_submitted_while_redis_is_down_is_stored_and_its_email_follows(
    client, private_redis, resident, cycle, time_machine
):
    from celery.contrib.testing.worker import start_worker

    redis, queue = private_redis
    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=True)
    redis.stop()
    client.force_login(resident)
    response = client.post(
        "/en/ideas/new/", {"title": "Penkit rantaan", "description": "Levähdyspaikkoja."}
    )
    assert response.status_code == 302
    assert Idea.objects.filter(title="Penkit rantaan").exists()
    notification = Notification.objects.get(template="ideas_submitted")
    assert notification.status == Notification.Status.PENDING
    assert OutboxTask.objects.count() == 1
    # Still down: draining keeps it waiting and loses nothing.
    assert outbox_drain() == 0
    assert OutboxTask.objects.get().attempts == 1

    redis.start()
    _reset_broker_connections()
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
    ):
        assert outbox_drain() == 1
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if notification.status == Notification.Status.SENT:
                break
            time.sleep(0.2)
    assert notification.status == Notification.Status.SENT
    assert not OutboxTask.objects.exists()
    assert [m.to for m in mail.outbox] == [[resident.email]]
