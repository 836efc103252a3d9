"""Forms of the clue pages: input shapes only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from referral.models import ClueAnswer


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class PassForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    summary = forms.CharField(
        label=_("summary of the clue"), widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label=_("place"), max_length=300)
    parties = forms.CharField(
        label=_("parties (name, ID number; one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = MultipleFileField(label=_("files"), required=False)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("answer"), choices=ClueAnswer.choices)
    reason = forms.CharField(
        label=_("reason for the answer"), required=False, widget=forms.Textarea({"rows": 2})
    )
