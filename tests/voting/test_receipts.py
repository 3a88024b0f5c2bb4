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


def test_a_new_ballot_needs_a_passphrase_and_stores_only_the_public_key(coordinator, cycle):
    from django.core.exceptions import ValidationError

    from voting import secrecy
    from voting.models import Ballot

    from ..factories import helsinki

    def draft():
        return Ballot(
            cycle=cycle,
            name="Uusi",
            money=1000,
            opens_at=helsinki(2027, 1, 26, 9, 0),
            closes_at=helsinki(2027, 2, 8, 20, 0),
        )

    with pytest.raises(ValidationError) as excinfo:
        services.ballot_save(actor=coordinator, ballot=draft())
    assert excinfo.value.messages == [str(secrecy.PASSPHRASE_NEEDED)]
    ballot = services.ballot_save(
        actor=coordinator, ballot=draft(), passphrase="a long election passphrase"
    )
    stored = Ballot.objects.get(pk=ballot.pk)
    assert stored.public_key and stored.key_salt
    assert "passphrase" not in str(
        [getattr(stored, f.attname) for f in Ballot._meta.concrete_fields]
    )
    secrecy.election_key(
        passphrase="a long election passphrase", salt=stored.key_salt, public_key=stored.public_key
    )


def test_the_admin_asks_for_the_passphrase_before_publishing(
    client, coordinator, resident, ballot, proposals, during_voting, time_machine
):
    from ..factories import TEST_ELECTION_PASSPHRASE, helsinki

    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[proposals[0].pk])
    time_machine.move_to(helsinki(2027, 2, 9, 12, 0), tick=False)
    client.force_login(coordinator)
    url = "/admin/voting/ballot/"
    asked = client.post(url, {"action": "publish_results", "_selected_action": [ballot.pk]})
    assert asked.status_code == 200 and f'name="passphrase_{ballot.pk}"' in asked.content.decode()
    wrong = client.post(
        url,
        {
            "action": "publish_results",
            "_selected_action": [ballot.pk],
            "apply": "1",
            f"passphrase_{ballot.pk}": "wrong passphrase here",
        },
        follow=True,
    )
    from django.utils import translation

    from voting import secrecy

    with translation.override("fi"):
        assert str(secrecy.WRONG_PASSPHRASE) in wrong.content.decode()
    ballot.refresh_from_db()
    assert ballot.results_published_at is None
    client.post(
        url,
        {
            "action": "publish_results",
            "_selected_action": [ballot.pk],
            "apply": "1",
            f"passphrase_{ballot.pk}": TEST_ELECTION_PASSPHRASE,
        },
    )
    ballot.refresh_from_db()
    assert ballot.results_published_at is not None
    assert ballot.result.votes_counted == 1


def test_casting_mixes_at_most_once_per_interval(
    settings, resident, ballot, proposals, during_voting
):
    from django.core.cache import cache

    from voting.models import Vote

    settings.VOTE_MIX_INTERVAL = 60
    cache.clear()
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[proposals[0].pk])
    assert services.votes_mix(ballot_id=ballot.pk, throttle=True) == 1
    services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[proposals[1].pk])
    assert services.votes_mix(ballot_id=ballot.pk, throttle=True) == 0
    assert Vote.objects.filter(mixed=False).count() == 1
    # The beat task mixes what the throttle left.
    assert services.votes_mix_pending() == 2
    assert not Vote.objects.filter(mixed=False).exists()


def test_the_coordinator_creates_a_ballot_in_the_admin_with_a_passphrase(
    client, coordinator, cycle
):
    from voting.models import Ballot

    client.force_login(coordinator)
    data = {
        "cycle": cycle.pk,
        "name": "Uusi äänestys",
        "money": "5000",
        "operating_funds": "0",
        "opens_at_0": "26.01.2027",
        "opens_at_1": "09:00",
        "closes_at_0": "08.02.2027",
        "closes_at_1": "20:00",
        "selection_rule": "knapsack",
        "min_choices": "1",
        "counting_rule": "greedy",
        "add1_step": "1",
        "residency": "kouvola",
        "identity_level": "email",
        "tie_break_seed": "0",
        "passphrase": "the officer keeps this one",
    }
    response = client.post("/admin/voting/ballot/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    ballot = Ballot.objects.get(name="Uusi äänestys")
    assert ballot.public_key and ballot.key_salt
