"""Input that once gave a 500: characters that pass isdigit() but not int(), and friends.

"²", "³" and "①" are digits to ``str.isdigit()`` yet ``int()`` refuses them, so every
place that checked isdigit() before int() answered 500 on them.
"""

from __future__ import annotations

import pytest

from omakouvola.models import Role
from tests.factories import BallotFactory, IdeaFactory, ProposalFactory, UserFactory, helsinki

pytestmark = pytest.mark.django_db

NOT_INT_DIGITS = ["²", "1①"]


@pytest.mark.parametrize("value", NOT_INT_DIGITS)
def test_an_idea_list_filter_with_a_superscript_digit_is_ignored(client, cycle, value):
    response = client.get("/en/ideas/", {"area": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", NOT_INT_DIGITS)
def test_removing_an_image_with_a_superscript_id_changes_nothing(client, resident, cycle, value):
    idea = IdeaFactory(cycle=cycle, submitter=resident, status="submitted")
    client.force_login(resident)
    response = client.post(
        f"/en/ideas/{idea.pk}/edit/",
        {"title": idea.title, "description": idea.description, "remove_image": value},
    )
    assert response.status_code < 500


@pytest.mark.parametrize("value", NOT_INT_DIGITS)
def test_a_paper_vote_for_a_superscript_ballot_is_a_form_page(client, value):
    clerk = UserFactory(email="aino@kouvola.fi", roles=[Role.PAPER_VOTE_CLERK])
    client.force_login(clerk)
    response = client.post("/en/voting/paper/", {"ballot": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", NOT_INT_DIGITS)
def test_an_application_with_a_superscript_cost_row_is_a_form_page(client, value):
    response = client.post(
        "/en/committees/apply/", {f"cost_{value}_description": "x", f"cost_{value}_amount": "1"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("value", NOT_INT_DIGITS)
def test_an_idea_import_with_a_superscript_birth_year_names_the_row(value):
    from ideas import importing

    content = f"title;description;submitter_birth_year\nPenkki;Rantaan;19{value}\n".encode()
    result = importing.parse_idea_file("ideat.csv", content)
    assert [line for line, *_ in result.errors] == [2]


@pytest.mark.parametrize("value", NOT_INT_DIGITS)
def test_a_paper_vote_import_with_a_superscript_id_names_the_row(cycle, area, value, time_machine):
    from voting.importing import parse_paper_votes

    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=False)  # while the ballot is open
    proposal = ProposalFactory(cycle=cycle, status="approved", area=area)
    ballot = BallotFactory(cycle=cycle, area=area, money=10_000, proposals=[proposal])
    content = f"proposals;age_band;postal_code\n{value};18-29;45100\n".encode()
    parsed = parse_paper_votes(ballot, content)
    assert [line for line, _ in parsed.errors] == [2]


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_pledging_on_a_proposal_that_is_not_public_is_a_404(client, cycle, resident, status):
    from ideas.models import VolunteerPledge

    proposal = ProposalFactory(cycle=cycle, status=status)
    client.force_login(resident)
    response = client.post(f"/en/proposals/{proposal.pk}/pledge/", {"what": "Apu", "hours": "2"})
    assert response.status_code == 404
    assert not VolunteerPledge.objects.exists()


@pytest.mark.parametrize("value", [" ", "²", "9223372036854775808"])
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/admin/committees/payment/add/", "grant"),
        ("/admin/budgets/expense/add/", "implementation"),
    ],
)
def test_an_autocomplete_id_that_is_not_a_number_is_a_form_error(client, value, path, field):
    from budgets.models import Expense
    from committees.models import Payment

    coordinator = UserFactory(email="koordinaattori@kouvola.fi", roles=[Role.COORDINATOR])
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    response = client.post(path, {field: value, "amount": "10", "paid_on": "2026-01-01"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Payment.objects.exists() and not Expense.objects.exists()
