"""Eligibility from identity: a strong-level ballot takes age, residency and area from the
Suomi.fi assertion, not from what the resident typed in the profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from identification import services
from identification.people import BY_KEY, PUPILS_BY_KEY
from voting import services as voting_services
from voting.eligibility import NOT_KOUVOLA_MUNICIPALITY, NOT_RESIDENT, TOO_OLD

from ..factories import BallotFactory, PostalCodeFactory, helsinki

pytestmark = pytest.mark.django_db


@pytest.fixture
def strong_provider(settings):
    settings.STRONG_IDENTITY_PROVIDER = "suomifi-test"


def _identify(user, key):
    return services.identity_confirm(
        user=user, facts=services.suomifi_facts(BY_KEY[key].saml_attributes())
    )


def _at_vote():
    return helsinki(2027, 1, 30, 12, 0)


def test_a_strong_ballot_is_refused_before_identification(strong_provider, resident, cycle):
    from voting.eligibility import IDENTITY_TOO_WEAK

    ballot = BallotFactory(cycle=cycle, identity_level="strong")
    problems = voting_services.eligibility_problems(resident, ballot, _at_vote())
    assert str(IDENTITY_TOO_WEAK)[:30] in " ".join(problems)


def test_the_assertion_overrides_the_profile_for_area_and_age(
    strong_provider, resident, cycle, area, valkeala
):
    """Aili's profile says Keskusta (45100), born 2000; Suomi.fi says Valkeala, born 1958."""
    resident.birth_year = 2000
    resident.save()
    _identify(resident, "paavo")  # 45360 Valkeala, born 1958
    in_keskusta = BallotFactory(cycle=cycle, identity_level="strong", residency="area", area=area)
    in_valkeala = BallotFactory(
        cycle=cycle, identity_level="strong", residency="area", area=valkeala
    )
    youth = BallotFactory(cycle=cycle, identity_level="strong", max_age=25)
    assert voting_services.eligibility_problems(resident, in_valkeala, _at_vote()) == []
    assert voting_services.eligibility_problems(resident, in_keskusta, _at_vote()) == [
        str(NOT_RESIDENT % {"where": area.localized_name})
    ]
    assert voting_services.eligibility_problems(resident, youth, _at_vote()) == [
        str(TOO_OLD % {"age": 25})
    ]


def test_an_e_mail_level_ballot_still_uses_the_profile(strong_provider, resident, cycle, area):
    _identify(resident, "paavo")
    in_keskusta = BallotFactory(cycle=cycle, residency="area", area=area)
    assert voting_services.eligibility_problems(resident, in_keskusta, _at_vote()) == []


def test_another_municipality_is_refused_with_a_clear_message(strong_provider, resident, cycle):
    PostalCodeFactory(code="15100", area=resident.area)  # even a known postal code
    _identify(resident, "laura")  # Lahti, 398
    ballot = BallotFactory(cycle=cycle, identity_level="strong", residency="kouvola")
    assert voting_services.eligibility_problems(resident, ballot, _at_vote()) == [
        str(NOT_KOUVOLA_MUNICIPALITY % {"code": "398"})
    ]
    anyone = BallotFactory(cycle=cycle, identity_level="strong", residency="anyone")
    assert voting_services.eligibility_problems(resident, anyone, _at_vote()) == []


def test_the_ballot_page_shows_what_the_identification_told(
    strong_provider, client, resident, cycle, valkeala
):
    _identify(resident, "paavo")
    ballot = BallotFactory(cycle=cycle, identity_level="strong")
    client.force_login(resident)
    page = client.get(f"/en/voting/{ballot.pk}/").content.decode()
    assert "What this vote uses about you" in page
    assert "Birth year 1958" in page and "Postal code 45360" in page and "Valkeala" in page


def test_a_vote_on_a_strong_ballot_records_the_identified_area(
    strong_provider, resident, cycle, valkeala, time_machine
):
    from ideas.models import ProposalStatus
    from voting.models import VoterRoll

    from ..factories import ProposalFactory

    time_machine.move_to(_at_vote(), tick=False)
    proposal = ProposalFactory(cycle=cycle, cost=1000, status=ProposalStatus.APPROVED)
    ballot = BallotFactory(cycle=cycle, identity_level="strong", proposals=[proposal])
    _identify(resident, "paavo")
    voting_services.vote_cast(actor=resident, ballot=ballot, proposal_ids=[proposal.pk])
    row = VoterRoll.objects.get(ballot=ballot)
    assert row.area == valkeala and row.age_band == "65+"


def test_a_pupil_with_a_school_account_may_vote_on_the_youth_ballot(resident, cycle, time_machine):
    time_machine.move_to(_at_vote(), tick=False)
    resident.birth_year = 1980  # the profile says too old; the school says class 9
    resident.save()
    services.identity_confirm(
        user=resident, facts=services.mpassid_facts(PUPILS_BY_KEY["niko"].claims())
    )
    youth = BallotFactory(cycle=cycle, identity_level="in_person", min_age=13, max_age=20)
    assert voting_services.eligibility_problems(resident, youth, _at_vote()) == []
    little = services.mpassid_facts(PUPILS_BY_KEY["ella"].claims())
    assert little.birth_year == 2027 - 10


def test_the_identification_page_lists_the_facts_and_the_ways(test_service, client, resident):
    _identify(resident, "aili")
    client.force_login(resident)
    page = client.get(reverse("identification:status"), HTTP_ACCEPT_LANGUAGE="en").content
    text = page.decode()
    assert "Suomi.fi e-Identification" in text and "1994" in text and "45720" in text
    assert BY_KEY["aili"].hetu not in text
