"""Comments, replies, official answers, reports and moderation, through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from discussion import services
from discussion.models import Comment, CommentReport, CommentState
from discussion.rules import DISCUSSION_CLOSED, NOT_PUBLIC, NOT_VERIFIED
from omakouvola.models import AuditEntry, Notification

from ..factories import IdeaFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during_ideation")]


def _post(actor, target, body="Hyvä idea!", **kwargs):
    return services.comment_post(actor=actor, target=target, body=body, **kwargs)


def test_a_verified_resident_comments_and_the_audit_keeps_the_id_not_the_text(resident, idea):
    comment = _post(resident, idea, body="Soita 040 1234567")
    assert comment.state == CommentState.PUBLISHED
    entry = AuditEntry.objects.get(action="discussion.comment")
    assert entry.object_id == str(comment.pk)
    assert "040" not in entry.note + str(entry.changes) + entry.object_repr


def test_an_unverified_account_cannot_comment(unverified_user, idea):
    with pytest.raises(PermissionDenied, match=str(NOT_VERIFIED)):
        _post(unverified_user, idea)


def test_a_phase_the_coordinator_did_not_open_refuses_comments(resident, idea, time_machine):
    from ..factories import helsinki

    time_machine.move_to(helsinki(2027, 1, 12, 12, 0), tick=False)  # workshops: not opened
    with pytest.raises(PermissionDenied, match=str(DISCUSSION_CLOSED)):
        _post(resident, idea)


def test_a_cycle_without_discussion_settings_is_closed(resident):
    idea = IdeaFactory()  # a cycle of its own, never opened
    with pytest.raises(PermissionDenied):
        _post(resident, idea)


@pytest.mark.parametrize("change", [{"is_hidden": True}, {"status": "withdrawn"}])
def test_a_hidden_or_withdrawn_idea_takes_no_comments(resident, idea, change):
    for name, value in change.items():
        setattr(idea, name, value)
    idea.save()
    with pytest.raises(PermissionDenied, match=str(NOT_PUBLIC)):
        _post(resident, idea)


def test_a_draft_proposal_takes_no_comments(resident, proposal):
    proposal.status = "draft"
    proposal.save()
    with pytest.raises(PermissionDenied):
        _post(resident, proposal)


def test_empty_and_too_long_comments_are_refused(resident, idea):
    with pytest.raises(ValidationError, match=str(services.EMPTY_COMMENT)):
        _post(resident, idea, body="  \n ")
    with pytest.raises(ValidationError):
        _post(resident, idea, body="a" * 2001)


def test_a_reply_must_be_on_the_same_item(resident, other_resident, idea, proposal):
    first = _post(other_resident, proposal)
    with pytest.raises(ValidationError, match=str(services.REPLY_ELSEWHERE)):
        _post(resident, idea, parent=first)


def test_replies_are_one_level_deep(resident, other_resident, idea):
    top = _post(other_resident, idea)
    reply = _post(resident, idea, parent=top)
    with pytest.raises(PermissionDenied):
        _post(other_resident, idea, parent=reply)


def test_a_reply_tells_the_writer_of_the_comment_but_not_oneself(resident, other_resident, idea):
    top = _post(other_resident, idea)
    _post(resident, idea, parent=top)
    assert list(Notification.objects.values_list("to_email", "template")) == [
        (other_resident.email, "discussion_reply")
    ]
    _post(other_resident, idea, parent=top)
    assert Notification.objects.count() == 1


def test_a_reply_notice_respects_the_opt_out(resident, other_resident, idea):
    other_resident.receives_optional_email = False
    other_resident.save()
    top = _post(other_resident, idea)
    _post(resident, idea, parent=top)
    assert not Notification.objects.exists()


def test_only_staff_post_official_answers(resident, city_team_member, idea):
    with pytest.raises(PermissionDenied):
        _post(resident, idea, official=True)
    answer = _post(city_team_member, idea, official=True)
    assert answer.is_official


def test_the_city_may_answer_after_the_phase_closed(city_team_member, idea, time_machine):
    from ..factories import helsinki

    time_machine.move_to(helsinki(2027, 1, 12, 12, 0), tick=False)
    assert _post(city_team_member, idea, official=True).is_official


def test_pre_moderation_holds_a_comment_and_its_reply_notice_until_approved(
    resident, other_resident, coordinator, idea, open_discussion
):
    top = _post(other_resident, idea)
    open_discussion.pre_moderation = True
    open_discussion.save()
    idea = type(idea).objects.get(pk=idea.pk)  # a fresh object reads the new settings
    reply = _post(resident, idea, parent=top)
    assert reply.state == CommentState.PENDING
    assert not Notification.objects.exists()
    services.comment_approve(actor=coordinator, comment=reply)
    assert Comment.objects.get(pk=reply.pk).state == CommentState.PUBLISHED
    assert Notification.objects.count() == 1


def test_a_resident_reports_once_and_never_their_own(resident, other_resident, idea):
    comment = _post(other_resident, idea)
    services.comment_report(actor=resident, comment=comment, reason="abuse")
    with pytest.raises(ValidationError, match=str(services.ALREADY_REPORTED)):
        services.comment_report(actor=resident, comment=comment, reason="spam")
    with pytest.raises(PermissionDenied):
        services.comment_report(actor=other_resident, comment=comment, reason="abuse")
    assert CommentReport.objects.count() == 1


def test_an_unknown_report_reason_is_refused(resident, other_resident, idea):
    comment = _post(other_resident, idea)
    with pytest.raises(ValidationError):
        services.comment_report(actor=resident, comment=comment, reason="<script>")


def test_hiding_needs_a_reason_resolves_reports_and_restoring_shows_it_again(
    resident, other_resident, coordinator, idea
):
    comment = _post(other_resident, idea)
    services.comment_report(actor=resident, comment=comment, reason="abuse")
    with pytest.raises(ValidationError, match=str(services.REASON_REQUIRED)):
        services.comment_hide(actor=coordinator, comment=comment, reason="  ")
    hidden = services.comment_hide(actor=coordinator, comment=comment, reason="Asiaton kieli.")
    assert hidden.state == CommentState.HIDDEN
    assert CommentReport.objects.get().resolved_at is not None
    entry = AuditEntry.objects.get(action="discussion.hide")
    assert "Asiaton" not in str(entry.changes)
    restored = services.comment_restore(actor=coordinator, comment=hidden)
    assert restored.state == CommentState.PUBLISHED and restored.hidden_reason == ""
    with pytest.raises(ValidationError, match=str(services.NOT_HIDDEN)):
        services.comment_restore(actor=coordinator, comment=restored)


def test_a_resident_cannot_moderate(resident, other_resident, idea):
    comment = _post(other_resident, idea)
    with pytest.raises(PermissionDenied):
        services.comment_hide(actor=resident, comment=comment, reason="x")


def test_a_hidden_comment_cannot_be_replied_to_or_reported(
    resident, other_resident, coordinator, idea
):
    comment = _post(other_resident, idea)
    services.comment_hide(actor=coordinator, comment=comment, reason="Asiaton.")
    comment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _post(resident, idea, parent=comment)
    with pytest.raises(PermissionDenied):
        services.comment_report(actor=resident, comment=comment, reason="abuse")


def test_keeping_a_reported_comment_closes_its_reports(resident, other_resident, coordinator, idea):
    from discussion.selectors import moderation_queue

    comment = _post(other_resident, idea)
    services.comment_report(actor=resident, comment=comment, reason="spam")
    assert list(moderation_queue()) == [comment]
    services.comment_keep(actor=coordinator, comment=comment)
    assert list(moderation_queue()) == []


def test_export_erasure_and_retention(resident, other_resident, coordinator, idea):
    import datetime as dt

    from django.utils import timezone

    from omakouvola.services import apply_retention, user_delete_account, user_export_data

    mine = _post(resident, idea, body="Minun kommenttini")
    reply = _post(other_resident, idea, parent=mine, body="Vastaus")
    services.comment_report(actor=resident, comment=reply, reason="spam")
    data = user_export_data(user=resident)["discussion"]
    assert data["comments"][0]["body"] == "Minun kommenttini"
    assert data["comment_reports"][0]["reason"] == "spam"
    user_delete_account(actor=resident, user=resident)
    mine.refresh_from_db()
    assert (mine.author, mine.body, mine.is_erased) == (None, "", True)
    assert Comment.objects.filter(pk=reply.pk, parent=mine).exists()  # the thread stays

    hidden = services.comment_hide(actor=coordinator, comment=reply, reason="Mainos.")
    later = timezone.now() + dt.timedelta(days=400)
    result = apply_retention(at=later)["discussion"]
    assert result == {"hidden_comment_texts": 1, "closed_reports": 1}
    hidden.refresh_from_db()
    assert hidden.body == "" and hidden.hidden_reason == "Mainos."


def test_the_coordinator_opens_phases_through_the_settings_service(coordinator, cycle, resident):
    from discussion.models import DiscussionSettings

    with pytest.raises(PermissionDenied):
        services.discussion_settings_save(
            actor=resident, settings=DiscussionSettings(cycle=cycle), changed_fields=[]
        )
    saved = services.discussion_settings_save(
        actor=coordinator,
        settings=DiscussionSettings(cycle=cycle, in_voting=True),
        changed_fields=["in_voting"],
    )
    assert saved.in_voting
    assert AuditEntry.objects.filter(action="discussion.settings_create").exists()


def test_an_inactive_writer_gets_no_reply_notice(resident, idea):
    gone = UserFactory(email="poissa@example.fi")
    top = _post(gone, idea)
    gone.is_active = False
    gone.save()
    _post(resident, idea, parent=top)
    assert not Notification.objects.exists()
