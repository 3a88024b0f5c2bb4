"""Thin views: the public committee pages, the application form and status page, and
the members' area (workspace, request page, meetings). Each parses, calls one service,
says what happened and redirects."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omakouvola.dates import local_today
from omakouvola.files import private_file_response
from omakouvola.ratelimits import limit_posts
from omakouvola.rules import allows, check

from . import forms, selectors, services
from .models import (
    AgendaItem,
    AgendaKind,
    Attachment,
    Committee,
    Decision,
    FundingApplication,
    FundingRequest,
    Grant,
    Meeting,
    MeetingStatus,
    Membership,
)


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    """The core guard: 403, the sign-in page for a visitor, a second factor for staff."""
    check(request, perm, obj)


def _guarded(view):
    # The guard's refusals are answered by omakouvola.middleware; kept as a marker.
    return view


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


_private_file = private_file_response


# ---------------------------------------------------------------------------------------
# Public pages
# ---------------------------------------------------------------------------------------


def committee_list(request: HttpRequest) -> HttpResponse:
    year = local_today().year
    return render(
        request,
        "committees/list.html",
        {"committees": selectors.committee_list_public(year=year), "year": year},
    )


def committee_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        committee = selectors.committee_page(slug)
    except Committee.DoesNotExist as exc:
        raise Http404 from exc
    today = local_today()
    year = today.year
    return render(
        request,
        "committees/detail.html",
        {
            "committee": committee,
            "members": [m for m in committee.active_memberships if not m.is_deputy],
            "deputies": [m for m in committee.active_memberships if m.is_deputy],
            # Soonest first; a planned meeting whose day has passed is not "coming".
            "upcoming": [
                m
                for m in reversed(committee.all_meetings)
                if m.status == MeetingStatus.PLANNED and m.starts_at >= timezone.now()
            ],
            "published": [m for m in committee.all_meetings if m.minutes_published],
            "grants": committee.all_grants,
            "budget": selectors.committee_budget_status(committee, year, as_of=today),
            "rules": selectors.rules_for(committee),
            "year": year,
            "is_member": allows(request.user, "committees.view_workspace", committee),
        },
    )


@limit_posts("RATE_LIMIT_APPLICATIONS")
def apply(request: HttpRequest) -> HttpResponse:
    committees = list(forms.committees_for_form())
    initial = {}
    if request.user.is_authenticated:
        initial = {"email": request.user.email, "responsible_person": request.user.get_full_name()}
    form = forms.ApplicationForm(request.POST or None, committees=committees, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_save_draft(
                actor=request.user,
                data=form.application_data(),
                cost_rows=form.cost_rows(),
                request_rows=form.request_rows(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if application.email_verified_at is not None:
                messages.success(request, _("Your draft was saved."))
                return redirect(application.get_absolute_url())
            return redirect("committees:link_sent")
    return render(request, "committees/apply.html", {"form": form, "creating": True})


def link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "committees/link_sent.html")


def _application_by_token(token: str) -> FundingApplication:
    return get_object_or_404(FundingApplication, token=token)


def application_status(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's page, reached through the secret link; opening it confirms the
    e-mail address the link was sent to."""
    application = _application_by_token(token)
    if application.email_verified_at is None:
        application = services.application_verify_email(application=application)
    decisions = list(selectors.application_decisions(application))
    return render(
        request,
        "committees/application.html",
        {
            "application": application,
            "requests": list(application.requests.select_related("committee")),
            "costs": list(application.cost_items.all()),
            "attachments": list(application.attachments.all()),
            "decisions": decisions,
            "problems": (
                [m for e in services.application_problems(application) for m in e.messages]
                if application.is_editable
                else []
            ),
            "attachment_form": forms.AttachmentForm(),
        },
    )


def application_edit(request: HttpRequest, token: str) -> HttpResponse:
    application = _application_by_token(token)
    if not application.is_editable:
        messages.error(request, services.NOT_EDITABLE)
        return redirect(application.get_absolute_url())
    committees = list(forms.committees_for_form())
    form = forms.ApplicationForm(request.POST or None, instance=application, committees=committees)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.application_save_draft(
                actor=request.user,
                application=application,
                data=form.application_data(),
                cost_rows=form.cost_rows(),
                request_rows=form.request_rows(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if saved.email_verified_at is None:
                return redirect("committees:link_sent")
            messages.success(request, _("Your changes were saved."))
            return redirect(saved.get_absolute_url())
    if form.is_bound and not form.is_valid():
        application.refresh_from_db()
    return render(
        request,
        "committees/apply.html",
        {"form": form, "creating": False, "application": application},
    )


@require_POST
@limit_posts("RATE_LIMIT_APPLICATIONS")
def application_submit(request: HttpRequest, token: str) -> HttpResponse:
    application = _application_by_token(token)
    try:
        services.application_submit(actor=request.user, application=application)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(
            request, _("Your application was submitted. A confirmation was sent by e-mail.")
        )
    return redirect(application.get_absolute_url())


@require_POST
def application_attach(request: HttpRequest, token: str) -> HttpResponse:
    application = _application_by_token(token)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user, application=application, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("The attachment was added."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect(application.get_absolute_url())


def application_letter(request: HttpRequest, token: str, pk: int) -> FileResponse:
    application = _application_by_token(token)
    decision = get_object_or_404(Decision, pk=pk, funding_request__application=application)
    return _private_file(decision.letter_pdf, filename=f"paatos-{decision.pk}.pdf")


def application_report(request: HttpRequest, token: str, grant_pk: int) -> HttpResponse:
    application = _application_by_token(token)
    grant = get_object_or_404(
        Grant, pk=grant_pk, decision__funding_request__application=application
    )
    form = forms.FinalReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        photo = form.cleaned_data.get("photo")
        try:
            services.report_submit(
                actor=request.user,
                grant=grant,
                what_was_done=form.cleaned_data["what_was_done"],
                actual_costs=form.cleaned_data["actual_costs"],
                volunteer_hours=form.cleaned_data["volunteer_hours"],
                photos=[photo] if photo else [],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you: your final report was submitted."))
            return redirect(application.get_absolute_url())
    return render(
        request,
        "committees/report.html",
        {"form": form, "application": application, "grant": grant},
    )


def my_applications(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "committees/my_applications.html",
        {"applications": selectors.applications_of(request.user)},
    )


@_guarded
def minutes_pdf(request: HttpRequest, pk: int) -> FileResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    _require(request, "committees.view_minutes", meeting)
    return _private_file(meeting.minutes_pdf, filename=f"poytakirja-{meeting.pk}.pdf")


# ---------------------------------------------------------------------------------------
# Members' area
# ---------------------------------------------------------------------------------------


@_guarded
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    committee = get_object_or_404(Committee.objects.select_related("area"), slug=slug)
    _require(request, "committees.view_workspace", committee)
    today = local_today()
    return render(
        request,
        "committees/workspace.html",
        {
            "committee": committee,
            "open_requests": selectors.requests_open(committee),
            "all_requests": selectors.applications_for_committee(committee)[:50],
            "meetings": selectors.meetings_upcoming(committee),
            "held": committee.meetings.exclude(status=MeetingStatus.PLANNED).order_by("-starts_at")[
                :10
            ],
            "budget": selectors.committee_budget_status(committee, today.year, as_of=today),
            "rules": selectors.rules_for(committee),
            "can_manage": allows(request.user, "committees.manage_meeting", committee),
            "can_adopt": allows(request.user, "committees.adopt_project", committee),
            "membership": selectors.membership_in(request.user, committee),
        },
    )


@_guarded
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        funding_request = selectors.request_detail(pk)
    except FundingRequest.DoesNotExist as exc:
        raise Http404 from exc
    _require(request, "committees.view_workspace", funding_request.committee)
    membership = selectors.membership_in(request.user, funding_request.committee)
    return render(
        request,
        "committees/request.html",
        {
            "fr": funding_request,
            "application": funding_request.application,
            "membership": membership,
            "my_conflict": any(
                c.membership_id == getattr(membership, "pk", None)
                for c in funding_request.conflicts.all()
            ),
            "comment_form": forms.CommentForm(),
            "conflict_form": forms.ConflictForm(),
            "fast_track_form": forms.FastTrackForm(),
            "can_fast_track": allows(request.user, "committees.fast_track", funding_request),
            "rules": selectors.rules_for(funding_request.committee),
        },
    )


@_guarded
@require_POST
def request_comment(request: HttpRequest, pk: int) -> HttpResponse:
    funding_request = get_object_or_404(FundingRequest, pk=pk)
    _require(request, "committees.comment", funding_request)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(
            actor=request.user, funding_request=funding_request, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Your comment was saved."))
    return redirect("committees:request", pk=pk)


@_guarded
@require_POST
def request_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    funding_request = get_object_or_404(FundingRequest, pk=pk)
    _require(request, "committees.declare_conflict", funding_request)
    form = forms.ConflictForm(request.POST)
    if form.is_valid():
        services.conflict_declare(
            actor=request.user,
            funding_request=funding_request,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            _("Your conflict of interest was recorded: you take no part in this decision."),
        )
    return redirect("committees:request", pk=pk)


@_guarded
def request_fast_track(request: HttpRequest, pk: int) -> HttpResponse:
    funding_request = get_object_or_404(
        FundingRequest.objects.select_related("application", "committee"), pk=pk
    )
    _require(request, "committees.fast_track", funding_request)
    form = forms.FastTrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_fast_track(
                actor=request.user,
                funding_request=funding_request,
                data=services.DecisionInput(outcome="grant", **form.cleaned_data),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The grant was decided. It goes on the next meeting's agenda for information."),
            )
            return redirect("committees:workspace", slug=funding_request.committee.slug)
    return render(
        request,
        "committees/fast_track.html",
        {
            "fr": funding_request,
            "form": form,
            "rules": selectors.rules_for(funding_request.committee),
        },
    )


@_guarded
def adopt_project(request: HttpRequest, slug: str) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug)
    _require(request, "committees.adopt_project", committee)
    form = forms.AdoptForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_project_adopt(
                actor=request.user, committee=committee, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error("amount" if getattr(exc, "code", None) == "amount" else None, exc)
        else:
            messages.success(request, _("The project was added to the committee's open matters."))
            return redirect("committees:workspace", slug=slug)
    return render(request, "committees/adopt.html", {"committee": committee, "form": form})


@_guarded
def meeting_new(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug) if slug else None
    if committee is None:
        _require(request, "committees.create_chairs_meeting")
    else:
        _require(request, "committees.manage_meeting", committee)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(
            actor=request.user, committee=committee, **form.cleaned_data
        )
        messages.success(request, _("The meeting was created."))
        return redirect(meeting.get_absolute_url())
    return render(request, "committees/meeting_new.html", {"committee": committee, "form": form})


@_guarded
def chairs_meetings(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.filter(committee__isnull=True).order_by("-starts_at")
    probe = meetings.first() or Meeting(kind="chairs")
    _require(request, "committees.view_meeting", probe)
    return render(
        request,
        "committees/chairs.html",
        {
            "meetings": meetings,
            "can_create": allows(request.user, "committees.create_chairs_meeting"),
        },
    )


@_guarded
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_detail(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    _require(request, "committees.view_meeting", meeting)
    can_manage = allows(request.user, "committees.manage_meeting", meeting)
    context = {
        "meeting": meeting,
        "can_manage": can_manage,
        "items": list(meeting.agenda_items.all()),
        "participants": list(meeting.participants.all()),
        "quorum": selectors.meeting_quorum(meeting) if meeting.committee_id else None,
        "my_participation": next(
            (p for p in meeting.participants.all() if p.membership.user_id == request.user.pk),
            None,
        ),
    }
    if can_manage:
        if meeting.committee_id:
            context["agenda_form"] = forms.AgendaAddForm(
                requests=selectors.requests_open(meeting.committee).exclude(
                    agenda_items__meeting=meeting
                )
            )
            people = Membership.objects.active_on(local_today()).filter(committee=meeting.committee)
        else:
            people = Membership.objects.filter(participations__meeting=meeting)
        context["attendance_form"] = forms.AttendanceForm(
            memberships=people.order_by("role", "name"),
            initial={"present": [p.membership_id for p in meeting.participants.all() if p.present]},
        )
        context["other_form"] = forms.AgendaOtherForm()
    return render(request, "committees/meeting.html", context)


def _managed_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    _require(request, "committees.manage_meeting", meeting)
    return meeting


def _run(request: HttpRequest, call, success: str) -> None:
    try:
        call()
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, success)


@_guarded
@require_POST
def meeting_agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    if "title" in request.POST:
        form = forms.AgendaOtherForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.agenda_add_item(
                    actor=request.user, meeting=meeting, **form.cleaned_data
                ),
                _("The matter was added to the agenda."),
            )
    else:
        form = forms.AgendaAddForm(
            request.POST, requests=FundingRequest.objects.filter(committee=meeting.committee)
        )
        if form.is_valid():
            _run(
                request,
                lambda: services.agenda_add_request(
                    actor=request.user,
                    meeting=meeting,
                    funding_request=form.cleaned_data["funding_request"],
                ),
                _("The application was added to the agenda."),
            )
    return redirect(meeting.get_absolute_url())


@_guarded
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    _run(
        request,
        lambda: services.meeting_send_invitations(actor=request.user, meeting=meeting),
        _("The invitations were sent."),
    )
    return redirect(meeting.get_absolute_url())


@_guarded
@require_POST
def meeting_regrets(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    _require(request, "committees.send_regrets", meeting)
    membership = Membership.objects.filter(
        participations__meeting=meeting, user=request.user
    ).first()
    if membership is None:
        raise PermissionDenied
    _run(
        request,
        lambda: services.participant_send_regrets(
            actor=request.user, meeting=meeting, membership=membership
        ),
        _("Noted: you cannot come. A deputy was invited in your place."),
    )
    return redirect(meeting.get_absolute_url())


@_guarded
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    people = (
        Membership.objects.filter(committee=meeting.committee)
        if meeting.committee_id
        else Membership.objects.filter(participations__meeting=meeting)
    )
    form = forms.AttendanceForm(request.POST, memberships=people)
    if form.is_valid():
        services.meeting_record_attendance(
            actor=request.user, meeting=meeting, present=form.cleaned_data["present"]
        )
        messages.success(request, _("The attendance was recorded."))
    return redirect(meeting.get_absolute_url())


@_guarded
def meeting_decide(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    item = get_object_or_404(
        AgendaItem.objects.select_related("funding_request__application"),
        pk=item_pk,
        meeting=meeting,
        kind=AgendaKind.APPLICATION,
    )
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                actor=request.user,
                agenda_item=item,
                data=services.DecisionInput(**form.cleaned_data),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The decision was recorded; the applicant's letter is being prepared.")
            )
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "committees/decide.html",
        {
            "meeting": meeting,
            "item": item,
            "fr": item.funding_request,
            "form": form,
            "quorum": selectors.meeting_quorum(
                meeting,
                excluding=item.funding_request.conflicts.values_list("membership_id", flat=True),
            ),
            # The year the decision is booked on (the service's): Kouvola's, not UTC's.
            "left": selectors.allocation_left(
                meeting.committee, selectors.meeting_day(meeting).year
            ),
        },
    )


@_guarded
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    services.minutes_request(actor=request.user, meeting=meeting)
    messages.success(request, _("The minutes are being generated; reload the page in a moment."))
    return redirect(meeting.get_absolute_url())


@_guarded
@require_POST
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    _run(
        request,
        lambda: services.minutes_approve(actor=request.user, meeting=meeting),
        _("The minutes were approved and published on the committee page."),
    )
    return redirect(meeting.get_absolute_url())


@_guarded
def member_letter(request: HttpRequest, pk: int) -> FileResponse:
    decision = get_object_or_404(
        Decision.objects.select_related("funding_request__committee"), pk=pk
    )
    _require(request, "committees.view_workspace", decision.funding_request.committee)
    return _private_file(decision.letter_pdf, filename=f"paatos-{decision.pk}.pdf")


def attachment_download(request: HttpRequest, pk: int, token: str | None = None) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    application = attachment.application
    has_link = token is not None and secrets.compare_digest(token, application.token)
    if not has_link and not allows(request.user, "committees.view_application", application):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return _private_file(attachment.file, filename=attachment.original_name, inline=False)
