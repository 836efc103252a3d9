"""Early intervention in headless Chromium: the case officer asks the procuratorate from the
case page, the head approves from the home page, the procurator accepts, and the case
timeline shows both the request and the answer. Screenshots under
artifacts/screenshots/<test>/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.workflows.test_browser import desk, real_pdf_renderer  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_officer_asks_head_approves_procurator_answers(desk, world):  # noqa: F811
    referral = world.new_referral()
    page = desk.page
    desk.login("fc-case_officer")
    desk.go("referral_detail", referral.pk, step="case")
    desk.submit(page.get_by_role("link", name="请求提前介入"), "ask")
    form = page.get_by_test_id("intervention-form")
    form.get_by_label("涪城区人民检察院").check()
    form.get_by_label("介入事由").select_option(label="案件定性不明")
    form.get_by_label("提前介入的理由").fill("涉案物质是否属于有毒有害物质存疑，请检察机关提前介入")
    desk.submit(form.get_by_role("button", name="报负责人批准"), "asked")
    desk.expect_message("已请求提前介入，待负责人批准。")

    desk.login("fc-agency_head")
    home = page.get_by_test_id("home-interventions")
    expect(home).to_contain_text("待负责人批准")
    desk.submit(home.get_by_role("link", name=referral.reference, exact=False), "head-opens")
    desk.submit(page.get_by_role("button", name="批准请求"), "approved")
    expect(page.get_by_test_id("intervention-state")).to_have_text("已请求")

    desk.login("fc-procurator")
    home = page.get_by_test_id("home-interventions")
    desk.submit(home.get_by_role("link", name=referral.reference, exact=False), "proc-opens")
    respond = page.get_by_test_id("respond-form")
    respond.get_by_label("答复理由").fill("同意派员提前介入，引导取证")
    desk.submit(respond.get_by_role("button", name="同意并介入"), "accepted")
    expect(page.get_by_test_id("addressees")).to_contain_text("同意介入")

    desk.login("fc-case_officer")
    desk.page.goto(desk.base_url + reverse("xianjie:referral_detail", args=[referral.pk]))
    desk.snap("timeline")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("请求提前介入")
    expect(timeline).to_contain_text("同意提前介入")
    expect(timeline).to_contain_text("同意派员提前介入，引导取证")
    expect(page.get_by_test_id("case-interventions")).to_contain_text("同意介入")
