"""Every coordination notification opens, for its recipient, the page it is about: the meeting,
intervention, consultation or clue (services/coordination_notifications.py), marking it read;
and the kind can be chosen for e-mail on the settings page."""

import pytest
from django.urls import reverse

from referral.models import Notification, NotificationKind
from referral.services import clues as clue_svc
from referral.services import consultations as consultation_svc
from referral.services import interventions as intervention_svc
from referral.services import meetings as meeting_svc
from tests.referral.clues.helpers import passed
from tests.referral.clues.helpers import users as clue_users
from tests.referral.consultations.helpers import opened
from tests.referral.consultations.helpers import users as consultation_users
from tests.referral.interventions.helpers import approved
from tests.referral.interventions.helpers import users as intervention_users
from tests.referral.meetings.helpers import drafted
from tests.referral.meetings.helpers import users as meeting_users


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _everything(world):
    meeting = drafted(world)
    intervention = approved(world)
    consultation, _shared, _private = opened(world)
    u = clue_users(world)
    clue = passed(world, u)
    with world.at():
        meeting_svc.meeting_circulate(actor=meeting_users(world)["proc"], meeting_id=meeting.pk)
        intervention_svc.intervention_respond(
            actor=intervention_users(world)["proc"], intervention_id=intervention.pk, accept=True
        )
        consultation_svc.consultation_reply(
            actor=consultation_users(world)["police"],
            consultation_id=consultation.pk,
            text="建议先检验",
        )
        clue_svc.clue_answer(actor=u["ps"], clue_id=clue.pk, answer="accepted_for_checking")


def test_each_notification_opens_its_page_for_its_recipient(client, world):
    _everything(world)
    notes = list(Notification.objects.select_related("recipient").order_by("pk"))
    prefixes = {n.key.split(":")[0] for n in notes}
    assert {
        "meeting_convened",
        "minutes_circulated",
        "intervention_approval",
        "intervention_requested",
        "intervention_answer",
        "consultation_opened",
        "consultation_reply",
        "clue_passed",
        "clue_answered",
    } <= prefixes
    seen = set()
    for note in notes:
        prefix = note.key.split(":")[0]
        if prefix in seen:
            continue
        seen.add(prefix)
        client.force_login(note.recipient)
        response = client.post(
            reverse("xianjie:notification_read", args=[note.pk]), {"next": note.link}
        )
        assert response["Location"] == note.link, prefix
        assert client.get(note.link).status_code == 200, prefix
        note.refresh_from_db()
        assert note.read_at is not None


def test_the_coordination_kind_is_offered_by_email(client, world):
    user = meeting_users(world)["msa"]
    client.force_login(user)
    page = client.get(reverse("xianjie:notification_settings")).content.decode()
    assert f'value="{NotificationKind.COORDINATION}"' in page
    assert "联席会议、会商、提前介入或线索" in page
