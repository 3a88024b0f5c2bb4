"""Celery tasks of the ideas app."""

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from omakouvola.tasking import PERIODIC_TASK_OPTIONS

from . import services


@shared_task(
    **PERIODIC_TASK_OPTIONS,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    verbose_name=_("Workshop reminders"),
)
def workshop_reminders_task() -> int:
    """Hourly: remind registered people the day before their workshop."""
    return services.workshop_send_reminders()
