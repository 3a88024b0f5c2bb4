"""Celery tasks of the core app: they take ids, call one service and own the retries."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from . import services
from .tasking import PERIODIC_TASK_OPTIONS, BoundedTask

# Errors worth another try: the mail server or the network, not a bad message.
RETRYABLE_EMAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


class NotificationTask(BoundedTask):
    # Eight retries plus three starts lost with a dying worker, then the message is FAILED.
    max_attempts = 11

    def give_up(self, notification_id: int, *, error: str) -> None:
        services.notification_mark_failed(notification_id=notification_id, error=error)


@shared_task(
    verbose_name=_("Send an e-mail notification"),
    bind=True,
    base=NotificationTask,
    autoretry_for=RETRYABLE_EMAIL_ERRORS,
    retry_backoff=30,
    # Below the broker's visibility timeout, so a waiting retry is not delivered twice.
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
    reject_on_worker_lost=True,
)
def send_notification_task(self, notification_id: int) -> None:
    try:
        services.notification_send(notification_id=notification_id)
    except RETRYABLE_EMAIL_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            services.notification_mark_failed(notification_id=notification_id, error=repr(exc))
        raise


@shared_task(
    **PERIODIC_TASK_OPTIONS,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    verbose_name=_("Notices of a round's phase changes"),
)
def cycle_phase_notices_task() -> int:
    return services.cycle_send_phase_notices()


@shared_task(
    **PERIODIC_TASK_OPTIONS,
    time_limit=5 * 60,
    soft_time_limit=4 * 60,
    verbose_name=_("Hand over work queued during a broker outage"),
)
def outbox_drain_task() -> int:
    """Every minute: hand over tasks that waited while the broker was down."""
    from .outbox import outbox_drain

    return outbox_drain()


@shared_task(
    **PERIODIC_TASK_OPTIONS,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    verbose_name=_("Remove personal data past its retention period"),
)
def retention_task() -> dict:
    """Daily: remove personal data whose retention period has passed."""
    return services.apply_retention()


@shared_task(
    **PERIODIC_TASK_OPTIONS,
    time_limit=5 * 60,
    soft_time_limit=4 * 60,
    verbose_name=_("Queue stuck work again"),
)
def stuck_work_sweep_task() -> int:
    """Every five minutes: queue again work that died with its worker or never started."""
    from .tasking import stuck_work_sweep

    return stuck_work_sweep()


@shared_task(
    **PERIODIC_TASK_OPTIONS,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    verbose_name=_("Delete private files no longer in use"),
)
def private_files_cleanup_task() -> int:
    """Daily: delete private files no row names (rebuilt PDFs, erased rows, dead temps)."""
    from .files import private_files_cleanup

    return private_files_cleanup()
