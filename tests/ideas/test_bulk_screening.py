"""Screening many ideas at once, the public summary of the assessment, the workshop
agenda, a proposal's "no maintenance costs" claim, and the idea import's dates and labels."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ideas import importing, services
from ideas.admin import WorkshopAdminForm
from ideas.models import IdeaStatus, SustainabilityAssessment
from omakouvola.models import AuditEntry

from ..factories import CycleFactory, IdeaFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/ideas/idea/"
RATINGS = {"ecological": "positive", "social": "positive", "economic": "neutral"}


def _action(client, action, ideas, **data):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [i.pk for i in ideas], **data}
    )


def test_ten_ideas_are_assessed_and_forwarded_in_one_go(client, coordinator, cycle):
    ideas = [IdeaFactory(cycle=cycle) for _ in range(10)]
    client.force_login(coordinator)
    page = _action(client, "record_screening", ideas)
    assert page.status_code == 200
    assert 'name="ecological"' in page.content.decode()
    done = _action(
        client,
        "record_screening",
        ideas,
        apply="1",
        no_later_costs="on",
        forward="on",
        public_reasoning="Toteutettavissa.",
        **RATINGS,
    )
    assert done.status_code == 302
    assert SustainabilityAssessment.objects.filter(no_later_costs=True).count() == 10
    for idea in ideas:
        idea.refresh_from_db()
        assert idea.status == IdeaStatus.FORWARDED
    assert AuditEntry.objects.filter(action="idea.assess_sustainability").count() == 10


def test_bulk_assessment_then_bulk_forward_works(client, coordinator, cycle):
    ideas = [IdeaFactory(cycle=cycle) for _ in range(3)]
    client.force_login(coordinator)
    _action(client, "record_screening", ideas, apply="1", **RATINGS)
    _action(client, "forward", ideas, apply="1", public_reasoning="")
    assert {i.status for i in type(ideas[0]).objects.filter(pk__in=[i.pk for i in ideas])} == {
        IdeaStatus.FORWARDED
    }


def test_no_later_costs_cannot_contradict_the_experts_figure(coordinator, cycle):
    idea = IdeaFactory(cycle=cycle)
    services.assessment_record(
        actor=coordinator,
        idea=idea,
        feasibility="feasible",
        cost_min=Decimal(1000),
        cost_max=Decimal(2000),
        maintenance_cost_per_year=Decimal(150),
        maintenance_justification="Puiston hoito",
    )
    with translation.override("fi"), pytest.raises(ValidationError) as caught:
        services.sustainability_record(actor=coordinator, idea=idea, no_later_costs=True, **RATINGS)
    assert caught.value.error_list[0].message == services.EXPERT_RECORDED_LATER_COSTS
    assert "150,00\u00a0€" in caught.value.messages[0]
    assert not SustainabilityAssessment.objects.exists()


def test_the_public_idea_page_summarises_the_assessment(client, coordinator, cycle):
    idea = IdeaFactory(cycle=cycle)
    services.assessment_record(
        actor=coordinator,
        idea=idea,
        feasibility="feasible",
        cost_min=Decimal(3000),
        cost_max=Decimal(4000),
        maintenance_cost_per_year=Decimal(150),
        maintenance_justification="sisäinen perustelu",
        feasibility_note="sisäinen muistiinpano",
    )
    services.sustainability_record(actor=coordinator, idea=idea, **RATINGS)
    services.idea_start_screening(actor=coordinator, idea=idea)
    with translation.override("fi"):
        page = client.get(idea.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "3\u00a0000,00\u00a0€ – 4\u00a0000,00\u00a0€" in page
    assert "150,00\u00a0€" in page
    assert "sisäinen" not in page


def test_the_summary_waits_until_screening_begins(client, coordinator, cycle):
    idea = IdeaFactory(cycle=cycle)
    services.sustainability_record(actor=coordinator, idea=idea, **RATINGS)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "assessment-heading" not in page


def test_the_agenda_picker_lists_only_the_workshops_round_in_a_workable_status(cycle):
    workshop = WorkshopFactory(cycle=cycle)
    forwarded = IdeaFactory(cycle=cycle, status=IdeaStatus.FORWARDED)
    IdeaFactory(cycle=cycle, status=IdeaStatus.WITHDRAWN)
    IdeaFactory(cycle=cycle, status=IdeaStatus.SUBMITTED)
    IdeaFactory(cycle=CycleFactory(opening_year=2022), status=IdeaStatus.FORWARDED)
    form = WorkshopAdminForm(instance=workshop)
    assert list(form.fields["ideas"].queryset) == [forwarded]


def test_an_idea_of_another_round_is_refused_on_the_agenda(cycle):
    other = IdeaFactory(cycle=CycleFactory(opening_year=2022), status=IdeaStatus.FORWARDED)
    form = WorkshopAdminForm(data={"cycle": cycle.pk, "ideas": [other.pk]})
    form.fields["ideas"].queryset = type(other).objects.all()
    form.is_valid()
    assert "ideas" in form.errors


def test_a_proposal_claiming_no_maintenance_costs_is_refused(coordinator, cycle):
    idea = IdeaFactory(cycle=cycle)
    services.assessment_record(
        actor=coordinator,
        idea=idea,
        feasibility="feasible",
        cost_min=Decimal(1000),
        cost_max=Decimal(2000),
        maintenance_cost_per_year=Decimal(150),
        maintenance_justification="Hoito",
    )
    services.sustainability_record(actor=coordinator, idea=idea, **RATINGS)
    services.idea_forward(actor=coordinator, idea=idea)
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(
            actor=coordinator,
            cycle=cycle,
            ideas=[idea],
            title="Kuntoportaat",
            description="Portaat rinteeseen. Ei ylläpitokuluja.",
            cost=Decimal(2000),
        )
    assert caught.value.error_list[0].message == services.PROPOSAL_CLAIMS_NO_LATER_COSTS
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FORWARDED


def test_the_proposal_form_shows_the_experts_yearly_figure(client, coordinator, cycle):
    idea = IdeaFactory(cycle=cycle, status=IdeaStatus.FORWARDED, title="Portaat")
    services.assessment_record(
        actor=coordinator,
        idea=idea,
        feasibility="feasible",
        cost_min=Decimal(1000),
        cost_max=Decimal(2000),
        maintenance_cost_per_year=Decimal(150),
        maintenance_justification="Hoito",
    )
    client.force_login(coordinator)
    page = client.get("/admin/ideas/proposal/add/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "150,00\u00a0€" in page


def test_the_import_refuses_a_date_in_the_future(area):
    content = b"title;description;created_at\nPenkki;Rantaan;1.1.2999\n"
    with translation.override("en"):
        result = importing.parse_idea_file("ideas.csv", content)
    assert not result.ok
    assert result.errors[0][1] == "created_at"
    assert "future" in result.errors[0][2]


def test_the_import_preview_shows_labels_not_codes(client, coordinator, cycle, area):
    content = "title;description;alue;kanava\nPenkki;Rantaan;Keskusta;village_evening\n"
    client.force_login(coordinator)
    upload = SimpleUploadedFile("ideas.csv", content.encode(), content_type="text/csv")
    with translation.override("en"):
        page = client.post(
            "/admin/ideas/idea/import/",
            {"cycle": cycle.pk, "file": upload},
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()
    preview = page[page.index("import-preview") :]
    assert "village_evening" not in preview
    assert "Village evening" in preview or "Kyläilta" in preview
