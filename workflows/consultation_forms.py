"""Forms of the case-consultation pages: input shapes only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class OpenForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    question = forms.CharField(label=_("question"), widget=forms.Textarea(attrs={"rows": 3}))
    summary = forms.CharField(
        label=_("case summary shared"), widget=forms.Textarea(attrs={"rows": 4})
    )
    participant_agency_ids = forms.TypedMultipleChoiceField(
        label=_("invited agencies"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    attachment_ids = forms.TypedMultipleChoiceField(
        label=_("shared attachments"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, agencies=(), attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_agency_ids"].choices = [(a.pk, a.name) for a in agencies]
        self.fields["attachment_ids"].choices = [(a.pk, str(a)) for a in attachments]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    conclusion = forms.CharField(label=_("conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
