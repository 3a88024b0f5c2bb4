"""Input parsing for ballots, paper votes and the decision."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola.formatting import format_euros
from omakouvola.models import User, postal_code_validator

from . import eligibility
from .models import Ballot


class ProposalIdsField(forms.MultipleChoiceField):
    """Proposal ids as numbers. Whether they are on the ballot is the cast service's
    check, made under the ballot's lock, so the form needs no query of its own."""

    def valid_value(self, value) -> bool:
        # ASCII digits only, and few: "²" passes isdigit() but not int().
        return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18


class BallotChoiceForm(forms.Form):
    """The proposals a voter ticks; the service checks the ballot's rule."""

    proposals = ProposalIdsField(
        label=_("Proposals"), required=False, widget=forms.CheckboxSelectMultiple
    )
    wants_results = forms.BooleanField(
        label=_("E-mail me the results when they are confirmed"), required=False
    )

    def __init__(self, *args, ballot: Ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.ballot = ballot

    def proposal_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["proposals"]]


class PaperVoteForm(forms.Form):
    ballot = forms.ModelChoiceField(label=_("Ballot"), queryset=Ballot.objects.none())
    identifier = forms.CharField(
        label=_("Personal identifier from the identity document"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "A Finnish personal identity code (ddmmyyCnnnT). Only a keyed hash is stored; "
            "the identifier itself is not saved."
        ),
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=timezone.now().year
    )
    postal_code = forms.CharField(
        label=_("Postal code"), required=False, max_length=5, validators=[postal_code_validator]
    )
    proposals = forms.MultipleChoiceField(
        label=_("Proposals marked on the paper ballot"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, ballots, chosen_ballot: Ballot | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ballot"].queryset = ballots
        if chosen_ballot is not None:
            # Ask what the ballot's rules need, and only that.
            self.fields["birth_year"].required = eligibility.needs_age(chosen_ballot)
            self.fields["postal_code"].required = eligibility.needs_postal_code(chosen_ballot)
            for name in ("birth_year", "postal_code"):
                if not self.fields[name].required:
                    del self.fields[name]
            self.fields["ballot"].initial = chosen_ballot.pk
            self.fields["proposals"].choices = [
                (str(p.pk), f"{p.title} ({format_euros(p.cost)})")
                for p in chosen_ballot.proposals.all()
            ]


class IdentityForm(forms.Form):
    email = forms.EmailField(label=_("The resident's e-mail address"))
    identifier = forms.CharField(
        label=_("Personal identifier from the identity document"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account has this e-mail address."))
        self.user = user
        return email


class DecisionForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    decision_number = forms.CharField(label=_("Decision number (diaarinumero)"), max_length=60)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}))
    winners = forms.MultipleChoiceField(
        label=_("Winners"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, ballot: Ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = list(ballot.proposals.all())
        self.fields["winners"].choices = [(str(p.pk), p.title) for p in self.proposals]
        for p in self.proposals:
            self.fields[f"reason_{p.pk}"] = forms.CharField(
                label=_("Reason for departing from the count: %(title)s") % {"title": p.title},
                required=False,
                max_length=500,
            )

    def reasons(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"reason_{p.pk}", "") for p in self.proposals}


class ReceiptCheckForm(forms.Form):
    receipt = forms.CharField(label=_("Receipt code"), max_length=20)


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label=_("Voting code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("The code on your slip, e.g. ABCD-EFGH-JKLM."),
    )
