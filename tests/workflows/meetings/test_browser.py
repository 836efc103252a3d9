"""A joint meeting in headless Chromium (issue 11): the market-supervision officer convenes
涪城区's three agencies, records attendance, a decision and a follow-up item, and circulates
the minutes; the police and the procuratorate each confirm them in their own login; the
convener issues them, and the numbered minutes are listed on the meeting page. The notices
each step sends are read from the bell. Screenshots under artifacts/screenshots/<test>/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from referral.models import Document, Meeting
from referral.timeutil import now
from tests.workflows.test_browser import AGENCY_NAMES, desk  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "2026年第一季度行刑衔接联席会议"


def _local(moment, fmt):
    return moment.astimezone().strftime(fmt)


def test_a_meeting_is_convened_confirmed_by_the_other_two_agencies_and_issued(
    desk,  # noqa: F811
):
    page = desk.page
    desk.login("fc-case_officer")
    desk.go("meeting_list", step="meetings")
    desk.submit(page.get_by_role("link", name="召集联席会议"), "convene-form")
    form = page.get_by_test_id("convene")
    form.get_by_label("名称").fill(TITLE)
    form.get_by_label("时间").fill(_local(now() + timedelta(days=1), "%Y-%m-%dT09:30"))
    form.get_by_label("地点").fill("涪城区市场监督管理局三楼会议室")
    form.get_by_label("主持人").fill("赵局长")
    form.get_by_label("通报期间起").fill("2026-01-01")
    form.get_by_label("通报期间止").fill("2026-03-31")
    form.get_by_label(AGENCY_NAMES["fc-police"]).check()
    form.get_by_label(AGENCY_NAMES["fc-proc"]).check()
    desk.submit(form.get_by_role("button", name="召集"), "convened")
    desk.expect_message("会议已召集。")
    meeting = Meeting.objects.get(title=TITLE)

    # Attendance: the two invited agencies came.
    for code, names in (("fc-police", "孙审查 副大队长"), ("fc-proc", "周检察 检察官")):
        row = page.get_by_test_id("attendance").locator("tr", has_text=AGENCY_NAMES[code])
        row.get_by_label("出席").check()
        row.locator("textarea").fill(names)
        desk.submit(row.get_by_role("button", name="保存"), f"attendance-{code}")
    decisions = page.get_by_test_id("decisions")
    decisions.get_by_label("议定事项").fill("建立季度案件信息通报制度")
    decisions.get_by_label("依据").fill("《行政执法机关移送涉嫌犯罪案件的规定》第十四条")
    desk.submit(decisions.get_by_role("button", name="记录议定事项"), "decision")
    follow_up = page.get_by_test_id("follow-up-form")
    follow_up.locator("textarea[name=action]").fill("报送本季度不予立案案件清单")
    follow_up.locator("select[name=owner_agency_id]").select_option(label=AGENCY_NAMES["fc-police"])
    follow_up.locator("input[name=owner_person]").fill("孙审查")
    follow_up.locator("input[name=due_at]").fill(
        _local(now() + timedelta(days=30), "%Y-%m-%dT%H:%M")
    )
    desk.submit(follow_up.get_by_role("button", name="添加落实事项"), "follow-up")
    expect(page.get_by_test_id("follow-up-1")).to_contain_text("报送本季度不予立案案件清单")
    minutes = page.get_by_test_id("minutes")
    desk.submit(minutes.get_by_role("button", name="将纪要送出席单位会签"), "circulated")
    expect(page.get_by_test_id("meeting-status")).to_have_text("纪要已送会签")
    # Circulating is the convener's own confirmation: it waits for the other two only.
    awaiting = page.get_by_test_id("minutes-awaiting")
    expect(awaiting).to_contain_text(AGENCY_NAMES["fc-police"])
    expect(awaiting).to_contain_text(AGENCY_NAMES["fc-proc"])
    expect(awaiting).not_to_contain_text(AGENCY_NAMES["fc-msa"])
    expect(page.get_by_test_id("minutes").get_by_role("button", name="确认纪要")).to_have_count(0)

    # Each other agency confirms in its own login, reaching the meeting from its notice.
    for username, code in (("fc-police_reviewer", "fc-police"), ("fc-procurator", "fc-proc")):
        desk.login(username)
        desk.go("notification_list", step=f"notices-{username}")
        notices = page.get_by_test_id("notifications")
        expect(notices).to_contain_text(f"纪要待确认：{TITLE}")
        desk.submit(
            notices.get_by_role("button", name=f"纪要待确认：{TITLE}"), f"meeting-{username}"
        )
        expect(page.get_by_test_id("meeting")).to_contain_text(TITLE)
        minutes = page.get_by_test_id("minutes")
        desk.submit(minutes.get_by_role("button", name="确认纪要"), f"confirmed-{username}")
        row = page.get_by_test_id("attendance").locator("tr", has_text=AGENCY_NAMES[code])
        expect(row).to_contain_text("已确认")

    desk.login("fc-case_officer")
    desk.go("notification_list", step="convener-notices")
    expect(page.get_by_test_id("notifications")).to_contain_text(
        f"{AGENCY_NAMES['fc-proc']}已确认纪要：{TITLE}"
    )
    desk.go("meeting_detail", meeting.pk, step="before-issue")
    expect(page.get_by_test_id("minutes-awaiting")).to_contain_text("出席单位均已确认")
    desk.submit(page.get_by_test_id("minutes").get_by_role("button", name="印发纪要"), "issued")
    expect(page.get_by_test_id("meeting-status")).to_have_text("纪要已印发")
    document = Document.objects.get(meeting=meeting)
    listed = page.get_by_test_id("minutes-documents")
    expect(listed).to_contain_text(document.display_number)
    expect(listed).to_contain_text("联席会议纪要")

    # The police reviewer is told of the issued minutes and of the item that is theirs.
    desk.login("fc-police_reviewer")
    desk.go("notification_list", step="police-notices-after-issue")
    notices = page.get_by_test_id("notifications")
    expect(notices).to_contain_text(f"纪要已印发：{TITLE}")
    expect(notices).to_contain_text(f"本单位有落实事项：{TITLE}")
    page.goto(desk.base_url + reverse("xianjie:meeting_detail", args=[meeting.pk]))
    desk.snap("police-meeting-issued")
    expect(page.get_by_test_id("follow-up-1")).to_contain_text("报送本季度不予立案案件清单")
