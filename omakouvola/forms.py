"""Input parsing for the core app's pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User, postal_code_validator
from .services import validate_birth_year, validate_postal_code


class ProfileForm(forms.ModelForm):
    """A person's own profile; the service repeats the checks and writes."""

    class Meta:
        model = User
        fields = [
            "display_name",
            "postal_code",
            "birth_year",
            "preferred_language",
            "receives_optional_email",
        ]
        widgets = {
            "postal_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 5}
            ),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
        }
        help_texts = {
            "postal_code": _("A Kouvola postal code tells which area you live in."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postal_code"].validators = [postal_code_validator]
        self.fields["birth_year"].widget.attrs["max"] = timezone.localdate().year
        self.fields["birth_year"].widget.attrs["min"] = 1900

    def clean_postal_code(self) -> str:
        code = (self.cleaned_data.get("postal_code") or "").strip()
        validate_postal_code(code)
        return code

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        validate_birth_year(year)
        return year


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be deleted.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password
