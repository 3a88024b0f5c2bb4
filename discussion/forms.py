from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_COMMENT_LENGTH, ReportReason


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text; be kind and keep to the subject."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    official = forms.BooleanField(label=_("Official answer from the city"), required=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with the comment?"), choices=ReportReason, widget=forms.RadioSelect
    )


class ModerateForm(forms.Form):
    ACTIONS = ("hide", "restore", "approve", "keep")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    reason = forms.CharField(
        label=_("Reason shown in place of the comment"), max_length=300, required=False
    )
