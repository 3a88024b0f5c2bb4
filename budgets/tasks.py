"""Celery tasks of the budgets app: they take ids, call one service, own the retries.

The report is built here, never in a request: a year's report is a long document.
"""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from omakouvola.tasking import PERIODIC_TASK_OPTIONS, BoundedTask

from . import services


class ReportTask(BoundedTask):
    # Three retries and two starts lost with a dying worker; after that the report is
    # FAILED, so a period that kills its worker every time is not re-queued forever.
    max_attempts = 6

    def give_up(self, report_id: int, *, error: str) -> None:
        services.report_give_up(report_id=report_id, error=error)


REPORT_TASK_OPTIONS = {
    "base": ReportTask,
    "autoretry_for": (OSError,),
    "retry_backoff": 10,
    "max_retries": 3,
    # Acknowledged only when done: a worker killed mid-build gives the task to another,
    # which rebuilds from scratch (the half-written file was never under its final name).
    "acks_late": True,
    "reject_on_worker_lost": True,
    "time_limit": 15 * 60,
    "soft_time_limit": 14 * 60,
}


@shared_task(**REPORT_TASK_OPTIONS, verbose_name=_("Build a budget report"))
def report_build_task(report_id: int) -> None:
    services.report_build(report_id=report_id)


@shared_task(
    **PERIODIC_TASK_OPTIONS,
    time_limit=5 * 60,
    soft_time_limit=4 * 60,
    verbose_name=_("Annual budget report"),
)
def annual_report_task() -> int | None:
    report = services.annual_report_due()
    return report.pk if report is not None else None
