"""Thin views: the public "what got built" pages, the dashboard with its downloads, and
the reports (request, list, read, publish). Each parses, calls one service or selector,
says what happened and redirects."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omakouvola.files import private_file_response
from omakouvola.rules import allows, check

from . import forms, selectors, services
from .models import Implementation, Report
from .reporting import dashboard_sections
from .tables import table_csv, table_xlsx

PAGE_SIZE = 24


# ---------------------------------------------------------------------------------------
# What got built (public)
# ---------------------------------------------------------------------------------------


def _built_filters(request: HttpRequest):
    """The list's query parameters, read the same way for the list and its map."""
    years = selectors.implementation_years()
    form = forms.BuiltFilterForm(request.GET or None, years=years)
    year = area = None
    if form.is_valid():
        year, area = form.cleaned_data["year"], form.cleaned_data["area"]
    return form, year, area


def built_list(request: HttpRequest) -> HttpResponse:
    form, year, area = _built_filters(request)
    page = Paginator(
        selectors.implementation_list_public(year=year, area=area), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request,
        "budgets/built_list.html",
        {
            "form": form,
            "page": page,
            "projects": page.object_list,
            "query": query,
            "map_data_url": f"{reverse('budgets:map_data')}?{query}",
            "off_map": selectors.implementations_off_map(year=year, area=area),
        },
    )


def built_map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the located projects the list shows under the same query parameters."""
    _form, year, area = _built_filters(request)
    return JsonResponse(selectors.implementation_map_features(year=year, area=area))


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        project = selectors.implementation_page(pk)
    except Implementation.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "budgets/project.html",
        {
            "project": project,
            "spent": selectors.spent_of(project),
            "overspent": selectors.overspent_by(project),
            "timeline": selectors.implementation_timeline(project),
        },
    )


# ---------------------------------------------------------------------------------------
# Dashboard (staff and council)
# ---------------------------------------------------------------------------------------


def proposal_panel(request: HttpRequest, proposal) -> str:
    """On a winning proposal's page: how its building goes, linked to the project's page.
    Nothing for a proposal that did not win or whose record the city keeps unpublished."""
    project = selectors.published_implementation_of(proposal)
    if project is None:
        return ""
    return render_to_string("budgets/_proposal_panel.html", {"project": project}, request=request)


def _dashboard_params(request: HttpRequest):
    default = {"year": selectors.dashboard_default_year()}
    form = forms.DashboardForm(request.GET or default)
    if not form.is_valid():
        form = forms.DashboardForm(default)
        form.is_valid()
    year, as_of = form.cleaned_data["year"], form.cleaned_data["as_of"]
    # Shown again as the day the figures are for, written in the page's language.
    return forms.DashboardForm(initial={"year": year, "as_of": as_of}), year, as_of


def dashboard(request: HttpRequest) -> HttpResponse:
    check(request, "budgets.view_dashboard")
    form, year, as_of = _dashboard_params(request)
    return render(
        request,
        "budgets/dashboard.html",
        {
            "form": form,
            "year": year,
            "as_of": as_of,
            "sections": dashboard_sections(year, as_of),
            "query": urlencode({"year": year, "as_of": as_of.isoformat()}),
            "request_form": forms.ReportRequestForm(initial={"year": year}),
            "reports": selectors.reports_for(request.user)[:10],
            "can_request": allows(request.user, "budgets.request_report"),
        },
    )


def table_download(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    check(request, "budgets.view_dashboard")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, year, as_of = _dashboard_params(request)
    for section in dashboard_sections(year, as_of):
        for table in section.tables:
            if table.key == key:
                name = f"{key}-{year}-{as_of.isoformat()}"
                if fmt == "csv":
                    response = HttpResponse(
                        table_csv(table), content_type="text/csv; charset=utf-8"
                    )
                else:
                    response = HttpResponse(
                        table_xlsx(table),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    )
                response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
                return response
    raise Http404


# ---------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------


def report_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "budgets/report_list.html",
        {
            "reports": selectors.reports_for(request.user),
            "can_request": allows(request.user, "budgets.request_report"),
            "can_publish": allows(request.user, "budgets.publish_report"),
            "request_form": forms.ReportRequestForm(),
        },
    )


@require_POST
def report_request(request: HttpRequest) -> HttpResponse:
    check(request, "budgets.request_report")
    form = forms.ReportRequestForm(request.POST)
    if form.is_valid():
        try:
            services.report_request(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The report is being built. We will e-mail you a link when it is ready."),
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("budgets:reports")


def _readable_report(request: HttpRequest, pk: int) -> Report:
    report = get_object_or_404(Report, pk=pk)
    if not allows(request.user, "budgets.read_report", report):
        # An unpublished report is not known to exist for those who may not read it.
        raise Http404
    if not report.is_published:
        check(request, "budgets.read_unpublished_report", report)  # staff: a second factor
    return report


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _readable_report(request, pk)
    return render(
        request,
        "budgets/report_detail.html",
        {"report": report, "can_publish": allows(request.user, "budgets.publish_report")},
    )


def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    report = _readable_report(request, pk)
    return private_file_response(
        report.pdf,
        filename=f"omakouvola-{report.kind}-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.pdf",
        inline=False,
        content_type="application/pdf",
    )


@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "budgets.publish_report")
    report = get_object_or_404(Report, pk=pk)
    publish = request.POST.get("publish") == "1"
    try:
        services.report_publish(actor=request.user, report=report, published=publish)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The report is now public.") if publish else _("The report is no longer public."),
        )
    return redirect("budgets:reports")
