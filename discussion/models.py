"""Public discussion under ideas and proposals: comments, one level of replies, reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ideas.models import Idea, Proposal
from omakouvola.models import Cycle, Phase

#: Longest comment a resident may write (a few paragraphs; a full essay belongs in an idea).
MAX_COMMENT_LENGTH = 2000


class DiscussionSettings(models.Model):
    """The coordinator's choice for one cycle: in which phases residents may comment, and
    whether comments wait for a moderator before anyone else sees them."""

    cycle = models.OneToOneField(
        Cycle,
        on_delete=models.CASCADE,
        related_name="discussion_settings",
        verbose_name=_("cycle"),
    )
    in_ideation = models.BooleanField(_("open during ideation"), default=False)
    in_workshops = models.BooleanField(_("open during the workshops"), default=False)
    in_voting = models.BooleanField(_("open during voting"), default=False)
    in_decision = models.BooleanField(_("open during the decision"), default=False)
    in_implementation = models.BooleanField(_("open during implementation"), default=False)
    pre_moderation = models.BooleanField(
        _("pre-moderation"),
        default=False,
        help_text=_("Residents' comments are shown only after a moderator has approved them."),
    )

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")

    def __str__(self) -> str:
        return str(self.cycle)

    def is_open_in(self, phase: Phase | None) -> bool:
        return phase is not None and bool(getattr(self, f"in_{phase}", False))


class CommentState(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


class CommentQuerySet(models.QuerySet["Comment"]):
    def on(self, target: Idea | Proposal) -> CommentQuerySet:
        if isinstance(target, Idea):
            return self.filter(idea=target)
        return self.filter(proposal=target)


class Comment(models.Model):
    """A resident's or the city's comment on one idea or one proposal.

    A reply points to a top-level comment of the same item; replies to replies are not
    kept (one level is enough for a light discussion and easy to follow on a phone).
    """

    idea = models.ForeignKey(
        Idea,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("idea"),
    )
    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("proposal"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=MAX_COMMENT_LENGTH)
    is_official = models.BooleanField(
        _("official answer"), default=False, help_text=_("Written by the city's staff.")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CommentState, default=CommentState.PUBLISHED
    )
    hidden_reason = models.CharField(
        _("reason for hiding"),
        max_length=300,
        blank=True,
        help_text=_("Shown publicly in place of the comment."),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    is_erased = models.BooleanField(
        _("erased"), default=False, help_text=_("The writer's account was removed.")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["idea", "created_at"], name="comment_idea_time"),
            models.Index(fields=["proposal", "created_at"], name="comment_proposal_time"),
            models.Index(fields=["state"], name="comment_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(idea__isnull=False) & Q(proposal__isnull=True))
                | (Q(idea__isnull=True) & Q(proposal__isnull=False)),
                name="comment_on_exactly_one_item",
            ),
            models.CheckConstraint(
                condition=~Q(state="hidden") | ~Q(hidden_reason=""),
                name="comment_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:

        return gettext("Comment %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return f"{self.target.get_absolute_url()}#comment-{self.pk}"

    @property
    def target(self) -> Idea | Proposal:
        return self.idea if self.idea_id else self.proposal

    @property
    def target_id(self) -> tuple[str, int]:
        return ("idea", self.idea_id) if self.idea_id else ("proposal", self.proposal_id)


class ReportReason(models.TextChoices):
    ABUSE = "abuse", _("Insulting or harassing")
    HATE = "hate", _("Hate speech or discrimination")
    PERSONAL = "personal", _("Reveals someone's personal data")
    SPAM = "spam", _("Spam or advertising")
    OTHER = "other", _("Something else")


class CommentReport(models.Model):
    """A resident tells the moderators that a comment breaks the rules."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=ReportReason)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="comment_report_once_per_person"
            ),
        ]
        indexes = [models.Index(fields=["resolved_at"], name="comment_report_open")]

    def __str__(self) -> str:
        return f"report #{self.pk}"
