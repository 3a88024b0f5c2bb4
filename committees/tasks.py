"""Celery tasks of the committees app: they take ids, call one service, own the retries.

PDFs are built here, never in a request: WeasyPrint can take seconds on a long agenda.
"""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from omakouvola.tasking import PERIODIC_TASK_OPTIONS, BoundedTask

from . import services

# A PDF that fails to render is worth a couple more tries (a file system hiccup), not more.
# A worker killed mid-render gives the task back (reject_on_worker_lost); both tasks
# replace the file and send the letter's e-mail only once, so running again is safe, and
# BoundedTask ends a letter that kills its worker every time after max_attempts.
PDF_TASK_OPTIONS = {
    "base": BoundedTask,
    "max_attempts": 6,
    "autoretry_for": (OSError,),
    "retry_backoff": 10,
    "max_retries": 3,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "time_limit": 5 * 60,
    "soft_time_limit": 4 * 60,
}


@shared_task(**PDF_TASK_OPTIONS, verbose_name=_("Meeting minutes PDF"))
def meeting_minutes_task(meeting_id: int) -> None:
    services.minutes_generate(meeting_id=meeting_id)


@shared_task(**PDF_TASK_OPTIONS, verbose_name=_("Decision letter PDF"))
def decision_letter_task(decision_id: int) -> None:
    services.decision_letter_generate(decision_id=decision_id)


@shared_task(
    **PERIODIC_TASK_OPTIONS,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    verbose_name=_("Grant report reminders"),
)
def grant_report_reminders_task() -> int:
    return services.grant_send_report_reminders()
