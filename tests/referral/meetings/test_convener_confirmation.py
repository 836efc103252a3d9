"""Circulating the minutes is the convening agency's confirmation (it drafted them): the
minutes wait only for the other attending agencies, and a reopening and second circulation
asks them again while the convener stays confirmed. Regression: the convener had to confirm
its own draft before the issue button would work, which nothing on the page said."""

import pytest
from django.urls import reverse

from referral.models import MinutesStatus
from referral.services import meetings as svc
from referral.services.errors import IllegalTransition
from tests.referral.meetings.helpers import drafted, users


def _answers(meeting):
    return {p.agency.code: p.confirmed_at is not None for p in meeting.participants.all()}


def test_circulating_confirms_for_the_convening_agency_only(world):
    u = users(world)
    meeting = drafted(world)
    with world.at():
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
    assert _answers(meeting) == {
        "fc-proc": True,
        "fc-msa": False,
        "fc-police": False,
        "my-police": False,
    }


def test_the_minutes_issue_once_the_other_attending_agencies_confirm(world, after_commit):
    u = users(world)
    meeting = drafted(world)
    with world.at():
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
        svc.meeting_confirm(actor=u["msa"], meeting_id=meeting.pk)
        with pytest.raises(IllegalTransition):
            svc.meeting_issue(actor=u["proc"], meeting_id=meeting.pk)
        svc.meeting_confirm(actor=u["police"], meeting_id=meeting.pk)
        with after_commit():
            svc.meeting_issue(actor=u["proc"], meeting_id=meeting.pk)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.ISSUED


def test_a_second_circulation_asks_the_others_again(world):
    u = users(world)
    meeting = drafted(world)
    with world.at():
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
        svc.meeting_confirm(actor=u["msa"], meeting_id=meeting.pk)
        svc.meeting_reopen(actor=u["proc"], meeting_id=meeting.pk)
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
    answers = _answers(meeting)
    assert answers["fc-proc"] and not answers["fc-msa"]


def test_the_meeting_page_names_who_is_still_to_confirm(client, world):
    u = users(world)
    meeting = drafted(world)
    with world.at():
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
    detail = reverse("xianjie:meeting_detail", args=[meeting.pk])
    confirm = reverse("xianjie:meeting_confirm", args=[meeting.pk])
    client.force_login(u["proc"])
    page = client.get(detail).content.decode()
    awaiting = page.split('data-testid="minutes-awaiting"')[1].split("</p>")[0]
    names = {code: world.agencies[code].name for code in ("fc-msa", "fc-police", "fc-proc")}
    assert names["fc-msa"] in awaiting and names["fc-police"] in awaiting
    assert names["fc-proc"] not in awaiting
    assert f'action="{confirm}"' not in page  # the convener confirmed by circulating
    client.force_login(u["msa"])
    assert f'action="{confirm}"' in client.get(detail).content.decode()
