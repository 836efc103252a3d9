"""The meeting visibility rule, read as a predicate and as a query filter, must agree."""

from referral import meeting_access
from referral.models import Meeting, Role

from .helpers import convene, users


def test_predicate_and_filter_agree_for_every_user(world):
    convene(world)
    meetings = list(Meeting.objects.prefetch_related("participants"))
    everyone = list(world.users.values())
    for user in everyone:
        by_filter = set(meeting_access.meetings_visible_to(user).values_list("pk", flat=True))
        by_predicate = {m.pk for m in meetings if meeting_access.may_view_meeting(user, m)}
        assert by_filter == by_predicate, user.username
    seen = {u.username for u in everyone if meeting_access.meetings_visible_to(u).exists()}
    # fc's three agencies and the invited my-police; none of my-msa, my-proc, yx.
    assert seen == {
        "fc-procurator",
        "fc-case_officer",
        "fc-agency_head",
        "fc-deputy_head",  # a deputy head of fc's bureau (tests/factories.py World)
        "fc-case_officer2",
        "fc-police_intake",
        "fc-police_reviewer",
        "fc-police_head",
        "fc-chief_procurator",
        "my-police_intake",
        "my-police_reviewer",
        "my-police_head",
    }


def test_a_user_without_a_case_role_sees_no_meeting(world):
    convene(world)
    user = world.user("fc-msa", Role.CASE_OFFICER)
    user.groups.clear()
    user = type(user).objects.get(pk=user.pk)
    assert not meeting_access.meetings_visible_to(user).exists()


def test_the_absent_agency_reads_but_does_not_attend(world):
    meeting = convene(world)
    absent = users(world)["absent"]
    assert meeting_access.may_view_meeting(absent, meeting)
    assert meeting_access.attending_participant(absent, meeting) is None
    assert not meeting_access.may_run_meeting(absent, meeting)
