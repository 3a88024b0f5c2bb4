"""Every write of following: follows, the news preference, unsubscribing, and the news.

The news comes from `omakouvola.hooks.ITEM_NEWS`, which `ideas`, `voting` and `budgets`
announce in their own services; `news_record` runs once their transaction has committed.
Each piece of news has one row per person told (`NewsDelivery`, unique), so nobody gets
the same news twice, whichever way they are connected to the item (they wrote the idea,
pledged help, follow the idea and its ballot). Audit entries hold ids only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ideas.models import Idea, Proposal, VolunteerPledge
from omakouvola import hooks
from omakouvola.audit import AuditAction
from omakouvola.dates import local_today
from omakouvola.models import User
from omakouvola.rules import require
from omakouvola.services import audit_record, notify

from .models import KINDS, NO_NEWS, Delivery, Follow, FollowPreference, News, NewsDelivery
from .selectors import still_public

BAD_LINK = _(
    "This unsubscribe link is not valid: it may have been cut or changed. Open the link "
    "from the e-mail again, or sign in and stop the messages on your own page."
)
EXPIRED_LINK = _(
    "This unsubscribe link has expired: the links in our messages work for a year. You can "
    "still stop the messages on your own page."
)
UNKNOWN_DELIVERY = _("Choose how you want to receive the news.")
UNSUBSCRIBE_SALT = "following.unsubscribe"
#: Steps a project can take several of in a day: one piece of news per day and project.
DAILY_EVENTS = {hooks.NEWS_MILESTONE, hooks.NEWS_PHOTOS, hooks.NEWS_COST, hooks.NEWS_FINISHED}


def _item_type(item: Any) -> ContentType:
    return ContentType.objects.get_for_model(item, for_concrete_model=True)


def _note(item: Any) -> str:
    return f"{item._meta.label_lower} #{item.pk}"


# ---------------------------------------------------------------------------------------
# Follows and the preference
# ---------------------------------------------------------------------------------------


@transaction.atomic
def follow_set(*, actor: User, item: Any, follow: bool) -> Follow:
    """Follow an item, or stop: the wanted state, so sending the form twice changes nothing.

    Stopping keeps a muted row: the writer of an idea who stops is not told either.
    """
    require(actor, "following.follow", item)
    content_type = _item_type(item)
    try:
        with transaction.atomic():
            row, created = Follow.objects.select_for_update().get_or_create(
                user=actor,
                content_type=content_type,
                object_id=item.pk,
                defaults={"muted": not follow},
            )
    except IntegrityError:  # the same person's other request won the race
        row, created = (
            Follow.objects.get(user=actor, content_type=content_type, object_id=item.pk),
            False,
        )
    if not created and row.muted == follow:
        row.muted = not follow
        row.created_at = timezone.now() if follow else row.created_at
        row.save(update_fields=["muted", "created_at"])
    elif not created:
        return row
    audit_record(
        actor=actor,
        action=AuditAction.FOLLOW_START if follow else AuditAction.FOLLOW_STOP,
        obj=row,
        note=_note(item),
    )
    return row


def _preference_of(user: User) -> FollowPreference:
    preference, _created = FollowPreference.objects.select_for_update().get_or_create(user=user)
    return preference


@transaction.atomic
def delivery_set(*, actor: User, delivery: str) -> FollowPreference:
    """At once or weekly; choosing again also ends an earlier "no news at all". `NO_NEWS`
    stops all news, as the signed link in every message does; the follows stay."""
    require(actor, "following.choose_delivery")
    if delivery != NO_NEWS and delivery not in Delivery.values:
        raise ValidationError({"delivery": UNKNOWN_DELIVERY})
    preference = _preference_of(actor)
    if delivery == NO_NEWS:
        return _stop_all_news(preference, actor=actor, note="own page")
    changes: dict[str, list[Any]] = {}
    if preference.delivery != delivery:
        changes["delivery"] = [preference.delivery, delivery]
    if preference.unsubscribed:
        changes["unsubscribed"] = [True, False]
    if changes:
        preference.delivery = delivery
        preference.unsubscribed = False
        preference.updated_at = timezone.now()
        preference.save(update_fields=["delivery", "unsubscribed", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.FOLLOW_PREFERENCE, obj=preference, changes=changes
        )
    return preference


def _stop_all_news(preference: FollowPreference, *, actor: User, note: str) -> FollowPreference:
    """No news at all (from the person's own page or a signed link); audited once."""
    if not preference.unsubscribed:
        preference.unsubscribed = True
        preference.updated_at = timezone.now()
        preference.save(update_fields=["unsubscribed", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOW_UNSUBSCRIBE_ALL,
            obj=preference,
            changes={"unsubscribed": [False, True]},
            note=note,
        )
    return preference


# ---------------------------------------------------------------------------------------
# Unsubscribing by a signed link (no sign-in: mail clients open links on their own, so the
# link shows a confirmation and only the POST unsubscribes)
# ---------------------------------------------------------------------------------------


def unsubscribe_token(user: User, item: Any = None) -> str:
    """A signed link value for one item, or for all news when `item` is None."""
    payload: dict[str, Any] = {"u": user.pk}
    if item is not None:
        payload["t"] = item._meta.label_lower
        payload["i"] = item.pk
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user: User, item: Any = None) -> str:
    """The link in the person's own language (a task runs in the default one)."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return reverse("following:unsubscribe", args=[unsubscribe_token(user, item)])


def unsubscribe_headers(user: User, item: Any = None) -> dict[str, str]:
    """RFC 2369 and 8058: the mail client's own one-click unsubscribe (a POST to the link)."""
    return {
        "List-Unsubscribe": f"<{settings.OMAKOUVOLA_SITE_URL}{unsubscribe_url(user, item)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe_read(token: str) -> tuple[User, Any]:
    """Who and what a link names; a cut or changed link is refused with BAD_LINK, one
    older than FOLLOWING_UNSUBSCRIBE_LINK_DAYS with EXPIRED_LINK (code "expired_link")."""
    max_age = dt.timedelta(days=settings.FOLLOWING_UNSUBSCRIBE_LINK_DAYS)
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError(EXPIRED_LINK, code="expired_link") from exc
    except signing.BadSignature as exc:
        raise ValidationError(BAD_LINK, code="bad_link") from exc
    try:
        user = User.objects.get(pk=int(payload["u"]), is_active=True)
        item = None
        if "t" in payload:
            label = str(payload["t"])
            if label not in KINDS.values():
                raise ValueError(label)
            app_label, model = label.split(".")
            model_class = ContentType.objects.get_by_natural_key(app_label, model).model_class()
            if model_class is None:
                raise LookupError(label)
            item = model_class._default_manager.get(pk=int(payload["i"]))
    except (
        ObjectDoesNotExist,
        KeyError,
        ValueError,
        TypeError,
        LookupError,
        AttributeError,
    ) as exc:
        raise ValidationError(BAD_LINK, code="bad_link") from exc
    return user, item


@transaction.atomic
def unsubscribe_by_token(*, token: str) -> tuple[User, Any]:
    """One click from an e-mail: stop news of one item, or all of it."""
    user, item = unsubscribe_read(token)
    if item is None:
        _stop_all_news(_preference_of(user), actor=user, note="signed link")
        return user, None
    content_type = _item_type(item)
    row, created = Follow.objects.select_for_update().get_or_create(
        user=user, content_type=content_type, object_id=item.pk, defaults={"muted": True}
    )
    if created or not row.muted:
        if not created:
            row.muted = True
            row.save(update_fields=["muted"])
        audit_record(
            actor=user, action=AuditAction.FOLLOW_STOP, obj=row, note=f"{_note(item)}, signed link"
        )
    return user, item


# ---------------------------------------------------------------------------------------
# News: who is told, once each
# ---------------------------------------------------------------------------------------


def _news_key(event: str, label: str, pk: int, proposal_ids: Sequence[int]) -> str:
    key = f"{event}:{label}:{pk}"
    if proposal_ids and event == hooks.NEWS_ON_BALLOT:
        key += ":" + "-".join(str(p) for p in proposal_ids)
    if event in DAILY_EVENTS:
        key += f":{local_today().isoformat()}"
    return key[:120]


def _items_q(items: Iterable[tuple[ContentType, int]]) -> Q:
    query = Q(pk__in=[])
    for content_type, pk in items:
        query |= Q(content_type=content_type, object_id=pk)
    return query


def news_recipients(
    *,
    subject: tuple[str, int],
    proposal_ids: Sequence[int],
    idea_ids: Sequence[int],
    ballot_ids: Sequence[int] = (),
    already_told: Iterable[int] = (),
) -> list[User]:
    """Everyone connected to the item who still wants news, each once (fixed queries)."""
    types = ContentType.objects.get_for_models(Idea, Proposal)
    idea_type, proposal_type = types[Idea], types[Proposal]
    app_label, model = subject[0].split(".")
    subject_type = ContentType.objects.get_by_natural_key(app_label, model)
    ideas = set(idea_ids) | set(
        Idea.objects.filter(proposal_id__in=proposal_ids).values_list("pk", flat=True)
    )
    items = [(subject_type, int(subject[1]))]
    items += [(idea_type, pk) for pk in ideas] + [(proposal_type, pk) for pk in proposal_ids]
    if ballot_ids:
        ballot_type = ContentType.objects.get_by_natural_key("voting", "ballot")
        items += [(ballot_type, pk) for pk in ballot_ids]
    follows = list(Follow.objects.filter(_items_q(items)).values_list("user_id", "muted"))
    muted = {user for user, is_muted in follows if is_muted}
    wanted = {user for user, is_muted in follows if not is_muted}
    wanted |= set(
        Idea.objects.filter(pk__in=ideas, submitter__isnull=False).values_list(
            "submitter_id", flat=True
        )
    )
    wanted |= set(
        VolunteerPledge.objects.filter(
            Q(idea_id__in=ideas) | Q(proposal_id__in=proposal_ids)
        ).values_list("user_id", flat=True)
    )
    wanted -= muted | set(already_told)
    return list(
        User.objects.filter(pk__in=wanted, is_active=True)
        .exclude(email="")
        .exclude(follow_preference__unsubscribed=True)
        .select_related("follow_preference")
        .order_by("pk")
    )


def news_record(
    *,
    kind: str,
    subject: Sequence[Any],
    proposal_ids: Sequence[int] = (),
    idea_ids: Sequence[int] = (),
    ballot_ids: Sequence[int] = (),
    already_told: Sequence[int] = (),
) -> News | None:
    """The ITEM_NEWS handler: store the news, decide who hears it, send the immediate ones."""
    from .tasks import news_deliver_task

    event = kind
    label, pk = str(subject[0]), int(subject[1])
    if label not in KINDS.values():
        return None
    app_label, model = label.split(".")
    with transaction.atomic():
        news, _created = News.objects.get_or_create(
            key=_news_key(event, label, pk, proposal_ids),
            defaults={
                "event": event,
                "content_type": ContentType.objects.get_by_natural_key(app_label, model),
                "object_id": pk,
                "proposal_ids": list(proposal_ids),
                "idea_ids": list(idea_ids),
            },
        )
        people = news_recipients(
            subject=(label, pk),
            proposal_ids=proposal_ids,
            idea_ids=idea_ids,
            ballot_ids=ballot_ids,
            already_told=already_told,
        )
        told = set(NewsDelivery.objects.filter(news=news).values_list("user_id", flat=True))
        NewsDelivery.objects.bulk_create(
            [
                NewsDelivery(
                    news=news,
                    user=person,
                    weekly=getattr(
                        getattr(person, "follow_preference", None), "delivery", Delivery.IMMEDIATE
                    )
                    == Delivery.WEEKLY,
                )
                for person in people
                if person.pk not in told
            ],
            ignore_conflicts=True,
        )
        from omakouvola.outbox import enqueue

        enqueue(news_deliver_task, news.pk)
    return news


def news_context(news: News, user: User) -> dict[str, Any]:
    """What a message says about one piece of news (the item, the proposals behind it)."""
    item = news.subject
    return {
        "news": news,
        "item": item,
        "proposals": list(Proposal.objects.filter(pk__in=news.proposal_ids).order_by("title")),
        "unsubscribe_item_url": unsubscribe_url(user, item) if item is not None else "",
    }


def _still_wanted(delivery: NewsDelivery) -> bool:
    """Unsubscribed, muted, or the item is no longer public (hidden, withdrawn, made
    private between the news and its sending, as for a weekly reader): nothing goes out."""
    subject = delivery.news.subject
    if subject is None or not still_public(subject):
        return False
    preference = getattr(delivery.user, "follow_preference", None)
    if preference is not None and preference.unsubscribed:
        return False
    item_type_id, pk = delivery.news.content_type_id, delivery.news.object_id
    return not Follow.objects.filter(
        user_id=delivery.user_id, content_type_id=item_type_id, object_id=pk, muted=True
    ).exists()


def news_deliver(*, news_id: int) -> int:
    """E-mail the people who want news at once; each delivery row is sent once."""
    sent = 0
    with transaction.atomic():
        waiting = list(
            NewsDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(news_id=news_id, weekly=False, sent_at__isnull=True)
            .select_related("news", "user", "user__follow_preference")
        )
        now = timezone.now()
        for delivery in waiting:
            if _still_wanted(delivery):
                user = delivery.user
                notify(
                    user=user,
                    template="following_news",
                    context={
                        **news_context(delivery.news, user),
                        "unsubscribe_all_url": unsubscribe_url(user),
                    },
                    essential=False,
                    headers=unsubscribe_headers(user, delivery.news.subject),
                )
                sent += 1
            delivery.sent_at = now
        NewsDelivery.objects.bulk_update(waiting, ["sent_at"])
    return sent


def digest_send() -> int:
    """Weekly: one e-mail per person with the news that waited for them; returns how many."""
    sent = 0
    people = (
        NewsDelivery.objects.filter(weekly=True, sent_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    for user_id in list(people):
        with transaction.atomic():
            waiting = list(
                NewsDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(user_id=user_id, weekly=True, sent_at__isnull=True)
                .select_related("news", "user", "user__follow_preference")
                .order_by("news__created_at", "pk")
            )
            wanted = [d for d in waiting if _still_wanted(d)]
            if wanted:
                user = wanted[0].user
                notify(
                    user=user,
                    template="following_digest",
                    context={
                        "entries": [news_context(d.news, user) for d in wanted],
                        "unsubscribe_all_url": unsubscribe_url(user),
                    },
                    essential=False,
                    headers=unsubscribe_headers(user),
                )
                sent += 1
            now = timezone.now()
            for delivery in waiting:
                delivery.sent_at = now
            NewsDelivery.objects.bulk_update(waiting, ["sent_at"])
    return sent
