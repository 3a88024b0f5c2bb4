"""Parsing the follow button and the delivery choice."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NO_NEWS, Delivery


class FollowForm(forms.Form):
    """The wanted state ("1" follow, "0" stop), never a toggle: a resend changes nothing."""

    follow = forms.TypedChoiceField(
        choices=[("1", _("Follow")), ("0", _("Stop following"))],
        coerce=lambda value: value == "1",
    )


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How do you want the news of what you follow?"),
        choices=[*Delivery.choices, (NO_NEWS, _("No news at all (I keep my follows)"))],
        widget=forms.RadioSelect,
    )
