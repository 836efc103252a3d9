"""Forms of the joint-meeting pages: input shapes only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from referral.models import REPORT_FIGURES, AgendaKind, MeetingKind, SituationReport

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConveneForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    held_at = forms.DateTimeField(label=_("date and time"), widget=DATETIME)
    place = forms.CharField(label=_("place"), max_length=200)
    chair = forms.CharField(label=_("chair"), max_length=100)
    period_start = forms.DateField(label=_("reporting period from"), widget=DATE)
    period_end = forms.DateField(label=_("reporting period to"), widget=DATE)
    invited_agency_ids = forms.TypedMultipleChoiceField(
        label=_("invited agencies"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited_agency_ids"].choices = [(a.pk, a.name) for a in agencies]


class AttendanceForm(forms.Form):
    agency_id = forms.IntegerField(widget=forms.HiddenInput)
    attended = forms.BooleanField(label=_("attended"), required=False)
    attendees = forms.CharField(
        label=_("attendees (name and post, one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportForm(forms.ModelForm):
    class Meta:
        model = SituationReport
        fields = [*REPORT_FIGURES, "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class AgendaForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[
            (k.value, k.label)
            for k in (AgendaKind.TOPIC, AgendaKind.PENALTY_CASE, AgendaKind.REFERRAL)
        ],
    )
    text = forms.CharField(label=_("subject"), required=False, widget=forms.Textarea({"rows": 2}))
    referral_id = forms.TypedChoiceField(
        label=_("Referral"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, referrals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral_id"].choices = [("", "—")] + [
            (r.pk, f"{r.reference} {r.title}") for r in referrals
        ]


class OpinionForm(forms.Form):
    item_id = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("opinion"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("decision"), widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label=_("basis"), required=False)


class FollowUpForm(forms.Form):
    action = forms.CharField(label=_("work to be done"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_agency_id = forms.TypedChoiceField(label=_("owner agency"), coerce=int)
    owner_person = forms.CharField(label=_("responsible person"), max_length=100)
    due_at = forms.DateTimeField(label=_("due by"), widget=DATETIME)

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency_id"].choices = [
            (p.agency_id, p.agency.name) for p in participants
        ]


class AnswerForm(forms.Form):
    comment = forms.CharField(
        label=_("comment on the minutes"), required=False, widget=forms.Textarea({"rows": 2})
    )


class DoneForm(forms.Form):
    note = forms.CharField(label=_("how it was done"), widget=forms.Textarea(attrs={"rows": 2}))


class MinutesCorrectionForm(forms.Form):
    document = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )
