"""Error pages in Chinese with a way back, messages shown once, amounts with thousands
separators, the chart with state labels."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from referral.models import Referral, Role
from tests.factories import UserFactory

SNACKBAR = "viewflow/includes/snackbar.html"


@pytest.fixture
def production_like(settings):
    settings.DEBUG = False


def _way_back(html: str) -> None:
    # "Back" is a link home that error.js turns into history.back(): no javascript: URL, which
    # the Content-Security-Policy would block.
    assert '<a href="/" data-back>' in html and "xianjie/error.js" in html
    assert "javascript:" not in html and "<style" not in html
    assert "返回上一页" in html and "返回首页" in html


def test_unknown_case_gives_the_chinese_404_page(client, world, production_like):
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    response = client.get(reverse("xianjie:referral_detail", args=[999]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "此页面或案件不存在" in html and "Not Found" not in html
    assert f'href="{reverse("xianjie:referral_list")}"' in html
    _way_back(html)


def test_another_agencys_case_gives_the_same_404_page(client, world, production_like):
    referral = world.new_referral()
    client.force_login(world.user("yx-msa", Role.CASE_OFFICER))
    response = client.get(reverse("xianjie:referral_detail", args=[referral.pk]))
    assert response.status_code == 404 and "此页面或案件不存在" in response.content.decode()


def test_forbidden_page_is_chinese_and_says_what_to_do(client, world, production_like):
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    response = client.get(reverse("xianjie:agency_tasks"))  # heads only
    html = response.content.decode()
    assert response.status_code == 403
    assert "您无权进行此操作" in html and "安全管理员" in html
    assert f'href="{reverse("xianjie:inbox")}"' in html
    _way_back(html)


def test_server_error_page_is_chinese(world, settings, production_like):
    settings.ROOT_URLCONF = "tests.workflows.crash_urls"
    client = Client(raise_request_exception=False)
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    response = client.get("/crash/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in html and "RuntimeError" not in html
    _way_back(html)


def test_a_message_is_shown_once(client, world):
    referral = world.new_referral()
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    response = client.post(
        reverse("xianjie:referral_party", args=[referral.pk]),
        {"kind": "person", "name": "张三"},
        follow=True,
    )
    html = response.content.decode()
    assert html.count("已添加当事人") == 1
    assert 'class="xj-msg xj-msg--success"' in html


def test_snackbar_shows_only_messages_no_banner_showed(rf):
    # Pages without the banner (the login page) still show their message in the snackbar.
    request = rf.get("/")
    request.session = {}
    storage = FallbackStorage(request)
    storage.add(messages.INFO, "未显示的消息")
    assert "未显示的消息" in render_to_string(SNACKBAR, {"messages": storage})
    list(storage)  # what the banner does
    assert "未显示的消息" not in render_to_string(SNACKBAR, {"messages": storage})


def test_upload_error_keeps_the_chosen_kind(client, world):
    referral = world.new_referral()
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    upload = SimpleUploadedFile("说明.txt", b"plain text")
    response = client.post(
        reverse("xianjie:referral_upload", args=[referral.pk]),
        {"kind": "test_report", "file": upload},
    )
    html = response.content.decode()
    assert response.status_code == 200 and not referral.attachments.exists()
    assert re.search(r'<option value="test_report" selected>', html)
    assert "只能上传 PDF" in html


def test_amounts_have_thousands_separators(client, world):
    referral = world.new_referral()  # 128000.00 yuan
    Referral.objects.filter(pk=referral.pk).update(amount_involved="1234567.50")
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    page = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    listing = client.get(reverse("xianjie:referral_list")).content.decode()
    for html in (page, listing):
        # The correction form's number input holds the plain figure, as a number input must.
        shown = re.sub(r'value="[0-9.]*"', "", html)
        assert "1,234,567.50" in shown and "1234567.50" not in shown


def test_missing_amount_is_a_dash(client, world):
    referral = world.new_referral()
    Referral.objects.filter(pk=referral.pk).update(amount_involved=None)
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    listing = client.get(reverse("xianjie:referral_list")).content.decode()
    assert '<td class="xj-num">—</td>' in listing


def test_chart_shows_state_labels_not_codes(client, world):
    referral = world.new_referral()
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    html = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    chart = html[html.index('data-testid="flow-chart"') :].split("</div>")[0]
    assert '<span class="current">行政立案查处中</span>' in chart
    assert not re.search(r"[A-Z]{3,}_[A-Z_]+", chart)


def test_user_without_roles_gets_the_403_page(client, world, production_like):
    referral = world.new_referral()
    roleless = UserFactory(username="roleless", agency=world.agencies["fc-msa"], roles=[])
    client.force_login(roleless)
    response = client.get(reverse("xianjie:referral_detail", args=[referral.pk]))
    assert response.status_code == 403 and "您无权进行此操作" in response.content.decode()
