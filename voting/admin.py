"""The coordinator's ballot tools: rules, proposals, results, paper batches, Pabulib."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ideas.models import Proposal, ProposalStatus
from omakouvola.admin_base import AdminRefused, ServiceAdmin, adopt
from omakouvola.files import private_file_response

from . import codes, selectors, services
from .counting.pabulib import write_pabulib
from .importing import parse_paper_votes
from .models import (
    Ballot,
    BallotGroup,
    BallotResult,
    CodeBatch,
    CodeBatchStatus,
    PaperBatch,
    WinnerDecision,
)


class BallotForm(forms.ModelForm):
    class Meta:
        model = Ballot
        fields = [
            "cycle",
            "group",
            "name",
            "description",
            "money",
            "operating_funds",
            "area",
            "proposals",
            "opens_at",
            "closes_at",
            "selection_rule",
            "min_choices",
            "max_choices",
            "counting_rule",
            "add1_step",
            "min_age",
            "max_age",
            "residency",
            "identity_level",
            "tie_break_seed",
        ]

    passphrase = forms.CharField(
        label=_("election passphrase"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Only for a new ballot. The votes are sealed with a key made from this passphrase; "
            "it is needed to count them and is not stored anywhere. Keep it safe."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.public_key and "passphrase" in self.fields:
            del self.fields["passphrase"]
        if "proposals" not in self.fields:  # view-only: every field is read-only
            return
        self.fields["proposals"].queryset = Proposal.objects.exclude(
            status__in=[ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN]
        ).select_related("cycle")


@admin.register(BallotGroup)
class BallotGroupAdmin(ServiceAdmin):
    view_rule = "voting.manage_ballots"
    add_rule = "voting.manage_ballots"
    change_rule = "voting.manage_ballots"
    list_display = ["name", "cycle", "choice"]

    def save_model(self, request, obj, form, change):
        self.call_service(
            lambda: services.ballot_group_save(
                actor=request.user, group=obj, changed_fields=form.changed_data
            )
        )


class ExtendForm(forms.Form):
    closes_at = forms.SplitDateTimeField(label=_("New closing time"))
    reason = forms.CharField(
        label=_("Reason for the extension"), max_length=500, widget=forms.Textarea({"rows": 3})
    )


@admin.register(Ballot)
class BallotAdmin(ServiceAdmin):
    view_rule = "voting.view_ballots"
    add_rule = "voting.manage_ballots"
    change_rule = "voting.manage_ballots"
    form = BallotForm
    list_display = [
        "name",
        "cycle",
        "money",
        "area",
        "opens_at",
        "closes_at",
        "counting_rule",
        "results_published_at",
    ]
    list_filter = ["cycle", "selection_rule", "counting_rule"]
    filter_horizontal = ["proposals"]
    actions = ["publish_results", "extend_voting"]
    readonly_fields = ["results_published_at"]

    def get_fields(self, request, obj=None):
        # The passphrase only makes a new ballot's key; once there is one, or for a role
        # that may only look, the field is not on the page at all.
        fields = super().get_fields(request, obj)
        if (obj is not None and obj.public_key) or not self.has_change_permission(request, obj):
            fields = [f for f in fields if f != "passphrase"]
        return fields

    def save_model(self, request, obj, form, change):
        proposals = form.cleaned_data.get("proposals")
        self.call_service(
            lambda: services.ballot_save(
                actor=request.user,
                ballot=obj,
                # The passphrase is no field of the ballot: it only derives the key.
                changed_fields=[f for f in form.changed_data if f != "passphrase"],
                proposals=proposals,
                passphrase=form.cleaned_data.get("passphrase", ""),
            )
        )

    def save_related(self, request, form, formsets, change):
        """Proposals were set by the service."""

    @admin.action(description=_("Count and publish the results"))
    def publish_results(self, request, queryset):
        """Asks for each ballot's election passphrase first: the votes are sealed."""
        ballots = list(queryset)
        if "apply" not in request.POST:
            return TemplateResponse(
                request,
                "admin/voting/publish_results.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "ballots": ballots,
                    "title": _("Count and publish the results"),
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        self.run_each(
            request,
            ballots,
            lambda ballot: (
                services.results_publish(
                    actor=request.user,
                    ballot=ballot,
                    passphrase=request.POST.get(f"passphrase_{ballot.pk}", ""),
                ),
                self.message_user(
                    request, _("%(ballot)s: results published.") % {"ballot": ballot}
                ),
            ),
        )
        return None

    @admin.action(description=_("Extend the voting time (with a reason)"))
    def extend_voting(self, request, queryset):
        ballot = queryset.first()
        return HttpResponseRedirect(reverse("admin:voting_ballot_extend", args=[ballot.pk]))

    def extend_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        ballot = get_object_or_404(Ballot, pk=pk)
        form = ExtendForm(request.POST or None, initial={"closes_at": ballot.closes_at})
        if request.method == "POST" and form.is_valid():
            try:
                self.call_service(
                    lambda: services.ballot_extend(
                        actor=request.user,
                        ballot=ballot,
                        closes_at=form.cleaned_data["closes_at"],
                        reason=form.cleaned_data["reason"],
                    )
                )
            except AdminRefused as refused:
                for text in refused.texts:
                    form.add_error(None, text)
            else:
                self.message_user(request, _("%(ballot)s: voting extended.") % {"ballot": ballot})
                return HttpResponseRedirect(reverse("admin:voting_ballot_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "ballot": ballot,
            "form": form,
            "title": _("Extend the voting time"),
        }
        return TemplateResponse(request, "admin/voting/ballot_extend.html", context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/extend/",
                self.admin_site.admin_view(self.extend_view),
                name="voting_ballot_extend",
            ),
            path(
                "<int:pk>/pabulib/",
                self.admin_site.admin_view(self.export_view),
                name="voting_ballot_pabulib",
            ),
            path(
                "<int:pk>/paper-import/",
                self.admin_site.admin_view(self.import_view),
                name="voting_ballot_paper_import",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        ballot = get_object_or_404(Ballot, pk=pk)
        result = getattr(ballot, "result", None)
        if result is None:
            # Sealed until counted: the file is made from the published count.
            self.message_user(request, selectors.KEY_NEEDED, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:voting_ballot_change", args=[ballot.pk]))
        winners = {int(w) for w in result.data["winners"]}
        response = HttpResponse(
            write_pabulib(selectors.ballot_election(ballot, selected=winners)),
            content_type="text/plain; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="ballot_{ballot.pk}.pb"'
        return response

    def import_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        ballot = get_object_or_404(Ballot, pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "ballot": ballot,
            "title": _("Import counted paper ballots"),
        }
        if request.method == "POST" and request.FILES.get("file"):
            upload = request.FILES["file"]
            parsed = parse_paper_votes(ballot, upload.read())
            context["parsed"] = parsed
            if parsed.ok and "confirm" in request.POST:
                try:
                    batch = self.call_service(
                        lambda: services.paper_votes_import(
                            actor=request.user,
                            ballot=ballot,
                            source_name=upload.name,
                            rows=parsed.rows,
                        )
                    )
                except AdminRefused as refused:
                    for text in refused.texts:
                        self.message_user(request, text, messages.ERROR)
                else:
                    self.message_user(
                        request, _("%(count)s paper votes imported.") % {"count": batch.count}
                    )
                    return HttpResponseRedirect(
                        reverse("admin:voting_ballot_change", args=[ballot.pk])
                    )
        return TemplateResponse(request, "admin/voting/paper_import.html", context)


@admin.register(PaperBatch)
class PaperBatchAdmin(ServiceAdmin):
    view_rule = "voting.manage_ballots"
    list_display = ["ballot", "source_name", "count", "imported_by", "imported_at"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False


@admin.register(BallotResult)
class BallotResultAdmin(ServiceAdmin):
    view_rule = "voting.view_ballots"
    list_display = ["ballot", "rule", "votes_counted", "counted_at"]
    readonly_fields = ["ballot", "rule", "votes_counted", "counted_at", "data", "turnout"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WinnerDecision)
class WinnerDecisionAdmin(ServiceAdmin):
    view_rule = "voting.view_ballots"
    list_display = ["ballot", "decision_number", "decided_on", "decided_by"]
    readonly_fields = [
        "ballot",
        "decision_number",
        "decided_on",
        "decided_by",
        "rule_used",
        "rationale",
        "computed_winners",
        "departures",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CodeBatchForm(forms.ModelForm):
    class Meta:
        model = CodeBatch
        fields = ["ballot", "place", "area", "min_age", "max_age", "size"]


@admin.register(CodeBatch)
class CodeBatchAdmin(ServiceAdmin):
    """Voting codes for a school, a library or a village evening: print, hand out, void."""

    view_rule = "voting.manage_ballots"

    add_rule = "voting.manage_ballots"
    change_rule = "voting.manage_ballots"

    form = CodeBatchForm
    list_display = ["place", "ballot", "status", "codes_used", "size", "slips"]
    list_filter = ["status", "ballot"]
    search_fields = ["place"]
    actions = ["void_batches", "erase_pdfs"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("ballot")
            .annotate(used_count=Count("codes", filter=Q(codes__used=True)))
        )

    @admin.display(description=_("codes used"), ordering="used_count")
    def codes_used(self, obj) -> int:
        return obj.used_count

    @admin.display(description=_("slips (PDF)"))
    def slips(self, obj):
        if obj.status != CodeBatchStatus.READY or not obj.pdf:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:voting_codebatch_pdf", args=[obj.pk]),
            _("Download the slips"),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["ballot", "place", "area", "min_age", "max_age", "size", "status", "voided_at"]

    def has_change_permission(self, request, obj=None):
        # A printed batch does not change: void it and print a new one.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # A refused batch comes back with what the coordinator typed still in the form.
        made = self.call_service(
            lambda: codes.code_batch_create(
                actor=request.user,
                ballot=form.cleaned_data["ballot"],
                place=form.cleaned_data["place"],
                size=form.cleaned_data["size"],
                area=form.cleaned_data.get("area"),
                min_age=form.cleaned_data.get("min_age"),
                max_age=form.cleaned_data.get("max_age"),
            )
        )
        adopt(obj, made)

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="voting_codebatch_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(CodeBatch, pk=pk)
        try:
            codes.code_batch_download(actor=request.user, batch=batch)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:voting_codebatch_changelist"))
        return private_file_response(
            batch.pdf, filename=f"voting-codes-{batch.pk}.pdf", inline=False
        )

    @admin.action(description=_("Void the batches (their unused codes stop working)"))
    def void_batches(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda batch: (
                codes.code_batch_void(actor=request.user, batch=batch),
                self.message_user(request, _("%(place)s: voided.") % {"place": batch.place}),
            ),
            label=lambda batch: batch.place,
        )

    @admin.action(description=_("Erase the printed slips' PDF (the codes keep working)"))
    def erase_pdfs(self, request, queryset):
        if self.run_each(
            request,
            queryset,
            lambda batch: codes.code_batch_erase_pdf(actor=request.user, batch=batch),
            label=lambda batch: batch.place,
        ):
            self.message_user(request, _("The PDF files were erased."))
