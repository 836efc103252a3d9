"""Password rules beyond Django's own (configured in AUTH_PASSWORD_VALIDATORS)."""

import string

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import PasswordHistory, User


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a message that is translated: Django 5.2 changed the message's msgid
    (`%d` for `%(min_length)d`) and its shipped zh_Hans catalogue still has only the old one,
    so the error came out in English while the help text was Chinese."""

    def get_error_message(self):
        return _("This password is too short: it needs at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }

    def get_help_text(self):
        return _("At least %(min_length)d characters.") % {"min_length": self.min_length}


CHARACTER_CLASSES = (
    set(string.ascii_lowercase),
    set(string.ascii_uppercase),
    set(string.digits),
)


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters `password` uses."""
    used = [any(c in chars for c in password) for chars in CHARACTER_CLASSES]
    other = any(not any(c in chars for chars in CHARACTER_CLASSES) for c in password)
    return sum(used) + other


class CharacterClassesValidator:
    """At least `min_classes` of the four character classes (等保 2.0: complexity)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "This password must mix at least %(count)d of: lower-case letters, "
                    "upper-case letters, digits and other characters."
                ),
                code="password_too_simple",
                params={"count": self.min_classes},
            )

    def get_help_text(self):
        return _(
            "At least %(count)d of: lower-case letters, upper-case letters, digits and other "
            "characters."
        ) % {"count": self.min_classes}


class PasswordHistoryValidator:
    """Not the current password nor any of the ones before it, `remember` in all. Checking costs
    one hash per remembered password with the production hasher (five took 2.4 s here on a
    busy 2-core machine), paid only when a password is set."""

    def __init__(self, remember: int = 5):
        self.remember = remember

    def _recent_hashes(self, user) -> list[str]:
        if user is None or user.pk is None:
            return []
        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.remember
            ]
        )
        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if current and current not in hashes:
            hashes = [current, *hashes][: self.remember]
        return hashes

    def validate(self, password, user=None):
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(
                _("This password was used recently: choose one not among the last %(count)d."),
                code="password_reused",
                params={"count": self.remember},
            )

    def password_changed(self, password, user=None):
        """Called by Django after a new password is saved: remembers its hash, forgets older."""
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            self.remember :
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return _("Not one of your last %(count)d passwords.") % {"count": self.remember}
