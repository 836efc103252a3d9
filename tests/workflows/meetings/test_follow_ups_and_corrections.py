"""Follow-up items in their owner agency's inbox (time left, overdue, reported done from
there, audited) and corrections of issued minutes as a new version."""

from datetime import timedelta

from django.urls import reverse

from referral.models import AuditEvent, Document, FollowUp
from tests.referral.meetings.helpers import issued, users


def test_open_follow_up_is_in_the_owners_inbox_overdue_and_done_from_there(
    client, world, after_commit
):
    u = users(world)
    meeting, _ = issued(world, after_commit)
    item = meeting.follow_ups.get(owner_agency=u["police"].agency)
    other = meeting.follow_ups.get(owner_agency=u["msa"].agency)
    client.force_login(u["police"])
    with world.at():
        inbox = client.get(reverse("xianjie:inbox")).content.decode()
    row = inbox.split(f'data-testid="inbox-follow-up-{item.pk}"')[1].split("</tr>")[0]
    assert "13天" in row  # 14 days, less the hours since the meeting
    assert f'inbox-follow-up-{other.pk}"' not in inbox  # another agency's item
    world.t = item.due_at + timedelta(hours=1)
    with world.at():
        inbox = client.get(reverse("xianjie:inbox")).content.decode()
    row = inbox.split(f'data-testid="inbox-follow-up-{item.pk}"')[1].split("</tr>")[0]
    assert "xj-badge--overdue" in row
    with world.at():
        client.post(reverse("xianjie:follow_up_done", args=[item.pk]), {"note": "已报送清单"})
    assert FollowUp.objects.get(pk=item.pk).done_note == "已报送清单"
    event = AuditEvent.objects.get(action="meeting_follow_up_done")
    assert event.actor == u["police"] and event.payload["follow_up"] == item.pk
    with world.at():
        inbox = client.get(reverse("xianjie:inbox")).content.decode()
    assert f'inbox-follow-up-{item.pk}"' not in inbox


def test_another_agency_cannot_report_the_item_done(client, world, after_commit):
    u = users(world)
    meeting, _ = issued(world, after_commit)
    item = meeting.follow_ups.get(owner_agency=u["police"].agency)
    client.force_login(u["msa"])
    with world.at():
        client.post(reverse("xianjie:follow_up_done", args=[item.pk]), {"note": "x"})
    assert not FollowUp.objects.get(pk=item.pk).is_done


def test_the_convening_agency_corrects_issued_minutes_as_a_new_version(client, world, after_commit):
    u = users(world)
    meeting, document = issued(world, after_commit)
    url = reverse("xianjie:meeting_minutes_correction", args=[meeting.pk])
    client.force_login(u["msa"])  # attended, but did not convene
    with world.at():
        client.post(url, {"document": document.pk, "reason": "x"})
    assert meeting.documents.count() == 1
    client.force_login(u["proc"])
    page = client.get(reverse("xianjie:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="minutes-correction"' in page
    with world.at(), after_commit():
        client.post(url, {"document": document.pk, "reason": "更正第二项决定的依据"})
    old, new = Document.objects.filter(meeting=meeting).order_by("version")
    assert old.superseded_at is not None and new.replaces == old and new.version == 2
    assert new.display_number == old.display_number and new.reason == "更正第二项决定的依据"
    assert AuditEvent.objects.filter(action="reissue_document", payload__meeting=meeting.pk)
