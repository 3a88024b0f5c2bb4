"""The coordinator's money tools. Every save goes through a service so the limits, the
locks and the audit log apply in the admin exactly as elsewhere."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from committees.models import Grant
from omakouvola.admin_base import RuleInline, ServiceAdmin, adopt
from omakouvola.admin_files import private_file_display
from omakouvola.admin_widgets import SafeAutocompleteMixin
from omakouvola.formatting import format_euros
from voting.models import Proposal, WinnerDecision

from . import services
from .models import (
    Appropriation,
    AppropriationShare,
    Commitment,
    Expense,
    FundingSource,
    Implementation,
    ImplementationPhoto,
    ImplementationStatus,
    Milestone,
    ProgressNote,
    Report,
    VolunteerWork,
)
from .selectors import implementations_with_money, overspent_by, spent_of


@admin.register(FundingSource)
class FundingSourceAdmin(ServiceAdmin):
    view_rule = "budgets.manage_money"
    add_rule = "budgets.manage_money"
    change_rule = "budgets.manage_money"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        saved = self.call_service(
            lambda: services.funding_source_save(
                actor=request.user, name=obj.name, kind=obj.kind, description=obj.description
            )
        )
        adopt(obj, saved)


def _saved_by_service(formset) -> None:
    """The admin's change message reads these; the service, not formset.save(), writes."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class ShareInline(RuleInline, SafeAutocompleteMixin, admin.TabularInline):
    model = AppropriationShare
    extra = 2
    autocomplete_fields = ["source"]


class ShareFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        total = sum(
            (f.cleaned_data.get("amount") or 0)
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        )
        amount = self.instance.amount
        if amount is not None and total != amount:
            raise ValidationError(
                services.SHARES_DO_NOT_ADD_UP,
                params={"shares": total, "amount": amount},
            )


ShareInline.formset = ShareFormSet


@admin.register(Appropriation)
class AppropriationAdmin(ServiceAdmin):
    view_rule = "budgets.track_implementation"
    add_rule = "budgets.manage_money"
    change_rule = "budgets.manage_money"
    list_display = ["name", "year", "purpose", "amount"]
    list_filter = ["year", "purpose"]
    search_fields = ["name"]
    inlines = [ShareInline]

    def save_model(self, request, obj, form, change):
        """Saved with its shares in save_related, through the service."""

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        shares = {}
        for formset in formsets:
            _saved_by_service(formset)
            for f in formset.forms:
                data = getattr(f, "cleaned_data", None) or {}
                if data.get("source") and not data.get("DELETE"):
                    shares[data["source"]] = data["amount"]
        saved = self.call_service(
            lambda: services.appropriation_save(
                actor=request.user,
                year=obj.year,
                purpose=obj.purpose,
                name=obj.name,
                amount=obj.amount,
                shares=shares,
                note=obj.note,
                appropriation=obj if change else None,
            )
        )
        adopt(obj, saved)


class RecordedByServiceAdmin(ServiceAdmin):
    """Rows a service records from the form; once recorded they are not edited, only
    added to."""

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(RecordedByServiceAdmin):
    view_rule = "budgets.track_implementation"
    add_rule = "budgets.manage_money"
    fields = ["appropriation", "ballot", "allocation", "amount", "committed_on", "note"]
    list_display = ["appropriation", "ballot", "allocation", "amount", "committed_on"]
    list_filter = ["appropriation__year"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        made = self.call_service(
            lambda: services.commitment_create(
                actor=request.user,
                appropriation=data["appropriation"],
                ballot=data.get("ballot"),
                allocation=data.get("allocation"),
                amount=data.get("amount"),
                committed_on=data.get("committed_on"),
                note=data.get("note", ""),
            )
        )
        adopt(obj, made)


class MilestoneInline(RuleInline, admin.TabularInline):
    model = Milestone
    extra = 1


class NoteInline(RuleInline, admin.TabularInline):
    model = ProgressNote
    extra = 1
    fields = ["written_on", "text"]


class PhotoInline(RuleInline, admin.TabularInline):
    model = ImplementationPhoto
    extra = 1


class ExpenseInline(RuleInline, admin.TabularInline):
    model = Expense
    extra = 0
    fields = ["paid_on", "amount", "supplier", "invoice_reference", "description"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class VolunteerInline(RuleInline, admin.TabularInline):
    model = VolunteerWork
    extra = 0
    readonly_fields = ["done_on", "hours", "people", "description"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ImplementationForm(forms.ModelForm):
    """Says in the user's language what the database constraints would refuse."""

    class Meta:
        model = Implementation
        exclude: list[str] = []

    def clean(self):
        data = super().clean()
        status = data.get("status", self.instance.status)
        if (
            status == ImplementationStatus.DONE
            and "completed_on" in self.fields
            and not data.get("completed_on")
            and "completed_on" not in self.errors
        ):
            self.add_error("completed_on", ValidationError(services.DONE_NEEDS_DATE, code="done"))
        later = data.get("maintenance_cost_per_year")
        if later and later > 0 and not (data.get("maintenance_justification") or "").strip():
            self.add_error(
                "maintenance_justification",
                ValidationError(services.LATER_COSTS_NEED_REASON, code="later"),
            )
        return data


class ImplementationAddForm(forms.ModelForm):
    """Pick the confirmed winner or the grant the record follows; the rest is copied."""

    class Meta:
        model = Implementation
        fields = ["proposal", "grant"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        confirmed = WinnerDecision.confirmed.through.objects.values("proposal_id")
        self.fields["proposal"].queryset = Proposal.objects.filter(
            pk__in=confirmed, implementation__isnull=True
        )
        self.fields["grant"].queryset = Grant.objects.filter(implementation__isnull=True)

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("proposal") is None) == (data.get("grant") is None):
            raise ValidationError(services.WINNER_OR_GRANT, code="winner_or_grant")
        return data

    def _post_clean(self):
        # The record is built by the service; the model's own checks run there.
        pass


@admin.register(Implementation)
class ImplementationAdmin(ServiceAdmin):
    view_rule = "budgets.view_implementation"
    add_rule = "budgets.track_implementation"
    change_rule = "budgets.track_implementation"
    form = ImplementationForm
    list_display = ["title", "year", "area", "status", "progress", "planned_cost"]
    list_filter = ["year", "status", "area"]
    search_fields = ["title"]
    readonly_fields = [
        "proposal",
        "ballot",
        "grant",
        "title",
        "year",
        "area",
        "spent",
        "overspending",
        "created_at",
    ]
    fields = [
        "title",
        "year",
        "area",
        "proposal",
        "ballot",
        "grant",
        "description",
        "responsible_sector",
        "responsible_person",
        "status",
        "progress",
        "completed_on",
        "planned_cost",
        "spent",
        "overspending",
        "maintenance_cost_per_year",
        "maintenance_justification",
        "notes",
        "is_public",
        "created_at",
    ]
    inlines = [MilestoneInline, NoteInline, PhotoInline, ExpenseInline, VolunteerInline]
    actions = ["sync_missing"]

    def get_queryset(self, request):

        return implementations_with_money()

    @admin.display(description=_("Spent"))
    def spent(self, obj):

        return format_euros(spent_of(obj))

    @admin.display(description=_("Over budget by"))
    def overspending(self, obj):

        over = overspent_by(obj)
        return format_euros(over) if over else "–"

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_fields(self, request, obj=None):
        return ["proposal", "grant"] if obj is None else self.fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ImplementationAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            # Records are normally made by the deciding services; this adds one for a
            # confirmed winner or a grant that has none (e.g. decided before the hook).
            made = self.call_service(
                lambda: services.implementation_add(
                    actor=request.user,
                    proposal=form.cleaned_data.get("proposal"),
                    grant=form.cleaned_data.get("grant"),
                )
            )
            adopt(obj, made)
            return
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.IMPLEMENTATION_FIELDS
        }
        if changes:
            self.call_service(
                lambda: services.implementation_update(
                    actor=request.user, implementation=obj, **changes
                )
            )

    def save_formset(self, request, form, formset, change):
        _saved_by_service(formset)
        self.call_service(lambda: self._save_children(request, form.instance, formset))

    def _save_children(self, request, implementation, formset) -> None:
        for f in formset.forms:
            data = getattr(f, "cleaned_data", None) or {}
            if not data or not f.has_changed():
                continue
            if formset.model is Milestone and not data.get("DELETE"):
                services.milestone_save(
                    actor=request.user,
                    implementation=implementation,
                    title=data["title"],
                    due_on=data["due_on"],
                    done_on=data.get("done_on"),
                    milestone=f.instance if f.instance.pk else None,
                )
            elif formset.model is ProgressNote and not data.get("DELETE") and not f.instance.pk:
                services.progress_note_add(
                    actor=request.user,
                    implementation=implementation,
                    text=data["text"],
                    written_on=data["written_on"],
                )
            elif (
                formset.model is ImplementationPhoto
                and not data.get("DELETE")
                and not f.instance.pk
            ):
                services.photo_add(
                    actor=request.user,
                    implementation=implementation,
                    upload=data["image"],
                    alt_text=data["alt_text"],
                    taken_on=data.get("taken_on"),
                )
            elif data.get("DELETE") and f.instance.pk:
                services.implementation_child_delete(actor=request.user, child=f.instance)

    @admin.action(description=_("Create missing records for confirmed winners and grants"))
    def sync_missing(self, request, queryset):
        made = self.call_service(lambda: services.implementations_sync(actor=request.user))
        self.message_user(request, _("%(n)s implementation records created.") % {"n": made})


@admin.register(Expense)
class ExpenseAdmin(SafeAutocompleteMixin, RecordedByServiceAdmin):
    view_rule = "budgets.view_implementation"
    add_rule = "budgets.track_implementation"
    fields = ["implementation", "paid_on", "amount", "supplier", "invoice_reference", "description"]
    list_display = ["paid_on", "implementation", "supplier", "invoice_reference", "amount"]
    list_filter = ["implementation__year"]
    search_fields = ["supplier", "invoice_reference", "implementation__title"]
    autocomplete_fields = ["implementation"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        made = self.call_service(
            lambda: services.expense_record(
                actor=request.user,
                implementation=data["implementation"],
                paid_on=data["paid_on"],
                amount=data["amount"],
                supplier=data["supplier"],
                invoice_reference=data["invoice_reference"],
                description=data.get("description", ""),
            )
        )
        adopt(obj, made)


@admin.register(VolunteerWork)
class VolunteerWorkAdmin(SafeAutocompleteMixin, RecordedByServiceAdmin):
    view_rule = "budgets.track_implementation"
    add_rule = "budgets.track_implementation"
    fields = ["implementation", "done_on", "hours", "people", "description"]
    list_display = ["done_on", "implementation", "hours", "people"]
    autocomplete_fields = ["implementation"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        made = self.call_service(
            lambda: services.volunteer_work_record(
                actor=request.user,
                implementation=data["implementation"],
                done_on=data["done_on"],
                hours=data["hours"],
                people=data.get("people") or 1,
                description=data.get("description", ""),
            )
        )
        adopt(obj, made)


@admin.register(Report)
class ReportAdmin(ServiceAdmin):
    view_rule = "budgets.track_implementation"
    list_display = [
        "__str__",
        "period_start",
        "period_end",
        "language",
        "status",
        "is_published",
        "requested_at",
    ]
    list_filter = ["kind", "status", "is_published"]
    readonly_fields = [
        "pdf_file" if f.name == "pdf" else f.name for f in Report._meta.fields if f.name != "html"
    ]
    exclude = ["html", "pdf"]
    pdf_file = private_file_display(
        "pdf", Report._meta.get_field("pdf").verbose_name, "budgets:report_pdf"
    )

    def has_add_permission(self, request):
        return False
