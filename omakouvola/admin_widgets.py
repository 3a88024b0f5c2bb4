"""Admin autocomplete that survives a posted id which is not an id.

Django's AutocompleteSelect looks the posted value up to re-render the form, so a value
such as " " or "²" raised ValueError there: a 500 instead of the form's own error.
"""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


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
