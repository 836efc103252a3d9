"""Admin list pages run a fixed number of queries however many rows they show."""

import pytest
from django.urls import reverse

from referral.models import Role
from tests.factories import UserFactory
from tests.security.helpers import login_verified

# Every page: session (1) + user (1) + the user's roles (1) + the second-factor device named in
# the session, which the administrators must have verified (1) + the user's and groups'
# permissions, read by the admin for its actions (2).
BASE = 6
PAGES = [
    # + COUNT for the paginator and COUNT of the unfiltered total (2) + the page of events with
    #   referral, actor and agency joined (1) + the distinct actions for the filter (1)
    (Role.AUDIT_ADMIN, "admin:referral_auditevent_changelist", BASE + 4),
    # + the two COUNTs (2) + the page with agencies joined (1)
    (Role.SYSTEM_ADMIN, "admin:referral_user_changelist", BASE + 3),
    # + the two COUNTs (2) + the page with parents joined (1)
    (Role.SYSTEM_ADMIN, "admin:referral_agency_changelist", BASE + 3),
    # + the two COUNTs (2) + the page (1) + the date hierarchy's year range (1) and years (1)
    #   + the distinct sources for the filter (1)
    (Role.SYSTEM_ADMIN, "admin:referral_calendarday_changelist", BASE + 6),
]


@pytest.mark.parametrize("referrals", [1, 5])
@pytest.mark.parametrize(("role", "page", "expected"), PAGES)
def test_admin_list_query_count_does_not_grow_with_rows(
    client, world, django_assert_num_queries, referrals, role, page, expected
):
    for _ in range(referrals):
        world.reach("TRANSFER_APPROVED")  # each adds events, clocks, attachments
    login_verified(client, UserFactory(username="adm", agency=None, is_staff=True, roles=[role]))
    with django_assert_num_queries(expected):
        response = client.get(reverse(page))
    assert response.status_code == 200
