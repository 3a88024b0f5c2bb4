"""The committees' services: applications, meetings, decisions, money, reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from committees import selectors, services
from committees.models import (
    AgendaKind,
    ApplicationStatus,
    Decision,
    FundingApplication,
    Grant,
    Membership,
    MembershipRole,
    Payment,
    RequestStatus,
)
from omakouvola.apportion import split_by_population
from omakouvola.models import AuditEntry, Notification

from .factories import AllocationFactory, RulesFactory, application_to
from .helpers import GRANT_ASSESSMENT, grant_input, held_meeting

pytestmark = pytest.mark.django_db

DRAFT = {
    "applicant_kind": "organisation",
    "organisation_name": "Utin Kyläyhdistys ry",
    "business_id": "2345678-0",
    "responsible_person": "Liisa Laine",
    "email": "Liisa@Example.fi",
    "phone": "",
    "title": "Utin kylätalon ikkunat",
    "description": "Ikkunat kunnostetaan talkoilla.",
    "own_funding": Decimal("300.00"),
    "volunteer_hours": 80,
    "starts_on": dt.date(2026, 5, 1),
    "ends_on": dt.date(2026, 8, 31),
    "sustainability_ecological": "Vanhat ikkunat säilyvät.",
    "sustainability_social": "Talkoot.",
    "sustainability_economic": "Ei jatkokuluja.",
}


def _draft(committee, *, actor=None, costs=("1000.00", "500.00"), asked="1200.00", **data):
    return services.application_save_draft(
        actor=actor,
        data={**DRAFT, **data},
        cost_rows=[services.CostRow("Rivi", Decimal(c)) for c in costs],
        request_rows=[services.RequestRow(committee, Decimal(asked))],
    )


# --- Applications ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("1234567-1", True),
        ("0987654-3", True),
        ("1234567-2", False),
        ("123", False),
        ("2345678-0", True),
        ("abcdefg-h", False),
    ],
)
def test_the_business_id_check_digit_is_verified(value, valid):
    if valid:
        assert services.validate_business_id(value) == value
    else:
        with pytest.raises(ValidationError) as excinfo:
            services.validate_business_id(value)
        assert excinfo.value.message == services.BUSINESS_ID_INVALID


def test_an_anonymous_draft_gets_the_secret_link_and_cannot_be_submitted_before_it_is_opened(
    committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = _draft(committee)
    assert application.email == "liisa@example.fi"
    assert application.email_verified_at is None
    assert len(mail.outbox) == 1
    assert application.token in mail.outbox[0].body
    with pytest.raises(ValidationError) as excinfo:
        services.application_submit(actor=None, application=application)
    assert services.EMAIL_NOT_VERIFIED in [e.message for e in excinfo.value.error_list]

    services.application_verify_email(application=application)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=None, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "Utin kylätalon ikkunat" in mail.outbox[-1].subject
    assert AuditEntry.objects.filter(action="application.submit").exists()


def test_a_verified_account_needs_no_link(committee, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = _draft(committee, actor=resident, email=resident.email)
    assert application.email_verified_at is not None
    assert application.created_by == resident
    assert mail.outbox == []


def test_cost_rows_that_do_not_add_up_stop_the_submission(committee):
    application = _draft(committee, costs=("1000.00",), asked="1200.00")
    services.application_verify_email(application=application)
    with pytest.raises(ValidationError) as excinfo:
        services.application_submit(actor=None, application=application)
    messages = [e.message for e in excinfo.value.error_list]
    assert services.COSTS_DO_NOT_ADD_UP in messages


def test_a_missing_self_assessment_stops_the_submission(committee):
    application = _draft(committee, sustainability_social="")
    services.application_verify_email(application=application)
    with pytest.raises(ValidationError) as excinfo:
        services.application_submit(actor=None, application=application)
    assert services.SELF_ASSESSMENT_MISSING in [e.message for e in excinfo.value.error_list]


def test_an_invalid_business_id_is_refused_by_the_service(committee):
    with pytest.raises(ValidationError) as excinfo:
        _draft(committee, business_id="1234567-9")
    assert excinfo.value.error_dict["business_id"][0].message == services.BUSINESS_ID_INVALID


def test_one_application_can_ask_several_committees(committee, keskusta_committee):
    AllocationFactory(committee=keskusta_committee, year=2026)
    application = services.application_save_draft(
        actor=None,
        data=DRAFT,
        cost_rows=[services.CostRow("Koulujen välituntivälineet", Decimal("2300.00"))],
        request_rows=[
            services.RequestRow(committee, Decimal("1000.00")),
            services.RequestRow(keskusta_committee, Decimal("1000.00")),
        ],
    )
    services.application_verify_email(application=application)
    services.application_submit(actor=None, application=application)
    assert application.requests.count() == 2


def test_attachments_are_checked_by_content_not_name(funding_request):
    application = funding_request.application
    application.status = ApplicationStatus.DRAFT
    application.save()
    pdf = SimpleUploadedFile("budjetti.pdf", b"%PDF-1.4\n...", content_type="application/pdf")
    attachment = services.attachment_add(actor=None, application=application, upload=pdf)
    assert attachment.content_type == "application/pdf"
    fake = SimpleUploadedFile("kuva.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(actor=None, application=application, upload=fake)
    assert excinfo.value.message == services.ATTACHMENT_TYPE


def test_a_too_large_attachment_is_refused(funding_request, monkeypatch):
    monkeypatch.setattr(services.applications, "MAX_ATTACHMENT_MB", 0)
    application = funding_request.application
    application.status = ApplicationStatus.DRAFT
    application.save()
    pdf = SimpleUploadedFile("iso.pdf", b"%PDF-1.4 big", content_type="application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(actor=None, application=application, upload=pdf)
    assert excinfo.value.message == services.ATTACHMENT_TOO_LARGE


# --- Meetings, quorum, conflicts --------------------------------------------------------


def _regular(committee):
    return list(Membership.objects.filter(committee=committee).exclude(role=MembershipRole.DEPUTY))


def _deputies(committee):
    return list(Membership.objects.filter(committee=committee, role=MembershipRole.DEPUTY))


def test_quorum_needs_more_than_half_of_the_members(committee, coordinator):
    meeting, _ = held_meeting(committee, coordinator, present=_regular(committee)[:4])
    quorum = selectors.meeting_quorum(meeting)
    assert (quorum.members, quorum.present, quorum.required) == (8, 4, 5)
    assert not quorum.has_quorum


def test_a_present_deputy_counts_for_an_absent_member(committee, coordinator):
    present = _regular(committee)[:4] + _deputies(committee)[:1]
    meeting, _ = held_meeting(committee, coordinator, present=present)
    quorum = selectors.meeting_quorum(meeting)
    assert quorum.present == 5
    assert quorum.has_quorum


def test_deputies_count_only_for_absent_members(committee, coordinator):
    present = _regular(committee) + _deputies(committee)
    meeting, _ = held_meeting(committee, coordinator, present=present)
    quorum = selectors.meeting_quorum(meeting)
    assert (quorum.present_members, quorum.deputies_counted) == (8, 0)


def test_a_rules_version_can_change_the_quorum(committee, coordinator):
    RulesFactory(committee=committee, quorum_share=Decimal("0.33"), valid_from=dt.date(2025, 1, 1))
    meeting, _ = held_meeting(committee, coordinator, present=_regular(committee)[:3])
    assert selectors.meeting_quorum(meeting).has_quorum


def test_a_decision_without_quorum_is_refused(committee, coordinator, funding_request):
    _, [item] = held_meeting(
        committee, coordinator, present=_regular(committee)[:4], requests=[funding_request]
    )
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(actor=coordinator, agenda_item=item, data=grant_input("1000"))
    assert excinfo.value.message == services.NO_QUORUM


def test_a_member_with_a_conflict_is_left_out_and_named(
    committee, coordinator, conflicted_user, funding_request
):
    services.conflict_declare(
        actor=conflicted_user, funding_request=funding_request, reason="Yhdistyksen hallituksessa"
    )
    meeting, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    decision = services.decision_record(
        actor=coordinator, agenda_item=item, data=grant_input("1000")
    )
    assert [m.name for m in decision.recused.all()] == ["Erkki Esteellinen"]
    # The conflicted member is not counted present for this matter.
    quorum = selectors.meeting_quorum(meeting, excluding=[decision.recused.get().pk])
    assert quorum.present_members == 7


def test_a_conflicted_member_who_is_needed_for_quorum_breaks_it(
    committee, coordinator, conflicted_user, funding_request
):
    services.conflict_declare(actor=conflicted_user, funding_request=funding_request, reason="x")
    regular = _regular(committee)
    present = [m for m in regular if m.user_id != conflicted_user.pk][:4] + [
        m for m in regular if m.user_id == conflicted_user.pk
    ]
    _, [item] = held_meeting(committee, coordinator, present=present, requests=[funding_request])
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(actor=coordinator, agenda_item=item, data=grant_input("1000"))
    assert excinfo.value.message == services.NO_QUORUM


def test_a_conflicted_chair_cannot_record_the_decision(committee, chair_user, funding_request):
    services.conflict_declare(
        actor=chair_user, funding_request=funding_request, reason="Sukulainen"
    )
    _, [item] = held_meeting(committee, chair_user, requests=[funding_request])
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(actor=chair_user, agenda_item=item, data=grant_input("1000"))
    assert excinfo.value.message == services.ACTOR_HAS_CONFLICT


def test_a_member_who_cannot_come_is_replaced_by_a_deputy(
    committee, chair_user, member_user, django_capture_on_commit_callbacks
):
    meeting = services.meeting_create(
        actor=chair_user,
        committee=committee,
        starts_at=dt.datetime(2026, 4, 2, 17, 0, tzinfo=dt.UTC),
        place="Kylätalo",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_send_invitations(actor=chair_user, meeting=meeting) == 8
    invited = {tuple(m.to) for m in mail.outbox}
    assert ("maija@example.fi",) in invited
    membership = Membership.objects.get(user=member_user)
    with django_capture_on_commit_callbacks(execute=True):
        deputy = services.participant_send_regrets(
            actor=member_user, meeting=meeting, membership=membership
        )
    assert deputy.role == MembershipRole.DEPUTY
    assert deputy.name == "Aaro Varajäsen"
    assert "Maija Jäsen" in mail.outbox[-1].body


def test_the_grant_needs_the_committees_sustainability_assessment(
    committee, coordinator, funding_request
):
    _, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    data = grant_input("1000", sustainability_social="")
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(actor=coordinator, agenda_item=item, data=data)
    assert excinfo.value.message == services.SUSTAINABILITY_REQUIRED


def test_a_grant_cannot_exceed_what_was_asked(committee, coordinator, funding_request):
    _, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(actor=coordinator, agenda_item=item, data=grant_input("1500.01"))
    assert excinfo.value.message == services.AMOUNT_OVER_REQUESTED


def test_the_rules_largest_grant_is_enforced(committee, coordinator, funding_request):
    RulesFactory(committee=committee, max_grant=Decimal("1000.00"), valid_from=dt.date(2025, 1, 1))
    _, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(actor=coordinator, agenda_item=item, data=grant_input("1200"))
    assert excinfo.value.message == services.AMOUNT_OVER_MAX_GRANT


def test_a_grant_over_what_is_left_in_the_allocation_is_refused(committee, coordinator):
    first = application_to(committee, "9000.00")
    second = application_to(committee, "1500.00")
    _, items = held_meeting(committee, coordinator, requests=[first, second])
    services.decision_record(actor=coordinator, agenda_item=items[0], data=grant_input("9000"))
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(actor=coordinator, agenda_item=items[1], data=grant_input("1500"))
    assert excinfo.value.message == services.ALLOCATION_EXCEEDED
    assert selectors.allocation_left(committee, 2026) == Decimal("1000.00")


def test_a_meeting_decision_makes_a_grant_and_a_letter(
    committee, coordinator, funding_request, django_capture_on_commit_callbacks
):
    _, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_record(
            actor=coordinator,
            agenda_item=item,
            data=grant_input("1200", votes_for=6, votes_against=2),
        )
    decision.refresh_from_db()
    grant = decision.grant
    assert grant.amount == Decimal("1200.00")
    assert grant.report_due == dt.date(2027, 3, 12)
    assert decision.letter_pdf
    application = FundingApplication.objects.get(pk=funding_request.application_id)
    assert application.status == ApplicationStatus.DECIDED
    assert mail.outbox[-1].to == [application.email]
    assert "1\xa0200,00\xa0€" in mail.outbox[-1].body


def test_return_for_completion_reopens_the_application(committee, coordinator, funding_request):
    _, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    services.decision_record(
        actor=coordinator,
        agenda_item=item,
        data=services.DecisionInput(outcome="return", rationale="Kustannusarvio puuttuu."),
    )
    application = FundingApplication.objects.get(pk=funding_request.application_id)
    assert application.status == ApplicationStatus.RETURNED
    services.application_submit(actor=None, application=application)
    funding_request.refresh_from_db()
    assert funding_request.status == RequestStatus.PENDING


# --- Small-grant fast track ------------------------------------------------------------


def test_the_chair_grants_a_small_amount_alone_and_it_is_reported_to_the_next_meeting(
    committee, chair_user, today
):
    small = application_to(committee, "400.00")
    meeting = services.meeting_create(
        actor=chair_user,
        committee=committee,
        starts_at=dt.datetime(2026, 4, 2, 17, 0, tzinfo=dt.UTC),
        place="Kylätalo",
    )
    decision = services.decision_fast_track(
        actor=chair_user, funding_request=small, data=grant_input("400")
    )
    assert decision.fast_track and decision.meeting is None
    [item] = meeting.agenda_items.all()
    assert item.kind == AgendaKind.FOR_INFORMATION
    assert item.information_decision == decision
    assert "400,00" in item.text


def test_a_fast_track_before_any_meeting_goes_on_the_next_meeting_created(
    committee, chair_user, today
):
    small = application_to(committee, "300.00")
    decision = services.decision_fast_track(
        actor=chair_user, funding_request=small, data=grant_input("300")
    )
    meeting = services.meeting_create(
        actor=chair_user,
        committee=committee,
        starts_at=dt.datetime(2026, 4, 2, 17, 0, tzinfo=dt.UTC),
        place="Kylätalo",
    )
    assert meeting.agenda_items.get().information_decision == decision
    # A later meeting does not report it again.
    later = services.meeting_create(
        actor=chair_user,
        committee=committee,
        starts_at=dt.datetime(2026, 5, 2, 17, 0, tzinfo=dt.UTC),
        place="Kylätalo",
    )
    assert not later.agenda_items.exists()


def test_the_fast_track_is_only_for_small_grants(committee, chair_user, funding_request, today):
    with pytest.raises(ValidationError) as excinfo:
        services.decision_fast_track(
            actor=chair_user, funding_request=funding_request, data=grant_input("501")
        )
    assert excinfo.value.message == services.OVER_SMALL_GRANT_LIMIT


def test_only_the_chair_may_fast_track(committee, member_user, today):
    small = application_to(committee, "300.00")
    with pytest.raises(PermissionDenied) as excinfo:
        services.decision_fast_track(
            actor=member_user, funding_request=small, data=grant_input("300")
        )
    assert excinfo.value.args[0] == services.NOT_THE_CHAIR


def test_a_former_chair_cannot_fast_track_by_dating_the_decision_in_their_term(
    committee, member_user, today
):
    """The rule asks who is chair today; the decision date does not bring a term back."""
    Membership.objects.filter(user=member_user).update(
        role=MembershipRole.CHAIR, term_start=dt.date(2021, 1, 1), term_end=dt.date(2026, 1, 31)
    )
    small = application_to(committee, "300.00")
    with pytest.raises(PermissionDenied):
        services.decision_fast_track(
            actor=member_user,
            funding_request=small,
            data=grant_input("300"),
            decided_on=dt.date(2026, 1, 15),
        )


def test_a_rules_version_raises_the_small_grant_limit(committee, chair_user, today):
    RulesFactory(
        committee=None, small_grant_limit=Decimal("800.00"), valid_from=dt.date(2026, 1, 1)
    )
    request = application_to(committee, "750.00")
    decision = services.decision_fast_track(
        actor=chair_user, funding_request=request, data=grant_input("750")
    )
    assert decision.amount == Decimal("750.00")


# --- Payments, closing, budget status ------------------------------------------------


def _grant(committee, actor, amount="1000"):
    request = application_to(committee, amount)
    _, [item] = held_meeting(committee, actor, requests=[request])
    return services.decision_record(actor=actor, agenda_item=item, data=grant_input(amount)).grant


def test_payments_never_exceed_the_grant(committee, coordinator):
    grant = _grant(committee, coordinator)
    services.payment_record(
        actor=coordinator,
        grant=grant,
        paid_on=dt.date(2026, 4, 1),
        amount=Decimal("600"),
        reference="Lasku 1",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.payment_record(
            actor=coordinator,
            grant=grant,
            paid_on=dt.date(2026, 4, 2),
            amount=Decimal("400.01"),
            reference="Lasku 2",
        )
    assert excinfo.value.message == services.PAYMENT_OVER_GRANT
    services.payment_record(
        actor=coordinator,
        grant=grant,
        paid_on=dt.date(2026, 4, 2),
        amount=Decimal("400"),
        reference="Lasku 2",
    )


def test_the_database_refuses_payments_over_the_grant(committee, coordinator):
    grant = _grant(committee, coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            grant=grant,
            paid_on=dt.date(2026, 4, 1),
            amount=Decimal("1000.01"),
            reference="ohi palvelun",
        )


def test_the_database_refuses_grants_over_the_allocation(committee, coordinator):
    grant = _grant(committee, coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(amount=Decimal("10000.01"))


def test_closing_a_grant_returns_the_unspent_money(committee, coordinator):
    grant = _grant(committee, coordinator, "2000")
    services.payment_record(
        actor=coordinator,
        grant=grant,
        paid_on=dt.date(2026, 5, 1),
        amount=Decimal("1500"),
        reference="Kuitti",
    )
    assert selectors.allocation_left(committee, 2026) == Decimal("8000.00")
    services.grant_close(actor=coordinator, grant=grant, on=dt.date(2026, 9, 1))
    assert selectors.allocation_left(committee, 2026) == Decimal("8500.00")
    before = selectors.committee_budget_status(committee, 2026, as_of=dt.date(2026, 8, 31))
    after = selectors.committee_budget_status(committee, 2026, as_of=dt.date(2026, 9, 1))
    assert (before.granted, after.granted) == (Decimal("2000.00"), Decimal("1500.00"))
    with pytest.raises(ValidationError) as excinfo:
        services.payment_record(
            actor=coordinator,
            grant=grant,
            paid_on=dt.date(2026, 9, 2),
            amount=Decimal("1"),
            reference="x",
        )
    assert excinfo.value.message == services.GRANT_CLOSED


def test_budget_status_as_of_dates(committee, coordinator):
    grant = _grant(committee, coordinator, "3000")  # decided 12.3.2026
    for day, amount in [((2026, 4, 1), "1000.50"), ((2026, 6, 1), "999.50")]:
        services.payment_record(
            actor=coordinator,
            grant=grant,
            paid_on=dt.date(*day),
            amount=Decimal(amount),
            reference="Lasku",
        )
    status = selectors.committee_budget_status(committee, 2026, as_of=dt.date(2026, 3, 11))
    assert (status.allocation, status.granted, status.paid, status.left) == (
        Decimal("10000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("10000.00"),
    )
    status = selectors.committee_budget_status(committee, 2026, as_of=dt.date(2026, 5, 1))
    assert (status.granted, status.paid, status.left) == (
        Decimal("3000.00"),
        Decimal("1000.50"),
        Decimal("7000.00"),
    )
    status = selectors.committee_budget_status(committee, 2026, as_of=dt.date(2026, 12, 31))
    assert status.used == Decimal("2000.00")


def test_the_allocation_cannot_drop_below_what_was_granted(committee, coordinator):
    _grant(committee, coordinator, "3000")
    with pytest.raises(ValidationError) as excinfo:
        services.allocation_set(
            actor=coordinator, committee=committee, year=2026, amount=Decimal("2999.99")
        )
    assert excinfo.value.message == services.ALLOCATION_BELOW_GRANTED


def test_the_2022_split_gives_about_a_euro_per_resident():
    populations = {
        "anjalankoski": 13_581,
        "elimaki-koria": 7_342,
        "keskusta": 28_833,
        "kuusankoski-jaala": 19_103,
        "valkeala": 10_653,
    }
    shares = split_by_population(Decimal("79512"), populations)
    assert shares == populations
    shares = split_by_population(Decimal("50000"), populations)
    assert sum(shares.values()) == 50000
    assert shares["keskusta"] == 18131


def test_a_tied_euro_goes_the_same_way_whatever_order_the_areas_come_in():
    """Equal remainders: the larger population, then the smaller key (one rule for all apps).

    The committees once had their own split whose ties followed the mapping's order.
    """
    assert split_by_population(10, {"b": 1, "a": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert split_by_population(10, {"c": 1, "b": 1, "a": 1}) == {"a": 4, "b": 3, "c": 3}
    # Quotas 0.5 and 1.5: the remainders tie and the larger area takes the euro.
    assert split_by_population(2, {"a": 1, "z": 3}) == {"a": 0, "z": 2}


def test_splitting_a_total_with_cents_is_refused_with_a_message(coordinator, committee):
    """The admin form accepts cents; the service says why it will not split them (no 500)."""
    with pytest.raises(ValidationError) as excinfo:
        services.allocations_split_by_population(
            actor=coordinator, year=2027, total=Decimal("1000.50")
        )
    assert excinfo.value.message == services.SPLIT_WHOLE_EUROS


def test_split_allocations_for_all_committees(committee, keskusta_committee, coordinator):
    result = services.allocations_split_by_population(
        actor=coordinator, year=2027, total=Decimal("1000")
    )
    assert sum(a.amount for a in result.values()) == Decimal("1000.00")
    assert result[keskusta_committee].amount == Decimal("730.00")


# --- Reports and reminders -------------------------------------------------------------


def test_report_reminders_go_out_once_before_and_once_after_the_deadline(
    committee, coordinator, django_capture_on_commit_callbacks
):
    grant = _grant(committee, coordinator)
    due = grant.report_due
    with django_capture_on_commit_callbacks(execute=True):
        assert services.grant_send_report_reminders(today=due - dt.timedelta(days=20)) == 0
        assert services.grant_send_report_reminders(today=due - dt.timedelta(days=10)) == 1
        assert services.grant_send_report_reminders(today=due - dt.timedelta(days=9)) == 0
        assert services.grant_send_report_reminders(today=due + dt.timedelta(days=1)) == 1
        assert services.grant_send_report_reminders(today=due + dt.timedelta(days=8)) == 0
    reminders = Notification.objects.filter(template="committees_report_reminder")
    assert reminders.count() == 2


def test_a_submitted_report_stops_the_reminders(committee, coordinator):
    grant = _grant(committee, coordinator)
    services.report_submit(
        actor=None,
        grant=grant,
        what_was_done="Ikkunat kunnostettiin.",
        actual_costs=Decimal("1190"),
        volunteer_hours=130,
    )
    assert services.grant_send_report_reminders(today=grant.report_due + dt.timedelta(days=2)) == 0
    with pytest.raises(ValidationError):
        services.report_submit(
            actor=None, grant=grant, what_was_done="x", actual_costs=Decimal("1"), volunteer_hours=0
        )


def test_a_committee_adopts_a_project_and_decides_it_like_any_application(committee, chair_user):
    application = services.committee_project_adopt(
        actor=chair_user,
        committee=committee,
        title="Ulkoportaat Valkealaan",
        description="Asukkaiden idea.",
        amount=Decimal("2000"),
    )
    request = application.requests.get()
    _, [item] = held_meeting(committee, chair_user, requests=[request])
    decision = services.decision_record(
        actor=chair_user, agenda_item=item, data=grant_input("2000")
    )
    assert decision.grant.amount == Decimal("2000.00")
    assert Decision.objects.count() == 1
    assert GRANT_ASSESSMENT["sustainability_social"] in decision.sustainability_social


def test_a_committee_adopts_a_resident_idea_as_its_project(committee, chair_user, cycle):
    from ideas.models import Idea

    idea = Idea.objects.create(
        cycle=cycle, title="Ulkoportaat", description="Portaat mäelle.", area=committee.area
    )
    application = services.committee_project_adopt(
        actor=chair_user,
        committee=committee,
        title="Valkealan ulkoportaat",
        description="Asukkaan idea komitean hankkeeksi.",
        amount=Decimal("5000"),
        idea=idea,
    )
    assert application.idea == idea
    assert list(idea.committee_projects.all()) == [application]


def test_a_160_character_title_fits_the_agenda_and_the_next_meeting(committee, chair_user, today):
    """Title (160) plus the applicant or the fast-track prefix once overflowed 200."""
    long_title = "Kyläkoulun pihan välituntivälineet " * 5
    long_title = long_title[:160]
    big = application_to(committee, "1500.00", title=long_title, organisation_name="Y" * 160)
    small = application_to(committee, "300.00", title=long_title, organisation_name="Y" * 160)
    meeting = services.meeting_create(
        actor=chair_user,
        committee=committee,
        starts_at=dt.datetime(2026, 4, 2, 17, 0, tzinfo=dt.UTC),
        place="Kylätalo",
    )
    item = services.agenda_add_request(actor=chair_user, meeting=meeting, funding_request=big)
    assert len(item.title) == 200 and item.title.startswith(long_title)
    decision = services.decision_fast_track(
        actor=chair_user, funding_request=small, data=grant_input("300")
    )
    reported = meeting.agenda_items.get(information_decision=decision)
    assert len(reported.title) <= 200
    later = services.meeting_create(
        actor=chair_user,
        committee=committee,
        starts_at=dt.datetime(2026, 5, 2, 17, 0, tzinfo=dt.UTC),
        place="Kylätalo",
    )
    assert later.pk


def test_a_granted_request_is_immutable_to_the_applicant_after_another_committee_returned_it(
    committee, coordinator, funding_request
):
    from committees.models import ApplicationStatus, FundingRequest

    from .factories import CommitteeFactory

    _, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    services.decision_record(actor=coordinator, agenda_item=item, data=grant_input("1200"))
    application = FundingApplication.objects.get(pk=funding_request.application_id)
    other = CommitteeFactory(slug="jaala", name="Jaalan aluetoimikunta")
    returned = FundingRequest.objects.create(
        application=application, committee=other, amount=Decimal("500.00"), status="returned"
    )
    FundingApplication.objects.filter(pk=application.pk).update(status=ApplicationStatus.RETURNED)
    application.refresh_from_db()
    data = {name: getattr(application, name) for name in services.APPLICATION_FIELDS}
    costs = [services.CostRow("Materiaalit", Decimal("3000"))]
    granted = Decimal("1500.00")
    for rows in (
        [services.RequestRow(committee, Decimal("2500")), services.RequestRow(other, 500)],
        [services.RequestRow(other, Decimal("500"))],  # removing the granted one
    ):
        with pytest.raises(ValidationError) as excinfo:
            services.application_save_draft(
                actor=None, data=data, cost_rows=costs, request_rows=rows, application=application
            )
        assert excinfo.value.message == services.DECIDED_REQUEST_LOCKED
        funding_request.refresh_from_db()
        assert (funding_request.amount, funding_request.status) == (granted, "granted")
    # The returned share can still be changed while the granted one stays as it was.
    services.application_save_draft(
        actor=None,
        data=data,
        cost_rows=costs,
        request_rows=[
            services.RequestRow(committee, granted),
            services.RequestRow(other, Decimal("700")),
        ],
        application=application,
    )
    returned.refresh_from_db()
    funding_request.refresh_from_db()
    assert (returned.amount, funding_request.amount) == (Decimal("700.00"), granted)
