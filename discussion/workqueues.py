"""The moderators' queue on the staff home: pending and reported comments."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from omakouvola import workqueues
from omakouvola.rules import is_city_team, is_coordinator

from .selectors import moderation_queue


def _detail(comment) -> str:
    return str(comment.target.title)


def register() -> None:
    workqueues.register(
        workqueues.WorkQueue(
            key="discussion.to_moderate",
            title=gettext_lazy("Comments to moderate"),
            section=gettext_lazy("Ideas and proposals"),
            who=is_coordinator | is_city_team,
            items=lambda user: moderation_queue(),
            link=lambda comment, user: reverse("discussion:moderation") + f"#moderate-{comment.pk}",
            detail=_detail,
            more=lambda user: reverse("discussion:moderation"),
            always_more=True,
            more_label=gettext_lazy("Moderate the discussion"),
            order=13,
        )
    )
