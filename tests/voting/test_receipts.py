"""Issue #10 item 6: receipts and notifications carry no choices, and nothing a
coordinator reads in the admin says what anyone chose."""

from __future__ import annotations

import pytest

from omakouvola import services as core_services
from omakouvola.models import Notification
from voting import services

pytestmark = pytest.mark.django_db


def test_an_unsent_receipt_names_no_choice(resident, ballot, proposals, during_voting):
    """The old attack: "You chose: …" was readable in the notification admin while unsent."""
    vote = services.vote_cast(
        actor=resident, ballot=ballot, proposal_ids=[proposals[0].pk, proposals[1].pk]
    )
    stored = Notification.objects.get(template="voting_receipt")
    assert stored.status == Notification.Status.PENDING
    text = stored.subject + stored.body_text + stored.body_html
    assert vote.receipt_code in stored.body_text
    assert "Penkit" not in text and "Muraali" not in text


def test_a_failed_receipt_is_erased(resident, ballot, proposals, during_voting):
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[proposals[0].pk])
    stored = Notification.objects.get(template="voting_receipt")
    core_services.notification_mark_failed(notification_id=stored.pk, error="SMTP down")
    stored.refresh_from_db()
    assert (stored.status, stored.body_text, stored.body_html) == ("failed", "", "")


def test_the_coordinator_cannot_read_a_receipt_in_the_admin(
    client, coordinator, resident, ballot, proposals, during_voting
):
    vote = services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[proposals[0].pk])
    stored = Notification.objects.get(template="voting_receipt")
    client.force_login(coordinator)
    page = client.get(f"/admin/omakouvola/notification/{stored.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert vote.receipt_code not in html and "Penkit" not in html


def test_no_voting_admin_page_shows_a_vote(client, coordinator):
    from django.contrib import admin

    from voting.models import Vote, VoterRoll

    assert Vote not in admin.site._registry
    assert VoterRoll not in admin.site._registry
