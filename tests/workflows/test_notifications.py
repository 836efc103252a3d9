"""The notification centre: the unread count in the menu, the paged list with its query pin,
marking read (only one's own), and the e-mail settings."""

import pytest
from django.urls import reverse

from referral.models import Notification, NotificationKind, Role
from referral.services.notifications import notifications_create

LIST = reverse("xianjie:notification_list")


def _notify(world, user, count, kind=NotificationKind.DECISION):
    referral = world.new_referral()
    with world.at():
        for i in range(count):
            notifications_create(
                recipients=[(user, kind)],
                key=f"test:{i}",
                title=f"通知{i}",
                body="正文",
                referral=referral,
                at=world.t,
            )
    return referral


@pytest.fixture
def head(world):
    return world.user("fc-msa", Role.AGENCY_HEAD)


def test_the_menu_shows_the_unread_count(client, world, head):
    _notify(world, head, 3)
    client.force_login(head)
    page = client.get(reverse("xianjie:index")).content.decode()
    assert 'data-testid="unread-count">3<' in page


def test_the_menu_shows_no_count_when_all_is_read(client, world, head):
    client.force_login(head)
    page = client.get(reverse("xianjie:index")).content.decode()
    assert 'data-testid="menu-notifications"' in page
    assert 'data-testid="unread-count"' not in page


@pytest.mark.parametrize("rows", [1, 30])
def test_list_query_count_does_not_grow_with_rows(
    client, world, head, django_assert_num_queries, rows
):
    _notify(world, head, rows)
    client.force_login(head)
    # The session (1), the user (1), the user's roles for the menu (1) + the pager's count (1)
    # + the page of notifications (1) = 5; the unread count is on the user row.
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows, 25)


def test_the_list_is_paged(client, world, head):
    _notify(world, head, 30)
    client.force_login(head)
    second = client.get(LIST, {"page": 2})
    assert len(second.context["page"]) == 5
    assert 'rel="prev"' in second.content.decode()


def test_the_list_shows_only_ones_own(client, world, head):
    _notify(world, head, 2)
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    client.force_login(officer)
    assert list(client.get(LIST).context["page"]) == []


def test_opening_a_notification_marks_it_read_and_goes_to_the_case(client, world, head):
    referral = _notify(world, head, 2)
    note = Notification.objects.filter(recipient=head).first()
    client.force_login(head)
    response = client.post(
        reverse("xianjie:notification_read", args=[note.pk]), {"next": note.link}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("xianjie:referral_detail", args=[referral.pk])
    note.refresh_from_db()
    head.refresh_from_db()
    assert note.read_at is not None and head.unread_notifications == 1


def test_marking_read_refuses_a_foreign_target(client, world, head):
    _notify(world, head, 1)
    note = Notification.objects.get(recipient=head)
    client.force_login(head)
    response = client.post(
        reverse("xianjie:notification_read", args=[note.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == LIST


def test_nobody_marks_another_users_notification_read(client, world, head):
    _notify(world, head, 1)
    note = Notification.objects.get(recipient=head)
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    client.post(reverse("xianjie:notification_read", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is None


def test_marking_read_needs_post(client, world, head):
    _notify(world, head, 1)
    note = Notification.objects.get(recipient=head)
    client.force_login(head)
    assert client.get(reverse("xianjie:notification_read", args=[note.pk])).status_code == 405
    assert client.get(reverse("xianjie:notification_read_all")).status_code == 405


def test_mark_all_read(client, world, head):
    _notify(world, head, 3)
    client.force_login(head)
    response = client.post(reverse("xianjie:notification_read_all"), follow=True)
    assert not Notification.objects.filter(recipient=head, read_at__isnull=True).exists()
    assert "3" in response.content.decode()


def test_settings_page_saves_the_kinds_by_email(client, world, head):
    client.force_login(head)
    page = client.get(reverse("xianjie:notification_settings"))
    assert page.status_code == 200
    client.post(
        reverse("xianjie:notification_settings_save"),
        {"email_kinds": [NotificationKind.CLOCK_OVERDUE, NotificationKind.DECISION]},
    )
    head.refresh_from_db()
    assert head.email_notification_kinds == ["decision", "clock_overdue"]


def test_settings_refuse_an_unknown_kind_and_keep_the_choice(client, world, head):
    client.force_login(head)
    response = client.post(
        reverse("xianjie:notification_settings_save"), {"email_kinds": ["decision", "bogus"]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    head.refresh_from_db()
    assert head.email_notification_kinds == list(NotificationKind.values)


def test_pages_need_a_login(client):
    assert client.get(LIST).status_code == 302
    assert client.get(reverse("xianjie:notification_settings")).status_code == 302
