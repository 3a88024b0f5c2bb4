"""The discussion under idea and proposal pages, reports, and the moderators' page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from discussion import services
from discussion.models import Comment, CommentReport, CommentState

from ..factories import UserFactory, helsinki

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during_ideation")]


def _url(target, kind="idea"):
    return f"/en/{'ideas' if kind == 'idea' else 'proposals'}/{target.pk}/comments/"


def _page(client, target, kind="idea"):
    path = f"/en/{'ideas' if kind == 'idea' else 'proposals'}/{target.pk}/"
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_resident_comments_and_replies_from_the_idea_page(client, resident, other_resident, idea):
    client.force_login(resident)
    assert 'id="id_comment_body"' in _page(client, idea)
    response = client.post(_url(idea), {"body": "Hyvä idea, kannatan!"})
    comment = Comment.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#comment-{comment.pk}")
    client.force_login(other_resident)
    client.post(_url(idea), {"body": "Kiitos!", "parent": comment.pk})
    assert Comment.objects.get(parent=comment).author == other_resident
    html = _page(Client(), idea)
    assert "Hyvä idea, kannatan!" in html and "Kiitos!" in html
    assert "Sign in to comment." in html


def test_a_proposal_takes_comments_too(client, resident, proposal):
    client.force_login(resident)
    client.post(_url(proposal, "proposal"), {"body": "Latu tarvitaan."})
    assert "Latu tarvitaan." in _page(Client(), proposal, "proposal")


def test_comment_text_is_escaped_and_links_are_not_made(client, resident, idea):
    services.comment_post(
        actor=resident,
        target=idea,
        body='<script>alert(1)</script>\n<a href="https://paha.example">x</a> https://paha.example',
    )
    html = _page(client, idea)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>" in html
    assert 'href="https://paha.example"' not in html


def test_a_post_without_the_csrf_token_is_refused(resident, idea):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.post(_url(idea), {"body": "Hei"}).status_code == 403
    assert not Comment.objects.exists()


def test_anonymous_posts_go_to_sign_in(client, idea):
    response = client.post(_url(idea), {"body": "Hei"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Comment.objects.exists()


def test_a_crafted_post_to_a_closed_phase_is_refused(client, resident, idea, time_machine):
    time_machine.move_to(helsinki(2027, 1, 12, 12, 0), tick=False)
    client.force_login(resident)
    assert "Commenting is not open in this phase." in _page(client, idea)
    assert client.post(_url(idea), {"body": "Hei"}).status_code == 403
    assert not Comment.objects.exists()


def test_a_crafted_post_on_a_hidden_idea_is_not_found(client, resident, idea):
    idea.is_hidden = True
    idea.save()
    client.force_login(resident)
    assert client.post(_url(idea), {"body": "Hei"}).status_code == 404


def test_the_submitter_of_a_withdrawn_idea_cannot_comment_on_it(client, other_resident, idea):
    idea.status = "withdrawn"
    idea.save()
    client.force_login(other_resident)  # the submitter still sees the page
    assert client.post(_url(idea), {"body": "Hei"}).status_code == 403


def test_a_crafted_reply_to_a_comment_of_another_item_is_refused(
    client, resident, other_resident, idea, proposal
):
    elsewhere = services.comment_post(actor=other_resident, target=proposal, body="Latu!")
    client.force_login(resident)
    response = client.post(_url(idea), {"body": "Vastaus", "parent": elsewhere.pk}, follow=True)
    assert str(services.REPLY_ELSEWHERE) in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_resident_cannot_tick_official_answer(client, resident, idea):
    client.force_login(resident)
    assert client.post(_url(idea), {"body": "Virallinen!", "official": "on"}).status_code == 403
    assert not Comment.objects.exists()


def test_staff_answer_officially_and_the_answer_is_marked(client, city_team_member, idea):
    client.force_login(city_team_member)
    client.post(_url(idea), {"body": "Kaupunki vastaa.", "official": "on"})
    assert Comment.objects.get().is_official
    assert "Official answer" in _page(Client(), idea)


def test_a_resident_reports_once_and_the_page_says_so(client, resident, other_resident, idea):
    comment = services.comment_post(actor=other_resident, target=idea, body="Tyhmä idea.")
    client.force_login(resident)
    report_url = f"/en/comments/{comment.pk}/report/"
    assert client.get(report_url).status_code == 200
    client.post(report_url, {"reason": "abuse"})
    assert CommentReport.objects.count() == 1
    assert "You reported this comment." in _page(client, idea)
    response = client.post(report_url, {"reason": "spam"}, follow=True)
    assert str(services.ALREADY_REPORTED) in response.content.decode()
    assert CommentReport.objects.count() == 1


def test_the_writer_is_offered_no_report_link_and_cannot_report(client, other_resident, idea):
    comment = services.comment_post(actor=other_resident, target=idea, body="Oma.")
    client.force_login(other_resident)
    assert f"/comments/{comment.pk}/report/" not in _page(client, idea)
    assert client.get(f"/en/comments/{comment.pk}/report/").status_code == 403


def test_the_coordinator_hides_with_a_reason_the_public_reads(
    client, resident, other_resident, coordinator, idea
):
    comment = services.comment_post(actor=other_resident, target=idea, body="Soita 0401234567")
    services.comment_report(actor=resident, comment=comment, reason="personal")
    client.force_login(coordinator)
    home = client.get("/en/staff/").content.decode()
    assert "Comments to moderate" in home
    page = client.get("/en/staff/discussion/").content.decode()
    assert "Soita 0401234567" in page
    client.post(
        f"/en/comments/{comment.pk}/moderate/",
        {"action": "hide", "reason": "Puhelinnumero poistettu."},
    )
    public = _page(Client(), idea)
    assert "Puhelinnumero poistettu." in public and "0401234567" not in public
    client.post(f"/en/comments/{comment.pk}/moderate/", {"action": "restore"})
    assert Comment.objects.get().state == CommentState.PUBLISHED


def test_hiding_without_a_reason_is_refused_on_the_page(client, other_resident, coordinator, idea):
    comment = services.comment_post(actor=other_resident, target=idea, body="Hei")
    client.force_login(coordinator)
    response = client.post(
        f"/en/comments/{comment.pk}/moderate/", {"action": "hide", "reason": ""}, follow=True
    )
    assert str(services.REASON_REQUIRED) in response.content.decode()
    assert Comment.objects.get().state == CommentState.PUBLISHED


def test_a_resident_cannot_reach_the_moderators_page_or_moderate(
    client, resident, other_resident, idea
):
    comment = services.comment_post(actor=other_resident, target=idea, body="Hei")
    client.force_login(resident)
    assert client.get("/en/staff/discussion/").status_code == 403
    response = client.post(
        f"/en/comments/{comment.pk}/moderate/", {"action": "hide", "reason": "x"}
    )
    assert response.status_code == 403
    assert Comment.objects.get().state == CommentState.PUBLISHED


def test_a_pending_comment_is_shown_to_its_writer_only(
    client, resident, other_resident, idea, open_discussion
):
    open_discussion.pre_moderation = True
    open_discussion.save()
    client.force_login(resident)
    client.post(_url(idea), {"body": "Odottaa tarkastusta"})
    assert Comment.objects.get().state == CommentState.PENDING
    assert "Odottaa tarkastusta" in _page(client, idea)
    assert "Odottaa tarkastusta" not in _page(Client(), idea)
    client.force_login(other_resident)
    assert "Odottaa tarkastusta" not in _page(client, idea)


def test_the_comment_form_is_rate_limited(client, resident, idea, settings):
    settings.RATE_LIMIT_COMMENTS = "2/m"
    client.force_login(resident)
    codes = [client.post(_url(idea), {"body": f"Kommentti {n}"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert Comment.objects.count() == 2


def _many_comments(idea, n):
    people = [UserFactory() for _ in range(3)]
    tops = Comment.objects.bulk_create(
        [Comment(idea=idea, author=people[i % 3], body=f"Kommentti {i}") for i in range(n)]
    )
    Comment.objects.bulk_create(
        [Comment(idea=idea, parent=top, author=people[0], body="Vastaus") for top in tops]
    )
    Comment.objects.filter(pk=tops[0].pk).update(state="hidden", hidden_reason="Asiaton.")


PINNED = 7


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["anonymous", "resident", "coordinator"])
def test_the_idea_page_reads_its_discussion_in_constant_queries(
    client, idea, resident, coordinator, who
):
    if who != "anonymous":
        client.force_login(resident if who == "resident" else coordinator)
    path = f"/en/ideas/{idea.pk}/"
    _many_comments(idea, 2)
    client.get(path)
    few = _queries(client, path)
    _many_comments(idea, 40)
    many = _queries(client, path)
    assert few == many


def test_the_idea_page_with_a_discussion_pins_its_query_count(
    client, idea, django_assert_num_queries
):
    _many_comments(idea, 30)
    path = f"/en/ideas/{idea.pk}/"
    client.get(path)
    # Seven for a visitor, measured with 30 comments and 30 replies; the discussion's own
    # part is two (the cycle's discussion settings, the comments with their writers).
    with django_assert_num_queries(PINNED):
        client.get(path)


def test_the_moderators_page_reads_in_constant_queries(client, coordinator, resident, idea):
    client.force_login(coordinator)
    _many_comments(idea, 2)
    for comment in Comment.objects.all():
        CommentReport.objects.create(comment=comment, reporter=resident, reason="spam")
    client.get("/en/staff/discussion/")
    few = _queries(client, "/en/staff/discussion/")
    _many_comments(idea, 30)
    for comment in Comment.objects.filter(reports__isnull=True):
        CommentReport.objects.create(comment=comment, reporter=resident, reason="spam")
    assert _queries(client, "/en/staff/discussion/") == few


def test_the_discussion_renders_in_finnish_and_swedish(client, idea):
    for language, heading in (("fi", "Keskustelu"), ("sv", "Diskussion")):
        html = client.get(f"/{language}/ideas/{idea.pk}/").content.decode()
        assert f'id="discussion-heading">{heading}<' in html
