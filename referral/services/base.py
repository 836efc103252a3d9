"""Leaf helpers every service uses; this module imports no other service.

- `lock_for_edit`: the door for changes to the case record (not the status);
  `check_case_record_edit` asks its rule without the lock.
- `lock_for_change`: the door for changing or removing what the record holds (before transfer).
- `check_before_transfer`: what has been transferred is corrected only by a supplement.
- `check_record_dates`: discovery and seizure dates, not in the future, seizure not first.
- `full_clean`: model validation turned into the services' typed error.
- `after_commit_route`: hands the referral to the task router once the change has committed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .. import access, lifecycle, permissions
from ..models import Referral
from ..timeutil import now
from .errors import IllegalTransition, InvalidInput, PermissionDenied


def lock_for_edit(*, referral_id: int, actor, any_status: bool = False) -> Referral:
    """Locks the referral for a change to its case record: the transferring agency's officers,
    and (unless `any_status`) only while the record is the agency's to change."""
    referral = access.referral_lock_for_user(user=actor, referral_id=referral_id)
    check_case_record_edit(actor=actor, referral=referral, any_status=any_status)
    return referral


def lock_for_change(*, referral_id: int, actor) -> Referral:
    """Locks the referral to change or remove what the record holds: as `lock_for_edit`, and
    refused once transferred with a pointer to supplements (said before the status)."""
    referral = access.referral_lock_for_user(user=actor, referral_id=referral_id)
    check_case_record_edit(actor=actor, referral=referral, any_status=True)
    check_before_transfer(referral)
    check_case_record_edit(actor=actor, referral=referral)
    return referral


def check_case_record_edit(*, actor, referral: Referral, any_status: bool = False) -> None:
    """The rule of `lock_for_edit`, asked without the lock: a view asks it before reading an
    upload's body, so a user without the right never gets a byte of it read."""
    if not permissions.may_edit_case_record(actor, referral):
        raise PermissionDenied(
            _("Only the transferring agency's officers may change the case record.")
        )
    if not any_status and referral.status not in lifecycle.EDITABLE_STATES:
        raise IllegalTransition(
            _("The case record cannot be changed in status “%(status)s”."),
            status=referral.get_status_display(),
        )


def check_before_transfer(referral: Referral) -> None:
    """Changing or removing what the police received is refused once the case is transferred:
    the record stays as transferred and a correction is a supplement beside it."""
    if referral.transferred_at is not None:
        raise IllegalTransition(
            _(
                "The case has been transferred: the record as transferred cannot be changed. "
                "Record the correction as a supplement."
            )
        )


def check_record_dates(*, discovered_on=None, seized_on=None) -> None:
    """Refuses a discovery or seizure date in the future, and a seizure before the discovery."""
    today = timezone.localdate(now())
    if discovered_on is not None and discovered_on > today:
        raise InvalidInput(_("The discovery date cannot be in the future."))
    if seized_on is not None and seized_on > today:
        raise InvalidInput(_("The seizure date cannot be in the future."))
    if discovered_on is not None and seized_on is not None and seized_on < discovered_on:
        raise InvalidInput(
            _("The seizure date %(seized)s is before the discovery date %(discovered)s."),
            seized=seized_on.isoformat(),
            discovered=discovered_on.isoformat(),
        )


def full_clean(obj) -> None:
    """Runs the model's validation; InvalidInput with every field's message otherwise."""
    try:
        obj.full_clean(exclude=["referral"])
    except ValidationError as exc:
        raise InvalidInput(
            "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.message_dict.items())
        ) from None


def after_commit_route(referral_id: int) -> None:
    """Once the caller's transaction commits, hands the referral to the task router so the
    agency and role that act next get its task. The router is named in settings
    (`XIANJIE_REFERRAL_ROUTER`, workflows' by default) because referral/ never imports the
    workflow layer built on top of it; empty means no task routing (e.g. a bare domain)."""
    path = settings.XIANJIE_REFERRAL_ROUTER
    if path:
        router = import_string(path)
        transaction.on_commit(lambda: router(referral_id))
