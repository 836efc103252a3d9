"""People, their agency, roles and passwords, and lifting login lockouts: the administrators'
writes, each with its audit event in one transaction.

三员分立: the system administrator keeps accounts (creates them, names them, switches them
off); the security administrator decides what an account may reach (agency, roles), sets
passwords of ordinary accounts and lifts lockouts; the audit administrator reads the trail. An
agency is data access (referral/access.py), so only the security administrator moves people
between agencies, and their roles are checked against the new agency's kind.
"""

from axes.models import AccessAttempt
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import SEPARATED_ADMIN_ROLES, Agency, Role, User
from ..timeutil import now
from .audit import audit_append
from .errors import InvalidInput, NotFound, PermissionDenied

UNCHANGED = object()


def _require_security_admin(actor: User, message) -> None:
    if not actor.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied(message)


def _lock_user(user_id: int) -> User:
    try:
        return User.objects.select_for_update(of=("self",)).select_related("agency").get(pk=user_id)
    except User.DoesNotExist:
        raise NotFound(_("No such user.")) from None


def _roles_of(user: User) -> list[str]:
    return sorted(user.groups.filter(name__in=Role.values).values_list("name", flat=True))


def user_create(*, actor: User, username: str, full_name: str = "", email: str = "") -> User:
    """The system administrator opens an account: no agency, no role, no usable password. The
    security administrator then grants access and sets the first password, which the holder
    must replace at the first login."""
    if not actor.has_role(Role.SYSTEM_ADMIN):
        raise PermissionDenied(_("Only the system administrator may open accounts."))
    with transaction.atomic():
        user = User(username=username, full_name=full_name, email=email, must_change_password=True)
        user.set_unusable_password()
        try:
            user.full_clean()
        except ValidationError as error:
            raise InvalidInput(" ".join(error.messages)) from None
        user.save()
        audit_append(
            action="user_create",
            at=now(),
            actor=actor,
            payload={"user": user.pk, "username": username, "full_name": full_name},
        )
    return user


def user_set_access(
    *,
    actor: User,
    user_id: int,
    roles: list[str],
    agency_id=UNCHANGED,
    principal_head: bool | None = None,
) -> User:
    """The security administrator sets a person's roles and, when `agency_id` is given, moves
    them to that agency (None: none); the roles must suit the agency's kind. `principal_head`
    (when given) marks the agency's principal head (正职 / 主持工作), the only head who approves
    a transfer (《行政执法机关移送涉嫌犯罪案件的规定》第五条)."""
    _require_security_admin(actor, _("Only the security administrator may grant roles."))
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise InvalidInput(_("Unknown roles: %(roles)s."), roles=", ".join(sorted(unknown)))
    with transaction.atomic():
        user = _lock_user(user_id)
        if user.pk == actor.pk:
            raise PermissionDenied(_("Nobody may change their own roles."))
        agency = user.agency
        if agency_id is not UNCHANGED and agency_id != user.agency_id:
            agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
            if agency_id and agency is None:
                raise NotFound(_("No such agency."))
        errors = access_errors(agency=agency, roles=wanted)
        if errors:
            raise InvalidInput(" ".join(errors))
        if agency != user.agency:
            _move(actor=actor, user=user, agency=agency)
        _grant(actor=actor, user=user, roles=wanted)
        if principal_head is not None and principal_head != user.is_principal_head:
            _set_principal(actor=actor, user=user, principal=principal_head)
    return user


def _set_principal(*, actor: User, user: User, principal: bool) -> None:
    user.is_principal_head = principal
    user.save(update_fields=["is_principal_head"])
    audit_append(
        action="set_principal_head",
        at=now(),
        actor=actor,
        payload={"user": user.pk, "username": user.username, "after": principal},
    )


def access_errors(*, agency: Agency | None, roles: set[str]) -> list[str]:
    """Why `roles` cannot be held in `agency` (empty if fine): the roles must suit the agency's
    kind, and an administrator belongs to no agency, since an agency is access to its cases."""
    errors = permissions.role_assignment_errors(agency.kind if agency else None, roles)
    if agency is not None and roles & set(SEPARATED_ADMIN_ROLES):
        errors.append(str(_("An administrator belongs to no agency: its cases are not theirs.")))
    return errors


def user_set_roles(*, actor: User, user_id: int, roles: list[str]) -> User:
    """Roles within the person's current agency (see user_set_access)."""
    return user_set_access(actor=actor, user_id=user_id, roles=roles)


def _move(*, actor: User, user: User, agency: Agency | None) -> None:
    before = user.agency
    user.agency = agency
    user.save(update_fields=["agency"])
    audit_append(
        action="set_agency",
        at=now(),
        actor=actor,
        payload={
            "user": user.pk,
            "username": user.username,
            "before": before.code if before else None,
            "after": agency.code if agency else None,
        },
    )


def _grant(*, actor: User, user: User, roles: set[str]) -> None:
    before = _roles_of(user)
    if before == sorted(roles):
        return
    user.groups.remove(*Group.objects.filter(name__in=Role.values))
    user.groups.add(*Group.objects.filter(name__in=roles))
    user.__dict__.pop("role_codes", None)
    audit_append(
        action="set_roles",
        at=now(),
        actor=actor,
        payload={
            "user": user.pk,
            "username": user.username,
            "before": before,
            "after": sorted(roles),
        },
    )


def may_reset_password(*, actor: User, target: User) -> bool:
    """Only the security administrator, only for ordinary accounts: never an administrator's
    (the audit administrator's least of all) and never their own, which would let one person
    act as another administrator or escape the forced change."""
    if not actor.has_role(Role.SECURITY_ADMIN) or actor.pk == target.pk:
        return False
    return password_resettable(target=target)


def password_resettable(*, target: User) -> bool:
    """Whether `target` is an ordinary account, whose password an administrator may reset."""
    if target.is_superuser:
        return False
    return not any(role in target.role_codes for role in SEPARATED_ADMIN_ROLES)


def user_password_reset(*, actor: User, user_id: int, password: str) -> User:
    """The security administrator sets a new password for an ordinary account; the holder must
    change it at the next login. The password is checked against every rule, never recorded."""
    with transaction.atomic():
        user = _lock_user(user_id)
        if not may_reset_password(actor=actor, target=user):
            raise PermissionDenied(
                _("Only the security administrator resets passwords, and not administrators'.")
            )
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_append(
            action="password_reset",
            at=now(),
            actor=actor,
            payload={"user": user.pk, "username": user.username},
        )
    return user


def login_lockouts_clear(*, actor: User, attempt_ids: list[int]) -> int:
    """The security administrator lifts lockouts (django-axes records) before their cool-off
    ends; one audit event each. Returns how many were lifted."""
    _require_security_admin(actor, _("Only the security administrator may unlock logins."))
    with transaction.atomic():
        attempts = list(AccessAttempt.objects.select_for_update().filter(pk__in=attempt_ids))
        for attempt in attempts:
            audit_append(
                action="login_unlock",
                at=now(),
                actor=actor,
                payload={
                    "username": attempt.username,
                    "ip": attempt.ip_address,
                    "failures": attempt.failures_since_start,
                },
            )
        AccessAttempt.objects.filter(pk__in=[a.pk for a in attempts]).delete()
    return len(attempts)
