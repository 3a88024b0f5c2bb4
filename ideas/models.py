"""Ideas and what the city makes of them: screening, workshops, volunteering, proposals."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from omakouvola.models import Area, Cycle
from omakouvola.money import MONEY
from omakouvola.storage import private_storage

MAX_IMAGES_PER_IDEA = 3
TOO_MANY_IMAGES = _("You can add at most 3 images.")


class Theme(models.Model):
    """A subject residents file ideas under (sport, nature, culture …); kept by the coordinator."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name in Finnish"), max_length=80, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=80, blank=True)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        language = translation.get_language()
        if language == "sv" and self.name_sv:
            return self.name_sv
        if language == "en" and self.name_en:
            return self.name_en
        return self.name


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    PAPER = "paper", _("Paper form")
    VILLAGE_EVENING = "village_evening", _("Village evening")
    WORKSHOP = "workshop", _("Workshop")
    YOUTH_COUNCIL = "youth_council", _("Youth council")
    OTHER = "other", _("Other")


def scan_path(instance: Idea, filename: str) -> str:
    """A scan's name says nothing of the sender (the upload's own name often does)."""
    ending = PurePosixPath(filename).suffix.lower()[:5]
    return f"ideas/scans/{instance.cycle_id}/{uuid.uuid4().hex}{ending}"


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_SCREENING = "in_screening", _("In screening")
    FORWARDED = "forwarded", _("Forwarded to co-development")
    REJECTED = "rejected", _("Not taken forward")
    DUPLICATE = "duplicate", _("Duplicate")
    TRANSFERRED = "transferred", _("Transferred to another body")
    MERGED = "merged", _("Merged into a proposal")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses the submitter may still edit or withdraw in: screening has not begun.
EDITABLE_STATUSES = {IdeaStatus.SUBMITTED}
# Statuses from which the city team may screen an idea.
SCREENABLE_STATUSES = {IdeaStatus.SUBMITTED, IdeaStatus.IN_SCREENING}


class RejectReason(models.TextChoices):
    OTHER_BODY = "other_body", _("Belongs to another body (e.g. the ELY centre or a landowner)")
    NOT_CITY_LAND = "not_city_land", _("Not on city land")
    TOO_EXPENSIVE = "too_expensive", _("Too expensive for the budget")
    LATER_COSTS = "later_costs", _("Would create later operating costs")
    ALREADY_PLANNED = "already_planned", _("Already planned or under way")
    AGAINST_RULES = "against_rules", _("Against the law or city rules")
    UNCLEAR = "unclear", _("Unclear")
    OTHER = "other", _("Other")


class Feasibility(models.TextChoices):
    FEASIBLE = "feasible", _("Feasible")
    PARTLY = "partly", _("Feasible with changes")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")


class Rating(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class IdeaQuerySet(models.QuerySet["Idea"]):
    def public(self) -> IdeaQuerySet:
        return self.filter(is_hidden=False).exclude(status=IdeaStatus.WITHDRAWN)


class Idea(models.Model):
    """What a resident proposes, from babies to grandpas (there is no age limit)."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("cycle")
    )
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), max_length=5000)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
        verbose_name=_("area"),
        help_text=_("Leave empty for an idea for the whole city."),
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name=_("theme"),
    )
    address = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(59), MaxValueValidator(71)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(19), MaxValueValidator(32)],
    )
    rough_cost = models.DecimalField(
        _("rough cost estimate (€)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    for_youth = models.BooleanField(_("for the youth budget"), default=False)
    consents_to_codevelopment = models.BooleanField(
        _("may be invited to co-development"), default=False
    )
    on_behalf_of = models.CharField(
        _("submitted on behalf of"),
        max_length=120,
        blank=True,
        help_text=_("For example your child or a group. Optional."),
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name=_("submitter"),
    )
    submitter_name = models.CharField(
        _("submitter's name"),
        max_length=120,
        blank=True,
        help_text=_("For ideas entered by staff on behalf of a resident."),
    )
    submitter_contact = models.CharField(_("submitter's contact"), max_length=200, blank=True)
    submitter_birth_year = models.PositiveSmallIntegerField(
        _("submitter's birth year"), null=True, blank=True
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel, default=Channel.WEB)
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus, default=IdeaStatus.SUBMITTED
    )
    reject_reason = models.CharField(_("reason"), max_length=20, choices=RejectReason, blank=True)
    public_reasoning = models.TextField(_("public reasoning"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    transferred_to = models.CharField(_("transferred to"), max_length=200, blank=True)
    proposal = models.ForeignKey(
        "Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_ideas",
        verbose_name=_("merged into proposal"),
    )
    assigned_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_ideas",
        verbose_name=_("assigned expert"),
    )
    is_hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden from the public (moderation).")
    )
    # The paper form itself, as it arrived: private (it carries the sender's handwriting
    # and contact details), opened only by the city team through a checked view.
    paper_scan = models.FileField(
        _("scan of the paper form"),
        upload_to=scan_path,
        storage=private_storage,
        blank=True,
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            models.Index(fields=["cycle", "status"]),
            # The public list: one cycle's visible ideas, newest first (and its count).
            models.Index(
                fields=["cycle", "-created_at", "-id"],
                name="idea_list_public_idx",
                condition=Q(is_hidden=False) & ~Q(status="withdrawn"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rough_cost__isnull=True) | Q(rough_cost__gte=0),
                name="idea_rough_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status=IdeaStatus.REJECTED) | ~Q(reject_reason=""),
                name="idea_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=IdeaStatus.MERGED) | Q(proposal__isnull=False),
                name="idea_merged_has_proposal",
            ),
            models.CheckConstraint(
                condition=~Q(status=IdeaStatus.DUPLICATE) | Q(duplicate_of__isnull=False),
                name="idea_duplicate_names_original",
            ),
            models.CheckConstraint(
                condition=~Q(status=IdeaStatus.TRANSFERRED) | ~Q(transferred_to=""),
                name="idea_transfer_names_body",
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.WEB) | Q(paper_scan=""),
                name="idea_scan_only_off_the_web",
                violation_error_message=_(
                    "An idea sent on the web has no paper form: choose how it arrived."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def area_label(self) -> str:
        return self.area.localized_name if self.area else str(_("Whole city"))


def idea_image_path(instance: IdeaImage, filename: str) -> str:
    return f"ideas/{instance.idea_id}/{filename}"


class IdeaImage(models.Model):
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="images", verbose_name=_("idea")
    )
    image = models.ImageField(_("image"), upload_to=idea_image_path)
    alt_text = models.CharField(
        _("image description"),
        max_length=200,
        blank=True,
        help_text=_("A short description for people who cannot see the image."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("idea image")
        verbose_name_plural = _("idea images")

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class IdeaStatusChange(models.Model):
    """The public status history of an idea, with the city's reasoning."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("idea")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(_("from status"), max_length=20, choices=IdeaStatus, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=IdeaStatus)
    public_reasoning = models.TextField(_("public reasoning"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class Assessment(models.Model):
    """A sector expert's view of an idea: feasibility, cost, and the later costs it brings."""

    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, related_name="assessment", verbose_name=_("idea")
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("expert"),
    )
    feasibility = models.CharField(_("feasibility"), max_length=20, choices=Feasibility)
    feasibility_note = models.TextField(_("feasibility note"), blank=True)
    cost_min = models.DecimalField(_("cost at least (€)"), **MONEY)
    cost_max = models.DecimalField(_("cost at most (€)"), **MONEY)
    maintenance_cost_per_year = models.DecimalField(
        _("yearly maintenance cost (€)"), **MONEY, default=0
    )
    maintenance_justification = models.TextField(
        _("why the maintenance cost is acceptable"), blank=True
    )
    assessed_at = models.DateTimeField(default=timezone.now, verbose_name=_("assessed"))

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_min__gte=0) & Q(cost_max__gte=models.F("cost_min")),
                name="assessment_cost_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(maintenance_cost_per_year__gte=0),
                name="assessment_maintenance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea}: {self.get_feasibility_display()}"

    @property
    def creates_later_costs(self) -> bool:
        return self.maintenance_cost_per_year > 0


class SustainabilityAssessment(models.Model):
    """Ecological, social and economic criteria, required since spring 2023."""

    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, related_name="sustainability", verbose_name=_("idea")
    )
    ecological = models.CharField(_("ecological"), max_length=10, choices=Rating)
    ecological_note = models.CharField(_("ecological note"), max_length=500, blank=True)
    social = models.CharField(_("social"), max_length=10, choices=Rating)
    social_note = models.CharField(_("social note"), max_length=500, blank=True)
    economic = models.CharField(_("economic"), max_length=10, choices=Rating)
    economic_note = models.CharField(_("economic note"), max_length=500, blank=True)
    # The "no later costs" check of participatory budgeting: someone in the city team
    # confirmed the idea brings no yearly maintenance costs.
    no_later_costs = models.BooleanField(_("checked: creates no later costs"), default=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(default=timezone.now, verbose_name=_("assessed"))

    class Meta:
        verbose_name = _("sustainability assessment")
        verbose_name_plural = _("sustainability assessments")

    def __str__(self) -> str:
        return (
            f"{self.idea}: {self.get_ecological_display()}/{self.get_social_display()}/"
            f"{self.get_economic_display()}"
        )


class VolunteerPledge(models.Model):
    """A resident offers volunteer work (talkoot) for an idea or a proposal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pledges",
        verbose_name=_("person"),
    )
    idea = models.ForeignKey(
        Idea,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pledges",
        verbose_name=_("idea"),
    )
    proposal = models.ForeignKey(
        "Proposal",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pledges",
        verbose_name=_("proposal"),
    )
    what = models.CharField(_("what I can do"), max_length=300)
    hours = models.PositiveSmallIntegerField(
        _("roughly how many hours"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("pledged"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("volunteer pledge")
        verbose_name_plural = _("volunteer pledges")
        constraints = [
            models.CheckConstraint(
                condition=(Q(idea__isnull=False) & Q(proposal__isnull=True))
                | (Q(idea__isnull=True) & Q(proposal__isnull=False)),
                name="pledge_for_idea_or_proposal",
            ),
            models.UniqueConstraint(
                fields=["user", "idea"],
                condition=Q(idea__isnull=False),
                name="pledge_once_per_idea",
            ),
            models.UniqueConstraint(
                fields=["user", "proposal"],
                condition=Q(proposal__isnull=False),
                name="pledge_once_per_proposal",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=1) & Q(hours__lte=500), name="pledge_hours_sensible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.what}"


class Workshop(models.Model):
    """A co-development workshop (yhteiskehittämispaja)."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("cycle")
    )
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    ideas = models.ManyToManyField(
        Idea, blank=True, related_name="workshops", verbose_name=_("ideas on the agenda")
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="workshop_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="workshop_has_seats"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:workshop", args=[self.pk])


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class WorkshopRegistration(models.Model):
    """A seat at a workshop, or a place on its waiting list.

    Each registered person holds a numbered seat, unique per workshop; the service hands
    out only seats 1..capacity under a row lock, so the database itself refuses a second
    person in the same seat.
    """

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("workshop")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workshop_registrations",
        verbose_name=_("participant"),
    )
    status = models.CharField(
        max_length=12, choices=RegistrationStatus, verbose_name=_("registration status")
    )
    seat = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("seat"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("registered"))
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reminder sent"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("workshop registration")
        verbose_name_plural = _("workshop registrations")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="registration_once"),
            models.UniqueConstraint(
                fields=["workshop", "seat"],
                condition=Q(seat__isnull=False),
                name="registration_seat_unique",
            ),
            models.CheckConstraint(
                condition=(Q(status=RegistrationStatus.REGISTERED) & Q(seat__isnull=False))
                | (~Q(status=RegistrationStatus.REGISTERED) & Q(seat__isnull=True)),
                name="registration_seat_iff_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workshop}"


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved for the ballot")
    SELECTED = "selected", _("Selected for implementation")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def public(self) -> ProposalQuerySet:
        return self.exclude(status__in=[ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN])


class Proposal(models.Model):
    """A costed plan formed from one or more ideas: what goes on the ballot."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("cycle")
    )
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"))
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("area"),
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name=_("theme"),
    )
    cost = models.DecimalField(_("final cost estimate (€)"), **MONEY)
    responsible_sector = models.CharField(_("responsible sector"), max_length=120, blank=True)
    sustainability_summary = models.TextField(_("sustainability summary"), blank=True)
    image = models.ImageField(_("image"), upload_to="proposals/", blank=True)
    image_alt_text = models.CharField(_("image description"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus, default=ProposalStatus.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created"))
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved"))

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="proposal_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:proposal", args=[self.pk])

    @property
    def area_label(self) -> str:
        return self.area.localized_name if self.area else str(_("Whole city"))


class IdeaSupport(models.Model):
    """A resident's "kannatan" on an idea during ideation: a screening signal for the city
    team, not a vote. One per resident and idea (the constraint backs the service up)."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="supports", verbose_name=_("idea")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="idea_supports",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("supported"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="support_once_per_idea"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"
