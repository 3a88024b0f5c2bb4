"""Council reports, built by a Celery task, and their publication."""

from __future__ import annotations

import datetime as dt
import os
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola.audit import AuditAction
from omakouvola.dates import local_today
from omakouvola.models import User
from omakouvola.outbox import enqueue
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes, notify

from .. import reporting
from ..models import (
    Report,
    ReportKind,
    ReportStatus,
)
from ._common import (
    REPORT_MAX_YEARS,
)

PERIOD_BACKWARDS = _("The end of the period cannot be before its start.")
PERIOD_IN_FUTURE = _("A report cannot cover days that have not yet come.")
PERIOD_TOO_LONG = _("A report can cover at most %(years)s years.")
NOT_READY = _("Only a finished report can be published.")

# ---------------------------------------------------------------------------------------
# Reports (built by a Celery task)
# ---------------------------------------------------------------------------------------


def _validate_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError(PERIOD_BACKWARDS, code="backwards")
    if start > local_today():
        raise ValidationError(PERIOD_IN_FUTURE, code="future")
    if end.year - start.year >= REPORT_MAX_YEARS:
        raise ValidationError(PERIOD_TOO_LONG, code="too_long", params={"years": REPORT_MAX_YEARS})


@transaction.atomic
def report_request(
    *,
    actor: User | None,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    language: str = "fi",
) -> Report:
    """Queue a report; a worker builds it and e-mails the requester a link."""
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.request_report")
    from ..tasks import report_build_task

    _validate_period(period_start, period_end)
    report = Report.objects.create(
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        language=language,
        requested_by=actor if actor is not None and actor.pk else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_REQUEST,
        obj=report,
        note=f"{kind} {period_start.isoformat()}–{period_end.isoformat()} {language}",
    )
    # Through the outbox: with Redis down the request still succeeds and the report is
    # built once the broker is back, instead of a 500 and a report "queued" forever.
    enqueue(report_build_task, report.pk)
    return report


def annual_report_due(*, today: dt.date | None = None) -> Report | None:
    """In January, queue the previous year's annual report unless it already exists.

    Beat runs this daily, so a January when the beat was down for a day still gets it.
    """
    today = today or local_today()
    if today.month != 1:
        return None
    year = today.year - 1
    exists = (
        Report.objects.filter(kind=ReportKind.ANNUAL, period_start=dt.date(year, 1, 1))
        .exclude(status=ReportStatus.FAILED)
        .exists()
    )
    if exists:
        return None
    return report_request(
        actor=None,
        kind=ReportKind.ANNUAL,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
    )


PDF_VARIANT = "pdf/ua-1"


def _write_atomically(storage, name: str, content: bytes) -> None:
    """Write to a temporary name beside the target, then rename (atomic on one file system)."""
    final = storage.path(name)
    os.makedirs(os.path.dirname(final), exist_ok=True)
    temporary = f"{final}.{uuid.uuid4().hex}.part"
    try:
        with open(temporary, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def report_give_up(*, report_id: int, error: str) -> None:
    """The build failed for good or kept killing its worker: the row says so."""
    Report.objects.filter(pk=report_id).exclude(status=ReportStatus.READY).update(
        status=ReportStatus.FAILED, error=error[:2000]
    )


def report_build(*, report_id: int) -> Report:
    """Build the report's HTML and PDF, store them, and tell the requester.

    The row turns READY only after the PDF is complete under its final name; a build
    that dies halfway leaves the row BUILDING (or FAILED) and nothing to download.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.READY:
            return report
        report.status = ReportStatus.BUILDING
        report.error = ""
        report.save(update_fields=["status", "error"])
    try:
        # Looked up on the package at call time, so a test may replace the builder.
        context = reporting.build_report_context(report)
        html = reporting.render_report_html(context, language=report.language)
        pdf, variant = reporting.render_report_pdf(context, language=report.language)
        name = f"budgets/reports/report-{report.pk}-{report.token}.pdf"
        _write_atomically(report.pdf.storage, name, pdf)
    except Exception as exc:
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=repr(exc)[:2000]
        )
        raise
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        old = report.pdf.name or ""
        report.pdf.name = name
        report.pdf_variant = variant
        report.html = html
        report.status = ReportStatus.READY
        report.ready_at = timezone.now()
        report.save(update_fields=["pdf", "pdf_variant", "html", "status", "ready_at"])
        audit_record(actor=None, action=AuditAction.REPORT_READY, obj=report, note=variant)
        if old and old != name:
            # A rebuild under a new name: the old PDF goes once the new one is the row's.
            storage = report.pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
        if report.requested_by is not None:
            notify(
                user=report.requested_by,
                template="budgets_report_ready",
                context={"report": report, "path": report.get_absolute_url()},
            )
    return report


@transaction.atomic
def report_publish(*, actor: User, report: Report, published: bool = True) -> Report:
    """Show a finished report to residents (or take it back)."""
    require(actor, "budgets.publish_report")
    report = Report.objects.select_for_update().get(pk=report.pk)
    if published and report.status != ReportStatus.READY:
        raise ValidationError(NOT_READY, code="not_ready")
    before = report.is_published
    report.is_published = published
    report.published_at = timezone.now() if published else None
    report.save(update_fields=["is_published", "published_at"])
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_PUBLISH if published else AuditAction.REPORT_UNPUBLISH,
        obj=report,
        changes=field_changes({"is_published": before}, {"is_published": published}),
    )
    return report
