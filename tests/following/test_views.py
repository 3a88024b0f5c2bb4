"""The follow button, the list with unfollow buttons, the delivery choice and the signed
unsubscribe link (GET asks, POST unsubscribes, a changed link says so)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from following import services
from following.models import Follow, FollowPreference
from tests.voting.conftest import (  # noqa: F401  (fixtures)
    ballot,
    during_voting,
    proposals,
)

pytestmark = pytest.mark.django_db


def test_the_idea_page_has_a_follow_button_that_posts_the_wanted_state(client, follower, idea):
    client.force_login(follower)
    page = client.get(idea.get_absolute_url())
    assert reverse("following:follow", args=["idea", idea.pk]) in page.content.decode()
    url = reverse("following:follow", args=["idea", idea.pk])
    for _ in range(2):  # sent twice: still following
        response = client.post(url, {"follow": "1", "next": idea.get_absolute_url()})
        assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    assert Follow.objects.get(user=follower).muted is False
    assert 'name="follow" value="0"' in client.get(idea.get_absolute_url()).content.decode()
    client.post(url, {"follow": "0"})
    assert Follow.objects.get(user=follower).muted is True


def test_a_hidden_idea_answers_404_to_the_follow_button(client, follower, idea):
    idea.is_hidden = True
    idea.save()
    client.force_login(follower)
    response = client.post(reverse("following:follow", args=["idea", idea.pk]), {"follow": "1"})
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_an_outside_next_is_not_followed(client, follower, idea):
    client.force_login(follower)
    response = client.post(
        reverse("following:follow", args=["idea", idea.pk]),
        {"follow": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == idea.get_absolute_url()


@pytest.mark.parametrize("target", ["0", "idea", "javascript:alert(1)", "//evil.example/"])
def test_a_next_that_is_not_a_path_goes_to_the_item(client, follower, idea, target):
    """The fuzz test found `next=0` was a 500: redirect() looked "0" up as a view name."""
    client.force_login(follower)
    response = client.post(
        reverse("following:follow", args=["idea", idea.pk]), {"follow": "1", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()


def test_my_follows_lists_them_with_unfollow_buttons_and_saves_the_delivery(client, follower, idea):
    services.follow_set(actor=follower, item=idea, follow=True)
    client.force_login(follower)
    page = client.get(reverse("following:mine")).content.decode()
    assert idea.title in page and 'name="follow" value="0"' in page
    client.post(reverse("following:delivery"), {"delivery": "weekly"})
    assert FollowPreference.objects.get(user=follower).delivery == "weekly"


def test_the_link_asks_first_and_the_post_unsubscribes_without_signing_in(client, follower, idea):
    services.follow_set(actor=follower, item=idea, follow=True)
    url = services.unsubscribe_url(follower, idea)
    page = client.get(url)
    assert page.status_code == 200 and idea.title in page.content.decode()
    assert Follow.objects.get(user=follower).muted is False  # a prefetching mail client
    done = client.post(url)
    assert done.status_code == 200
    assert Follow.objects.get(user=follower).muted is True


def test_a_mail_clients_one_click_post_needs_no_csrf_token(follower, idea):
    from django.test import Client

    services.follow_set(actor=follower, item=idea, follow=True)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(services.unsubscribe_url(follower), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert FollowPreference.objects.get(user=follower).unsubscribed


def test_a_changed_link_shows_a_clear_message(client, follower, idea):
    url = services.unsubscribe_url(follower, idea)
    broken = url.rstrip("/")[:-3] + "zzz/"
    for response in (client.get(broken), client.post(broken)):
        assert response.status_code == 400
        assert str(services.BAD_LINK)[:40] in response.content.decode()


def test_the_receipt_offers_the_outcome_and_stores_only_that_the_voter_wants_it(
    client, resident, during_voting, ballot, proposals
):
    from django.contrib.contenttypes.models import ContentType

    from voting import services as voting_services

    voting_services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[proposals[0].pk])
    client.force_login(resident)
    receipt_url = f"/en/voting/{ballot.pk}/receipt/"
    page = client.get(receipt_url).content.decode()
    follow_url = reverse("following:follow", args=["ballot", ballot.pk])
    assert follow_url in page
    response = client.post(follow_url, {"follow": "1", "next": receipt_url})
    assert response["Location"] == receipt_url
    row = Follow.objects.get(user=resident)
    assert (row.content_type, row.object_id) == (
        ContentType.objects.get_for_model(ballot),
        ballot.pk,
    )
    assert "Tell me the outcome" not in client.get(receipt_url).content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_expired_link_says_so_and_leads_to_managing_the_news(client, follower, idea, signed_in):
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        url = services.unsubscribe_url(follower, idea)
    if signed_in:
        client.force_login(follower)
    from django.utils import translation

    with translation.override(follower.preferred_language):  # the link's language
        manage, login = reverse("following:mine"), reverse("account_login")
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        html = response.content.decode()
        assert str(services.EXPIRED_LINK)[:40] in html
        if signed_in:
            assert f'href="{manage}"' in html
        else:
            assert f'href="{login}?next={manage}"' in html


def test_a_ballot_page_offers_following_only_once_voting_opens(
    client, follower, ballot, time_machine
):
    from django.utils import translation

    from ..factories import helsinki

    url = f"/en/voting/{ballot.pk}/"
    with translation.override("en"):
        follow_url = reverse("following:follow", args=["ballot", ballot.pk])
    time_machine.move_to(helsinki(2027, 1, 20, 12, 0), tick=False)  # opens on 26 January
    client.force_login(follower)
    html = client.get(url).content.decode()
    assert "You can follow this ballot once voting opens." in html
    assert f'action="{follow_url}"' not in html
    assert client.post(follow_url, {"follow": "1"}).status_code == 404
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=False)
    client.force_login(follower)
    html = client.get(url).content.decode()
    assert "You can follow this ballot once voting opens." not in html
    assert f'action="{follow_url}"' in html


def test_a_follower_stops_all_news_on_their_own_page_and_keeps_their_follows(
    client, follower, idea
):
    """/follows/ had no way to stop all news; only the signed link in a message did."""
    services.follow_set(actor=follower, item=idea, follow=True)
    client.force_login(follower)
    page = client.get(reverse("following:mine"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert 'value="none"' in page and "Ei mitään uutisia" in page
    client.post(reverse("following:delivery"), {"delivery": "none"})
    preference = FollowPreference.objects.get(user=follower)
    assert preference.unsubscribed and preference.delivery == "immediate"
    assert Follow.objects.get(user=follower).muted is False  # the follows stay
    page = client.get(reverse("following:mine")).content.decode()
    assert 'value="none" id="id_delivery_2" checked' in page
    # Choosing a delivery again brings the news back, as before.
    client.post(reverse("following:delivery"), {"delivery": "weekly"})
    preference.refresh_from_db()
    assert not preference.unsubscribed and preference.delivery == "weekly"


@pytest.mark.parametrize("crafted", ["never", "", "NONE", "immediate;none"])
def test_a_crafted_delivery_changes_nothing_and_says_so(client, follower, crafted):
    from django.utils import translation

    client.force_login(follower)
    with translation.override("en"):
        url = reverse("following:delivery")
    response = client.post(url, {"delivery": crafted, "next": "/en/follows/"}, follow=True)
    assert response.status_code == 200
    assert not FollowPreference.objects.filter(user=follower, unsubscribed=True).exists()
    assert "Choose how you want to receive the news." in response.content.decode()
