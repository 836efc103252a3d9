"""Typed errors raised by services; each carries a message for the user (Chinese by default)."""

from django.utils.translation import gettext_lazy as _


class ReferralError(Exception):
    """Base class: `str(error)` is the translated message."""

    default_message = _("The action could not be carried out.")

    def __init__(self, message=None, **params):
        self.message = message if message is not None else self.default_message
        self.params = params
        super().__init__(str(self))

    def __str__(self):
        text = str(self.message)
        return text % self.params if self.params else text


class NotFound(ReferralError):
    """Missing, or belonging to an agency the user cannot see: the two look the same."""

    default_message = _("No such referral.")


class PermissionDenied(ReferralError):
    default_message = _("You are not allowed to do this.")


class IllegalTransition(ReferralError):
    default_message = _("This step is not possible in the referral's current status.")


class ConditionNotMet(ReferralError):
    pass


class InvalidInput(ReferralError):
    default_message = _("The input is not valid.")


class ConcurrentUpdate(ReferralError):
    default_message = _(
        "Someone else changed this referral at the same moment; reload and try again."
    )
