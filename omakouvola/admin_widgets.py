"""Admin widgets: an autocomplete that survives a posted id which is not an id, and
date-and-time boxes that each have a name.

Django's AutocompleteSelect looks the posted value up to re-render the form, so a value
such as " " or "²" raised ValueError there: a 500 instead of the form's own error.
"""

from __future__ import annotations

from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy


class SafeAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        kept = []
        for v in value:
            try:
                target.to_python(v)
            except ValidationError:
                continue
            kept.append(v)
        return super().optgroups(name, kept, attr)


class SafeAutocompleteMixin:
    """For a ModelAdmin or inline with autocomplete_fields on foreign keys."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each with its own accessible name: Django labels
    the pair with one <label> that points at neither, so axe found two unlabelled inputs
    on every page with a date and time (a paper idea's arrival, for one)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        date, time = self.widgets
        date.attrs["aria-label"] = gettext_lazy("Date")
        time.attrs["aria-label"] = gettext_lazy("Time")
