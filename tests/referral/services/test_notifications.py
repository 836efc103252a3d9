"""Notifications: who is told of a step, a document sent, a clock running short or out; each
written once; e-mailed after commit for the kinds the recipient chose."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from referral import lifecycle
from referral.models import AuditEvent, Notification, NotificationKind, Role, User
from referral.services import notifications
from referral.services.clocks import clocks_sweep

S = lifecycle.Status
OVERDUE = NotificationKind.CLOCK_OVERDUE


@pytest.fixture(autouse=True)
def _no_task_routing(settings):
    """The steps' after-commit work runs here without the workflow layer's routing."""
    settings.XIANJIE_REFERRAL_ROUTER = ""


def _told(referral, kind, rule=None):
    rows = Notification.objects.filter(referral=referral, kind=kind)
    if rule:
        rows = rows.filter(clock__rule=rule)
    return sorted(rows.values_list("recipient__username", flat=True))


def _do(world, capture, referral, name):
    with capture(execute=True):
        world.do(referral, name)


# --- overdue (formerly the Notice model) -------------------------------------------------------


def test_overdue_agency_clock_warns_the_head_and_the_case_officer_only_once(world):
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    world.advance(days=5)
    with world.at():
        clocks_sweep()
        clocks_sweep()
    # The heads answer for it; the case officer and the special case group own the case.
    assert _told(referral, OVERDUE) == [
        "fc-agency_head",
        "fc-case_officer",
        "fc-case_officer2",
        "fc-deputy_head",
    ]
    assert {n.clock.rule for n in Notification.objects.filter(kind=OVERDUE)} == {
        "approval_decision"
    }


def test_overdue_police_decision_also_warns_the_procuratorate(world):
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    world.advance(days=40)
    with world.at():
        clocks_sweep()
    told = _told(referral, OVERDUE, rule="police_filing_decision")
    assert "fc-procurator" in told  # 《人民检察院刑事诉讼规则》第五百六十二条
    # The reviewer whose period it is, and the police head who answers for the decision.
    assert "fc-police_reviewer" in told and "fc-police_head" in told


def test_overdue_police_clock_is_not_sent_to_the_transferring_agency(world):
    world.reach(S.UNDER_POLICE_REVIEW)
    world.advance(days=40)
    with world.at():
        clocks_sweep()
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    assert not Notification.objects.filter(
        recipient=officer, kind=OVERDUE, clock__rule="police_filing_decision"
    ).exists()
    assert not Notification.objects.filter(recipient__agency__code__startswith="yx-").exists()


# --- clocks about to run out ------------------------------------------------------------------


def test_a_clock_due_within_the_warning_hours_is_warned_of_once(world, settings):
    settings.XIANJIE_CLOCK_WARNING_HOURS = 24
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    clock = referral.clocks.get(rule="approval_decision")
    world.t = clock.due_at - timedelta(hours=30)
    with world.at():
        clocks_sweep()
    assert _told(referral, NotificationKind.CLOCK_DUE_SOON) == []
    world.t = clock.due_at - timedelta(hours=20)
    with world.at():
        clocks_sweep()
        clocks_sweep()
    assert _told(referral, NotificationKind.CLOCK_DUE_SOON) == [
        "fc-agency_head",
        "fc-case_officer",
        "fc-case_officer2",
        "fc-deputy_head",
    ]


def test_a_short_clock_is_warned_of_once_half_of_it_is_left(world, settings):
    """The 24-hour transfer after approval is inside a 24-hour warning window from its start:
    it is warned of once 12 hours are left, not as soon as it starts."""
    settings.XIANJIE_CLOCK_WARNING_HOURS = 24
    referral = world.reach(S.TRANSFER_APPROVED)
    clock = referral.clocks.get(rule="transfer_after_approval")
    world.t = clock.started_at + timedelta(hours=1)
    with world.at():
        clocks_sweep()
    assert _told(referral, NotificationKind.CLOCK_DUE_SOON) == []
    world.t = clock.started_at + timedelta(hours=13)
    with world.at():
        clocks_sweep()
    assert "fc-case_officer" in _told(referral, NotificationKind.CLOCK_DUE_SOON)


# --- steps --------------------------------------------------------------------------------------


def test_a_step_tells_who_acts_next_and_not_the_actor(world, django_capture_on_commit_callbacks):
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    _do(world, django_capture_on_commit_callbacks, referral, "submit_transfer_report")
    # Only the principal head approves a transfer (Decree 310 art. 5): the deputy is not told.
    assert _told(referral, NotificationKind.CASE_ARRIVED) == ["fc-agency_head"]
    assert _told(referral, NotificationKind.DECISION) == []


def test_each_step_notification_is_created_once(world, django_capture_on_commit_callbacks):
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    _do(world, django_capture_on_commit_callbacks, referral, "submit_transfer_report")
    event = AuditEvent.objects.filter(referral=referral, action="submit_transfer_report").get()
    again = notifications.notifications_for_step(
        referral_id=referral.pk,
        status=event.to_status,
        seq=event.seq,
        action=event.action,
        actor_id=event.actor_id,
        actor_name="x",
        at=event.created_at,
    )
    assert again == []
    assert Notification.objects.filter(referral=referral).count() == 1
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    head.refresh_from_db()
    assert head.unread_notifications == 1


def test_the_transfer_reaches_the_police_intake_with_the_letter(
    world, django_capture_on_commit_callbacks
):
    referral = world.reach(S.TRANSFER_APPROVED)
    world.sign_at_once = False
    _do(world, django_capture_on_commit_callbacks, referral, "transfer")
    assert _told(referral, NotificationKind.CASE_ARRIVED) == ["fc-police_intake"]
    served = _told(referral, NotificationKind.DOCUMENT_SERVED)
    assert "fc-police_intake" in served and "fc-police_reviewer" in served
    assert not [u for u in served if not u.startswith("fc-police")]


def test_a_decision_tells_the_other_organs_handling_the_case(
    world, django_capture_on_commit_callbacks
):
    referral = world.reach(S.NON_FILING_PROPOSED)
    world.sign_at_once = False
    _do(world, django_capture_on_commit_callbacks, referral, "decline_filing")
    decided = _told(referral, NotificationKind.DECISION)
    # The case officer may ask for reconsideration next: told the case awaits them, once.
    assert "fc-case_officer" in _told(referral, NotificationKind.CASE_ARRIVED)
    assert "fc-case_officer" not in decided
    assert "fc-procurator" in decided and "fc-agency_head" in decided
    # The police head who declined is not told of their own step.
    decliner = (
        AuditEvent.objects.filter(referral=referral, action="decline_filing").get().actor.username
    )
    assert decliner not in decided
    assert not Notification.objects.filter(recipient__agency__code__startswith="my-").exists()


def test_steps_committed_together_tell_who_acted_next_after_each(
    world, django_capture_on_commit_callbacks
):
    """Regression: the demo seeds a case's history in one transaction; every step's notification
    was addressed by the status the case had reached at the end (the police intake was told of
    steps taken before the transfer)."""
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for name in ("submit_transfer_report", "approve_transfer", "transfer"):
                world.do(referral, name)
    submitted = Notification.objects.get(
        key__in=[
            f"step:{e.seq}"
            for e in AuditEvent.objects.filter(referral=referral, action="submit_transfer_report")
        ],
        kind=NotificationKind.CASE_ARRIVED,
    )
    assert submitted.recipient.username == "fc-agency_head"
    assert "移送报告待审批" in submitted.body
    assert "fc-police_intake" in _told(referral, NotificationKind.CASE_ARRIVED)
    # The approval came before the transfer: the police were not told of it.
    assert not [u for u in _told(referral, NotificationKind.DECISION) if "police" in u]


# --- e-mail ---------------------------------------------------------------------------------


def _with_email(user, kinds=None):
    User.objects.filter(pk=user.pk).update(
        email=f"{user.username}@example.org",
        email_notification_kinds=kinds if kinds is not None else list(NotificationKind.values),
    )


def test_a_notification_is_emailed_after_commit_once(world, django_capture_on_commit_callbacks):
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    _with_email(head)
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    mail.outbox.clear()
    _do(world, django_capture_on_commit_callbacks, referral, "submit_transfer_report")
    assert [m.to for m in mail.outbox] == [["fc-agency_head@example.org"]]
    assert referral.reference in mail.outbox[0].subject
    assert f"/referrals/{referral.pk}/" in mail.outbox[0].body
    notification = Notification.objects.get(recipient=head)
    assert notification.emailed_at is not None
    assert notifications.notifications_email(notification_ids=[notification.pk]) == 0
    assert len(mail.outbox) == 1


def test_no_email_for_a_kind_the_user_turned_off(world, django_capture_on_commit_callbacks):
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    _with_email(head, kinds=[NotificationKind.CLOCK_OVERDUE])
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    mail.outbox.clear()
    _do(world, django_capture_on_commit_callbacks, referral, "submit_transfer_report")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=head).exists()  # in the app all the same


def test_nothing_is_emailed_when_the_step_rolls_back(world):
    """Without a commit the e-mail callback never runs (the db fixture's transaction)."""
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    _with_email(head)
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    mail.outbox.clear()
    world.do(referral, "submit_transfer_report")
    assert mail.outbox == []


# --- reading ----------------------------------------------------------------------------------


def _notify(world, user, key):
    with world.at():
        return notifications.notifications_create(
            recipients=[(user, NotificationKind.DECISION)], key=key, title=key, at=world.t
        )


def test_marking_read_keeps_the_unread_count(world):
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    first = _notify(world, head, "a")[0]
    _notify(world, head, "b")
    assert _notify(world, head, "b") == []
    head.refresh_from_db()
    assert head.unread_notifications == 2
    assert notifications.notification_mark_read(user=head, notification_id=first.pk)
    head.refresh_from_db()
    assert head.unread_notifications == 1
    assert notifications.notifications_mark_all_read(user=head) == 1
    head.refresh_from_db()
    assert head.unread_notifications == 0


def test_nobody_marks_another_users_notification_read(world):
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    note = _notify(world, head, "a")[0]
    assert not notifications.notification_mark_read(user=officer, notification_id=note.pk)
    note.refresh_from_db()
    assert note.read_at is None


def test_settings_keep_only_known_kinds(world):
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    notifications.notification_settings_update(
        user=head, email_kinds=["decision", "nonsense", "clock_overdue"]
    )
    head.refresh_from_db()
    assert head.email_notification_kinds == ["decision", "clock_overdue"]


def test_saving_a_user_loaded_earlier_keeps_the_unread_count(world):
    """Regression: a full save of a stale user row (a password change, an admin edit) wrote back
    the unread count it was loaded with."""
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    stale = User.objects.get(pk=head.pk)
    _notify(world, head, "a")
    stale.full_name = "新名字"
    stale.save()
    head.refresh_from_db()
    assert (head.unread_notifications, head.full_name) == (1, "新名字")


def test_every_decision_step_is_a_lifecycle_step():
    """A renamed or removed step would silently stop notifying: the names must be the gate's."""
    assert notifications.DECISION_STEPS <= set(lifecycle.transitions())
