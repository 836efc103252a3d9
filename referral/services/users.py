"""People and their roles."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import Role, User
from ..timeutil import now
from .audit import audit_append
from .errors import InvalidInput, NotFound, PermissionDenied


def user_set_roles(*, actor: User, user_id: int, roles: list[str]) -> User:
    """The security administrator grants roles (三员分立: permissions are the security
    administrator's, accounts the system administrator's, the audit trail the auditor's)."""
    if not actor.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied(_("Only the security administrator may grant roles."))
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise InvalidInput(_("Unknown roles: %(roles)s."), roles=", ".join(sorted(unknown)))
    with transaction.atomic():
        try:
            user = (
                User.objects.select_for_update(of=("self",))
                .select_related("agency")
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            raise NotFound(_("No such user.")) from None
        if user.pk == actor.pk:
            raise PermissionDenied(_("Nobody may change their own roles."))
        errors = permissions.role_assignment_errors(
            user.agency.kind if user.agency else None, wanted
        )
        if errors:
            raise InvalidInput(" ".join(errors))
        before = sorted(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user.groups.remove(*Group.objects.filter(name__in=Role.values))
        user.groups.add(*Group.objects.filter(name__in=wanted))
        user.__dict__.pop("role_codes", None)
        audit_append(
            action="set_roles",
            at=now(),
            actor=actor,
            payload={
                "user": user.pk,
                "username": user.username,
                "before": before,
                "after": sorted(wanted),
            },
        )
    return user
