"""The user's notification settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from referral.models import NotificationKind


class NotificationSettingsForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Also send by e-mail"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Every notification is shown in the app; tick the kinds you also want by e-mail."
        ),
    )
