"""The case summary (案件概况及卷宗目录): printed on demand by the transferring agency through the
document machinery, numbered in a series of its own, each later print the next version; never
shown or served to another side of the referral."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from referral import lifecycle
from referral.access import document_get_for_user
from referral.documents.context import case_data_from_referral
from referral.models import AttachmentKind, Document, Referral, Role
from referral.services import referrals as case
from referral.services.case_record import attachment_remove
from referral.services.documents import case_summary_print
from referral.services.errors import NotFound, PermissionDenied
from referral.services.supplements import supplement_record
from tests.referral.documents.pdftools import pdf_pages_text, save_pngs, squeeze
from workflows.case_page import case_page_for_user

S = lifecycle.Status


def _print(world, referral, after_commit, role=Role.CASE_OFFICER):
    with world.at(), after_commit():
        document = case_summary_print(referral_id=referral.pk, actor=world.user("fc-msa", role))
    document.refresh_from_db()
    return document


def test_the_summary_is_numbered_then_reprinted_as_its_next_version(world, after_commit):
    referral = world.new_referral()
    first = _print(world, referral, after_commit)
    assert first.type.internal and first.number.endswith("1号") and "概" in first.number
    assert first.is_ready and first.issuing_agency == referral.agency
    world.advance(hours=1)
    second = _print(world, referral, after_commit, role=Role.AGENCY_HEAD)
    first.refresh_from_db()
    assert (second.number, second.version, second.replaces) == (first.number, 2, first)
    assert first.superseded_at is not None
    actions = list(
        referral.events.filter(action__in=["issue_document", "reissue_document"]).values_list(
            "action", flat=True
        )
    )
    assert actions == ["issue_document", "reissue_document"]
    assert not hasattr(first, "service")  # internal: no service record, never sent


@pytest.mark.parametrize(
    ("agency", "role", "error"),
    [
        ("fc-police", Role.POLICE_INTAKE, PermissionDenied),
        ("fc-proc", Role.PROCURATOR, PermissionDenied),
        ("yx-msa", Role.CASE_OFFICER, NotFound),
    ],
)
def test_only_the_transferring_agency_prints_the_summary(world, agency, role, error):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    with pytest.raises(error), world.at():
        case_summary_print(referral_id=referral.pk, actor=world.user(agency, role))
    assert not referral.documents.filter(doc_type="case_summary").exists()


def test_the_summary_is_not_served_to_the_other_sides(client, world, after_commit):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    document = _print(world, referral, after_commit)
    pdf_url = reverse("referral:document_pdf", args=[document.pk])
    for agency, role in (("fc-police", Role.POLICE_INTAKE), ("fc-proc", Role.PROCURATOR)):
        user = world.user(agency, role)
        with pytest.raises(NotFound):
            document_get_for_user(user=user, document_id=document.pk)
        client.force_login(user)
        assert client.get(pdf_url).status_code == 404
        page = client.get(reverse("xianjie:referral_detail", args=[referral.pk]))
        assert document.number not in page.content.decode()
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    response = client.get(pdf_url)
    assert response.status_code == 200
    # Read to its end, the stream closes its file as a server would (close() would fire
    # request_finished and close the test's database connection).
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    page = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert document.number in page and 'data-testid="print-summary"' in page


def test_the_button_prints_it_and_the_police_have_no_button(client, world):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    client.force_login(world.user("fc-police", Role.POLICE_INTAKE))
    url = reverse("xianjie:referral_case_summary", args=[referral.pk])
    page = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert 'data-testid="print-summary"' not in page
    client.post(url)
    assert not Document.objects.filter(doc_type="case_summary").exists()
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    assert client.post(url).status_code == 302
    assert Document.objects.filter(doc_type="case_summary", referral=referral).count() == 1


def test_the_summary_pdf_holds_the_overview_and_the_file_index(
    world, after_commit, real_pdf_renderer
):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    with world.at():
        Referral.objects.filter(pk=referral.pk).update(
            goods_value=Decimal("60000"),
            sales_amount=Decimal("52000"),
            discovered_on=date(2026, 2, 20),
            offence_place="绵阳市涪城区某路1号",
        )
        referral.parties.create(kind="unit", name="某食品有限公司", id_number="91510703MA000000X")
        supplement_record(
            referral_id=referral.pk,
            actor=officer,
            kind="correction",
            subject="货值金额",
            content="更正",
            reason="漏计",
            file_name="更正说明.pdf",
            file_data=b"%PDF-1.4 x",
        )
    world.advance(hours=1)
    document = _print(world, referral, after_commit)
    with document.pdf.open("rb") as f:
        pdf = f.read()
    text = "".join(pdf_pages_text(pdf))
    save_pngs(pdf, "case_summary")
    letter = referral.documents.get(doc_type="transfer_letter")
    report = referral.attachments.filter(kind=AttachmentKind.TEST_REPORT).first()
    expected = [
        "案件概况及卷宗目录",
        document.number,
        referral.title,
        "生产、销售有毒、有害食品罪",
        "《刑法》第一百四十四条",
        "2026年2月20日",
        "绵阳市涪城区某路1号",
        "60,000.00",
        "52,000.00",
        "某食品有限公司",
        "公安机关已受理",  # the status
        "卷宗目录",
        "涉嫌犯罪案件移送书",
        letter.number,
        "更正说明.pdf",
        report.original_name,
    ]
    missing = [s for s in expected if squeeze(s) not in text]
    assert not missing, missing
    assert "抄送" not in text  # internal: no 版记


def test_a_removed_file_leaves_the_index(world, after_commit):
    referral = world.new_referral()
    officer = world.user("fc-msa", Role.CASE_OFFICER)

    with world.at():
        kept = case.attachment_add(
            referral_id=referral.pk,
            actor=officer,
            kind=AttachmentKind.EVIDENCE,
            name="留存.pdf",
            data=b"%PDF-1.4 a",
        )
        gone = case.attachment_add(
            referral_id=referral.pk,
            actor=officer,
            kind=AttachmentKind.EVIDENCE,
            name="误传.pdf",
            data=b"%PDF-1.4 b",
        )
        attachment_remove(referral_id=referral.pk, actor=officer, attachment_id=gone.pk)
    titles = [entry.title for entry in case_data_from_referral(referral).file_index]
    assert any(kept.original_name in t for t in titles)
    assert not any(gone.original_name in t for t in titles)


def test_the_other_sides_timeline_does_not_show_the_summary(world, after_commit):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    police = world.user("fc-police", Role.POLICE_INTAKE)
    officer = world.user("fc-msa", Role.CASE_OFFICER)

    def document_rows(user):
        page = case_page_for_user(user=user, referral_id=referral.pk, timeline_scope="all")
        return [r for r in page.timeline if "document" in r.action]

    before = {user: len(document_rows(user)) for user in (police, officer)}
    _print(world, referral, after_commit)
    assert len(document_rows(police)) == before[police]
    assert len(document_rows(officer)) == before[officer] + 2  # issued, rendered
