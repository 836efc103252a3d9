"""The case page on a phone (390 × 844, issue 9): nothing wider than the screen, the steps the
user may take on the first screen, the long sections folded until tapped; on a desktop every
section stays open. Screenshots land in artifacts/screenshots/<test>/."""

import shutil

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from referral import lifecycle
from referral.models import Role

S = lifecycle.Status
PASSWORD = "browser-test-pw"
PHONE = {"width": 390, "height": 844}
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(page: Page, base_url: str, user) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.goto(base_url + reverse("login"))
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def _scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def shots(request):
    path = request.config.rootpath / "artifacts" / "screenshots" / request.node.name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def test_case_page_fits_a_phone(browser_page: Page, live_server, world, shots):
    referral = world.reach(S.NOT_FILED)  # documents, clocks and a long timeline
    page = browser_page
    page.set_viewport_size(PHONE)
    _login(page, live_server.url, world.user("fc-msa", Role.CASE_OFFICER))
    page.goto(live_server.url + reverse("xianjie:referral_detail", args=[referral.pk]))
    page.screenshot(path=shots / "01-case-page-phone.png", full_page=True)

    assert _scroll_width(page) <= PHONE["width"]
    # The officer's steps come first, on the first screen, without opening anything.
    step = page.get_by_test_id("steps").locator("form").first
    expect(step.get_by_role("button")).to_be_visible()
    assert step.bounding_box()["y"] < PHONE["height"]
    for section in ("timeline", "documents", "attachments"):
        expect(page.get_by_test_id(section)).not_to_have_attribute("open", "")
    expect(page.get_by_test_id("clocks")).to_have_attribute("open", "")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height  # was about 14,000 px with every section open

    # A tap on a section's heading opens it; still nothing wider than the screen.
    page.get_by_test_id("documents").locator("summary").first.click()
    expect(page.get_by_test_id("documents").locator("table")).to_be_visible()
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.screenshot(path=shots / "02-case-page-phone-opened.png", full_page=True)
    assert _scroll_width(page) <= PHONE["width"]


def test_notifications_fit_a_phone(browser_page: Page, live_server, world, shots):
    world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)  # the head is told the report awaits them
    page = browser_page
    page.set_viewport_size(PHONE)
    _login(page, live_server.url, world.user("fc-msa", Role.AGENCY_HEAD))
    page.goto(live_server.url + reverse("xianjie:notification_list"))
    page.screenshot(path=shots / "01-notifications-phone.png", full_page=True)
    assert _scroll_width(page) <= PHONE["width"]
    with page.expect_navigation():
        page.get_by_test_id("notification-open").first.click()
    expect(page.get_by_test_id("referral-title")).to_be_visible()


def test_case_page_keeps_its_sections_open_on_a_desktop(browser_page: Page, live_server, world):
    referral = world.reach(S.NOT_FILED)
    page = browser_page  # 1280 × 900
    _login(page, live_server.url, world.user("fc-msa", Role.CASE_OFFICER))
    page.goto(live_server.url + reverse("xianjie:referral_detail", args=[referral.pk]))
    for section in ("timeline", "documents", "attachments", "case-section", "clocks"):
        expect(page.get_by_test_id(section)).to_have_attribute("open", "")
