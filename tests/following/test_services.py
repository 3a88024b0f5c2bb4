"""Following and closing the loop, through the services: one message per event per person,
nothing after unsubscribing, a changed link refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from following import services
from following.models import Follow, FollowPreference, NewsDelivery
from following.rules import NOT_FOLLOWABLE, NOT_SIGNED_IN
from ideas import services as ideas_services
from omakouvola import hooks
from omakouvola.models import AuditEntry, Notification

from ..factories import ImplementationFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def _news_to(user):
    return Notification.objects.filter(user=user, template__startswith="following_")


def test_an_anonymous_visitor_cannot_follow(idea):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match=str(NOT_SIGNED_IN)):
        services.follow_set(actor=AnonymousUser(), item=idea, follow=True)


def test_a_hidden_idea_or_a_draft_proposal_cannot_be_followed(follower, idea):
    idea.is_hidden = True
    idea.save()
    with pytest.raises(PermissionDenied, match=str(NOT_FOLLOWABLE)):
        services.follow_set(actor=follower, item=idea, follow=True)
    with pytest.raises(PermissionDenied, match=str(NOT_FOLLOWABLE)):
        services.follow_set(
            actor=follower, item=ProposalFactory(cycle=idea.cycle, status="draft"), follow=True
        )


def test_following_is_the_wanted_state_and_the_audit_keeps_ids_only(follower, idea):
    services.follow_set(actor=follower, item=idea, follow=True)
    services.follow_set(actor=follower, item=idea, follow=True)  # sent twice: no change
    assert Follow.objects.get(user=follower).muted is False
    services.follow_set(actor=follower, item=idea, follow=False)
    assert Follow.objects.get(user=follower).muted is True
    entries = AuditEntry.objects.filter(action__startswith="follow.").order_by("pk")
    assert [e.action for e in entries] == ["follow.start", "follow.stop"]
    assert all(e.note == f"ideas.idea #{idea.pk}" for e in entries)
    assert "Koirapuisto" not in " ".join(e.note + e.object_repr for e in entries)


def test_screening_tells_each_connected_person_once(
    follower, helper, idea, other_resident, reject, committed
):
    services.follow_set(actor=follower, item=idea, follow=True)
    ideas_services.pledge_create(actor=helper, idea=idea, what="Haravointi", hours=3)
    services.follow_set(actor=helper, item=idea, follow=True)  # pledged and follows: once
    reject(idea)
    assert _news_to(follower).count() == 1
    assert _news_to(helper).count() == 1
    # The writer heard from ideas itself (its status message), not a second time from us.
    assert _news_to(other_resident).count() == 0
    assert Notification.objects.filter(user=other_resident).count() == 1
    message = _news_to(follower).get()
    assert message.language == "sv"
    assert "Koirapuisto Kuusankoskelle" in message.subject
    assert f"/sv/ideas/{idea.pk}/" in message.body_text or f"/ideas/{idea.pk}/" in message.body_text
    assert "/unsubscribe/" in message.body_text
    # The same news announced again (a hook run twice) tells nobody again.
    committed(hooks.announce_news, hooks.NEWS_SCREENED, subject=idea, idea_ids=[idea.pk])
    assert _news_to(follower).count() == 1


def test_the_message_carries_a_one_click_list_unsubscribe_header(follower, idea, reject):
    services.follow_set(actor=follower, item=idea, follow=True)
    reject(idea)
    sent = [m for m in mail.outbox if m.to == [follower.email]]
    assert len(sent) == 1
    header = sent[0].extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and "/unsubscribe/" in header
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_message_after_unsubscribing_from_the_item(follower, helper, idea, reject):
    services.follow_set(actor=follower, item=idea, follow=True)
    ideas_services.pledge_create(actor=helper, idea=idea, what="Haravointi", hours=3)
    services.unsubscribe_by_token(token=services.unsubscribe_token(follower, idea))
    services.unsubscribe_by_token(token=services.unsubscribe_token(helper, idea))
    reject(idea)
    assert not _news_to(follower).exists()
    assert not _news_to(helper).exists()  # a helper who did not follow can stop too


def test_no_message_after_unsubscribing_from_everything(follower, idea, reject):
    services.follow_set(actor=follower, item=idea, follow=True)
    user, item = services.unsubscribe_by_token(token=services.unsubscribe_token(follower))
    assert (user, item) == (follower, None)
    assert FollowPreference.objects.get(user=follower).unsubscribed
    assert AuditEntry.objects.filter(action="follow.unsubscribe_all", actor=follower).exists()
    reject(idea)
    assert not _news_to(follower).exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(":", ";", 1),
        lambda token: "x" + token,
    ],
)
def test_a_changed_link_is_refused_with_a_clear_message(follower, idea, damage):
    services.follow_set(actor=follower, item=idea, follow=True)
    token = damage(services.unsubscribe_token(follower, idea))
    with pytest.raises(ValidationError) as refused:
        services.unsubscribe_by_token(token=token)
    assert refused.value.messages == [str(services.BAD_LINK)]
    assert Follow.objects.get(user=follower).muted is False


def test_weekly_readers_get_one_digest_and_nothing_at_once(follower, idea, reject, committed):
    second = ProposalFactory(cycle=idea.cycle, status="approved", title="Valaistu latu")
    services.follow_set(actor=follower, item=idea, follow=True)
    services.follow_set(actor=follower, item=second, follow=True)
    services.delivery_set(actor=follower, delivery="weekly")
    reject(idea)
    committed(hooks.announce_news, hooks.NEWS_MERGED, subject=second, proposal_ids=[second.pk])
    assert not _news_to(follower).exists()
    assert services.digest_send() == 1
    digest = _news_to(follower).get()
    assert digest.template == "following_digest"
    assert "Koirapuisto" in digest.body_text and "Valaistu latu" in digest.body_text
    assert services.digest_send() == 0  # each news once
    assert not NewsDelivery.objects.filter(sent_at__isnull=True).exists()


def test_those_the_announcing_service_told_are_not_told_again(follower, idea, committed):
    services.follow_set(actor=follower, item=idea, follow=True)
    committed(
        hooks.announce_news,
        hooks.NEWS_SCREENED,
        subject=idea,
        idea_ids=[idea.pk],
        already_told=[follower.pk],
    )
    assert not _news_to(follower).exists()


def test_a_finished_project_tells_the_idea_writer_with_the_built_project_link(
    follower, idea, other_resident, committed, city_team_member
):
    from budgets import services as budgets_services

    proposal = ProposalFactory(cycle=idea.cycle, status="selected", title="Koirapuisto")
    idea.proposal = proposal
    idea.status = "merged"
    idea.save()
    project = ImplementationFactory(proposal=proposal, is_public=True)
    services.follow_set(actor=follower, item=project, follow=True)
    committed(
        budgets_services.implementation_update,
        actor=None,
        implementation=project,
        status="done",
    )
    for person in (follower, other_resident):
        message = _news_to(person).get()
        assert f"/budgets/built/{project.pk}/" in message.body_text
    # A project kept off the public pages tells nobody.
    hidden = ImplementationFactory(is_public=False, proposal__cycle=idea.cycle)
    services.follow_set(actor=follower, item=project, follow=True)
    committed(
        budgets_services.implementation_update, actor=None, implementation=hidden, status="done"
    )
    assert _news_to(follower).count() == 1


def test_photos_of_one_day_are_one_piece_of_news(follower, committed, time_machine, cycle):
    from ..factories import helsinki

    time_machine.move_to(helsinki(2027, 6, 1, 10, 0), tick=False)
    project = ImplementationFactory(is_public=True, proposal__cycle=cycle)
    services.follow_set(actor=follower, item=project, follow=True)
    for _ in range(2):
        committed(
            hooks.announce_news,
            hooks.NEWS_PHOTOS,
            subject=project,
            proposal_ids=[project.proposal_id],
        )
    assert _news_to(follower).count() == 1
    time_machine.shift(dt.timedelta(days=1))
    committed(hooks.announce_news, hooks.NEWS_PHOTOS, subject=project)
    assert _news_to(follower).count() == 2


def test_export_and_erasure(follower, idea, reject):
    from omakouvola import privacy

    services.follow_set(actor=follower, item=idea, follow=True)
    services.delivery_set(actor=follower, delivery="weekly")
    reject(idea)
    exported = privacy.EXPORTERS["following"](follower)
    assert exported["follows"][0]["item"] == "ideas.idea"
    assert exported["news_preference"]["delivery"] == "weekly"
    assert len(exported["news_deliveries"]) == 1
    privacy.ERASERS["following"](follower)
    assert not Follow.objects.filter(user=follower).exists()
    assert not NewsDelivery.objects.filter(user=follower).exists()
    assert not FollowPreference.objects.filter(user=follower).exists()


def test_retention_removes_old_sent_deliveries(follower, idea, reject, settings):
    from django.utils import timezone

    services.follow_set(actor=follower, item=idea, follow=True)
    reject(idea)
    from omakouvola import privacy

    later = timezone.now() + dt.timedelta(days=settings.FOLLOWING_NEWS_DAYS + 1)
    removed = privacy.RETENTION["following"](later)
    assert removed["sent_news_deliveries"] == 1
    assert not NewsDelivery.objects.exists()


def test_follows_of_lists_in_constant_queries(django_assert_num_queries, follower, cycle):
    from following.selectors import follows_of

    from ..factories import IdeaFactory

    def make(n):
        for _ in range(n):
            services.follow_set(actor=follower, item=IdeaFactory(cycle=cycle), follow=True)
            services.follow_set(
                actor=follower, item=ProposalFactory(cycle=cycle, status="approved"), follow=True
            )
            services.follow_set(
                actor=follower,
                item=ImplementationFactory(is_public=True, proposal__cycle=cycle),
                follow=True,
            )

    make(1)
    follows_of(follower)  # warm the content type cache
    with django_assert_num_queries(4):
        assert len(follows_of(follower)) == 3
    make(4)
    with django_assert_num_queries(4):
        assert len(follows_of(follower)) == 15


def test_a_user_factory_person_without_following_rows_gets_the_news_at_once(idea, reject):
    person = UserFactory(email="uusi-seuraaja@example.fi")
    services.follow_set(actor=person, item=idea, follow=True)
    reject(idea)
    assert _news_to(person).get().template == "following_news"


def test_a_weekly_reader_who_unsubscribes_before_the_digest_gets_none(follower, idea, reject):
    services.follow_set(actor=follower, item=idea, follow=True)
    services.delivery_set(actor=follower, delivery="weekly")
    reject(idea)
    services.unsubscribe_by_token(token=services.unsubscribe_token(follower, idea))
    assert services.digest_send() == 0
    assert not _news_to(follower).exists()
    assert not NewsDelivery.objects.filter(sent_at__isnull=True).exists()


def test_follows_of_hides_an_idea_hidden_or_withdrawn_after_following(follower, idea):
    """A follow made while the idea was public must not keep showing its title."""
    from following.selectors import follows_of

    services.follow_set(actor=follower, item=idea, follow=True)
    assert [row.title for row in follows_of(follower)] == [str(idea)]
    idea.is_hidden = True
    idea.save(update_fields=["is_hidden"])
    assert follows_of(follower) == []
    idea.is_hidden = False
    idea.status = "withdrawn"
    idea.save(update_fields=["is_hidden", "status"])
    assert follows_of(follower) == []


def test_a_weekly_digest_leaves_out_an_item_hidden_after_its_news(follower, idea, reject):
    """The news waited for the weekly digest; the idea was hidden by moderation meanwhile,
    so its title must not reach the follower (found in review of the following app)."""
    services.follow_set(actor=follower, item=idea, follow=True)
    services.delivery_set(actor=follower, delivery="weekly")
    reject(idea)
    idea.is_hidden = True
    idea.save(update_fields=["is_hidden"])
    assert services.digest_send() == 0
    assert not _news_to(follower).exists()
    assert not NewsDelivery.objects.filter(sent_at__isnull=True).exists()


def test_a_ballot_can_be_followed_once_voting_has_opened_not_while_prepared(
    follower, cycle, time_machine
):
    from ..factories import BallotFactory, helsinki

    ballot = BallotFactory(
        cycle=cycle, opens_at=helsinki(2027, 1, 26, 9, 0), closes_at=helsinki(2027, 2, 8, 20, 0)
    )
    time_machine.move_to(helsinki(2027, 1, 20, 12, 0), tick=False)
    with pytest.raises(PermissionDenied, match=str(NOT_FOLLOWABLE)):
        services.follow_set(actor=follower, item=ballot, follow=True)
    time_machine.move_to(helsinki(2027, 1, 26, 9, 0), tick=False)  # open
    assert services.follow_set(actor=follower, item=ballot, follow=True).muted is False
    time_machine.move_to(helsinki(2027, 3, 1, 12, 0), tick=False)  # closed, counted later
    other = UserFactory()
    assert services.follow_set(actor=other, item=ballot, follow=True).muted is False


def test_an_unsubscribe_link_works_for_a_year_and_then_expires(follower, idea, settings):
    import time_machine as tm

    assert settings.FOLLOWING_UNSUBSCRIBE_LINK_DAYS == 365
    services.follow_set(actor=follower, item=idea, follow=True)
    with tm.travel(dt.datetime(2027, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        token = services.unsubscribe_token(follower, idea)
    with tm.travel(dt.datetime(2027, 12, 31, 12, tzinfo=dt.UTC), tick=False):
        assert services.unsubscribe_read(token) == (follower, idea)
    with (
        tm.travel(dt.datetime(2028, 1, 2, 12, tzinfo=dt.UTC), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        services.unsubscribe_by_token(token=token)
    assert refused.value.code == "expired_link"
    assert str(services.EXPIRED_LINK) in refused.value.messages
    assert Follow.objects.get(user=follower).muted is False
