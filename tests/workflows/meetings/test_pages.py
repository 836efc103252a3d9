"""The joint-meeting pages: what each agency sees and may do, through HTTP, and their query
counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from referral.models import FollowUp, Meeting, MinutesStatus
from tests.referral.meetings.helpers import drafted, issued, users


def test_convene_through_the_page(client, world):
    u = users(world)
    client.force_login(u["proc"])
    invited = [world.agencies[c].pk for c in ("fc-msa", "fc-police")]
    with world.at():
        response = client.post(
            reverse("xianjie:meeting_new"),
            {
                "kind": "regular",
                "title": "第一季度联席会议",
                "held_at": "2026-03-02T09:00",
                "place": "会议室",
                "chair": "王检察长",
                "period_start": "2026-01-01",
                "period_end": "2026-03-31",
                "invited_agency_ids": invited,
            },
        )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("xianjie:meeting_detail", args=[meeting.pk])
    assert meeting.participants.count() == 3


def test_the_flow_through_the_pages_to_issued_minutes(client, world, after_commit):
    u = users(world)
    meeting = drafted(world)
    url = lambda name: reverse(f"xianjie:meeting_{name}", args=[meeting.pk])  # noqa: E731
    client.force_login(u["proc"])
    with world.at():
        client.post(url("circulate"))
    for who in ("proc", "msa", "police"):
        client.force_login(u[who])
        with world.at():
            client.post(url("confirm"), {"comment": ""})
    client.force_login(u["proc"])
    with world.at(), after_commit():
        response = client.post(url("issue"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.ISSUED
    page = client.get(url("detail")).content.decode()
    assert "联席会议纪要" in page and meeting.documents.get().display_number in page


def test_absent_agency_sees_no_edit_forms_and_is_refused(client, world):
    u = users(world)
    meeting = drafted(world)
    client.force_login(u["absent"])
    page = client.get(reverse("xianjie:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="report-form"' not in page and "meeting_opinion" not in page
    item = meeting.agenda.get()
    with world.at():
        response = client.post(
            reverse("xianjie:meeting_opinion", args=[meeting.pk]),
            {"item_id": item.pk, "text": "意见"},
            follow=True,
        )
    with translation.override("zh-hans"):
        refused = translation.gettext("Only an agency that attended the meeting may do this.")
    assert refused in response.content.decode()
    assert not item.opinions.filter(agency=u["absent"].agency).exists()
    client.force_login(u["proc"])
    with world.at():
        client.post(reverse("xianjie:meeting_circulate", args=[meeting.pk]))
    client.force_login(u["absent"])
    with world.at():
        client.post(reverse("xianjie:meeting_confirm", args=[meeting.pk]), {"comment": ""})
    assert meeting.participants.get(agency=u["absent"].agency).confirmed_at is None


def test_an_uninvited_agency_gets_404(client, world):
    u = users(world)
    meeting = drafted(world)
    client.force_login(u["outsider"])
    assert client.get(reverse("xianjie:meeting_detail", args=[meeting.pk])).status_code == 404
    response = client.post(reverse("xianjie:meeting_confirm", args=[meeting.pk]), {})
    assert response.status_code == 404
    assert meeting.title not in client.get(reverse("xianjie:meeting_list")).content.decode()


def test_overdue_follow_up_shows_on_the_meeting_and_in_the_list(client, world, after_commit):
    u = users(world)
    meeting, _ = issued(world, after_commit)
    item = meeting.follow_ups.get(owner_agency=u["police"].agency)
    world.t = item.due_at + timedelta(hours=1)
    client.force_login(u["police"])
    with world.at():
        page = client.get(reverse("xianjie:meeting_detail", args=[meeting.pk])).content.decode()
        listing = client.get(reverse("xianjie:meeting_list")).content.decode()
    row = page.split(f'data-testid="follow-up-{item.position}"')[1].split("</tr>")[0]
    assert "xj-badge--overdue" in row and "follow_up_done" not in row
    assert "xj-badge--overdue" in listing
    with world.at():
        client.post(reverse("xianjie:follow_up_done", args=[item.pk]), {"note": "已报送"})
    assert FollowUp.objects.get(pk=item.pk).is_done


# The meeting page: session, user (2) + the meeting with its convening agency, visibility
# checked in the same query (1) + roles (1) + participants with agencies (1) + reports with
# agencies (1) + agenda with referrals (1) + opinions with agencies (1) + decisions (1)
# + follow-ups with owners (1) + documents (1) = 11, however many rows each part has.
MEETING_PAGE = 11
# The list: session, user (2) + roles (1) + meetings with agency and follow-up counts (1) = 4.
MEETING_LIST = 4


@pytest.mark.parametrize("meetings", [1, 3])
def test_meeting_pages_query_counts(
    client, world, after_commit, meetings, django_assert_num_queries
):
    u = users(world)
    for _ in range(meetings):
        meeting, _document = issued(world, after_commit)
    client.force_login(u["msa"])
    with django_assert_num_queries(MEETING_PAGE):
        response = client.get(reverse("xianjie:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    with django_assert_num_queries(MEETING_LIST):
        response = client.get(reverse("xianjie:meeting_list"))
    assert response.content.decode().count("meetings/") >= meetings


def test_home_shows_the_agencys_meetings_and_its_overdue_follow_up(client, world, after_commit):
    u = users(world)
    meeting, _ = issued(world, after_commit)
    item = meeting.follow_ups.get(owner_agency=u["police"].agency)
    world.t = item.due_at + timedelta(hours=1)
    client.force_login(u["police"])
    with world.at():
        page = client.get(reverse("xianjie:index")).content.decode()
    row = page.split(f'data-testid="home-follow-up-{item.pk}"')[1].split("</tr>")[0]
    assert item.action in row and "xj-badge--overdue" in row
    assert meeting.title in page
    client.force_login(u["outsider"])
    assert (
        'data-testid="home-meetings"' not in client.get(reverse("xianjie:index")).content.decode()
    )


# The convening agency's page while drafting: MEETING_PAGE + the referrals it may put on the
# agenda, with their agencies, for the agenda form's choices (1).
MEETING_PAGE_DRAFTING = MEETING_PAGE + 1


def test_convener_puts_a_referral_on_the_agenda(client, world, django_assert_num_queries):
    u = users(world)
    referral = world.reach("FILED")
    meeting = drafted(world)
    client.force_login(u["proc"])
    url = reverse("xianjie:meeting_detail", args=[meeting.pk])
    with django_assert_num_queries(MEETING_PAGE_DRAFTING):
        page = client.get(url).content.decode()
    assert referral.reference in page
    with world.at():
        client.post(
            reverse("xianjie:meeting_agenda", args=[meeting.pk]),
            {"kind": "referral", "text": "", "referral_id": referral.pk},
        )
        client.post(
            reverse("xianjie:meeting_agenda", args=[meeting.pk]),
            {"kind": "topic", "text": "培训计划", "referral_id": ""},
        )
    items = list(meeting.agenda.order_by("position"))
    assert items[-2].referral == referral and items[-1].text == "培训计划"


def test_minutes_pdf_for_participants_only_and_verifiable_by_anyone(client, world, after_commit):
    u = users(world)
    _meeting, document = issued(world, after_commit)
    pdf_url = reverse("referral:document_pdf", args=[document.pk])
    for who in ("proc", "msa", "absent"):  # the absent agency was invited: it reads the minutes
        client.force_login(u[who])
        response = client.get(pdf_url)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content if response.streaming else [response.content])
    client.force_login(u["outsider"])
    assert client.get(pdf_url).status_code == 404
    client.logout()
    page = client.get(reverse("referral:verify", args=[document.verification_code]))
    assert page.status_code == 200 and document.number in page.content.decode()
