"""Object permissions for workflow tasks: "referral.<role>" on an Agency.

viewflow asks `user.has_perm(task.owner_permission, obj)` before a task is claimed; a task of a
police organ carries that organ as its object, so no other organ's officer can see or claim it.
"""

from referral.models import Agency, Role

PREFIX = "referral."


def task_permission(role: str) -> str:
    return PREFIX + role


class RoleAgencyBackend:
    """Grants `referral.<role>` on an Agency to active members of that agency holding the role."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm, obj=None):
        if not perm.startswith(PREFIX) or not isinstance(obj, Agency):
            return False
        role = perm.removeprefix(PREFIX)
        return role in Role.values and user.has_role(role) and user.agency_id == obj.pk

    def get_user_permissions(self, user, obj=None):
        return set()

    def get_group_permissions(self, user, obj=None):
        return set()

    def get_all_permissions(self, user, obj=None):
        return set()
