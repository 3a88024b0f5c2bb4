"""Area committees: people, rules, money per year, applications, meetings, grants.

The money invariants (grants within the year's allocation, payments within the grant) are
checked by the services under row locks and, on PostgreSQL, again by triggers (see
migration 0002), so no path around the services can overspend.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from omakouvola.models import Area
from omakouvola.money import ZERO, money_field
from omakouvola.storage import private_storage
from omakouvola.uploads import DOCUMENT_TYPES


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Committee(models.Model):
    """One area committee (aluetoimikunta)."""

    area = models.OneToOneField(
        Area, on_delete=models.PROTECT, related_name="committee", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("what the committee does"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area committee")
        verbose_name_plural = _("area committees")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("committees:detail", args=[self.slug])

    @property
    def localized_name(self) -> str:
        """The official Finnish name, except in Swedish: built from the area's Swedish name, so
        a Swedish page never reads "Elimäki-Korian aluetoimikunta" (English keeps the official
        name, as the city's English pages do)."""

        if not (translation.get_language() or "fi").startswith("sv"):
            return self.name
        return _("Area committee of %(area)s") % {"area": self.area.localized_name}


class OperatingRules(models.Model):
    """A version of the operating rules (toimintasääntö), for one committee or for all.

    The settings below are enforced by the services; the text is what people read.
    """

    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules_versions",
        verbose_name=_("committee"),
        help_text=_("Empty: the rules common to all committees."),
    )
    version = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    text = models.TextField(_("text of the rules"))
    quorum_share = models.DecimalField(
        _("quorum share"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.99"))],
        help_text=_("A meeting has a quorum when more than this share of the members is present."),
    )
    max_grant = money_field(
        _("largest grant per application"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    small_grant_limit = money_field(
        _("small-grant limit"),
        default=Decimal("500.00"),
        help_text=_("The chair may grant up to this amount alone between meetings."),
    )
    sustainability_required = models.BooleanField(
        _("sustainability assessment required before a grant"), default=True
    )
    report_period_days = models.PositiveSmallIntegerField(
        _("days to report after the decision"), default=365
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder days before the report deadline"), default=14
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["committee__name", "-version"]
        verbose_name = _("operating rules")
        verbose_name_plural = _("operating rules")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "version"],
                condition=Q(committee__isnull=False),
                name="rules_version_unique_per_committee",
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(committee__isnull=True),
                name="rules_version_unique_common",
            ),
            models.CheckConstraint(
                condition=Q(quorum_share__gte=0) & Q(quorum_share__lt=1),
                name="rules_quorum_share_range",
            ),
            models.CheckConstraint(
                condition=Q(small_grant_limit__gte=0), name="rules_small_grant_limit_nonnegative"
            ),
            models.CheckConstraint(
                condition=Q(max_grant__isnull=True) | Q(max_grant__gt=0),
                name="rules_max_grant_positive",
            ),
        ]

    def __str__(self) -> str:
        owner = self.committee.name if self.committee_id else _("all committees")
        return f"{owner} v{self.version}"


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    MEMBER = "member", _("Member")
    DEPUTY = "deputy", _("Deputy member")


REGULAR_ROLES = [MembershipRole.CHAIR, MembershipRole.VICE_CHAIR, MembershipRole.MEMBER]


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: dt.date) -> MembershipQuerySet:
        return self.filter(term_start__lte=day).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day)
        )

    def regular(self) -> MembershipQuerySet:
        return self.filter(role__in=REGULAR_ROLES)

    def deputies(self) -> MembershipQuerySet:
        return self.filter(role=MembershipRole.DEPUTY)


class Membership(models.Model):
    """A person's seat in a committee, with or without a user account."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("committee")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_memberships",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=MembershipRole)
    represents = models.CharField(
        _("represents"),
        max_length=160,
        blank=True,
        help_text=_("A village association, a leisure committee …"),
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["committee", "role", "name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="membership_term_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.committee})"

    @property
    def is_deputy(self) -> bool:
        return self.role == MembershipRole.DEPUTY

    @property
    def contact_email(self) -> str:
        """The account's address when there is an account (its e-mail preferences apply)."""
        return self.user.email if self.user_id else self.email


class Allocation(models.Model):
    """The committee's money for one year, drawn from the year's committee appropriation."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("committee")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    amount = money_field(_("amount"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["committee", "-year"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="allocation_once_a_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}"


class ApplicantKind(models.TextChoices):
    ORGANISATION = "organisation", _("Association or other organisation")
    RESIDENT_GROUP = "resident_group", _("Resident group")
    COMMITTEE = "committee", _("The committee's own project")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for completion")
    DECIDED = "decided", _("Decided")


class FundingApplication(models.Model):
    """An application for committee money (avustushakemus), to one committee or several."""

    token = models.CharField(_("secret link key"), max_length=64, unique=True, default=new_token)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    applicant_kind = models.CharField(_("applicant"), max_length=16, choices=ApplicantKind)
    organisation_name = models.CharField(_("organisation"), max_length=160, blank=True)
    business_id = models.CharField(
        _("business ID (Y-tunnus)"), max_length=9, blank=True, help_text=_("For example 1234567-1.")
    )
    responsible_person = models.CharField(_("responsible person"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"))
    own_funding = money_field(_("own funding"), default=ZERO)
    volunteer_hours = models.PositiveIntegerField(_("planned volunteer hours"), default=0)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    sustainability_ecological = models.TextField(_("ecological sustainability"), blank=True)
    sustainability_social = models.TextField(_("social sustainability"), blank=True)
    sustainability_economic = models.TextField(_("economic sustainability"), blank=True)
    idea = models.ForeignKey(
        "ideas.Idea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_projects",
        verbose_name=_("resident idea"),
        help_text=_("The participatory-budgeting idea the committee adopted as its project."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funding_applications",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(own_funding__gte=0), name="application_own_funding_nonnegative"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="application_schedule_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(applicant_kind="organisation") | ~Q(organisation_name=""),
                name="application_organisation_named",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("committees:application", args=[self.token])

    @property
    def applicant_name(self) -> str:
        return self.organisation_name or self.responsible_person

    @property
    def is_editable(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class CostItem(models.Model):
    """One row of an application's cost breakdown."""

    application = models.ForeignKey(
        FundingApplication,
        on_delete=models.CASCADE,
        related_name="cost_items",
        verbose_name=_("application"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    description = models.CharField(_("cost"), max_length=200)
    amount = money_field(_("amount"))

    class Meta:
        ordering = ["application", "position"]
        verbose_name = _("cost row")
        verbose_name_plural = _("cost rows")
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="cost_item_position"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_item_nonnegative"),
        ]

    def __str__(self) -> str:
        return self.description


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for completion")


class FundingRequest(models.Model):
    """What an application asks from one committee; each committee decides its own share."""

    application = models.ForeignKey(
        FundingApplication,
        on_delete=models.CASCADE,
        related_name="requests",
        verbose_name=_("application"),
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="requests", verbose_name=_("committee")
    )
    amount = money_field(_("requested amount"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus,
        default=RequestStatus.PENDING,
        db_index=True,
    )

    class Meta:
        ordering = ["application", "committee"]
        verbose_name = _("request to a committee")
        verbose_name_plural = _("requests to committees")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "committee"], name="request_once_per_committee"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="request_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.committee}"


ATTACHMENT_TYPES = DOCUMENT_TYPES


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"committees/attachments/{instance.application_id}/{secrets.token_hex(8)}-{filename}"


class Attachment(models.Model):
    application = models.ForeignKey(
        FundingApplication,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("application"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Comment(models.Model):
    """A committee member's internal comment on a request; never shown to the applicant."""

    funding_request = models.ForeignKey(
        FundingRequest,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("funding request"),
    )
    # The comment stays part of the committee's record if its author's account is deleted.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")

    def __str__(self) -> str:
        return self.text[:60]


class ConflictDeclaration(models.Model):
    """A member's conflict of interest (esteellisyys): they take no part in the decision."""

    funding_request = models.ForeignKey(
        FundingRequest,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("funding request"),
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("membership")
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        ordering = ["declared_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["funding_request", "membership"], name="conflict_once_per_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.name}: {self.reason}"


class MeetingKind(models.TextChoices):
    COMMITTEE = "committee", _("Committee meeting")
    CHAIRS = "chairs", _("Chairs' meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MINUTES_APPROVED = "approved", _("Minutes approved")


def minutes_path(instance: Meeting, filename: str) -> str:
    return f"committees/minutes/{instance.pk}/{secrets.token_hex(8)}-{filename}"


class Meeting(models.Model):
    """A committee meeting, or the coordinator's meeting of the five chairs."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=MeetingKind, default=MeetingKind.COMMITTEE
    )
    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("committee"),
    )
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus, default=MeetingStatus.PLANNED
    )
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)
    minutes_pdf = models.FileField(
        _("minutes (PDF)"), upload_to=minutes_path, storage=private_storage, blank=True
    )
    minutes_generated_at = models.DateTimeField(_("minutes generated"), null=True, blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("minutes approved by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="committee") & Q(committee__isnull=False))
                | (Q(kind="chairs") & Q(committee__isnull=True)),
                name="meeting_kind_matches_committee",
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""), name="meeting_has_a_place"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        owner = self.committee.name if self.committee_id else MeetingKind.CHAIRS.label
        return f"{owner} {local:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("committees:meeting", args=[self.pk])

    @property
    def minutes_published(self) -> bool:
        return self.status == MeetingStatus.MINUTES_APPROVED and bool(self.minutes_pdf)


class Participant(models.Model):
    """A member invited to a meeting, whether they said they cannot come, and attendance."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("membership"),
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    regrets = models.BooleanField(_("cannot come"), default=False)
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        ordering = ["meeting", "membership__role", "membership__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.name} @ {self.meeting}"


class AgendaKind(models.TextChoices):
    APPLICATION = "application", _("Application for decision")
    FOR_INFORMATION = "information", _("For information")
    OTHER = "other", _("Other matter")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("§"))
    kind = models.CharField(_("kind"), max_length=12, choices=AgendaKind)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    funding_request = models.ForeignKey(
        FundingRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("funding request"),
    )
    information_decision = models.ForeignKey(
        "Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_in",
        help_text=_("A chair's small-grant decision reported to the meeting."),
        verbose_name=_("decision reported"),
    )

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_once"),
            models.UniqueConstraint(
                fields=["meeting", "funding_request"],
                condition=Q(funding_request__isnull=False),
                name="agenda_request_once_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["information_decision"],
                condition=Q(information_decision__isnull=False),
                name="agenda_fast_track_reported_once",
            ),
        ]

    def __str__(self) -> str:
        return f"§ {self.position} {self.title}"


class DecisionOutcome(models.TextChoices):
    GRANT = "grant", _("Granted")
    REJECT = "reject", _("Rejected")
    RETURN = "return", _("Returned for completion")


def letter_path(instance: Decision, filename: str) -> str:
    return f"committees/letters/{instance.pk}/{secrets.token_hex(8)}-{filename}"


class Decision(models.Model):
    """A committee's decision on one request, in a meeting or by the chair (fast track)."""

    funding_request = models.ForeignKey(
        FundingRequest,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("funding request"),
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    agenda_item = models.OneToOneField(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name=_("agenda item"),
    )
    outcome = models.CharField(_("decision"), max_length=8, choices=DecisionOutcome)
    amount = money_field(_("amount granted"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    rationale = models.TextField(_("rationale"))
    sustainability_ecological = models.TextField(_("ecological sustainability"), blank=True)
    sustainability_social = models.TextField(_("social sustainability"), blank=True)
    sustainability_economic = models.TextField(_("economic sustainability"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    fast_track = models.BooleanField(_("chair's small-grant decision"), default=False)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recused = models.ManyToManyField(
        Membership,
        blank=True,
        related_name="recused_from",
        verbose_name=_("members with a conflict of interest"),
    )
    letter_pdf = models.FileField(
        _("decision letter (PDF)"), upload_to=letter_path, storage=private_storage, blank=True
    )
    letter_sent_at = models.DateTimeField(_("letter sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="grant") & Q(amount__gt=0))
                | (~Q(outcome="grant") & Q(amount__isnull=True)),
                name="decision_amount_only_for_grants",
            ),
            models.CheckConstraint(
                condition=(Q(fast_track=True) & Q(meeting__isnull=True))
                | (Q(fast_track=False) & Q(meeting__isnull=False)),
                name="decision_in_meeting_or_fast_track",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funding_request}: {self.get_outcome_display()}"


class GrantQuerySet(models.QuerySet["Grant"]):
    def committed_total(self) -> Decimal:
        """What the grants hold of the allocation: the amount, less what closing released."""
        total = self.aggregate(total=Sum(F("amount") - F("released_amount")))["total"]
        return total or ZERO


class Grant(models.Model):
    """Money a committee decided to give; payments are recorded against it."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="grant", verbose_name=_("decision")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="grants", verbose_name=_("committee")
    )
    year = models.PositiveSmallIntegerField(_("allocation year"))
    amount = money_field(_("amount"))
    report_due = models.DateField(_("report due"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    released_amount = money_field(
        _("returned to the allocation"),
        default=ZERO,
        help_text=_("Unspent money given back when the grant was closed."),
    )

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "committee"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=Q(released_amount__gte=0) & Q(released_amount__lte=F("amount")),
                name="grant_released_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=False) | Q(released_amount=0),
                name="grant_released_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision.funding_request.application} ({self.committee}, {self.year})"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Payment(models.Model):
    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="payments", verbose_name=_("grant")
    )
    paid_on = models.DateField(_("paid on"))
    amount = money_field(_("amount"))
    reference = models.CharField(_("invoice or receipt reference"), max_length=120)
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
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on:%d.%m.%Y} {self.amount} €"


class FinalReport(models.Model):
    """The applicant's report (selvitys) on how the grant was spent."""

    grant = models.OneToOneField(
        Grant, on_delete=models.CASCADE, related_name="final_report", verbose_name=_("grant")
    )
    what_was_done = models.TextField(_("what was done"))
    actual_costs = money_field(_("actual costs"))
    volunteer_hours = models.PositiveIntegerField(_("volunteer hours"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("final report")
        verbose_name_plural = _("final reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(actual_costs__gte=0), name="report_costs_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return str(self.grant)


def photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"committees/reports/{instance.report_id}/{secrets.token_hex(8)}-{filename}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(
        FinalReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("final report")
    )
    file = models.FileField(_("photo"), upload_to=photo_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.original_name


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    AFTER = "after", _("After the deadline")


class ReportReminder(models.Model):
    """Records that a report reminder went out, so each goes out once."""

    grant = models.ForeignKey(
        Grant, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("grant")
    )
    kind = models.CharField(max_length=6, choices=ReminderKind, verbose_name=_("kind"))
    sent_at = models.DateTimeField(default=timezone.now, verbose_name=_("sent"))

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["grant", "kind"], name="report_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.grant} {self.kind}"
