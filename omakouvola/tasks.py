"""Celery tasks of the core app: they take ids, call one service and own the retries."""

from __future__ import annotations

import smtplib

from celery import shared_task

from . import services

# Errors worth another try: the mail server or the network, not a bad message.
RETRYABLE_EMAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


@shared_task(
    bind=True,
    autoretry_for=RETRYABLE_EMAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=60 * 60,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def send_notification_task(self, notification_id: int) -> None:
    try:
        services.notification_send(notification_id=notification_id)
    except RETRYABLE_EMAIL_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            services.notification_mark_failed(notification_id=notification_id, error=repr(exc))
        raise


@shared_task(time_limit=15 * 60, soft_time_limit=14 * 60)
def cycle_phase_notices_task() -> int:
    return services.cycle_send_phase_notices()


@shared_task(time_limit=5 * 60, soft_time_limit=4 * 60)
def outbox_drain_task() -> int:
    """Every minute: hand over tasks that waited while the broker was down."""
    from .outbox import outbox_drain

    return outbox_drain()


@shared_task(time_limit=15 * 60, soft_time_limit=14 * 60)
def retention_task() -> dict:
    """Daily: remove personal data whose retention period has passed."""
    return services.apply_retention()
