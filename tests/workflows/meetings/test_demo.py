"""The demo's joint meeting: issued minutes, one follow-up done and one overdue."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from referral.models import FollowUp, Meeting, MinutesStatus, RenderState, User
from referral.timeutil import now


@pytest.mark.django_db
def test_demo_has_an_issued_meeting_with_an_overdue_follow_up(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    meeting = Meeting.objects.get()
    assert meeting.minutes_status == MinutesStatus.ISSUED
    assert {p.agency.code for p in meeting.participants.all() if p.attended} == {
        "fc-msa",
        "fc-police",
        "fc-proc",
    }
    minutes = meeting.documents.get()
    assert minutes.render_state == RenderState.DONE
    open_items = list(FollowUp.objects.open())
    assert len(open_items) == 1 and open_items[0].is_overdue(now())
    assert open_items[0].owner_agency.code == "fc-police"
    client.force_login(User.objects.get(username="fc_reviewer"))
    page = client.get(reverse("xianjie:index")).content.decode()
    assert open_items[0].action in page and "xj-badge--overdue" in page
