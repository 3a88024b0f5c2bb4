"""Ballots, secret votes, the voter roll, paper votes, results and the decision.

Secrecy (docs/ballot-secrecy.md): a Vote is a sealed box that only the ballot's private key
opens; it names no voter, has a random id and no time, and the mixing step rewrites a
ballot's votes in shuffled order in a transaction of its own, so neither row order nor
PostgreSQL's xmin lines them up with the voter roll. The roll is the one record of who
voted; its pointer to the voter's current vote is sealed as well.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.models import Proposal
from omakouvola.models import Area, Cycle
from omakouvola.money import MONEY
from omakouvola.storage import private_storage


class SelectionRule(models.TextChoices):
    KNAPSACK = "knapsack", _("Knapsack: choose proposals that fit the money")
    APPROVAL = "approval", _("Approval: choose a number of proposals")


class CountingRule(models.TextChoices):
    GREEDY = "greedy", _("Greedy: most votes first, fund what fits")
    EQUAL_SHARES = "equal-shares/add1", _("Method of Equal Shares (Add1)")
    EQUAL_SHARES_COMPLETED = (
        "equal-shares/add1u",
        _("Method of Equal Shares (Add1) with greedy completion"),
    )


class Residency(models.TextChoices):
    ANYONE = "anyone", _("Anyone")
    KOUVOLA = "kouvola", _("Lives in Kouvola")
    AREA = "area", _("Lives in the ballot's area")


class IdentityLevel(models.TextChoices):
    EMAIL = "email", _("E-mail verified account")
    IN_PERSON = "in_person", _("Identity checked in person")
    STRONG = "strong", _("Strong electronic identification")


class Channel(models.TextChoices):
    WEB = "web", _("Online")
    PAPER = "paper", _("Paper ballot at a service point")
    IMPORT = "import", _("Counted paper ballots (batch)")
    CODE = "code", _("One-time voting code")


class BallotGroup(models.Model):
    """Area ballots of which a voter takes part in one (plus any city-wide ballot)."""

    class Choice(models.TextChoices):
        HOME_AREA = "home_area", _("The voter's home area")
        FREE = "free", _("Free choice of area")

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="ballot_groups", verbose_name=_("cycle")
    )
    name = models.CharField(_("name"), max_length=120)
    choice = models.CharField(
        _("which area ballot"), max_length=10, choices=Choice, default=Choice.HOME_AREA
    )

    class Meta:
        verbose_name = _("ballot group")
        verbose_name_plural = _("ballot groups")

    def __str__(self) -> str:
        return self.name


class Ballot(models.Model):
    """One pot of money and its rules (e.g. "Keskusta 2027", "Nuoret 2027")."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("cycle")
    )
    group = models.ForeignKey(
        BallotGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballots",
        verbose_name=_("group"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    money = models.DecimalField(_("money (€)"), **MONEY, validators=[MinValueValidator(0)])
    operating_funds = models.DecimalField(
        _("of which operating funds (€)"),
        **MONEY,
        default=0,
        help_text=_("The part of the money that comes from operating funds (toimintaraha)."),
    )
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballots",
        verbose_name=_("area"),
    )
    proposals = models.ManyToManyField(
        Proposal, blank=True, related_name="ballots", verbose_name=_("proposals")
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    selection_rule = models.CharField(
        _("selection rule"), max_length=10, choices=SelectionRule, default=SelectionRule.KNAPSACK
    )
    min_choices = models.PositiveSmallIntegerField(_("choose at least"), default=1)
    max_choices = models.PositiveSmallIntegerField(
        _("choose at most"),
        null=True,
        blank=True,
        help_text=_("Approval ballots only; empty means no limit."),
    )
    counting_rule = models.CharField(
        _("counting rule"), max_length=20, choices=CountingRule, default=CountingRule.GREEDY
    )
    add1_step = models.DecimalField(
        _("Add1 step (€ per voter)"),
        max_digits=8,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.01)],
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    residency = models.CharField(
        _("who may vote"), max_length=10, choices=Residency, default=Residency.KOUVOLA
    )
    identity_level = models.CharField(
        _("identity required"), max_length=10, choices=IdentityLevel, default=IdentityLevel.EMAIL
    )
    tie_break_seed = models.PositiveIntegerField(
        _("tie-break seed"),
        default=0,
        help_text=_("Recorded so that a lot drawn to break a tie can be repeated by anyone."),
    )
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    public_key = models.CharField(
        _("election public key"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Votes are sealed with it; only the election passphrase opens them."),
    )
    key_salt = models.CharField(
        max_length=64, blank=True, editable=False, verbose_name=_("key salt")
    )

    class Meta:
        ordering = ["cycle", "name"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(condition=Q(money__gte=0), name="ballot_money_not_negative"),
            models.CheckConstraint(
                condition=Q(operating_funds__gte=0) & Q(operating_funds__lte=F("money")),
                name="ballot_operating_funds_within_money",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="ballot_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=F("min_choices")),
                name="ballot_choice_limits_in_order",
            ),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True)
                | Q(min_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="ballot_age_limits_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(residency=Residency.AREA) | Q(area__isnull=False),
                name="ballot_area_residency_needs_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("voting:ballot", args=[self.pk])

    def is_open(self, at=None) -> bool:
        now = at or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_opened(self, at=None) -> bool:
        """Voting has begun (it may be over): before that the coordinator may still change
        the proposals and the rules, so the ballot is not yet a public fact to follow."""
        return self.opens_at <= (at or timezone.now())


class Vote(models.Model):
    """One sealed ballot: the chosen proposal ids, encrypted with the ballot's public key.

    No voter key, no time and no channel: nothing in the row says whose it is or when it
    came. A re-cast adds a new sealed vote and moves the voter roll's sealed pointer to it;
    the count (which alone can open pointers) drops the votes no pointer names.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="votes")
    sealed = models.BinaryField()
    receipt_code = models.CharField(max_length=16, unique=True)
    batch = models.ForeignKey(
        "PaperBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    mixed = models.BooleanField(
        default=False, help_text="Rewritten in shuffled order since it was cast."
    )
    final = models.BooleanField(
        default=False, help_text="Counted at publication; superseded votes are gone by then."
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.receipt_code}"


class AgeBand(models.TextChoices):
    UNDER_13 = "0-12", "0–12"
    TEENS = "13-17", "13–17"
    YOUNG = "18-29", "18–29"
    ADULT = "30-49", "30–49"
    MIDDLE = "50-64", "50–64"
    SENIOR = "65+", "65+"
    UNKNOWN = "", _("Unknown")


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    for band, upper in (("0-12", 12), ("13-17", 17), ("18-29", 29), ("30-49", 49), ("50-64", 64)):
        if age <= upper:
            return band
    return AgeBand.SENIOR


class VoterRoll(models.Model):
    """That a person took part in a ballot, with coarse statistics only.

    The single source of "has voted": one row per person and ballot (by account and by
    verified identity), and per ballot group, enforced by the constraints below. Used for
    turnout and to refuse a second vote by the same person on paper or online.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="roll")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    identity_hash = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=10, choices=Channel)
    age_band = models.CharField(max_length=6, choices=AgeBand, blank=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voted_on = models.DateField()
    wants_results = models.BooleanField(default=False)
    group = models.ForeignKey(
        BallotGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed_pointer = models.BinaryField(
        null=True, blank=True, help_text="The id of this voter's current vote, sealed."
    )

    class Meta:
        verbose_name = _("voter roll entry")
        verbose_name_plural = _("voter roll")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(group__isnull=False, user__isnull=False),
                name="roll_one_ballot_of_group_per_user",
            ),
            models.UniqueConstraint(
                fields=["group", "identity_hash"],
                condition=Q(group__isnull=False) & ~Q(identity_hash=""),
                name="roll_one_ballot_of_group_per_identity",
            ),
            models.UniqueConstraint(
                fields=["ballot", "user"],
                condition=Q(user__isnull=False),
                name="roll_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["ballot", "identity_hash"],
                condition=~Q(identity_hash=""),
                name="roll_once_per_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.channel} {self.voted_on}"


class IdentitySource(models.TextChoices):
    CLERK = "clerk", _("Identity document checked at a service point")
    SUOMIFI = "suomifi", _("Suomi.fi e-Identification")
    MPASSID = "mpassid", _("MPASSid school account")


class VerifiedIdentity(models.Model):
    """A person's identity checked by a method stronger than e-mail.

    Only a keyed hash of the identifier (e.g. a personal identity code) is kept, with the
    few facts an electronic identification derives for eligibility (birth year,
    municipality and postal code, school) and never the identifier, name or address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_identity"
    )
    method = models.CharField(max_length=10, choices=IdentityLevel)
    identity_hash = models.CharField(max_length=64, unique=True)
    verified_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        _("how identified"), max_length=10, choices=IdentitySource, default=IdentitySource.CLERK
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    municipality_code = models.CharField(_("municipality code"), max_length=3, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    school_code = models.CharField(_("school code"), max_length=10, blank=True)
    school_name = models.CharField(_("school"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("verified identity")
        verbose_name_plural = _("verified identities")

    def __str__(self) -> str:
        return f"{self.user}: {self.method}"


class PaperBatch(models.Model):
    """Counted paper ballots imported together, for the audit trail."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="paper_batches", verbose_name=_("ballot")
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(default=timezone.now, verbose_name=_("imported"))
    source_name = models.CharField(max_length=200, verbose_name=_("source file"))
    count = models.PositiveIntegerField(default=0, verbose_name=_("number of ballots"))

    class Meta:
        verbose_name = _("paper ballot batch")
        verbose_name_plural = _("paper ballot batches")

    def __str__(self) -> str:
        return f"{self.ballot}: {self.source_name} ({self.count})"


class BallotResult(models.Model):
    """The count as published: kept so the public page shows exactly what was announced."""

    ballot = models.OneToOneField(
        Ballot, on_delete=models.CASCADE, related_name="result", verbose_name=_("ballot")
    )
    counted_at = models.DateTimeField(default=timezone.now, verbose_name=_("counted"))
    rule = models.CharField(max_length=20, choices=CountingRule, verbose_name=_("counting rule"))
    data = models.JSONField(
        help_text=_("The counting result, with amounts as text."), verbose_name=_("result data")
    )
    turnout = models.JSONField(default=dict, verbose_name=_("turnout"))
    votes_counted = models.PositiveIntegerField(verbose_name=_("votes counted"))
    ballots = models.JSONField(
        default=list,
        help_text=_(
            "The counted votes as lists of proposal numbers, in shuffled order, without vote ids."
        ),
        verbose_name=_("counted ballots"),
    )

    class Meta:
        verbose_name = _("ballot result")
        verbose_name_plural = _("ballot results")

    def __str__(self) -> str:
        return f"{self.ballot}: {self.votes_counted}"


class WinnerDecision(models.Model):
    """The decision maker's confirmation of the winners (päätös)."""

    ballot = models.OneToOneField(
        Ballot, on_delete=models.PROTECT, related_name="decision", verbose_name=_("ballot")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decision date"))
    decision_number = models.CharField(_("decision number (diaarinumero)"), max_length=60)
    rule_used = models.CharField(_("counting rule used"), max_length=20, choices=CountingRule)
    rationale = models.TextField(_("rationale"))
    computed_winners = models.JSONField(default=list, verbose_name=_("computed winners"))
    confirmed = models.ManyToManyField(Proposal, related_name="+", verbose_name=_("winners"))
    departures = models.JSONField(
        default=list,
        help_text=_(
            "Proposals added to or removed from the computed winners, each with its reason."
        ),
        verbose_name=_("departures from the count"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded"))

    class Meta:
        verbose_name = _("decision on winners")
        verbose_name_plural = _("decisions on winners")

    def __str__(self) -> str:
        return f"{self.ballot}: {self.decision_number}"


MAX_CODES_PER_BATCH = 2000


class CodeBatchStatus(models.TextChoices):
    QUEUED = "queued", _("Being printed")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Printing failed")
    VOIDED = "voided", _("Voided")


class CodeBatch(models.Model):
    """One-time voting codes printed for a place: a school, a library, a village evening.

    The codes themselves are never stored: only their keyed hashes (VotingCode) and the
    slips' PDF, which the coordinator downloads and prints. Voiding a batch stops its
    unused codes; the votes already cast with it stay.
    """

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="code_batches", verbose_name=_("ballot")
    )
    place = models.CharField(
        _("place"),
        max_length=120,
        help_text=_("Where the slips are handed out, e.g. Kuusankosken kirjasto."),
    )
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area of the place"),
        help_text=_("Needed when the ballot is for the residents of one area."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("youngest recipient (age)"),
        null=True,
        blank=True,
        help_text=_("Needed when the ballot has age limits: e.g. a school class."),
    )
    max_age = models.PositiveSmallIntegerField(_("oldest recipient (age)"), null=True, blank=True)
    size = models.PositiveIntegerField(
        _("number of codes"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CODES_PER_BATCH)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CodeBatchStatus, default=CodeBatchStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), storage=private_storage, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("voting code batch")
        verbose_name_plural = _("voting code batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1) & Q(size__lte=MAX_CODES_PER_BATCH),
                name="code_batch_size_in_range",
            ),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True)
                | Q(min_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="code_batch_age_limits_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status=CodeBatchStatus.VOIDED) | Q(voided_at__isnull=False),
                name="code_batch_voided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot}: {self.place} ({self.size})"


class VotingCode(models.Model):
    """A keyed hash of one printed code, and whether it has voted.

    Nothing here points to the vote it cast, and a vote does not point back: a code vote
    is as unlinkable as any other (docs/ballot-secrecy.md). Rows are written in an order
    unrelated to the slips' order in the PDF.
    """

    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self) -> str:
        return f"{self.batch_id}: {'used' if self.used else 'unused'}"
