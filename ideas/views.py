"""Residents' pages for ideas, workshops, volunteering and proposals."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omakouvola import selectors as core_selectors
from omakouvola.files import private_file_response
from omakouvola.models import Cycle, Phase
from omakouvola.ratelimits import limit_posts
from omakouvola.rules import allows, check, check_visible, is_verified, permission_required
from omakouvola.uploads import DOCUMENT_TYPES

from . import selectors, services
from .forms import CycleChoiceForm, IdeaFilterForm, IdeaForm, PledgeForm
from .models import Idea, Proposal, RegistrationStatus, VolunteerPledge, Workshop

PAGE_SIZE = 20


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _idea_filters(request: HttpRequest) -> tuple[IdeaFilterForm, selectors.IdeaFilters]:
    """The list's query parameters, read the same way for the list and its map."""
    choices = selectors.filter_choices()
    form = IdeaFilterForm(request.GET or None, choices=choices)
    data = form.cleaned_data if form.is_valid() else {}
    cycle = data.get("cycle") or selectors.cycle_current_of(choices["cycles"])
    area_value = data.get("area") or ""
    filters = selectors.IdeaFilters(
        cycle=cycle,
        area=next((a for a in choices["areas"] if str(a.pk) == area_value), None)
        if area_value.isascii() and area_value.isdigit()
        else None,
        whole_city=area_value == IdeaFilterForm.WHOLE_CITY,
        theme=data.get("theme"),
        status=data.get("status") or "",
        query=data.get("q") or "",
    )
    return form, filters


def idea_list(request: HttpRequest) -> HttpResponse:
    form, filters = _idea_filters(request)
    cycle = filters.cycle
    page = Paginator(
        selectors.IdeaListRows(filters, selectors.filter_choices()), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ideas/idea_list.html",
        {
            "form": form,
            "page": page,
            "cycle": cycle,
            "querystring": query.urlencode(),
            "map_data_url": f"{reverse('ideas:map_data')}?{query.urlencode()}",
        },
    )


def idea_map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the ideas the list shows under the same query parameters."""
    _form, filters = _idea_filters(request)
    return JsonResponse(selectors.idea_map_features(filters))


def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        idea = selectors.idea_detail(pk)
    except Idea.DoesNotExist:
        raise Http404 from None
    check_visible(request, "ideas.view_idea", idea)
    my_pledge = (
        VolunteerPledge.objects.filter(user=request.user, idea=idea).first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "ideas/idea_detail.html",
        {
            "idea": idea,
            "history": [c for c in idea.status_changes.all() if c.from_status],
            "summary": selectors.idea_public_assessment(idea),
            "pledge_form": PledgeForm(),
            "my_pledge": my_pledge,
            "can_edit": allows(request.user, "ideas.edit_idea", idea),
            "i_support": selectors.idea_supported_by(idea, request.user),
            "can_support": allows(request.user, "ideas.support_idea", idea),
            "support_open": idea.cycle.is_phase_open(Phase.IDEATION),
        },
    )


def _cycle_for_submission():
    return core_selectors.cycle_open_for_ideas() or core_selectors.cycle_current()


@login_required
@limit_posts("RATE_LIMIT_IDEAS")
def idea_submit(request: HttpRequest) -> HttpResponse:
    cycle = _cycle_for_submission()
    is_open = cycle is not None and cycle.is_phase_open(Phase.IDEATION)
    if not is_verified(request.user):
        messages.warning(request, str(services.NOT_VERIFIED))
        return redirect("account_email")
    form = IdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and is_open and form.is_valid():
        images, alts = form.images()
        try:
            idea = services.idea_submit(
                actor=request.user,
                cycle=cycle,
                images=images,
                alt_texts=alts,
                **form.idea_fields(),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Thank you! Your idea was submitted."))
            return redirect(idea)
    return render(
        request, "ideas/idea_form.html", {"form": form, "cycle": cycle, "is_open": is_open}
    )


@login_required
def idea_edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=pk)
    if not allows(request.user, "ideas.edit_idea", idea):
        if idea.submitter_id == request.user.pk:
            messages.error(request, str(services.IDEA_LOCKED))
            return redirect(idea)
        raise Http404
    images = list(idea.images.all())
    form = IdeaForm(
        request.POST or None,
        request.FILES or None,
        instance=idea,
        existing_images=len(images),
    )
    if request.method == "POST" and form.is_valid():
        new_images, alts = form.images()
        remove = [
            int(i) for i in request.POST.getlist("remove_image") if i.isascii() and i.isdigit()
        ]
        try:
            services.idea_update(
                actor=request.user,
                idea=idea,
                new_images=new_images,
                new_alt_texts=alts,
                remove_image_ids=remove,
                **form.idea_fields(),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Your idea was updated."))
            return redirect(idea)
    return render(
        request,
        "ideas/idea_form.html",
        {"form": form, "idea": idea, "images": images, "cycle": idea.cycle, "is_open": True},
    )


@login_required
def idea_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=pk)
    check_visible(request, "ideas.withdraw_idea", idea)
    if request.method == "POST":
        services.idea_withdraw(actor=request.user, idea=idea)
        messages.success(request, _("Your idea was withdrawn."))
        return redirect("my_page")
    return render(request, "ideas/idea_withdraw.html", {"idea": idea})


@login_required
def my_ideas(request: HttpRequest) -> HttpResponse:
    """The old "my ideas" page: the resident's own page has the same list and more."""
    return redirect(reverse("my_page") + "#my-ideas")


def my_page_panel(request: HttpRequest, user) -> str:
    """The ideas part of the resident's own page (registered in omakouvola.panels)."""
    upcoming, past = selectors.split_registrations(
        selectors.registrations_of_user(user), timezone.now()
    )
    return render_to_string(
        "ideas/_my_page.html",
        {
            "ideas": selectors.ideas_of_user(user),
            "supports": selectors.supports_of_user(user),
            "pledges": selectors.pledges_of_user(user),
            "upcoming_registrations": upcoming,
            "past_registrations": past,
        },
        request=request,
    )


@login_required
@require_POST
def pledge_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    # A draft or withdrawn proposal is not public: pledging on it is a 404, as viewing is.
    target = get_object_or_404(Idea if kind == "idea" else Proposal.objects.public(), pk=pk)
    if kind == "idea":
        check_visible(request, "ideas.view_idea", target)
    check(request, "ideas.pledge")
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            services.pledge_create(actor=request.user, **{kind: target}, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you for offering to help!"))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(target)


@login_required
@require_POST
def pledge_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_object_or_404(VolunteerPledge, pk=pk, user=request.user)
    target = pledge.idea or pledge.proposal
    services.pledge_withdraw(actor=request.user, pledge=pledge)
    messages.success(request, _("Your offer of help was withdrawn."))
    return redirect(target)


def _chosen_cycle(request: HttpRequest) -> tuple[CycleChoiceForm, Cycle | None]:
    form = CycleChoiceForm(request.GET or None)
    chosen = form.cleaned_data.get("cycle") if form.is_valid() else None
    return form, chosen or core_selectors.cycle_current()


def workshop_list(request: HttpRequest) -> HttpResponse:
    form, cycle = _chosen_cycle(request)
    return render(
        request,
        "ideas/workshop_list.html",
        {"workshops": selectors.workshop_list_public(cycle), "cycle": cycle, "form": form},
    )


def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        workshop = selectors.workshop_detail(pk)
    except Workshop.DoesNotExist:
        raise Http404 from None
    registration = (
        workshop.registrations.filter(user=request.user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "ideas/workshop_detail.html",
        {"workshop": workshop, "registration": registration},
    )


@login_required
@require_POST
def workshop_register(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_object_or_404(Workshop, pk=pk)
    if not allows(request.user, "ideas.register_workshop"):
        messages.error(request, str(services.NOT_VERIFIED))
        return redirect(workshop)
    try:
        registration = services.workshop_register(actor=request.user, workshop=workshop)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, _("You are registered. Welcome!"))
        else:
            messages.info(
                request,
                _(
                    "The workshop is full. You are on the waiting list and will be told "
                    "if a seat frees up."
                ),
            )
    return redirect(workshop)


@login_required
@require_POST
def workshop_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_object_or_404(Workshop, pk=pk)
    try:
        services.workshop_cancel(actor=request.user, workshop=workshop)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your registration was cancelled."))
    return redirect(workshop)


def proposal_list(request: HttpRequest) -> HttpResponse:
    form, cycle = _chosen_cycle(request)
    proposals = list(selectors.proposal_list_public(cycle))
    map_data_url = reverse("ideas:proposal_map_data")
    if cycle is not None:
        map_data_url += "?" + urlencode({"cycle": cycle.pk})
    return render(
        request,
        "ideas/proposal_list.html",
        {
            "proposals": proposals,
            "cycle": cycle,
            "form": form,
            "map_data_url": map_data_url,
            "off_map": selectors.off_map_count(proposals),
        },
    )


def proposal_map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the located proposals the list shows for the same round."""
    _form, cycle = _chosen_cycle(request)
    return JsonResponse(selectors.proposal_map_features(selectors.proposals_public_of(cycle)))


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        proposal = selectors.proposal_detail(pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    my_pledge = (
        VolunteerPledge.objects.filter(user=request.user, proposal=proposal).first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "ideas/proposal_detail.html",
        {"proposal": proposal, "pledge_form": PledgeForm(), "my_pledge": my_pledge},
    )


@login_required
@require_POST
@limit_posts("RATE_LIMIT_SUPPORTS")
def idea_support(request: HttpRequest, pk: int) -> HttpResponse:
    """Support an idea ("kannatan") or take the support back: the form posts the state."""
    idea = get_object_or_404(Idea.objects.public().select_related("cycle"), pk=pk)
    try:
        supports = services.idea_support_set(
            actor=request.user, idea=idea, support=request.POST.get("support") == "1"
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You cannot support this idea."))
    else:
        if supports:
            messages.success(request, _("You support this idea. Thank you!"))
        else:
            messages.info(request, _("You no longer support this idea."))
    return redirect(f"{idea.get_absolute_url()}#support")


@permission_required("ideas.screen_idea")
def idea_scan(request: HttpRequest, pk: int) -> FileResponse:
    """The scan of an idea's paper form, for the city team only: it shows the sender's
    handwriting and contact details, so it never has a public address."""
    idea = get_object_or_404(Idea.objects.only("pk", "paper_scan"), pk=pk)
    ending = PurePosixPath(idea.paper_scan.name).suffix.lower()
    content_type = next((t for t, e in DOCUMENT_TYPES.items() if e == ending), None)
    if content_type is None:
        raise Http404
    return private_file_response(
        idea.paper_scan, filename=f"idea-{idea.pk}-scan{ending}", content_type=content_type
    )
