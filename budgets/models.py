"""Money in (funding sources, appropriations), money out (implementations and their
expenses), what residents did (volunteer work) and the council's reports.

Layering: this app reads ballots and committee allocations; nothing below imports it. A
ballot or an allocation draws from an appropriation through a `Commitment` made here, so
the lower apps carry no reference to budgets.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Allocation, Grant
from ideas.models import Proposal
from omakouvola.models import Area, Language
from omakouvola.money import MONEY
from omakouvola.storage import private_storage
from voting.models import Ballot

YEAR_VALIDATORS = [MinValueValidator(2018), MaxValueValidator(2100)]


class SourceKind(models.TextChoices):
    CITY_BUDGET = "city_budget", _("City budget appropriation")
    OPERATING_FUNDS = "operating_funds", _("Operating funds (toimintaraha)")
    STATE_PROJECT = "state_project", _("State project grant")
    MINISTRY = "ministry", _("Ministry grant")
    EU = "eu", _("EU funding")
    OTHER = "other", _("Other")


class FundingSource(models.Model):
    """Where money comes from (rahoituslähde)."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self) -> str:
        return self.name


class Purpose(models.TextChoices):
    PARTICIPATORY_BUDGETING = "pb", _("Participatory budgeting")
    YOUTH_PB = "youth_pb", _("Youth participatory budgeting")
    AREA_COMMITTEES = "committees", _("Area committees")
    INNOVATION = "innovation", _("Innovation projects")
    OTHER = "other", _("Other")


class Appropriation(models.Model):
    """Money for a purpose in a year (määräraha), split over its funding sources.

    The shares add up to the amount (checked by `appropriation_save`); ballots and
    committee allocations draw from it through commitments.
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose)
    name = models.CharField(_("name"), max_length=160)
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-year", "purpose", "name"]
        verbose_name = _("appropriation")
        verbose_name_plural = _("appropriations")
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="appropriation_name_per_year"),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="appropriation_amount_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class AppropriationShare(models.Model):
    """The part of an appropriation that one funding source pays."""

    appropriation = models.ForeignKey(
        Appropriation,
        on_delete=models.CASCADE,
        related_name="shares",
        verbose_name=_("appropriation"),
    )
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="shares", verbose_name=_("source")
    )
    amount = models.DecimalField(_("amount (€)"), **MONEY)

    class Meta:
        ordering = ["appropriation", "-amount", "source__name"]
        verbose_name = _("share of a funding source")
        verbose_name_plural = _("shares of funding sources")
        constraints = [
            models.UniqueConstraint(
                fields=["appropriation", "source"], name="share_once_per_source"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="share_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.amount}"


class Commitment(models.Model):
    """A ballot or a committee allocation drawing money from an appropriation.

    Each ballot and each allocation draws from one appropriation; `commitment_create`
    locks the appropriation row so two commitments never take more than it holds.
    """

    appropriation = models.ForeignKey(
        Appropriation,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("appropriation"),
    )
    ballot = models.OneToOneField(
        Ballot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_commitment",
        verbose_name=_("ballot"),
    )
    allocation = models.OneToOneField(
        Allocation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_commitment",
        verbose_name=_("committee allocation"),
    )
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    committed_on = models.DateField(_("committed on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["appropriation", "committed_on", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_amount_positive"),
            models.CheckConstraint(
                condition=(Q(ballot__isnull=False) & Q(allocation__isnull=True))
                | (Q(ballot__isnull=True) & Q(allocation__isnull=False)),
                name="commitment_ballot_or_allocation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appropriation} → {self.ballot or self.allocation}"


class ImplementationStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ImplementationQuerySet(models.QuerySet["Implementation"]):
    def public(self) -> ImplementationQuerySet:
        return self.filter(is_public=True)


class Implementation(models.Model):
    """Following one confirmed PB winner or one committee grant until it is built.

    Money out is never typed: a PB project's is the sum of its expenses, a grant's the
    committee's payments on it.
    """

    proposal = models.OneToOneField(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementation",
        verbose_name=_("winning proposal"),
    )
    ballot = models.ForeignKey(
        Ballot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementations",
        verbose_name=_("ballot"),
    )
    grant = models.OneToOneField(
        Grant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementation",
        verbose_name=_("committee grant"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("budget year"), validators=YEAR_VALIDATORS)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementations",
        verbose_name=_("area"),
    )
    responsible_sector = models.CharField(_("responsible sector"), max_length=120, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=120, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ImplementationStatus,
        default=ImplementationStatus.PLANNING,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    planned_cost = models.DecimalField(_("planned cost (€)"), **MONEY)
    maintenance_cost_per_year = models.DecimalField(
        _("yearly maintenance cost agreed with the sector (€)"), **MONEY, default=0
    )
    maintenance_justification = models.TextField(
        _("why the project may create later costs"), blank=True
    )
    notes = models.TextField(_("internal notes"), blank=True)
    is_public = models.BooleanField(_("shown on the public page"), default=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ImplementationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=False) & Q(grant__isnull=True))
                | (Q(proposal__isnull=True) & Q(grant__isnull=False)),
                name="implementation_of_winner_or_grant",
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="implementation_progress_percent",
            ),
            models.CheckConstraint(
                condition=Q(planned_cost__gte=0), name="implementation_planned_nonnegative"
            ),
            models.CheckConstraint(
                condition=Q(maintenance_cost_per_year=0) | ~Q(maintenance_justification=""),
                name="implementation_later_costs_justified",
            ),
            models.CheckConstraint(
                condition=~Q(status=ImplementationStatus.DONE) | Q(completed_on__isnull=False),
                name="implementation_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgets:project", args=[self.pk])

    @property
    def is_grant(self) -> bool:
        return self.grant_id is not None

    @property
    def area_label(self) -> str:
        return self.area.localized_name if self.area else str(_("Whole city"))


class Milestone(models.Model):
    implementation = models.ForeignKey(
        Implementation,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("implementation"),
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("planned date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class ProgressNote(models.Model):
    """A public note on the project's timeline ("the frame is up")."""

    implementation = models.ForeignKey(
        Implementation,
        on_delete=models.CASCADE,
        related_name="progress_notes",
        verbose_name=_("implementation"),
    )
    written_on = models.DateField(_("date"))
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        ordering = ["written_on", "id"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return self.text[:60]


def photo_path(instance: ImplementationPhoto, filename: str) -> str:
    return f"budgets/{instance.implementation_id}/{filename}"


class ImplementationPhoto(models.Model):
    implementation = models.ForeignKey(
        Implementation,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("implementation"),
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)
    alt_text = models.CharField(
        _("image description"),
        max_length=200,
        help_text=_("A short description for people who cannot see the image."),
    )
    taken_on = models.DateField(_("taken on"), null=True, blank=True)

    class Meta:
        ordering = ["taken_on", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text


class Expense(models.Model):
    """Money actually paid for a PB project (kulu)."""

    implementation = models.ForeignKey(
        Implementation,
        on_delete=models.PROTECT,
        related_name="expenses",
        verbose_name=_("implementation"),
    )
    paid_on = models.DateField(_("paid on"), db_index=True)
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    supplier = models.CharField(_("supplier"), max_length=160)
    invoice_reference = models.CharField(_("invoice reference"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on:%d.%m.%Y} {self.supplier} {self.amount} €"


class VolunteerWork(models.Model):
    """Volunteer work actually done (talkoot) on a project."""

    implementation = models.ForeignKey(
        Implementation,
        on_delete=models.CASCADE,
        related_name="volunteer_work",
        verbose_name=_("implementation"),
    )
    done_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=7, decimal_places=1, validators=[MinValueValidator(0)]
    )
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    description = models.CharField(_("what was done"), max_length=300, blank=True)

    class Meta:
        ordering = ["done_on", "id"]
        verbose_name = _("volunteer work")
        verbose_name_plural = _("volunteer work")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="volunteer_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.done_on}: {self.hours} h"


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("Annual report")
    INTERIM = "interim", _("Interim report (osavuosikatsaus)")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def new_token() -> str:
    return secrets.token_hex(16)


def report_path(instance: Report, filename: str) -> str:
    return f"budgets/reports/{filename}"


class Report(models.Model):
    """The council's report for a period, as PDF and HTML, built by a Celery task.

    The PDF is written under a temporary name and moved into place before the row says
    READY, so a worker killed halfway leaves nothing that can be downloaded.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language, default=Language.FINNISH
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus, default=ReportStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    token = models.CharField(
        max_length=32, default=new_token, editable=False, verbose_name=_("download key")
    )
    pdf = models.FileField(_("PDF"), upload_to=report_path, storage=private_storage, blank=True)
    pdf_variant = models.CharField(_("PDF variant"), max_length=20, blank=True)
    html = models.TextField(_("HTML version"), blank=True)
    error = models.TextField(_("error"), blank=True)
    is_published = models.BooleanField(_("published to residents"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.READY) | ~Q(pdf=""), name="report_ready_has_pdf"
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status=ReportStatus.READY),
                name="report_published_only_when_ready",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == ReportKind.ANNUAL:
            return f"{self.get_kind_display()} {self.period_start.year}"
        return f"{self.get_kind_display()} {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("budgets:report", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == ReportStatus.READY
