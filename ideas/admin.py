"""The city team's screening tools. Every action calls a service, one idea at a time,
so each idea gets its own audit entry and its submitter their own e-mail."""

from __future__ import annotations

import base64

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from omakouvola.admin_base import AuditedAdmin, RuleInline, ServiceAdmin, adopt
from omakouvola.admin_files import private_file_display
from omakouvola.formatting import format_euros
from omakouvola.rules import allows

from . import services
from .forms import (
    AssignExpertForm,
    BulkScreeningForm,
    DuplicateForm,
    ForwardForm,
    IdeaImportForm,
    RejectForm,
    TransferForm,
)
from .importing import parse_idea_file
from .models import (
    Assessment,
    Idea,
    IdeaImage,
    IdeaStatus,
    IdeaStatusChange,
    Proposal,
    SustainabilityAssessment,
    Theme,
    VolunteerPledge,
    Workshop,
    WorkshopRegistration,
)
from .selectors import support_count_subquery


def _is_screener(user) -> bool:
    return allows(user, "ideas.screen_idea")


class HasSustainabilityFilter(admin.SimpleListFilter):
    title = _("sustainability assessment")
    parameter_name = "sustainability"

    def lookups(self, request, model_admin):
        return [("yes", _("Assessed")), ("no", _("Not assessed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(sustainability__isnull=False)
        if self.value() == "no":
            return queryset.filter(sustainability__isnull=True)
        return queryset


class SupportFilter(admin.SimpleListFilter):
    """Residents' support as a screening signal (issue #17): not a vote, a hint."""

    title = _("residents' support")
    parameter_name = "supports"

    def lookups(self, request, model_admin):
        return [
            ("none", _("No support")),
            ("1", _("At least 1")),
            ("10", _("At least 10")),
            ("50", _("At least 50")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(support_count=0)
        if self.value() in {"1", "10", "50"}:
            return queryset.filter(support_count__gte=int(self.value()))
        return queryset


class LaterCostsFilter(admin.SimpleListFilter):
    title = _("later costs")
    parameter_name = "later_costs"

    def lookups(self, request, model_admin):
        return [("yes", _("Creates yearly costs"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(assessment__maintenance_cost_per_year__gt=0)
        return queryset


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "feasibility",
            "feasibility_note",
            "cost_min",
            "cost_max",
            "maintenance_cost_per_year",
            "maintenance_justification",
        ]


class AssessmentInline(RuleInline, admin.StackedInline):
    model = Assessment
    form = AssessmentForm
    extra = 0
    max_num = 1
    can_delete = False


class SustainabilityInline(RuleInline, admin.StackedInline):
    model = SustainabilityAssessment
    fields = [
        ("ecological", "ecological_note"),
        ("social", "social_note"),
        ("economic", "economic_note"),
        "no_later_costs",
    ]
    extra = 0
    max_num = 1
    can_delete = False


class IdeaImageInline(RuleInline, admin.TabularInline):
    model = IdeaImage
    fields = ["image", "alt_text", "position"]
    readonly_fields = ["image"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StatusHistoryInline(RuleInline, admin.TabularInline):
    model = IdeaStatusChange
    fields = ["at", "from_status", "to_status", "public_reasoning"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class IdeaAdminForm(forms.ModelForm):
    """The idea as the city team edits it, with the scan of a paper form beside it (the
    scan is kept by a service, never by the model form)."""

    scan_upload = forms.FileField(
        label=_("Scan of the paper form"),
        required=False,
        help_text=_(
            "PDF, JPEG or PNG, at most 10 MB. Only the city team can open it; it is never public."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    remove_scan = forms.BooleanField(label=_("Remove the scan"), required=False)

    class Meta:
        model = Idea
        fields: list[str] = []  # the admin's fieldsets name them; never the scan's own field


SCAN_FIELDS = ("paper_scan_file", "scan_upload", "remove_scan")


@admin.register(Idea)
class IdeaAdmin(ServiceAdmin):
    form = IdeaAdminForm
    view_rule = "ideas.review_ideas"
    change_rule = "ideas.assess_idea"
    add_rule = "ideas.screen_idea"
    list_display = [
        "title",
        "cycle",
        "area",
        "theme",
        "status",
        "channel",
        "assigned_expert",
        "has_sustainability",
        "support_count",
        "created_at",
    ]
    list_filter = [
        "cycle",
        "area",
        "theme",
        "status",
        "channel",
        ("assigned_expert", admin.RelatedOnlyFieldListFilter),
        HasSustainabilityFilter,
        LaterCostsFilter,
        SupportFilter,
        "for_youth",
        "is_hidden",
    ]
    search_fields = ["title", "description", "address", "submitter__email", "submitter_name"]
    list_select_related = ["cycle", "area", "theme", "assigned_expert", "sustainability"]
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = [AssessmentInline, SustainabilityInline, IdeaImageInline, StatusHistoryInline]
    actions = [
        "start_screening",
        "assign_expert",
        "record_screening",
        "forward",
        "reject",
        "mark_duplicate",
        "transfer",
        "hide",
        "unhide",
    ]
    # Screening state changes only through the actions above, so it stays audited.
    readonly_fields = [
        "status",
        "reject_reason",
        "public_reasoning",
        "duplicate_of",
        "transferred_to",
        "proposal",
        "assigned_expert",
        "is_hidden",
        "submitter",
        "created_at",
        "paper_scan_file",
    ]
    fieldsets = (
        (None, {"fields": ("cycle", "title", "description", "area", "theme", "for_youth")}),
        (_("Location and cost"), {"fields": ("address", ("latitude", "longitude"), "rough_cost")}),
        (
            _("Submitter"),
            {
                "fields": (
                    "channel",
                    "submitter",
                    "submitter_name",
                    "submitter_contact",
                    "submitter_birth_year",
                    "on_behalf_of",
                    "consents_to_codevelopment",
                    *SCAN_FIELDS,
                )
            },
        ),
        (
            _("Screening"),
            {
                "fields": (
                    "status",
                    "assigned_expert",
                    "reject_reason",
                    "public_reasoning",
                    "duplicate_of",
                    "transferred_to",
                    "proposal",
                    "is_hidden",
                    "created_at",
                )
            },
        ),
    )

    paper_scan_file = private_file_display(
        "paper_scan",
        _("stored scan"),
        url_name="ideas:scan",
        # Stored under a random name (the sender's own file name often is their name).
        label=_("Open the scan (%(type)s)"),
    )

    @admin.display(boolean=True, description=_("sustainability"))
    def has_sustainability(self, obj: Idea) -> bool:
        return hasattr(obj, "sustainability")

    @admin.display(description=_("supports"), ordering="support_count")
    def support_count(self, obj: Idea) -> int:
        return obj.support_count

    # --- who sees what ------------------------------------------------------------

    def get_queryset(self, request):
        # The support count as a subquery: a column, an ordering and a filter (issue #17).
        queryset = super().get_queryset(request).annotate(support_count=support_count_subquery())
        if _is_screener(request.user):
            return queryset
        # A sector expert sees only the ideas assigned to them.
        return queryset.filter(assigned_expert=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not _is_screener(request.user):
            return {}
        return actions

    def get_fieldsets(self, request, obj=None):
        # The scan is the city team's alone (it carries the sender's contact details); the
        # stored one shows on a change page, "remove" only when there is one to remove.
        hidden: set[str] = set()
        if not _is_screener(request.user):
            hidden.update(SCAN_FIELDS)
        elif obj is None or not obj.paper_scan:
            hidden.update({"paper_scan_file", "remove_scan"})
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not _is_screener(request.user):
            return [f.name for f in Idea._meta.fields if f.name != "paper_scan"]
        if obj is None:
            # A paper idea is entered with the day it arrived, not the day it was typed in.
            return [name for name in self.readonly_fields if name != "created_at"]
        return self.readonly_fields

    # --- saving goes through services ---------------------------------------------

    def save_model(self, request, obj, form, change):
        scan = form.cleaned_data.get("scan_upload")
        if change:
            # Experts have no editable idea fields; they only fill in the inlines.
            corrected = [name for name in form.changed_data if name not in SCAN_FIELDS]
            if corrected:
                self.call_service(
                    lambda: services.idea_correct(
                        actor=request.user, idea=obj, changed_fields=corrected
                    )
                )
            if scan:
                adopt(
                    obj,
                    self.call_service(
                        lambda: services.idea_attach_scan(actor=request.user, idea=obj, scan=scan)
                    ),
                )
            elif form.cleaned_data.get("remove_scan"):
                adopt(
                    obj,
                    self.call_service(
                        lambda: services.idea_remove_scan(actor=request.user, idea=obj)
                    ),
                )
            return
        created = self.call_service(
            lambda: services.idea_enter_on_behalf(
                actor=request.user,
                cycle=obj.cycle,
                channel=obj.channel,
                title=obj.title,
                description=obj.description,
                submitter_name=obj.submitter_name,
                submitter_contact=obj.submitter_contact,
                submitter_birth_year=obj.submitter_birth_year,
                area=obj.area,
                theme=obj.theme,
                address=obj.address,
                rough_cost=obj.rough_cost,
                for_youth=obj.for_youth,
                consents_to_codevelopment=obj.consents_to_codevelopment,
                created_at=obj.created_at,
                scan=scan or None,
            )
        )
        adopt(obj, created)

    def save_formset(self, request, form, formset, change):
        if formset.model in (Assessment, SustainabilityAssessment):
            # Saved through services below; the admin's change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is Assessment:
            for inline_form in formset.forms:
                if inline_form.has_changed() and inline_form.is_valid():
                    data = inline_form.cleaned_data
                    self.call_service(
                        lambda data=data: services.assessment_record(
                            actor=request.user,
                            idea=form.instance,
                            **{k: data[k] for k in AssessmentForm.Meta.fields},
                        )
                    )
            return
        if formset.model is SustainabilityAssessment:
            for inline_form in formset.forms:
                if inline_form.has_changed() and inline_form.is_valid():
                    data = inline_form.cleaned_data
                    self.call_service(
                        lambda data=data: services.sustainability_record(
                            actor=request.user,
                            idea=form.instance,
                            **{k: data[k] for k in SUSTAINABILITY_FIELDS},
                        )
                    )
            return
        super().save_formset(request, form, formset, change)

    # --- actions ------------------------------------------------------------------

    def _with_form(self, request, queryset, form_class, title, apply, done, form_kwargs=None):
        return self.run_each_with_form(
            request,
            queryset,
            form_class,
            title,
            apply,
            done,
            template="admin/ideas/action_form.html",
            form_kwargs=form_kwargs,
            label=lambda idea: idea.title,
        )

    @admin.action(description=_("Start screening"))
    def start_screening(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda idea: services.idea_start_screening(actor=request.user, idea=idea),
            _("Screening started for %(count)s ideas."),
            label=lambda idea: idea.title,
        )

    @admin.action(description=_("Assign a sector expert"))
    def assign_expert(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            AssignExpertForm,
            _("Assign a sector expert"),
            lambda idea, data: services.idea_start_screening(
                actor=request.user, idea=idea, expert=data["expert"]
            ),
            _("An expert was assigned to %(count)s ideas."),
        )

    @admin.action(description=_("Record the sustainability assessment"))
    def record_screening(self, request, queryset):
        def apply(idea: Idea, data: dict) -> None:
            services.sustainability_record(
                actor=request.user, idea=idea, **{k: data[k] for k in SUSTAINABILITY_FIELDS}
            )
            if data["forward"]:
                services.idea_forward(
                    actor=request.user, idea=idea, public_reasoning=data["public_reasoning"]
                )

        done = (
            _("%(count)s ideas were assessed and forwarded to co-development.")
            if request.POST.get("forward")
            else _("The sustainability assessment was recorded for %(count)s ideas.")
        )
        return self._with_form(
            request,
            queryset,
            BulkScreeningForm,
            _("Record the sustainability assessment"),
            apply,
            done,
        )

    @admin.action(description=_("Forward to co-development"))
    def forward(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            ForwardForm,
            _("Forward to co-development"),
            lambda idea, data: services.idea_forward(
                actor=request.user, idea=idea, public_reasoning=data["public_reasoning"]
            ),
            _("%(count)s ideas were forwarded to co-development."),
        )

    @admin.action(description=_("Reject with a reason"))
    def reject(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            RejectForm,
            _("Reject with a reason"),
            lambda idea, data: services.idea_reject(
                actor=request.user,
                idea=idea,
                reason=data["reason"],
                public_reasoning=data["public_reasoning"],
            ),
            _("%(count)s ideas were rejected."),
        )

    @admin.action(description=_("Mark as a duplicate"))
    def mark_duplicate(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            DuplicateForm,
            _("Mark as a duplicate"),
            lambda idea, data: services.idea_mark_duplicate(
                actor=request.user,
                idea=idea,
                original=data["original"],
                public_reasoning=data["public_reasoning"],
            ),
            _("%(count)s ideas were marked as duplicates."),
            form_kwargs={"cycle_ids": set(queryset.values_list("cycle_id", flat=True))},
        )

    @admin.action(description=_("Transfer to another body"))
    def transfer(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            TransferForm,
            _("Transfer to another body"),
            lambda idea, data: services.idea_transfer(
                actor=request.user,
                idea=idea,
                body=data["body"],
                public_reasoning=data["public_reasoning"],
            ),
            _("%(count)s ideas were transferred."),
        )

    @admin.action(description=_("Hide from the public"))
    def hide(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda idea: services.idea_set_hidden(actor=request.user, idea=idea, hidden=True),
            _("%(count)s ideas were hidden."),
            label=lambda idea: idea.title,
        )

    @admin.action(description=_("Show to the public again"))
    def unhide(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda idea: services.idea_set_hidden(actor=request.user, idea=idea, hidden=False),
            _("%(count)s ideas are shown again."),
            label=lambda idea: idea.title,
        )

    # --- import -------------------------------------------------------------------

    def _may_import(self, request: HttpRequest) -> bool:
        return _is_screener(request.user) and self.has_add_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # The import button only for those the import page lets in (an expert saw it and
        # met a 403).
        extra_context = {**(extra_context or {}), "can_import": self._may_import(request)}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="ideas_idea_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self._may_import(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import ideas from a file"),
        }
        if request.method == "POST" and "confirm" in request.POST:
            stored = request.session.pop("ideas_import", None)
            form = IdeaImportForm()
            if stored:
                result = parse_idea_file(stored["name"], base64.b64decode(stored["content"]))
                cycle = form.fields["cycle"].queryset.filter(pk=stored["cycle"]).first()
                if result.ok and cycle is not None:
                    ideas = services.idea_import(actor=request.user, cycle=cycle, rows=result.rows)
                    self.message_user(
                        request,
                        ngettext(
                            "%(count)s idea was imported.",
                            "%(count)s ideas were imported.",
                            len(ideas),
                        )
                        % {"count": len(ideas)},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:ideas_idea_changelist"))
            self.message_user(
                request, _("Nothing was imported. Upload the file again."), messages.ERROR
            )
        elif request.method == "POST":
            form = IdeaImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                content = upload.read()
                result = parse_idea_file(upload.name, content)
                context.update(result=result, cycle=form.cleaned_data["cycle"])
                if result.ok:
                    request.session["ideas_import"] = {
                        "name": upload.name,
                        "content": base64.b64encode(content).decode(),
                        "cycle": form.cleaned_data["cycle"].pk,
                    }
        else:
            form = IdeaImportForm()
        context["form"] = form
        return TemplateResponse(request, "admin/ideas/import.html", context)


SUSTAINABILITY_FIELDS = [
    "ecological",
    "ecological_note",
    "social",
    "social_note",
    "economic",
    "economic_note",
    "no_later_costs",
]


@admin.register(Theme)
class ThemeAdmin(AuditedAdmin):
    view_rule = "omakouvola.view_reference_data"
    add_rule = "omakouvola.manage_reference_data"
    change_rule = "omakouvola.manage_reference_data"
    list_display = ["name", "name_sv", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(VolunteerPledge)
class VolunteerPledgeAdmin(ServiceAdmin):
    """The coordinator sees who offered help and how to reach them."""

    view_rule = "ideas.see_pledge_contacts"

    list_display = ["target", "user_name", "user_email", "what", "hours", "created_at"]
    list_filter = ["idea__cycle", "proposal__cycle"]
    search_fields = ["user__email", "user__display_name", "what", "idea__title", "proposal__title"]
    list_select_related = ["user", "idea", "proposal"]

    @admin.display(description=_("for"))
    def target(self, obj):
        return obj.idea or obj.proposal

    @admin.display(description=_("name"))
    def user_name(self, obj):
        return obj.user.display_name

    @admin.display(description=_("e-mail"))
    def user_email(self, obj):
        return obj.user.email

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RegistrationInline(RuleInline, admin.TabularInline):
    model = WorkshopRegistration
    fields = ["user", "status", "seat", "created_at", "attended"]
    readonly_fields = ["user", "status", "seat", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


# Ideas a workshop can still work on: screening has begun and they were not turned away.
AGENDA_STATUSES = [IdeaStatus.IN_SCREENING, IdeaStatus.FORWARDED, IdeaStatus.MERGED]
AGENDA_OTHER_CYCLE = _("Only ideas of the workshop's own round can be on its agenda: %(titles)s.")


class WorkshopAdminForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = [
            "cycle",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "ideas",
            "outcome",
        ]
        help_texts = {
            "ideas": _(
                "Ideas of this round that are in screening, forwarded or merged into a "
                "proposal. Save the workshop first to see the ideas of its round."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ideas = Idea.objects.select_related("cycle").order_by("title")
        cycle_id = self.instance.cycle_id if self.instance.pk else None
        if cycle_id:
            # Keep ideas already on the agenda listed even if their status moved on.
            self.fields["ideas"].queryset = ideas.filter(
                Q(cycle_id=cycle_id, status__in=AGENDA_STATUSES)
                | Q(pk__in=self.instance.ideas.values("pk"))
            ).distinct()
        else:
            self.fields["ideas"].queryset = ideas.filter(
                status__in=AGENDA_STATUSES, cycle__implementation_ends_on__gte=timezone.localdate()
            )

    def clean(self):
        cleaned = super().clean()
        cycle, ideas = cleaned.get("cycle"), cleaned.get("ideas")
        if cycle is not None and ideas:
            foreign = [i.title for i in ideas if i.cycle_id != cycle.pk]
            if foreign:
                self.add_error("ideas", AGENDA_OTHER_CYCLE % {"titles": ", ".join(foreign)})
        return cleaned


@admin.register(Workshop)
class WorkshopAdmin(AuditedAdmin):
    view_rule = "ideas.manage_workshops"
    add_rule = "ideas.manage_workshops"
    change_rule = "ideas.manage_workshops"
    form = WorkshopAdminForm
    list_display = ["title", "cycle", "starts_at", "place", "capacity"]
    list_filter = ["cycle"]
    search_fields = ["title", "place"]
    filter_horizontal = ["ideas"]
    inlines = [RegistrationInline]

    def save_model(self, request, obj, form, change):
        form.agenda = form.cleaned_data.pop("ideas", None)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The agenda and attendance go through services: submitters who consented are
        # invited, and attendance is audited.
        if form.agenda is not None:
            invited = self.call_service(
                lambda: services.workshop_set_agenda(
                    actor=request.user, workshop=form.instance, ideas=form.agenda
                )
            )
            if invited:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s submitter was invited.",
                        "%(count)s submitters were invited.",
                        invited,
                    )
                    % {"count": invited},
                )
        for formset in formsets:
            # The admin's change message reads these; the service, not formset.save(),
            # writes the attendance.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is WorkshopRegistration and formset.has_changed():
                attended = [
                    f.instance.user_id
                    for f in formset.forms
                    if f.is_valid() and f.cleaned_data.get("attended")
                ]
                self.call_service(
                    lambda attended=attended: services.workshop_record_attendance(
                        actor=request.user, workshop=form.instance, attended_user_ids=attended
                    )
                )


class ProposalAdminForm(forms.ModelForm):
    source_ideas = forms.ModelMultipleChoiceField(
        label=_("ideas merged into this proposal"),
        queryset=Idea.objects.none(),
        required=True,
        help_text=_("Only ideas forwarded to co-development can be chosen."),
    )

    class Meta:
        model = Proposal
        fields = [
            "cycle",
            "title",
            "description",
            "area",
            "theme",
            "cost",
            "responsible_sector",
            "sustainability_summary",
            "image",
            "image_alt_text",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["source_ideas"]
        field.queryset = Idea.objects.filter(status="forwarded").select_related(
            "cycle", "assessment"
        )
        field.label_from_instance = _idea_with_expert_costs

    def clean(self):
        cleaned = super().clean()
        _refuse_false_no_costs_claim(self, cleaned, cleaned.get("source_ideas") or [])
        return cleaned


def _idea_with_expert_costs(idea: Idea) -> str:
    """The expert's yearly figure beside each idea, so the text can be written to match."""
    assessment = getattr(idea, "assessment", None)
    if assessment is None:
        return _("%(title)s (%(cycle)s): not assessed") % {
            "title": idea.title,
            "cycle": idea.cycle.name,
        }
    return _("%(title)s (%(cycle)s): expert's yearly maintenance cost %(cost)s") % {
        "title": idea.title,
        "cycle": idea.cycle.name,
        "cost": format_euros(assessment.maintenance_cost_per_year),
    }


def _refuse_false_no_costs_claim(form: forms.ModelForm, cleaned: dict, ideas) -> None:
    texts = [cleaned.get(f, "") for f in ("title", "description", "sustainability_summary")]
    conflicts = services.proposal_later_costs_conflict(texts=texts, ideas=ideas)
    if conflicts:
        form.add_error(
            None, services.PROPOSAL_CLAIMS_NO_LATER_COSTS % {"ideas": ", ".join(conflicts)}
        )


class ProposalChangeForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ProposalAdminForm.Meta.fields

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            _refuse_false_no_costs_claim(self, cleaned, list(self.instance.source_ideas.all()))
        return cleaned


@admin.register(Proposal)
class ProposalAdmin(AuditedAdmin):
    view_rule = "ideas.prepare_proposal"
    add_rule = "ideas.prepare_proposal"
    change_rule = "ideas.prepare_proposal"
    list_display = ["title", "cycle", "area", "cost", "status", "responsible_sector"]
    list_filter = ["cycle", "status", "area"]
    search_fields = ["title", "description"]
    actions = ["approve"]
    readonly_fields = ["status", "approved_at", "ideas_merged"]

    @admin.display(description=_("ideas merged into this proposal"))
    def ideas_merged(self, obj):
        if not obj.pk:
            return "–"
        return "; ".join(
            _idea_with_expert_costs(i)
            for i in obj.source_ideas.select_related("cycle", "assessment")
        )

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = ProposalAdminForm if obj is None else ProposalChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*ProposalAdminForm.Meta.fields, "source_ideas"]
        return [*ProposalAdminForm.Meta.fields, "status", "approved_at", "ideas_merged"]

    def save_model(self, request, obj, form, change):
        if change:
            self.call_service(
                lambda: services.proposal_update(
                    actor=request.user, proposal=obj, changed_fields=form.changed_data
                )
            )
            return
        data = form.cleaned_data
        created = self.call_service(
            lambda: services.proposal_create(
                actor=request.user,
                cycle=data["cycle"],
                ideas=list(data["source_ideas"]),
                title=data["title"],
                description=data["description"],
                cost=data["cost"],
                area=data["area"],
                theme=data["theme"],
                responsible_sector=data["responsible_sector"],
                sustainability_summary=data["sustainability_summary"],
                image=data.get("image") or None,
                image_alt_text=data["image_alt_text"],
            )
        )
        adopt(obj, created)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description=_("Approve for the ballot"))
    def approve(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda proposal: services.proposal_approve(actor=request.user, proposal=proposal),
            _("%(count)s proposals approved."),
            label=lambda proposal: proposal.title,
        )
