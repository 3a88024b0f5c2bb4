"""Input parsing for the committees pages; the services repeat the rules and write."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from omakouvola import money

from .models import (
    ApplicantKind,
    Committee,
    DecisionOutcome,
    FundingApplication,
    FundingRequest,
    Membership,
)
from .services import APPLICATION_FIELDS, CostRow, RequestRow, validate_business_id

MONEY = {**money.MONEY, "min_value": money.ZERO}


def _money_widget() -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"})


class ApplicationForm(forms.ModelForm):
    """The applicant, the project, the money asked from each committee, the costs."""

    COST_ROWS_SPARE = 3

    class Meta:
        model = FundingApplication
        fields = list(APPLICATION_FIELDS)
        widgets = {
            "applicant_kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "sustainability_ecological": forms.Textarea(attrs={"rows": 2}),
            "sustainability_social": forms.Textarea(attrs={"rows": 2}),
            "sustainability_economic": forms.Textarea(attrs={"rows": 2}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "own_funding": _money_widget(),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel"}),
            "responsible_person": forms.TextInput(attrs={"autocomplete": "name"}),
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        help_texts = {
            "organisation_name": _("Leave empty for a resident group."),
            "business_id": _("If the association has one, for example 1234567-1."),
            "own_funding": _("Money from the applicant or other funders, in euros."),
            "sustainability_ecological": _("How does the project treat nature and the climate?"),
            "sustainability_social": _("Whom does it bring together, whom does it serve?"),
            "sustainability_economic": _("Will it need money later, and from whom?"),
        }

    def __init__(self, *args, committees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_kind"].choices = [
            (ApplicantKind.ORGANISATION, ApplicantKind.ORGANISATION.label),
            (ApplicantKind.RESIDENT_GROUP, ApplicantKind.RESIDENT_GROUP.label),
        ]
        self.committees = list(committees)
        existing_requests = {}
        existing_costs = []
        if self.instance.pk:
            existing_requests = {r.committee_id: r.amount for r in self.instance.requests.all()}
            existing_costs = list(self.instance.cost_items.all())
        for committee in self.committees:
            self.fields[f"request_{committee.pk}"] = forms.DecimalField(
                label=committee.name,
                required=False,
                widget=_money_widget(),
                initial=existing_requests.get(committee.pk),
                **MONEY,
            )
        rows = len(existing_costs) + self.COST_ROWS_SPARE
        if self.is_bound:
            rows = max(rows, self._bound_cost_rows())
        self.cost_row_count = rows
        for i in range(1, rows + 1):
            item = existing_costs[i - 1] if i <= len(existing_costs) else None
            self.fields[f"cost_{i}_description"] = forms.CharField(
                label=_("Cost %(n)s") % {"n": i},
                required=False,
                max_length=200,
                initial=item.description if item else "",
            )
            self.fields[f"cost_{i}_amount"] = forms.DecimalField(
                label=_("Amount of cost %(n)s, €") % {"n": i},
                required=False,
                widget=_money_widget(),
                initial=item.amount if item else None,
                **MONEY,
            )

    def _bound_cost_rows(self) -> int:
        numbers = [
            int(key.split("_")[1])
            for key in self.data
            if key.startswith("cost_")
            and key.endswith("_description")
            and key.split("_")[1].isascii()
            and key.split("_")[1].isdigit()
        ]
        return min(max(numbers, default=0), 50)

    def request_fields(self):
        return [self[f"request_{c.pk}"] for c in self.committees]

    def cost_fields(self):
        return [
            (self[f"cost_{i}_description"], self[f"cost_{i}_amount"])
            for i in range(1, self.cost_row_count + 1)
        ]

    def main_fields(self):
        return [self[name] for name in APPLICATION_FIELDS]

    def clean_business_id(self) -> str:
        return validate_business_id((self.cleaned_data.get("business_id") or "").strip())

    def clean(self):
        cleaned = super().clean()
        for i in range(1, self.cost_row_count + 1):
            description = cleaned.get(f"cost_{i}_description")
            amount = cleaned.get(f"cost_{i}_amount")
            if description and amount is None:
                self.add_error(f"cost_{i}_amount", _("Give the amount of this cost."))
            if amount and not description:
                self.add_error(f"cost_{i}_description", _("Say what this cost is."))
        return cleaned

    def application_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in APPLICATION_FIELDS}

    def cost_rows(self) -> list[CostRow]:
        rows = []
        for i in range(1, self.cost_row_count + 1):
            description = self.cleaned_data.get(f"cost_{i}_description")
            amount = self.cleaned_data.get(f"cost_{i}_amount")
            if description and amount is not None:
                rows.append(CostRow(description=description, amount=amount))
        return rows

    def request_rows(self) -> list[RequestRow]:
        return [
            RequestRow(committee=c, amount=self.cleaned_data[f"request_{c.pk}"])
            for c in self.committees
            if self.cleaned_data.get(f"request_{c.pk}")
        ]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Internal comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the conflict of interest"),
        max_length=300,
        help_text=_("For example: I am on the board of the applicant association."),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    amount = forms.DecimalField(
        label=_("Amount granted, €"), required=False, widget=_money_widget(), **MONEY
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))
    sustainability_ecological = forms.CharField(
        label=_("The committee's assessment: ecological sustainability"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sustainability_social = forms.CharField(
        label=_("The committee's assessment: social sustainability"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sustainability_economic = forms.CharField(
        label=_("The committee's assessment: economic sustainability"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    votes_for = forms.IntegerField(
        label=_("Votes for (if there was a vote)"), required=False, min_value=0, max_value=50
    )
    votes_against = forms.IntegerField(
        label=_("Votes against"), required=False, min_value=0, max_value=50
    )


class FastTrackForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount granted, €"), widget=_money_widget(), **MONEY)
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))
    sustainability_ecological = DecisionForm.base_fields["sustainability_ecological"]
    sustainability_social = DecisionForm.base_fields["sustainability_social"]
    sustainability_economic = DecisionForm.base_fields["sustainability_economic"]


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    online_link = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("online_link"):
            raise forms.ValidationError(_("Give a place or an online meeting link."))
        return cleaned


class AgendaAddForm(forms.Form):
    funding_request = forms.ModelChoiceField(
        label=_("Application"), queryset=FundingRequest.objects.none()
    )

    def __init__(self, *args, requests=None, **kwargs):
        super().__init__(*args, **kwargs)
        if requests is not None:
            self.fields["funding_request"].queryset = requests
        self.fields["funding_request"].label_from_instance = lambda r: (
            f"{r.application.title} ({r.application.applicant_name})"
        )


class AgendaOtherForm(forms.Form):
    title = forms.CharField(label=_("Matter"), max_length=200)
    text = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, memberships=None, **kwargs):
        super().__init__(*args, **kwargs)
        if memberships is not None:
            self.fields["present"].queryset = memberships
        self.fields["present"].label_from_instance = lambda m: f"{m.name} – {m.get_role_display()}"


class AdoptForm(forms.Form):
    idea = forms.ModelChoiceField(
        label=_("Resident idea"),
        required=False,
        queryset=None,
        help_text=_("The participatory-budgeting idea the project comes from, if any."),
    )
    title = forms.CharField(label=_("Project"), max_length=160)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(label=_("Budget, €"), widget=_money_widget(), **MONEY)

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        from ideas.models import Idea

        self.fields["idea"].queryset = Idea.objects.filter(
            models.Q(area=committee.area) | models.Q(area__isnull=True)
        ).order_by("-id")


class FinalReportForm(forms.Form):
    what_was_done = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 5})
    )
    actual_costs = forms.DecimalField(label=_("Actual costs, €"), widget=_money_widget(), **MONEY)
    volunteer_hours = forms.IntegerField(label=_("Volunteer hours"), min_value=0, initial=0)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )


class SplitForm(forms.Form):
    """The admin's "split by population" action."""

    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)
    total = forms.DecimalField(label=_("Total for all committees, €"), **MONEY)


def committees_for_form():
    return Committee.objects.select_related("area").order_by("name")
