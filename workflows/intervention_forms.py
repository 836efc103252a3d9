"""Forms of the early-intervention pages: input shapes only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from referral.models import InterventionReason


class RequestForm(forms.Form):
    addressee_agency_ids = forms.TypedMultipleChoiceField(
        label=_("Agencies asked"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason_category = forms.ChoiceField(
        label=_("Reason category"), choices=InterventionReason.choices
    )
    reason = forms.CharField(
        label=_("why early intervention is needed"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee_agency_ids"].choices = [(a.pk, a.name) for a in agencies]


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("head's note"), required=False, widget=forms.Textarea({"rows": 2})
    )


class RespondForm(forms.Form):
    accept = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("reason for the answer"), required=False, widget=forms.Textarea({"rows": 2})
    )


class AssignForm(forms.Form):
    officer_ids = forms.TypedMultipleChoiceField(
        label=_("assigned officers"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_ids"].choices = [(u.pk, str(u)) for u in officers]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("outcome"), widget=forms.Textarea(attrs={"rows": 2}))
