"""Input parsing for the ideas pages and the admin's screening actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from omakouvola.fastforms import ListModelChoiceField, QuickSelect, QuickTextInput
from omakouvola.images import validate_image
from omakouvola.models import Area, Cycle, User

from .models import (
    MAX_IMAGES_PER_IDEA,
    Idea,
    IdeaStatus,
    Rating,
    RejectReason,
    Theme,
    VolunteerPledge,
)


class IdeaForm(forms.ModelForm):
    """Submit or edit an idea; up to three images, each with a description."""

    class Meta:
        model = Idea
        fields = [
            "title",
            "description",
            "area",
            "theme",
            "address",
            "latitude",
            "longitude",
            "rough_cost",
            "for_youth",
            "consents_to_codevelopment",
            "on_behalf_of",
        ]
        labels = {
            "title": _("Name of the idea"),
            "description": _("Describe the idea"),
            "address": _("Where? (address or place)"),
            "rough_cost": _("Rough cost estimate in euros (optional)"),
            "for_youth": _("This idea is meant for the youth budget"),
            "consents_to_codevelopment": _(
                "You may invite me to develop the idea further in a workshop"
            ),
        }
        help_texts = {
            "latitude": _("Optional. For example 60.86827."),
            "longitude": _("Optional. For example 26.70443."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "rough_cost": forms.NumberInput(attrs={"min": 0, "step": "1", "inputmode": "decimal"}),
            "latitude": forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
        }

    def __init__(self, *args, existing_images: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].empty_label = _("Whole city")
        self.fields["area"].queryset = Area.objects.order_by("name")
        self.fields["theme"].queryset = Theme.objects.order_by("name")
        self.fields["title"].widget.attrs["maxlength"] = 140
        self.image_slots = max(0, MAX_IMAGES_PER_IDEA - existing_images)
        for n in range(1, self.image_slots + 1):
            self.fields[f"image_{n}"] = forms.FileField(
                label=_("Image %(n)s (JPEG, PNG or WebP, at most 5 MB)") % {"n": n},
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/jpeg,image/png,image/webp"}
                ),
            )
            self.fields[f"image_{n}_alt"] = forms.CharField(
                label=_("What is in image %(n)s?") % {"n": n},
                required=False,
                max_length=200,
            )

    def clean(self):
        cleaned = super().clean()
        for n in range(1, self.image_slots + 1):
            upload = cleaned.get(f"image_{n}")
            if upload:
                try:
                    validate_image(upload)
                except forms.ValidationError as exc:
                    self.add_error(f"image_{n}", exc)
        return cleaned

    def idea_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def images(self) -> tuple[list, list[str]]:
        uploads, alts = [], []
        for n in range(1, self.image_slots + 1):
            upload = self.cleaned_data.get(f"image_{n}")
            if upload:
                uploads.append(upload)
                alts.append(self.cleaned_data.get(f"image_{n}_alt", ""))
        return uploads, alts


class IdeaFilterForm(forms.Form):
    """The list page's filters; every field is optional and bad values are ignored."""

    WHOLE_CITY = "city"

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=QuickTextInput(attrs={"class": "form-control"}),
    )
    cycle = ListModelChoiceField(
        label=_("Round"),
        queryset=Cycle.objects.none(),
        required=False,
        empty_label=_("Current"),
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    area = forms.ChoiceField(
        label=_("Area"), required=False, widget=QuickSelect(attrs={"class": "form-select"})
    )
    theme = ListModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, widget=QuickSelect(attrs={"class": "form-select"})
    )

    def __init__(self, *args, choices: dict[str, list] | None = None, **kwargs):
        """`choices`: the rounds, themes and areas already read (ideas.selectors.
        filter_choices); without it they are read here."""
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.order_by("-opens_on")
        self.fields["theme"].queryset = Theme.objects.order_by("name")
        if choices is not None:
            # The lists stand in for the querysets' results, so the options cost no query;
            # a chosen value is still looked up in the database when the form is cleaned.
            for name, key in (("cycle", "cycles"), ("theme", "themes")):
                self.fields[name].queryset._result_cache = list(choices[key])
        areas = choices["areas"] if choices is not None else Area.objects.order_by("name")
        self.fields["area"].choices = [
            ("", _("All")),
            (self.WHOLE_CITY, _("Whole city")),
            *[(str(a.pk), a.localized_name) for a in areas],
        ]
        self.fields["status"].choices = [
            ("", _("All")),
            *[(v, label) for v, label in IdeaStatus.choices if v != IdeaStatus.WITHDRAWN],
        ]


class CycleChoiceForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Round"), queryset=Cycle.objects.none(), required=False, empty_label=_("Current")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.order_by("-opens_on")


class PledgeForm(forms.ModelForm):
    class Meta:
        model = VolunteerPledge
        fields = ["what", "hours"]
        widgets = {"hours": forms.NumberInput(attrs={"min": 1, "max": 500})}


# --- Admin action forms ---------------------------------------------------------------


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectReason.choices)
    public_reasoning = forms.CharField(
        label=_("Public explanation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the idea's page and sent to the submitter."),
    )


class TransferForm(forms.Form):
    body = forms.CharField(
        label=_("Transferred to"),
        max_length=200,
        help_text=_("For example: Kaakkois-Suomen ELY-keskus"),
    )
    public_reasoning = forms.CharField(
        label=_("Public explanation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DuplicateForm(forms.Form):
    original = forms.ModelChoiceField(label=_("Original idea"), queryset=Idea.objects.none())
    public_reasoning = forms.CharField(
        label=_("Public explanation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, cycle_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].queryset = Idea.objects.filter(cycle_id__in=cycle_ids).order_by(
            "title"
        )


class ForwardForm(forms.Form):
    public_reasoning = forms.CharField(
        label=_("Public explanation (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class BulkScreeningForm(forms.Form):
    """The sustainability assessment and the "no later costs" check for many ideas."""

    ecological = forms.ChoiceField(label=_("Ecological"), choices=Rating.choices)
    ecological_note = forms.CharField(label=_("Ecological note"), max_length=500, required=False)
    social = forms.ChoiceField(label=_("Social"), choices=Rating.choices)
    social_note = forms.CharField(label=_("Social note"), max_length=500, required=False)
    economic = forms.ChoiceField(label=_("Economic"), choices=Rating.choices)
    economic_note = forms.CharField(label=_("Economic note"), max_length=500, required=False)
    no_later_costs = forms.BooleanField(
        label=_("These ideas create no later costs (no yearly maintenance costs)"),
        required=False,
    )
    forward = forms.BooleanField(
        label=_("Forward them to co-development right away"), required=False
    )
    public_reasoning = forms.CharField(
        label=_("Public explanation of the forwarding (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class AssignExpertForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Sector expert"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = User.objects.filter(
            groups__name="sector_expert", is_active=True
        ).order_by("display_name", "email")


class IdeaImportForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none())
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: title, description, area, theme, channel, address, rough_cost, "
            "for_youth, submitter_name, submitter_contact, submitter_birth_year, created_at"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.order_by("-opens_on")
