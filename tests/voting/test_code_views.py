"""The code pages and "what happened to my vote": no account, POST only, rate-limited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from voting import codes, services
from voting.models import CodeBatch, CodeBatchStatus, Vote, VoterRoll

from ..factories import TEST_ELECTION_PASSPHRASE, UserFactory, helsinki

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def printed(monkeypatch):
    made: list[str] = []
    real = codes.new_code

    def recording():
        made.append(real())
        return made[-1]

    monkeypatch.setattr(codes, "new_code", recording)
    monkeypatch.setattr("voting.pdf.render_slips", lambda **kw: b"%PDF-1.7 slips")
    return made


@pytest.fixture
def batch(coordinator, ballot, during_voting, printed):
    made = codes.code_batch_create(actor=coordinator, ballot=ballot, place="Kirjasto", size=3)
    return codes.code_batch_print(batch_id=made.pk)


def test_a_resident_votes_with_a_code_without_an_account(client, batch, ballot, proposals, printed):
    page = client.post("/fi/voting/code/", {"code": printed[0]})
    assert page.status_code == 200
    assert "Penkit" in page.content.decode()
    done = client.post(
        "/fi/voting/code/", {"code": printed[0], "cast": "1", "proposals": [proposals[0].pk]}
    )
    assert done.status_code == 302 and done.url.endswith(f"/voting/{ballot.pk}/code/done/")
    receipt = client.get(done.url).content.decode()
    assert Vote.objects.get().receipt_code in receipt
    again = client.post(
        "/fi/voting/code/", {"code": printed[0], "cast": "1", "proposals": [proposals[1].pk]}
    )
    assert "on jo käytetty" in again.content.decode()
    assert VoterRoll.objects.count() == 1


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_code_page_speaks_each_language(client, language):
    page = client.get(f"/{language}/voting/code/")
    assert page.status_code == 200
    assert {"fi": "Äänestä koodilla", "sv": "Rösta med kod", "en": "Vote with a voting code"}[
        language
    ] in page.content.decode()


def test_guessing_codes_is_stopped_by_the_rate_limit(client, settings, batch, printed):
    settings.RATE_LIMIT_CODE_GUESSES = "3/h"
    for n in range(3):
        assert client.post("/fi/voting/code/", {"code": f"AAAA-BBBB-CCC{n + 2}"}).status_code == 200
    assert client.post("/fi/voting/code/", {"code": "AAAA-BBBB-CCC9"}).status_code == 429
    # Even the right code waits: the address is out of guesses.
    assert client.post("/fi/voting/code/", {"code": printed[0]}).status_code == 429


def test_bad_code_input_is_a_message_not_an_error(client, batch):
    for value in ["", "x" * 41, "ÅÄÖ²³", "\x00"]:
        page = client.post("/fi/voting/code/", {"code": value})
        assert page.status_code == 200


def test_my_vote_says_counted_after_publication_in_constant_queries(
    client, ballot, proposals, coordinator, time_machine, django_assert_num_queries
):
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=False)
    voters = [UserFactory(email=f"v{n}@example.fi", postal_code="45100") for n in range(3)]
    votes = [
        services.vote_cast(actor=v, ballot=ballot, proposal_ids=[proposals[n % 2].pk])
        for n, v in enumerate(voters)
    ]
    before = client.post(f"/fi/voting/{ballot.pk}/my-vote/", {"receipt": votes[0].receipt_code})
    assert "tulokset julkaistaan" in before.content.decode()
    time_machine.move_to(helsinki(2027, 2, 9, 12, 0), tick=False)
    services.results_publish(actor=coordinator, ballot=ballot, passphrase=TEST_ELECTION_PASSPHRASE)
    page = client.post(f"/fi/voting/{ballot.pk}/my-vote/", {"receipt": votes[0].receipt_code})
    text = page.content.decode()
    assert "Kyllä: tämä kuitti kuuluu ääneen, joka laskettiin." in text
    assert 'id="published-choices"' in text
    wrong = client.post(f"/fi/voting/{ballot.pk}/my-vote/", {"receipt": "AAAA-BBBB-CCCC"})
    assert "Millään lasketulla äänellä ei ole" in wrong.content.decode()
    # Constant: the same queries with 3 votes as with 30 (the published list is one row).
    with django_assert_num_queries(5):
        client.post(f"/fi/voting/{ballot.pk}/my-vote/", {"receipt": votes[1].receipt_code})


def test_my_vote_receipt_guessing_is_rate_limited(
    client, settings, ballot, coordinator, time_machine
):
    time_machine.move_to(helsinki(2027, 2, 9, 12, 0), tick=False)
    services.results_publish(actor=coordinator, ballot=ballot, passphrase=TEST_ELECTION_PASSPHRASE)
    settings.RATE_LIMIT_CODE_GUESSES = "2/h"
    url = f"/fi/voting/{ballot.pk}/my-vote/"
    assert client.post(url, {"receipt": "AAAA-BBBB-CCCC"}).status_code == 200
    assert client.post(url, {"receipt": "AAAA-BBBB-CCCD"}).status_code == 200
    assert client.post(url, {"receipt": "AAAA-BBBB-CCCE"}).status_code == 429


def test_the_coordinator_makes_downloads_and_voids_a_batch_in_the_admin(
    client, coordinator, ballot, during_voting, printed, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/voting/codebatch/add/",
            {"ballot": ballot.pk, "place": "Jaalan kylätalo", "size": "4"},
        )
    assert response.status_code == 302
    batch = CodeBatch.objects.get()
    assert batch.status == CodeBatchStatus.READY and batch.codes.count() == 4
    listing = client.get("/admin/voting/codebatch/").content.decode()
    assert "Jaalan kylätalo" in listing
    pdf = client.get(f"/admin/voting/codebatch/{batch.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.post(
        "/admin/voting/codebatch/",
        {"action": "void_batches", "_selected_action": [batch.pk]},
    )
    assert CodeBatch.objects.get().status == CodeBatchStatus.VOIDED


def test_a_resident_cannot_download_slips(client, resident, batch):
    client.force_login(resident)
    assert client.get(f"/admin/voting/codebatch/{batch.pk}/pdf/").status_code in (302, 403)


def test_a_refused_batch_keeps_what_the_coordinator_typed(
    client, coordinator, ballot, during_voting
):
    from voting.models import Residency

    ballot.residency = Residency.AREA
    ballot.save(update_fields=["residency"])
    client.force_login(coordinator)
    response = client.post(
        "/admin/voting/codebatch/add/",
        {"ballot": ballot.pk, "place": "Jaalan kylätalo", "size": "40"},
        headers={"accept-language": "fi"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert str(codes.BATCH_AREA % {"area": ballot.area.localized_name}) in html
    assert 'value="Jaalan kylätalo"' in html and 'value="40"' in html
    assert not CodeBatch.objects.exists()


def test_the_code_link_shows_only_where_a_code_can_be_used(client, ballot, during_voting):
    from voting.models import IdentityLevel

    link = 'href="/fi/voting/code/"'
    assert link in client.get(f"/fi/voting/{ballot.pk}/").content.decode()
    ballot.identity_level = IdentityLevel.STRONG
    ballot.save(update_fields=["identity_level"])
    page = client.get(f"/fi/voting/{ballot.pk}/").content.decode()
    assert link not in page
    assert f'href="/fi/voting/{ballot.pk}/my-vote/"' in page


def test_slips_whose_pdf_is_gone_answer_404_not_500(client, coordinator, batch):
    Path(batch.pdf.path).unlink()  # a restore without the private area
    client.force_login(coordinator)
    assert client.get(f"/admin/voting/codebatch/{batch.pk}/pdf/").status_code == 404


def test_slips_are_not_kept_by_caches_on_the_way(client, coordinator, batch):
    client.force_login(coordinator)
    response = client.get(f"/admin/voting/codebatch/{batch.pk}/pdf/")
    assert "no-store" in response["Cache-Control"]
