"""The coordinator's tools for the committees: people, rules, money, meetings, grants.

Writes that carry rules (allocations, payments, closing grants, minutes, invitations) go
through the services, from admin actions or save_model; the admin never overspends.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from omakouvola.admin_base import AuditedAdmin, RuleInline, ServiceAdmin, adopt
from omakouvola.admin_files import private_file_display
from omakouvola.admin_widgets import SafeAutocompleteMixin

from . import selectors, services
from .forms import SplitForm
from .models import (
    Allocation,
    Committee,
    Decision,
    FundingApplication,
    FundingRequest,
    Grant,
    Meeting,
    Membership,
    OperatingRules,
    Payment,
)


class MembershipInline(RuleInline, SafeAutocompleteMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["name", "role", "user", "email", "phone", "represents", "term_start", "term_end"]
    autocomplete_fields = ["user"]


class AllocationInline(RuleInline, admin.TabularInline):
    model = Allocation
    extra = 0
    fields = ["year", "amount", "note"]
    readonly_fields = ["year", "amount", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin):
    view_rule = "omakouvola.manage_reference_data"
    add_rule = "omakouvola.manage_reference_data"
    change_rule = "omakouvola.manage_reference_data"
    list_display = ["name", "area", "email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, AllocationInline]
    actions = ["split_by_population"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        committee = self.get_object(request, object_id)
        if committee is not None and request.method == "GET":
            for warning in selectors.composition_warnings(committee):
                messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(
        description=_("Split a year's appropriation between all committees by population")
    )
    def split_by_population(self, request, queryset):
        form = SplitForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            result = self.call_service(
                lambda: services.allocations_split_by_population(
                    actor=request.user,
                    year=form.cleaned_data["year"],
                    total=form.cleaned_data["total"],
                    note=str(_("Split by population")),
                )
            )
            self.message_user(
                request,
                _("%(n)s allocations set for %(year)s.")
                % {"n": len(result), "year": form.cleaned_data["year"]},
            )
            return None
        return render(
            request,
            "committees/admin/split.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "queryset": queryset,
                "action": "split_by_population",
                "title": _("Split by population"),
            },
        )


@admin.register(Membership)
class MembershipAdmin(SafeAutocompleteMixin, AuditedAdmin):
    view_rule = "omakouvola.manage_reference_data"
    add_rule = "omakouvola.manage_reference_data"
    change_rule = "omakouvola.manage_reference_data"
    delete_rule = "omakouvola.manage_reference_data"
    list_display = ["name", "committee", "role", "represents", "term_start", "term_end", "user"]
    list_filter = ["committee", "role"]
    search_fields = ["name", "email", "represents"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for warning in selectors.composition_warnings(obj.committee):
            messages.warning(request, warning)


@admin.register(OperatingRules)
class OperatingRulesAdmin(AuditedAdmin):
    view_rule = "omakouvola.manage_reference_data"
    add_rule = "omakouvola.manage_reference_data"
    change_rule = "omakouvola.manage_reference_data"
    list_display = ["__str__", "valid_from", "quorum_share", "small_grant_limit", "max_grant"]
    list_filter = ["committee"]


@admin.register(Allocation)
class AllocationAdmin(ServiceAdmin):
    view_rule = "committees.manage_money"
    add_rule = "committees.manage_money"
    change_rule = "committees.manage_money"
    list_display = ["committee", "year", "amount", "left_display"]
    list_filter = ["year", "committee"]
    list_select_related = ["committee"]

    @admin.display(description=_("left to grant"))
    def left_display(self, obj):
        return selectors.allocation_left(obj.committee, obj.year)

    def get_readonly_fields(self, request, obj=None):
        return ["committee", "year"] if obj else []

    def save_model(self, request, obj, form, change):
        made = self.call_service(
            lambda: services.allocation_set(
                actor=request.user,
                committee=obj.committee,
                year=obj.year,
                amount=obj.amount,
                note=obj.note,
            )
        )
        adopt(obj, made)


class FundingRequestInline(RuleInline, admin.TabularInline):
    model = FundingRequest
    extra = 0
    fields = ["committee", "amount", "status"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FundingApplication)
class FundingApplicationAdmin(ServiceAdmin):
    view_rule = "committees.manage_money"
    list_display = ["title", "applicant_name", "applicant_kind", "status", "submitted_at"]
    list_filter = ["status", "applicant_kind", "requests__committee"]
    search_fields = ["title", "organisation_name", "responsible_person", "email", "business_id"]
    readonly_fields = ["token", "created_at", "submitted_at", "email_verified_at", "created_by"]
    inlines = [FundingRequestInline]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("applicant"), ordering="organisation_name")
    def applicant_name(self, obj):
        return obj.applicant_name


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    view_rule = "committees.manage_meeting"
    add_rule = "committees.manage_meeting"
    change_rule = "committees.manage_meeting"
    list_display = ["__str__", "kind", "starts_at", "status", "minutes_generated_at"]
    list_filter = ["kind", "status", "committee"]
    list_select_related = ["committee"]
    readonly_fields = [
        "status",
        "invitations_sent_at",
        "attendance_recorded_at",
        "minutes_pdf_file",
        "minutes_generated_at",
        "minutes_approved_at",
        "minutes_approved_by",
        "created_by",
    ]
    exclude = ["minutes_pdf"]
    actions = ["send_invitations", "generate_minutes"]
    minutes_pdf_file = private_file_display(
        "minutes_pdf", Meeting._meta.get_field("minutes_pdf").verbose_name, "committees:minutes"
    )

    def get_readonly_fields(self, request, obj=None):
        # Who takes part follows from the committee when the meeting is made.
        fixed = ["kind", "committee"] if obj is not None else []
        return [*fixed, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            if form.changed_data:
                self.call_service(
                    lambda: services.meeting_update(
                        actor=request.user, meeting=obj, changed_fields=form.changed_data
                    )
                )
            return
        created = self.call_service(
            lambda: services.meeting_create(
                actor=request.user,
                committee=obj.committee,
                starts_at=obj.starts_at,
                place=obj.place,
                online_link=obj.online_link,
            )
        )
        adopt(obj, created)

    @admin.action(description=_("Send the invitations"))
    def send_invitations(self, request, queryset):
        sent = []
        self.run_each(
            request,
            queryset,
            lambda meeting: sent.append(
                services.meeting_send_invitations(actor=request.user, meeting=meeting)
            ),
        )
        total = sum(sent)
        self.message_user(
            request,
            ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", total) % {"n": total},
        )

    @admin.action(description=_("Generate the minutes (PDF)"))
    def generate_minutes(self, request, queryset):
        if self.run_each(
            request,
            queryset,
            lambda meeting: services.minutes_request(actor=request.user, meeting=meeting),
        ):
            self.message_user(request, _("The minutes are being generated."))


@admin.register(Decision)
class DecisionAdmin(ServiceAdmin):
    view_rule = "committees.manage_money"
    list_display = ["__str__", "outcome", "amount", "decided_on", "fast_track"]
    list_filter = ["outcome", "fast_track", "funding_request__committee"]
    list_select_related = ["funding_request__application", "funding_request__committee"]
    exclude = ["letter_pdf"]
    readonly_fields = ["letter_pdf_file"]
    letter_pdf_file = private_file_display(
        "letter_pdf", Decision._meta.get_field("letter_pdf").verbose_name
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PaymentInline(RuleInline, admin.TabularInline):
    model = Payment
    extra = 0
    fields = ["paid_on", "amount", "reference", "recorded_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Grant)
class GrantAdmin(ServiceAdmin):
    view_rule = "committees.manage_money"
    change_rule = "committees.manage_money"
    list_display = ["__str__", "committee", "year", "amount", "report_due", "closed_on"]
    list_filter = ["year", "committee", "closed_on"]
    list_select_related = ["committee", "decision__funding_request__application"]
    readonly_fields = ["decision", "committee", "year", "amount", "closed_on", "released_amount"]
    fields = [*readonly_fields, "report_due"]
    search_fields = ["decision__funding_request__application__title", "committee__name"]
    inlines = [PaymentInline]
    actions = ["close_grants"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Close: return the unspent money to the allocation"))
    def close_grants(self, request, queryset):
        if self.run_each(
            request,
            queryset,
            lambda grant: services.grant_close(actor=request.user, grant=grant),
        ):
            self.message_user(request, _("The grants were closed."))

    def save_model(self, request, obj, form, change):
        if "report_due" in form.changed_data:
            self.call_service(
                lambda: services.grant_set_report_due(
                    actor=request.user, grant=obj, report_due=obj.report_due
                )
            )


@admin.register(Payment)
class PaymentAdmin(SafeAutocompleteMixin, ServiceAdmin):
    view_rule = "committees.manage_money"
    add_rule = "committees.manage_money"
    list_display = ["grant", "paid_on", "amount", "reference"]
    list_filter = ["grant__committee", "grant__year"]
    list_select_related = ["grant__decision__funding_request__application", "grant__committee"]
    autocomplete_fields = ["grant"]
    fields = ["grant", "paid_on", "amount", "reference"]
    search_fields = ["reference"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Two payments at once both pass the form; the service's row lock and limits
        # refuse the second, and the refusal is shown on the form.
        payment = self.call_service(
            lambda: services.payment_record(
                actor=request.user,
                grant=obj.grant,
                paid_on=obj.paid_on,
                amount=obj.amount,
                reference=obj.reference,
            )
        )
        adopt(obj, payment)
