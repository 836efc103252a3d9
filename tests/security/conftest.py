import pytest

from referral.models import Role
from tests.factories import UserFactory

PASSWORD = "Strong-pass-2026"


def make_user(username, *, roles=(), agency=None, password=PASSWORD, **fields):
    user = UserFactory(username=username, agency=agency, roles=list(roles), **fields)
    user.set_password(password)
    user.save()
    return user


@pytest.fixture
def officer(world):
    user = world.user("fc-msa", Role.CASE_OFFICER)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def admins(db):
    """One of each separated administrator, without a second factor yet."""
    return {
        role: make_user(f"adm-{role}", roles=[role], is_staff=True)
        for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
    }
