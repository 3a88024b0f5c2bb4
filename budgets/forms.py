"""Input parsing for the dashboard, the public list's filters and report requests."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from omakouvola.models import Area, Language

from .models import ReportKind
from .selectors import default_as_of, local_today


def _year_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(local_today().year, 2017, -1)]


class DashboardForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Money as it stood at the end of this day."),
    )

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year and not data.get("as_of"):
            data["as_of"] = default_as_of(year)
        return data


class BuiltFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.order_by("name"),
        required=False,
        empty_label=_("All areas"),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, y) for y in years]]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind, initial=ReportKind.ANNUAL)
    year = forms.TypedChoiceField(
        label=_("Year (annual report)"), coerce=int, choices=_year_choices, required=False
    )
    period_start = forms.DateField(
        label=_("From (interim report)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_end = forms.DateField(
        label=_("To (interim report)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language, initial=Language.FINNISH)

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportKind.ANNUAL:
            year = data.get("year")
            if not year:
                self.add_error("year", _("Choose the year."))
            else:
                data["period_start"], data["period_end"] = (
                    dt.date(year, 1, 1),
                    dt.date(year, 12, 31),
                )
        else:
            for name in ("period_start", "period_end"):
                if not data.get(name):
                    self.add_error(name, _("Give the dates of the period."))
        return data
