"""The ideas services: every transition, and every refusal with its message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from ideas import services
from ideas.models import (
    TOO_MANY_IMAGES,
    Idea,
    IdeaStatus,
    IdeaStatusChange,
    ProposalStatus,
    RegistrationStatus,
    RejectReason,
    VolunteerPledge,
    WorkshopRegistration,
)
from omakouvola.images import IMAGE_TOO_LARGE, IMAGE_WRONG_TYPE
from omakouvola.models import AuditEntry, Notification

from ..factories import IdeaFactory, UserFactory, WorkshopFactory, helsinki
from .conftest import image_file

pytestmark = pytest.mark.django_db


def _submit(actor, cycle, **overrides):
    values = {"title": "Penkkejä rantareitille", "description": "Levähdyspaikkoja."}
    values.update(overrides)
    return services.idea_submit(actor=actor, cycle=cycle, **values)


def _sustain(actor, idea):
    services.sustainability_record(
        actor=actor, idea=idea, ecological="positive", social="positive", economic="neutral"
    )


# --- submission --------------------------------------------------------------------------


def test_a_verified_resident_submits_an_idea_during_ideation(
    resident, cycle, area, during_ideation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea = _submit(resident, cycle, area=area, rough_cost=Decimal("3500"))
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.submitter == resident
    assert idea.channel == "web"
    assert AuditEntry.objects.filter(action="idea.submit", object_id=str(idea.pk)).exists()
    assert IdeaStatusChange.objects.filter(idea=idea, to_status=IdeaStatus.SUBMITTED).exists()
    assert [m.to for m in mail.outbox] == [[resident.email]]
    assert "Penkkejä rantareitille" in mail.outbox[0].subject


def test_ideas_are_refused_outside_ideation_and_nothing_is_stored(resident, cycle, time_machine):
    time_machine.move_to(helsinki(2027, 1, 2, 12, 0), tick=False)
    with pytest.raises(ValidationError) as excinfo:
        _submit(resident, cycle)
    assert excinfo.value.message == services.IDEATION_CLOSED
    assert excinfo.value.params == {"starts": "1.11.2026", "ends": "31.12.2026"}
    assert not Idea.objects.exists()


def test_an_unverified_account_cannot_submit(unverified_user, cycle, during_ideation):
    with pytest.raises(PermissionDenied):
        _submit(unverified_user, cycle)


def test_there_is_no_age_limit_for_ideas(cycle, area, during_ideation):
    toddler_parent = UserFactory(birth_year=1990)
    idea = _submit(toddler_parent, cycle, on_behalf_of="Eetu, 4 v.")
    assert idea.on_behalf_of == "Eetu, 4 v."


def test_images_are_reencoded_without_exif_gps(resident, cycle, during_ideation):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (60.0, 52.0, 1.0)}  # GPSInfo
    exif[0x010F] = "PuhelinValmistaja"  # Make
    upload = image_file(exif=exif.tobytes())
    assert b"PuhelinValmistaja" in upload.read()
    upload.seek(0)
    idea = _submit(resident, cycle, images=[upload], alt_texts=["Rantareitti keväällä"])
    stored = idea.images.get()
    data = stored.image.read()
    assert b"PuhelinValmistaja" not in data
    with Image.open(stored.image) as reopened:
        assert not reopened.getexif()
        assert reopened.size == (64, 48)
    assert stored.alt_text == "Rantareitti keväällä"


def test_a_renamed_text_file_is_refused_as_an_image(resident, cycle, during_ideation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("kuva.jpg", b"<?php echo 'hei'; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as excinfo:
        _submit(resident, cycle, images=[fake])
    assert excinfo.value.message == IMAGE_WRONG_TYPE
    assert not Idea.objects.exists()


def test_an_image_over_5_mb_is_refused(resident, cycle, during_ideation):
    big = image_file(fmt="PNG", name="iso.png")
    big.size = 5 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as excinfo:
        _submit(resident, cycle, images=[big])
    assert excinfo.value.message == IMAGE_TOO_LARGE


def test_a_gif_is_refused_even_though_it_is_an_image(resident, cycle, during_ideation):
    with pytest.raises(ValidationError) as excinfo:
        _submit(resident, cycle, images=[image_file(fmt="GIF", name="anim.gif")])
    assert excinfo.value.message == IMAGE_WRONG_TYPE


def test_at_most_three_images(resident, cycle, during_ideation):
    with pytest.raises(ValidationError) as excinfo:
        _submit(resident, cycle, images=[image_file() for _ in range(4)])
    assert excinfo.value.message == TOO_MANY_IMAGES


def test_the_submitter_edits_until_screening_starts(idea, resident, coordinator):
    services.idea_update(actor=resident, idea=idea, title="Ulkokuntosali Käpylän puistoon")
    idea.refresh_from_db()
    assert idea.title == "Ulkokuntosali Käpylän puistoon"
    entry = AuditEntry.objects.get(action="idea.update")
    assert entry.changes["title"] == ["Ulkokuntosali Käpylään", "Ulkokuntosali Käpylän puistoon"]

    services.idea_start_screening(actor=coordinator, idea=idea)
    with pytest.raises(ValidationError) as excinfo:
        services.idea_update(actor=resident, idea=idea, title="Muutos")
    assert excinfo.value.message == services.IDEA_LOCKED
    with pytest.raises(ValidationError):
        services.idea_withdraw(actor=resident, idea=idea)


def test_someone_else_cannot_edit_or_withdraw_an_idea(idea, other_resident):
    with pytest.raises(PermissionDenied):
        services.idea_update(actor=other_resident, idea=idea, title="Kaapattu")
    with pytest.raises(PermissionDenied):
        services.idea_withdraw(actor=other_resident, idea=idea)


def test_withdrawing_hides_the_idea(idea, resident):
    services.idea_withdraw(actor=resident, idea=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.WITHDRAWN
    assert not Idea.objects.public().filter(pk=idea.pk).exists()


# --- screening ---------------------------------------------------------------------------


def test_forwarding_needs_a_sustainability_assessment(idea, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.idea_forward(actor=coordinator, idea=idea)
    assert excinfo.value.message == services.SUSTAINABILITY_REQUIRED
    _sustain(coordinator, idea)
    services.idea_forward(actor=coordinator, idea=idea, public_reasoning="Hyvä idea.")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FORWARDED


def test_later_costs_block_forwarding_until_justified(idea, coordinator, expert):
    services.idea_start_screening(actor=coordinator, idea=idea, expert=expert)
    _sustain(expert, idea)
    services.assessment_record(
        actor=expert,
        idea=idea,
        feasibility="feasible",
        cost_min=Decimal(15000),
        cost_max=Decimal(22000),
        maintenance_cost_per_year=Decimal(800),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.idea_forward(actor=coordinator, idea=idea)
    assert excinfo.value.message == services.LATER_COSTS_NEED_JUSTIFICATION
    assert "800,00" in excinfo.value.params["cost"]
    services.assessment_record(
        actor=expert,
        idea=idea,
        feasibility="feasible",
        cost_min=Decimal(15000),
        cost_max=Decimal(22000),
        maintenance_cost_per_year=Decimal(800),
        maintenance_justification="Liikuntapalvelut ottaa huollon nykyiseen kiertoonsa.",
    )
    services.idea_forward(actor=coordinator, idea=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FORWARDED


def test_an_expert_assesses_only_assigned_ideas(idea, coordinator, expert, other_expert):
    services.idea_start_screening(actor=coordinator, idea=idea, expert=expert)
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            actor=other_expert,
            idea=idea,
            feasibility="feasible",
            cost_min=Decimal(1),
            cost_max=Decimal(2),
        )
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_record(
            actor=expert,
            idea=idea,
            feasibility="feasible",
            cost_min=Decimal(5000),
            cost_max=Decimal(100),
        )
    assert excinfo.value.message == services.COST_RANGE_INVALID


def test_rejection_needs_a_reason_and_tells_the_submitter(
    idea, coordinator, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as excinfo:
        services.idea_reject(actor=coordinator, idea=idea, reason="", public_reasoning="")
    assert excinfo.value.message == services.REASON_REQUIRED
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_reject(
            actor=coordinator,
            idea=idea,
            reason=RejectReason.OTHER_BODY,
            public_reasoning="Maantie kuuluu ELY-keskukselle.",
        )
    idea.refresh_from_db()
    assert (idea.status, idea.reject_reason) == (IdeaStatus.REJECTED, RejectReason.OTHER_BODY)
    change = idea.status_changes.last()
    assert change.public_reasoning == "Maantie kuuluu ELY-keskukselle."
    assert len(mail.outbox) == 1
    assert "ELY-keskukselle" in mail.outbox[0].body


def test_a_screened_idea_cannot_be_screened_again(idea, coordinator):
    services.idea_transfer(actor=coordinator, idea=idea, body="Kaakkois-Suomen ELY-keskus")
    with pytest.raises(ValidationError) as excinfo:
        services.idea_reject(
            actor=coordinator, idea=idea, reason=RejectReason.OTHER, public_reasoning="x"
        )
    assert excinfo.value.message == services.NOT_SCREENABLE


def test_transfer_names_the_body(idea, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.idea_transfer(actor=coordinator, idea=idea, body="  ")
    assert excinfo.value.message == services.BODY_REQUIRED
    services.idea_transfer(actor=coordinator, idea=idea, body="Väylävirasto")
    idea.refresh_from_db()
    assert (idea.status, idea.transferred_to) == (IdeaStatus.TRANSFERRED, "Väylävirasto")


def test_duplicate_points_to_the_original_and_not_to_itself(idea, coordinator, cycle):
    original = IdeaFactory(cycle=cycle)
    with pytest.raises(ValidationError) as excinfo:
        services.idea_mark_duplicate(actor=coordinator, idea=idea, original=idea)
    assert excinfo.value.message == services.DUPLICATE_OF_ITSELF
    services.idea_mark_duplicate(actor=coordinator, idea=idea, original=original)
    idea.refresh_from_db()
    assert idea.duplicate_of == original


def test_a_resident_cannot_screen(idea, resident):
    with pytest.raises(PermissionDenied):
        services.idea_start_screening(actor=resident, idea=idea)


def test_staff_enter_a_paper_idea_outside_ideation_with_the_channel(
    coordinator, cycle, time_machine
):
    time_machine.move_to(helsinki(2027, 1, 5, 9, 0), tick=False)
    idea = services.idea_enter_on_behalf(
        actor=coordinator,
        cycle=cycle,
        channel="paper",
        title="Kylän ilmoitustaulu",
        description="Kaupan pihaan.",
        submitter_name="Irma V.",
        submitter_birth_year=1941,
    )
    assert (idea.channel, idea.submitter, idea.submitter_name) == ("paper", None, "Irma V.")


# --- volunteering ------------------------------------------------------------------------


def test_a_pledge_is_made_once_and_can_be_withdrawn(idea, other_resident):
    pledge = services.pledge_create(actor=other_resident, idea=idea, what="Maalaus", hours=4)
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_create(actor=other_resident, idea=idea, what="Lisää", hours=2)
    assert excinfo.value.message == services.ALREADY_PLEDGED
    with pytest.raises(PermissionDenied):
        services.pledge_withdraw(actor=idea.submitter, pledge=pledge)
    services.pledge_withdraw(actor=other_resident, pledge=pledge)
    assert not VolunteerPledge.objects.exists()


def test_a_pledge_needs_sensible_hours(idea, other_resident):
    with pytest.raises(ValidationError):
        services.pledge_create(actor=other_resident, idea=idea, what="Kaikki", hours=100000)
    assert not VolunteerPledge.objects.exists()


# --- workshops ---------------------------------------------------------------------------


def test_a_full_workshop_puts_people_on_the_waiting_list_which_moves_up(
    cycle, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(helsinki(2027, 1, 2, 12, 0), tick=False)
    workshop = WorkshopFactory(cycle=cycle, capacity=2)
    people = [UserFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        states = [services.workshop_register(actor=p, workshop=workshop).status for p in people]
    assert states == ["registered", "registered", "waiting"]
    with pytest.raises(ValidationError) as excinfo:
        services.workshop_register(actor=people[0], workshop=workshop)
    assert excinfo.value.message == services.ALREADY_REGISTERED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.workshop_cancel(actor=people[0], workshop=workshop)
    assert promoted.user == people[2]
    assert promoted.status == RegistrationStatus.REGISTERED
    assert [m.to for m in mail.outbox] == [[people[2].email]]
    seats = WorkshopRegistration.objects.filter(status="registered").values_list("seat", flat=True)
    assert sorted(seats) == [1, 2]


def test_registration_closes_when_the_workshop_starts(cycle, resident, time_machine):
    workshop = WorkshopFactory(cycle=cycle)
    time_machine.move_to(workshop.starts_at, tick=False)
    with pytest.raises(ValidationError) as excinfo:
        services.workshop_register(actor=resident, workshop=workshop)
    assert excinfo.value.message == services.WORKSHOP_STARTED


def test_putting_ideas_on_the_agenda_invites_consenting_submitters(
    idea, cycle, coordinator, django_capture_on_commit_callbacks
):
    shy = IdeaFactory(cycle=cycle, consents_to_codevelopment=False)
    workshop = WorkshopFactory(cycle=cycle)
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.workshop_set_agenda(
            actor=coordinator, workshop=workshop, ideas=[idea, shy]
        )
        again = services.workshop_set_agenda(
            actor=coordinator, workshop=workshop, ideas=[idea, shy]
        )
    assert (invited, again) == (1, 0)
    assert [m.to for m in mail.outbox] == [[idea.submitter.email]]


def test_reminders_go_out_once_the_day_before(
    cycle, resident, time_machine, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(cycle=cycle, starts_at=helsinki(2027, 1, 12, 17, 0))
    time_machine.move_to(helsinki(2027, 1, 5, 12, 0), tick=False)
    services.workshop_register(actor=resident, workshop=workshop)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.workshop_send_reminders(at=helsinki(2027, 1, 10, 9, 0)) == 0
        assert services.workshop_send_reminders(at=helsinki(2027, 1, 11, 9, 0)) == 1
        assert services.workshop_send_reminders(at=helsinki(2027, 1, 11, 10, 0)) == 0
    assert Notification.objects.filter(template="ideas_workshop_reminder").count() == 1


def test_attendance_is_recorded(cycle, coordinator, resident, other_resident, time_machine):
    time_machine.move_to(helsinki(2027, 1, 2, 12, 0), tick=False)
    workshop = WorkshopFactory(cycle=cycle)
    services.workshop_register(actor=resident, workshop=workshop)
    services.workshop_register(actor=other_resident, workshop=workshop)
    services.workshop_record_attendance(
        actor=coordinator, workshop=workshop, attended_user_ids=[resident.pk]
    )
    assert dict(workshop.registrations.values_list("user__email", "attended")) == {
        resident.email: True,
        other_resident.email: False,
    }


# --- proposals ---------------------------------------------------------------------------


def _forwarded(coordinator, idea):
    _sustain(coordinator, idea)
    return services.idea_forward(actor=coordinator, idea=idea)


def test_a_proposal_merges_forwarded_ideas_and_tells_their_submitters(
    idea, cycle, coordinator, django_capture_on_commit_callbacks
):
    second = IdeaFactory(cycle=cycle)
    for i in (idea, second):
        _forwarded(coordinator, i)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.proposal_create(
            actor=coordinator,
            cycle=cycle,
            ideas=[idea, second],
            title="Ulkokuntosali Käpylän urheilupuistoon",
            description="Laitteet ja alusta.",
            cost=Decimal("20000.00"),
            responsible_sector="Liikuntapalvelut",
        )
    assert set(proposal.source_ideas.all()) == {idea, second}
    idea.refresh_from_db()
    assert (idea.status, idea.proposal) == (IdeaStatus.MERGED, proposal)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [idea.submitter.email, second.submitter.email]
    )
    assert proposal.status == ProposalStatus.DRAFT


def test_only_forwarded_ideas_can_be_merged(idea, cycle, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.proposal_create(
            actor=coordinator,
            cycle=cycle,
            ideas=[idea],
            title="X",
            description="Y",
            cost=Decimal(1),
        )
    assert excinfo.value.message == services.PROPOSAL_NEEDS_FORWARDED_IDEAS
    assert excinfo.value.params == {"titles": idea.title}


def test_only_the_coordinator_approves_a_proposal_and_only_once(
    idea, cycle, coordinator, city_team_member
):
    _forwarded(coordinator, idea)
    proposal = services.proposal_create(
        actor=city_team_member,
        cycle=cycle,
        ideas=[idea],
        title="X",
        description="Y",
        cost=Decimal(100),
    )
    with pytest.raises(PermissionDenied):
        services.proposal_approve(actor=city_team_member, proposal=proposal)
    services.proposal_approve(actor=coordinator, proposal=proposal)
    with pytest.raises(ValidationError) as excinfo:
        services.proposal_approve(actor=coordinator, proposal=proposal)
    assert excinfo.value.message == services.PROPOSAL_NOT_DRAFT


def test_bulk_screening_writes_one_audit_entry_and_one_email_per_idea(
    cycle, coordinator, django_capture_on_commit_callbacks
):
    ideas = [IdeaFactory(cycle=cycle) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for i in ideas:
            services.idea_transfer(actor=coordinator, idea=i, body="ELY-keskus")
    assert AuditEntry.objects.filter(action="idea.transfer").count() == 3
    assert len(mail.outbox) == 3
