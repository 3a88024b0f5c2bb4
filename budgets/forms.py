"""Input parsing for the dashboard, the public list's filters and report requests."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from omakouvola.dates import local_today
from omakouvola.models import Area, Language

from .models import ReportKind
from .selectors import default_as_of


def _year_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(local_today().year, 2017, -1)]


class DashboardForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        # A text field in the page language's date format (2.12.2026 in Finnish): a
        # browser's date picker shows the browser's own locale (mm/dd/yyyy) instead.
        widget=forms.DateInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
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


ANNUAL_WITH_DATES = _(
    "An annual report covers the whole year %(year)s. Leave the dates empty, or choose an "
    "interim report for a period."
)
DATES_REQUIRED = _("Give the dates of the period.")
PERIOD_ORDER = _("The period cannot end before it starts.")


class ReportRequestForm(forms.Form):
    """An annual report asks for a year, an interim report for dates; the page shows only
    the fields of the chosen kind (static/budgets/report_form.js), and the form refuses
    the other kind's values rather than quietly building a report nobody asked for."""

    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind, initial=ReportKind.ANNUAL)
    year = forms.TypedChoiceField(
        label=_("Year (annual report)"), coerce=int, choices=_year_choices, required=False
    )
    period_start = forms.DateField(
        label=_("From (interim report)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "data-report-kind": ReportKind.INTERIM}),
    )
    period_end = forms.DateField(
        label=_("To (interim report)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "data-report-kind": ReportKind.INTERIM}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language, initial=Language.FINNISH)

    def __init__(self, *args, **kwargs):
        # Its own ids: the dashboard shows this form beside the year picker (id_year).
        kwargs.setdefault("auto_id", "report_%s")
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["data-report-kind"] = ReportKind.ANNUAL

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportKind.ANNUAL:
            year = data.get("year")
            if not year:
                self.add_error("year", _("Choose the year."))
            elif data.get("period_start") or data.get("period_end"):
                self.add_error(None, ANNUAL_WITH_DATES % {"year": year})
            else:
                data["period_start"], data["period_end"] = (
                    dt.date(year, 1, 1),
                    dt.date(year, 12, 31),
                )
        else:
            for name in ("period_start", "period_end"):
                if not data.get(name):
                    self.add_error(name, DATES_REQUIRED)
            start, end = data.get("period_start"), data.get("period_end")
            if start and end and end < start:
                self.add_error("period_end", PERIOD_ORDER)
        return data
