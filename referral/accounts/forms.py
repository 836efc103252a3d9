"""Forms of the sign-in pages; the styling follows viewflow's Material login form."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _
from viewflow.contrib.auth import AuthenticationForm

__all__ = ["AuthenticationForm", "PasswordChangeForm", "SetPasswordForm", "TokenForm"]


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("One-time code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        help_text=_("The six digits your authenticator app shows, or one recovery code."),
    )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (old password, new twice, every validator); saving is the service's."""


class SetPasswordForm(auth_forms.AdminPasswordChangeForm):
    """A password set for someone else by the security administrator: no 'unusable' option."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = self.fields["password2"].required = True
