"""Thin views of the core app: parse, call a service, say what happened, redirect."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import geo, selectors, services
from .forms import DeleteAccountForm, ProfileForm
from .rules import permission_required


def home(request: HttpRequest) -> HttpResponse:
    cycle = selectors.cycle_current()
    youth_cycle = selectors.cycle_current(youth=True)
    return render(
        request,
        "omakouvola/home.html",
        {
            "cycle": cycle,
            "phases": cycle.phases() if cycle else [],
            "current_phase": cycle.current_phase() if cycle else None,
            "youth_cycle": youth_cycle,
            "areas": selectors.area_list(),
        },
    )


@permission_required("omakouvola.view_work_queues")
def staff_home(request: HttpRequest) -> HttpResponse:
    """What waits for this member of staff, grouped by their roles."""
    sections: dict[str, list] = {}
    for queue in selectors.work_queues(request.user):
        sections.setdefault(str(queue.section), []).append(queue)
    return render(
        request,
        "omakouvola/staff_home.html",
        {
            "sections": list(sections.items()),
            "total": sum(q.count for queues in sections.values() for q in queues),
        },
    )


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "omakouvola/accessibility.html")


def privacy_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "omakouvola/privacy.html")


@login_required
@require_GET
def my_page(request: HttpRequest) -> HttpResponse:
    """The resident's own page: each app adds its section (ideas, supports, pledges,
    workshop seats, follows, ballots voted in, comments) through
    `omakouvola.panels` under the kind "me"."""
    return render(request, "omakouvola/my_page.html")


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything held about the person, as a JSON download (GDPR art. 15 and 20)."""
    data = services.user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="omakouvola-my-data.json"'
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete_account(actor=user, user=user)
        messages.success(request, _("Your account was deleted."))
        return redirect("home")
    return render(request, "omakouvola/delete_account.html", {"form": form})


@permission_required("omakouvola.edit_own_profile")
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=user, user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("profile")
    # Reload so a refused form shows what is stored, not what was typed into the instance.
    if form.is_bound and not form.is_valid():
        user.refresh_from_db()
    return render(request, "omakouvola/profile.html", {"form": form})


# No request transaction: the check must answer even when the database cannot.
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, status = selectors.health_status()
    return JsonResponse(status, status=200 if healthy else 503)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "omakouvola/rate_limited.html", status=429)


@require_GET
def areas_geojson(request: HttpRequest) -> JsonResponse:
    """The five areas' approximate outlines, drawn on every map and used by the location
    picker to suggest an idea's area."""
    return JsonResponse(geo.areas_feature_collection(selectors.area_list()))
