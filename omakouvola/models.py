"""The core domain: people, the five areas, the yearly cycle, the audit log, e-mail."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .audit import action_choices

# HELSINKI is re-exported: many modules take the zone from here.
from .dates import HELSINKI as HELSINKI
from .dates import local_date

postal_code_validator = RegexValidator(r"^\d{5}$", _("A postal code is five digits."))


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class Role(models.TextChoices):
    """City roles, each a Django group made by a data migration.

    Committee roles (member, deputy, chair) come from committee memberships instead.
    """

    COORDINATOR = "coordinator", _("Participation coordinator")
    CITY_TEAM = "city_team", _("City team")
    SECTOR_EXPERT = "sector_expert", _("Sector expert")
    DECISION_MAKER = "decision_maker", _("Decision maker")
    COUNCIL = "council", _("Council member")
    PAPER_VOTE_CLERK = "paper_vote_clerk", _("Paper-vote clerk")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown with your ideas and comments. You may use a nickname."),
    )
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900)],
        help_text=_("Optional. Used only for age limits of the youth vote and for statistics."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language, default=Language.FINNISH
    )
    receives_optional_email = models.BooleanField(
        _("send me news and reminders"),
        default=True,
        help_text=_(
            "Messages you must get (confirmations, decisions, receipts) are sent regardless."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900),
                name="user_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    get_full_name = get_short_name

    @cached_property
    def area(self) -> Area | None:
        """The area the user's postal code belongs to, if any."""
        if not self.postal_code:
            return None
        return Area.objects.filter(postal_codes__code=self.postal_code).first()

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=role.value).exists()


class Area(models.Model):
    """One of Kouvola's five areas, each with its own area committee."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name in Finnish"), max_length=60, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=60, blank=True)
    population = models.PositiveIntegerField(
        _("population"), help_text=_("Residents, used to split money between the areas.")
    )
    population_year = models.PositiveSmallIntegerField(_("population counted in"), null=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        if translation.get_language() == Language.SWEDISH and self.name_sv:
            return self.name_sv
        return self.name


class PostalCode(models.Model):
    """A Kouvola postal code; each belongs to exactly one area."""

    code = models.CharField(
        _("postal code"), max_length=5, unique=True, validators=[postal_code_validator]
    )
    locality = models.CharField(_("locality"), max_length=60)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="postal_codes", verbose_name=_("area")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")

    def __str__(self) -> str:
        return f"{self.code} {self.locality}"


class Phase(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    IDEATION = "ideation", _("Ideation")
    WORKSHOPS = "workshops", _("Co-development workshops")
    VOTING = "voting", _("Voting")
    DECISION = "decision", _("Decision")
    IMPLEMENTATION = "implementation", _("Implementation")


# Phases in the order of the year; each has <phase>_starts_on / <phase>_ends_on on Cycle.
PHASE_ORDER = [
    Phase.IDEATION,
    Phase.WORKSHOPS,
    Phase.VOTING,
    Phase.DECISION,
    Phase.IMPLEMENTATION,
]


class PhaseSpan:
    """One phase of a cycle with its dates (inclusive, Helsinki calendar days)."""

    def __init__(self, phase: Phase, starts_on: dt.date, ends_on: dt.date, today: dt.date):
        self.phase = phase
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.is_current = starts_on <= today <= ends_on
        self.is_past = ends_on < today

    @property
    def label(self) -> str:
        return self.phase.label


class CycleQuerySet(models.QuerySet["Cycle"]):
    def running_on(self, day: dt.date) -> CycleQuerySet:
        return self.filter(opens_on__lte=day, implementation_ends_on__gte=day)


class Cycle(models.Model):
    """A yearly participatory-budgeting round (kausi).

    The phase is never stored: `current_phase()` reads it off the dates, as calendar days
    in Helsinki, so no cron job has to flip a flag at midnight.
    """

    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(
        _("budget year"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    is_youth = models.BooleanField(
        _("youth cycle"), default=False, help_text=_("A youth participatory budget of its own.")
    )
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("opens on"), help_text=_("The round is announced."))
    ideation_starts_on = models.DateField(_("ideation starts"))
    ideation_ends_on = models.DateField(_("ideation ends"))
    workshops_starts_on = models.DateField(_("workshops start"))
    workshops_ends_on = models.DateField(_("workshops end"))
    voting_starts_on = models.DateField(_("voting starts"))
    voting_ends_on = models.DateField(_("voting ends"))
    decision_starts_on = models.DateField(_("decision starts"))
    decision_ends_on = models.DateField(_("decision ends"))
    implementation_starts_on = models.DateField(_("implementation starts"))
    implementation_ends_on = models.DateField(_("implementation ends"))

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.UniqueConstraint(fields=["name"], name="cycle_name_unique"),
            models.CheckConstraint(
                condition=(
                    Q(opens_on__lte=F("ideation_starts_on"))
                    & Q(ideation_starts_on__lte=F("ideation_ends_on"))
                    & Q(ideation_ends_on__lt=F("workshops_starts_on"))
                    & Q(workshops_starts_on__lte=F("workshops_ends_on"))
                    & Q(workshops_ends_on__lt=F("voting_starts_on"))
                    & Q(voting_starts_on__lte=F("voting_ends_on"))
                    & Q(voting_ends_on__lt=F("decision_starts_on"))
                    & Q(decision_starts_on__lte=F("decision_ends_on"))
                    & Q(decision_ends_on__lt=F("implementation_starts_on"))
                    & Q(implementation_starts_on__lte=F("implementation_ends_on"))
                ),
                name="cycle_phases_in_order",
                violation_error_message=_(
                    "The phases must follow each other in order without overlapping."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def local_date(at: dt.datetime | None = None) -> dt.date:
        """The calendar day in Helsinki at the instant `at` (now by default)."""
        return local_date(at)

    def phase_dates(self, phase: Phase) -> tuple[dt.date, dt.date]:
        """First and last day of `phase` (preparation runs from opening to ideation)."""
        if phase == Phase.PREPARATION:
            return self.opens_on, self.ideation_starts_on - dt.timedelta(days=1)
        return getattr(self, f"{phase}_starts_on"), getattr(self, f"{phase}_ends_on")

    def phases(self, at: dt.datetime | None = None) -> list[PhaseSpan]:
        today = self.local_date(at)
        return [PhaseSpan(p, *self.phase_dates(p), today=today) for p in PHASE_ORDER]

    def current_phase(self, at: dt.datetime | None = None) -> Phase | None:
        """The phase open at `at`, PREPARATION between opening and ideation, else None."""
        today = self.local_date(at)
        if self.opens_on <= today < self.ideation_starts_on:
            return Phase.PREPARATION
        for phase in PHASE_ORDER:
            starts_on, ends_on = self.phase_dates(phase)
            if starts_on <= today <= ends_on:
                return phase
        return None

    def is_phase_open(self, phase: Phase, at: dt.datetime | None = None) -> bool:
        return self.current_phase(at) == phase

    def phase_started_on(self, day: dt.date) -> Phase | None:
        """The phase whose first day is `day`, if any (for the "phase started" notices)."""
        for phase in PHASE_ORDER:
            if self.phase_dates(phase)[0] == day:
                return phase
        return None


class AuditEntry(models.Model):
    """Who did what to which object and when; written only through `audit_record`."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(
        _("actor as recorded"),
        max_length=254,
        blank=True,
        help_text=_("Kept so the entry still says who acted after the account is removed."),
    )
    action = models.CharField(_("action"), max_length=80, db_index=True, choices=action_choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_("{field: [before, after]}")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class Notification(models.Model):
    """An e-mail rendered for one person, sent by a Celery task after the commit.

    Keeping the rendered message in the database means a failed send is retried and never
    lost, and the coordinator can see what went out.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    to_email = models.EmailField(_("to"))
    template = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=2, choices=Language)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("The text is erased once sent (a vote receipt names the voter's choices)."),
    )
    headers = models.JSONField(
        _("extra headers"),
        default=dict,
        blank=True,
        help_text=_("For example the one-click unsubscribe link of a news message."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("e-mail notification")
        verbose_name_plural = _("e-mail notifications")

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"


class PhaseNotice(models.Model):
    """Records that residents were told a phase began, so they are told only once."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phase_notices")
    phase = models.CharField(max_length=20, choices=Phase)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phase notice")
        verbose_name_plural = _("phase notices")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "phase"], name="phase_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.phase}"


class OutboxTask(models.Model):
    """A task that could not be handed to the broker; the beat drains these.

    The data it works on is already committed, so when Redis is down a vote or an idea is
    still stored and only its e-mail or PDF waits here until the broker is back.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("waiting task")
        verbose_name_plural = _("waiting tasks")

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class WorkAttempt(models.Model):
    """How often one piece of work (a task and its arguments) has started, until it ends.

    A worker killed mid-task hands the message back and the work starts again; this row
    counts those starts, so a message that kills its worker every time (a poison message)
    ends as FAILED after a few tries instead of being re-queued forever. The row is removed
    when the work completes; a RUNNING row whose last start is long past is work that died
    with its worker, and the sweeper queues it again.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=255, unique=True)
    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.RUNNING, db_index=True
    )
    started_at = models.DateTimeField(_("last started"), default=timezone.now)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # A beat task's run: counted under its message id, and a retry is a fresh run.
    periodic = models.BooleanField(_("periodic"), default=False)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("task attempt")
        verbose_name_plural = _("task attempts")

    def __str__(self) -> str:
        return f"{self.task_label()}{tuple(self.args)} × {self.attempts}"

    def task_label(self) -> str:
        """The task's translated `verbose_name` (set on each `@shared_task`), else its name."""
        from celery import current_app

        task = current_app.tasks.get(self.task_name)
        if task is None:  # a web process registers the apps' tasks only when asked
            current_app.loader.import_default_modules()
            task = current_app.tasks.get(self.task_name)
        return str(getattr(task, "verbose_name", "") or self.task_name)

    task_label.short_description = _("task")  # type: ignore[attr-defined]
