"""The case page's seized items and documents: listing, download and print, correction,
rendering progress and failure, rendering again, and who may do which."""

import pytest
from django.urls import reverse

from referral import lifecycle
from referral.models import AuditEvent, Document, RenderState, Role
from tests.referral.documents.fixtures import after_commit, real_pdf_renderer  # noqa: F401
from tests.referral.documents.pdftools import pdf_pages_text

S = lifecycle.Status


def _page(referral):
    return reverse("xianjie:referral_detail", args=[referral.pk])


def _login(client, world, agency, role):
    user = world.user(agency, role)
    client.force_login(user)
    return user


def _correct(client, referral, document, reason, *, follow=True):
    data = {"correct-document": document.pk, "correct-reason": reason}
    url = reverse("xianjie:referral_document_correction", args=[referral.pk])
    return client.post(url, data, follow=follow)


def _add_item(referral):
    return reverse("xianjie:referral_seized_item", args=[referral.pk])


def _item(**overrides):
    data = {
        "item-name": "婴幼儿辅助营养米粉",
        "item-specification": "250g/盒",
        "item-quantity": "1260",
        "item-unit": "盒",
        "item-storage_location": "涪城区市场监管局涉案物品仓库",
    }
    data.update(overrides)
    return data


def test_transferred_case_lists_its_documents_to_view_print_and_download(client, flow_world):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    _login(client, flow_world, "fc-police", Role.POLICE_INTAKE)

    html = client.get(_page(referral)).content.decode()

    for document in referral.documents.all():
        assert document.type.title in html and document.number in html
        assert document.verification_code in html
        pdf_url = reverse("referral:document_pdf", args=[document.pk])
        assert f'href="{pdf_url}"' in html and f'href="{pdf_url}?download=1"' in html
    letter = referral.documents.get(doc_type="transfer_letter")
    response = client.get(reverse("referral:document_pdf", args=[letter.pk]), {"download": "1"})
    assert response.getvalue().startswith(b"%PDF")
    # The police read the transferring agency's documents but do not correct them.
    assert 'value="correct_document"' not in html


def test_head_issues_a_corrected_version_and_both_stay_listed(
    client,
    flow_world,
    after_commit,  # noqa: F811
):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    letter = referral.documents.get(doc_type="transfer_letter")
    _login(client, flow_world, "fc-msa", Role.AGENCY_HEAD)
    assert f'data-testid="correct-{letter.pk}"' in client.get(_page(referral)).content.decode()

    with after_commit():  # the corrected version renders once the correction has committed
        _correct(client, referral, letter, "金额笔误", follow=False)

    html = client.get(_page(referral)).content.decode()
    corrected = referral.documents.get(doc_type="transfer_letter", version=2)
    assert corrected.replaces == letter and corrected.reason == "金额笔误"
    assert f"已签发更正版本{corrected.display_number}" in html
    assert "已被取代 → 第2版" in html
    assert "第2版（更正）" in html  # the correction beside the unchanged number
    assert f'data-testid="correct-{letter.pk}"' not in html  # only the current version
    assert f'data-testid="correct-{corrected.pk}"' in html
    assert AuditEvent.objects.filter(referral=referral, action="reissue_document").count() == 1
    timeline = html[html.index('data-testid="timeline"') :]
    assert "签发文书" in timeline and "签发文书更正版本" in timeline
    assert "issue_document" not in timeline


def test_correction_without_a_reason_issues_nothing(client, flow_world):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    letter = referral.documents.get(doc_type="transfer_letter")
    _login(client, flow_world, "fc-msa", Role.AGENCY_HEAD)

    response = _correct(client, referral, letter, " ")

    assert "请说明更正理由" in response.content.decode()
    assert referral.documents.filter(doc_type="transfer_letter").count() == 1


@pytest.mark.parametrize("who", [("fc-police", Role.POLICE_INTAKE), ("fc-proc", Role.PROCURATOR)])
def test_other_agencies_cannot_correct_the_transfer_letter(client, flow_world, who):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    letter = referral.documents.get(doc_type="transfer_letter")
    _login(client, flow_world, *who)

    response = _correct(client, referral, letter, "改")

    assert "只有签发机关的工作人员可以更正该文书" in response.content.decode()
    assert referral.documents.filter(doc_type="transfer_letter").count() == 1


def test_a_document_of_another_case_cannot_be_corrected_from_this_page(client, flow_world):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    other = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    foreign = other.documents.get(doc_type="transfer_letter")
    _login(client, flow_world, "fc-msa", Role.AGENCY_HEAD)

    response = _correct(client, referral, foreign, "改", follow=False)

    assert response.status_code == 200 and "没有该文书" in response.content.decode()
    assert other.documents.filter(doc_type="transfer_letter").count() == 1


def test_officer_records_seized_items_before_transfer(client, flow_world):
    referral = flow_world.new_referral()
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)

    response = client.post(_add_item(referral), _item(), follow=True)
    client.post(_add_item(referral), _item(**{"item-name": "半成品原料", "item-unit": "千克"}))

    assert "已添加涉案物品" in response.content.decode()
    items = list(referral.seized_items.values_list("serial", "name", "quantity"))
    assert [(s, n) for s, n, _q in items] == [(1, "婴幼儿辅助营养米粉"), (2, "半成品原料")]
    html = client.get(_page(referral)).content.decode()
    assert "半成品原料" in html and "1260 盒" in html
    assert "登记涉案物品" in html[html.index('data-testid="timeline"') :]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("item-quantity", "0", "数量必须大于零"), ("item-name", "", "这个字段是必填项")],
)
def test_invalid_seized_item_is_shown_again_with_a_chinese_error(
    client, flow_world, field, value, message
):
    referral = flow_world.new_referral()
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)

    response = client.post(_add_item(referral), _item(**{field: value}))

    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "涪城区市场监管局涉案物品仓库" in html  # what was typed is kept
    assert not referral.seized_items.exists()


def test_seized_items_cannot_be_added_by_the_police_or_after_transfer(client, flow_world):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    html = client.get(_page(referral)).content.decode()
    assert 'data-testid="add-seized-item"' not in html
    response = client.post(_add_item(referral), _item(), follow=True)
    assert "不能修改案件信息" in response.content.decode()

    _login(client, flow_world, "fc-police", Role.POLICE_INTAKE)
    response = client.post(_add_item(referral), _item(), follow=True)
    assert "只有移送机关的执法人员才能修改案件信息" in response.content.decode()
    assert not referral.seized_items.exists()


def test_rendering_progress_is_polled_from_the_case_page(client, flow_world):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    letter = referral.documents.get(doc_type="transfer_letter")
    # A document whose render task has not finished yet (a worker renders it after the step).
    Document.objects.filter(pk=letter.pk).update(
        render_state=RenderState.RENDERING, render_progress=40
    )
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    status_url = reverse("referral:document_status", args=[letter.pk])

    html = client.get(_page(referral)).content.decode()
    assert f'data-status-url="{status_url}"' in html and 'value="40"' in html
    assert f'data-testid="correct-{letter.pk}"' not in html  # not while it renders
    assert reverse("referral:document_pdf", args=[letter.pk]) + '"' not in html

    assert client.get(status_url).json() == {
        "state": "rendering",
        "label": "正在生成",
        "progress": 40,
        "ready": False,
    }
    Document.objects.filter(pk=letter.pk).update(render_state=RenderState.DONE, render_progress=100)
    assert client.get(status_url).json()["ready"] is True


def test_a_failed_rendering_is_shown_and_offered_for_a_corrected_version(client, flow_world):
    """Regression: the page hid the correction of a failed document, which the reissue service
    allows (a new version renders again), and polled its progress forever."""
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    letter = referral.documents.get(doc_type="transfer_letter")
    Document.objects.filter(pk=letter.pk).update(render_state=RenderState.FAILED, render_progress=0)
    _login(client, flow_world, "fc-msa", Role.AGENCY_HEAD)

    html = client.get(_page(referral)).content.decode()

    assert "生成失败" in html and 'data-status-url="' not in html
    assert f'data-testid="correct-{letter.pk}"' in html
    assert f'data-testid="retry-{letter.pk}"' in html


def test_the_issuer_renders_a_failed_document_again_from_the_case_page(
    client,
    flow_world,
    after_commit,  # noqa: F811
):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    letter = referral.documents.get(doc_type="transfer_letter")
    Document.objects.filter(pk=letter.pk).update(render_state=RenderState.FAILED, render_progress=0)
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    retry = reverse("referral:document_retry", args=[letter.pk])

    with after_commit():  # rendered once the request has committed
        response = client.post(retry, {"next": _page(referral)})

    assert response.status_code == 302 and response["Location"] == _page(referral)
    html = client.get(_page(referral)).content.decode()
    assert f"正在重新生成文书{letter.display_number}" in html
    letter.refresh_from_db()
    assert letter.is_ready and f'data-testid="retry-{letter.pk}"' not in html
    assert reverse("referral:document_pdf", args=[letter.pk]) + '"' in html
    timeline = html[html.index('data-testid="timeline"') :]
    assert timeline.index("重新生成文书") < timeline.rindex("文书生成完毕")


@pytest.mark.parametrize("who", [("fc-police", Role.POLICE_INTAKE), ("yx-msa", Role.CASE_OFFICER)])
def test_others_cannot_render_a_failed_document_again(client, flow_world, who):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    letter = referral.documents.get(doc_type="transfer_letter")
    Document.objects.filter(pk=letter.pk).update(render_state=RenderState.FAILED, render_progress=0)
    _login(client, flow_world, *who)

    response = client.post(
        reverse("referral:document_retry", args=[letter.pk]), {"next": "https://evil.example/"}
    )

    if who[0] == "yx-msa":  # another county's officer: as if there were no such document
        assert response.status_code == 404
    else:
        assert response.status_code == 302 and response["Location"] == "/"  # not off-site
    letter.refresh_from_db()
    assert letter.is_failed
    assert not AuditEvent.objects.filter(action="retry_render_document").exists()


@pytest.mark.parametrize("who", [("yx-msa", Role.CASE_OFFICER), ("yx-police", Role.POLICE_INTAKE)])
def test_document_status_of_another_agency_is_not_found(client, flow_world, who):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    letter = referral.documents.get(doc_type="transfer_letter")
    _login(client, flow_world, *who)
    assert client.get(reverse("referral:document_status", args=[letter.pk])).status_code == 404


@pytest.mark.usefixtures("real_pdf_renderer")
def test_seized_items_on_the_page_feed_the_item_list_issued_at_transfer(client, flow_world):
    referral = flow_world.reach(S.TRANSFER_APPROVED)
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    client.post(_add_item(referral), _item())
    flow_world.do(referral, "transfer")

    item_list = referral.documents.get(doc_type="seized_item_list")
    assert item_list.is_ready  # rendered after the step, before the page is shown again
    with item_list.pdf.open("rb") as stored:
        pages = pdf_pages_text(stored.read())
    assert "婴幼儿辅助营养米粉" in "".join(pages)
