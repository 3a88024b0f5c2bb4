"""Following an idea, proposal, ballot or built project, and the news each one gets.

A follow names its item through the content types framework, because ballots and built
projects live in apps above this one (`voting`, `budgets`): the row holds the model's
label and the id, never an import. A muted follow is a person's "stop telling me about
this" (also for the idea they wrote or helped with); a follow from the vote receipt says
only that the person wants to hear a ballot's outcome, never what they chose.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: What can be followed: the kind in the URL -> the model's label.
KINDS = {
    "idea": "ideas.idea",
    "proposal": "ideas.proposal",
    "ballot": "voting.ballot",
    "implementation": "budgets.implementation",
}
LABEL_KINDS = {label: kind for kind, label in KINDS.items()}


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("person"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind")
    )
    object_id = models.PositiveIntegerField(_("item"))
    item = GenericForeignKey("content_type", "object_id")
    muted = models.BooleanField(
        _("unsubscribed"), default=False, help_text=_("No messages about this item.")
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="follow_once_per_item"
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="follow_item"),
        ]

    def __str__(self) -> str:
        return f"follow #{self.pk}"

    @property
    def kind(self) -> str:
        return LABEL_KINDS.get(f"{self.content_type.app_label}.{self.content_type.model}", "")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("An e-mail at once")
    WEEKLY = "weekly", _("A weekly digest")


NO_NEWS = "none"
"""The third answer to "how do you want the news": none at all. Not a delivery (the person's
delivery is kept for when they want news again) but `FollowPreference.unsubscribed`, the
state the signed link in every message also sets."""


class FollowPreference(models.Model):
    """How a person wants their news: at once or weekly, or not at all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follow_preference",
        verbose_name=_("person"),
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery, default=Delivery.IMMEDIATE
    )
    unsubscribed = models.BooleanField(
        _("no news at all"),
        default=False,
        help_text=_("The person unsubscribed from every message about followed items."),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("news preference")
        verbose_name_plural = _("news preferences")

    def __str__(self) -> str:
        return f"preference #{self.pk}"


class NewsEvent(models.TextChoices):
    SCREENED = "screened", _("Screened")
    MERGED = "merged", _("Merged into a proposal")
    ON_BALLOT = "on_ballot", _("Put on a ballot")
    WON = "won", _("Won the vote")
    MILESTONE = "milestone", _("Milestone")
    PHOTOS = "photos", _("New photos")
    COST = "cost", _("Cost update")
    FINISHED = "finished", _("Finished")


class News(models.Model):
    """One thing that happened to an item, told once to each person who follows it."""

    event = models.CharField(_("event"), max_length=12, choices=NewsEvent)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind")
    )
    object_id = models.PositiveIntegerField(_("item"))
    subject = GenericForeignKey("content_type", "object_id")
    #: What makes it one event: photos and cost updates of one day are one piece of news.
    key = models.CharField(_("key"), max_length=120, unique=True)
    proposal_ids = models.JSONField(_("proposals"), default=list, blank=True)
    idea_ids = models.JSONField(_("ideas"), default=list, blank=True)
    created_at = models.DateTimeField(_("happened"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("news")
        verbose_name_plural = _("news")

    def __str__(self) -> str:
        return f"news #{self.pk}"


class NewsDelivery(models.Model):
    """That a person is (to be) told of one piece of news: at most one row, so one message."""

    news = models.ForeignKey(
        News, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("news")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="news_deliveries",
        verbose_name=_("person"),
    )
    weekly = models.BooleanField(_("in the weekly digest"), default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["news_id", "pk"]
        verbose_name = _("news delivery")
        verbose_name_plural = _("news deliveries")
        constraints = [
            models.UniqueConstraint(fields=["news", "user"], name="news_once_per_person"),
        ]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(sent_at__isnull=True), name="news_waiting_digest"
            ),
        ]

    def __str__(self) -> str:
        return f"delivery #{self.pk}"
