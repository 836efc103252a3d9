"""The three separated administrators each reach only their own part of the admin."""

import pytest
from django.urls import reverse

from referral.models import AuditEvent, CalendarDay, CalendarYear, Clock, Role
from tests.factories import SHANGHAI, UserFactory, World
from tests.security.helpers import login_verified

PAGES = {
    "agencies": "admin:referral_agency_changelist",
    "calendar": "admin:referral_calendarday_changelist",
    "rulesets": "admin:referral_ruleset_changelist",
    "users": "admin:referral_user_changelist",
    "audit": "admin:referral_auditevent_changelist",
}
ALLOWED = {
    Role.SYSTEM_ADMIN: {"agencies", "calendar", "rulesets", "users"},
    Role.SECURITY_ADMIN: {"users"},
    Role.AUDIT_ADMIN: {"audit"},
}


def _admin(role):
    return UserFactory(username=f"adm-{role}", agency=None, is_staff=True, roles=[role])


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("page", list(PAGES))
def test_admin_pages_are_split_by_administrator_role(client, db, role, page):
    login_verified(client, _admin(role))
    response = client.get(reverse(PAGES[page]))
    assert response.status_code == (200 if page in ALLOWED[role] else 403)


def test_case_officer_with_staff_flag_sees_no_admin_page(client, world):
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    for name in PAGES.values():
        assert client.get(reverse(name)).status_code == 403


def test_nobody_may_change_or_delete_audit_events(client, world):
    world.new_referral()
    event = AuditEvent.objects.first()
    login_verified(client, _admin(Role.AUDIT_ADMIN))
    change = reverse("admin:referral_auditevent_change", args=[event.pk])
    assert client.get(change).status_code == 200  # view only
    assert client.post(change, {"reason": "x"}).status_code == 403
    delete = reverse("admin:referral_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, reason="").exists()


def test_calendar_edit_is_audited_and_marked_manual(client, db):
    login_verified(client, _admin(Role.SYSTEM_ADMIN))
    response = client.post(
        reverse("admin:referral_calendarday_add"),
        {"date": "2027-02-08", "kind": "holiday", "name": "春节", "source": "chinese_calendar"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date="2027-02-08")
    assert day.source == "manual"
    event = AuditEvent.objects.get(action="admin_add")
    assert event.payload["model"] == "referral.CalendarDay"


def test_security_admin_grants_roles_through_the_admin_with_validation(client, world):
    target = world.user("fc-msa", Role.CASE_OFFICER)
    login_verified(client, _admin(Role.SECURITY_ADMIN))
    url = reverse("admin:referral_user_change", args=[target.pk])
    agency = target.agency_id
    response = client.post(
        url, {"agency": agency, "roles": [Role.CASE_OFFICER, Role.POLICE_REVIEWER]}
    )
    assert response.status_code == 200  # form redisplayed with the error
    assert target.role_codes == {Role.CASE_OFFICER}
    response = client.post(url, {"agency": agency, "roles": [Role.CASE_OFFICER, Role.AGENCY_HEAD]})
    assert response.status_code == 302
    assert type(target).objects.get(pk=target.pk).role_codes == {
        Role.CASE_OFFICER,
        Role.AGENCY_HEAD,
    }
    assert AuditEvent.objects.filter(action="set_roles").exists()


def test_system_admin_cannot_grant_roles(client, world):
    target = world.user("fc-msa", Role.CASE_OFFICER)
    login_verified(client, _admin(Role.SYSTEM_ADMIN))
    url = reverse("admin:referral_user_change", args=[target.pk])
    form = client.get(url).content.decode()
    assert 'name="roles"' not in form


def test_system_admin_enters_a_years_arrangement_and_open_clocks_are_recomputed(client, db):
    from datetime import datetime

    world = World(start=datetime(2027, 2, 1, 9, 30, tzinfo=SHANGHAI))
    referral = world.reach("TRANSFER_REPORT_PENDING_APPROVAL")
    clock = referral.clocks.get(rule="approval_decision")
    assert clock.provisional
    login_verified(client, _admin(Role.SYSTEM_ADMIN))
    response = client.post(
        reverse("admin:referral_calendaryear_add"),
        {
            "year": "2027",
            "days_off": "\n".join(f"2027-02-{d:02d}" for d in range(5, 14)),
            "workdays": "2027-02-14",
        },
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).confirmed
    assert CalendarDay.objects.filter(date__year=2027, kind="holiday").count() == 9
    clock = Clock.objects.get(pk=clock.pk)
    assert not clock.provisional
    assert clock.due_at == datetime(2027, 2, 4, 23, 59, 59, tzinfo=SHANGHAI)
    assert AuditEvent.objects.filter(action="calendar_year_entered").count() == 1


def test_only_the_system_admin_enters_a_years_arrangement(client, db):
    login_verified(client, _admin(Role.SECURITY_ADMIN))
    response = client.post(
        reverse("admin:referral_calendaryear_add"), {"year": "2027", "days_off": "2027-02-08"}
    )
    assert response.status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()
