"""The case page's service of documents: "sent, not yet received" until the addressee's officer
signs for a document there (签收) or the sender records a paper service with the receipt's scan;
the police sign for the transfer letter there, which is their sign_receipt."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referral import lifecycle
from referral.models import Role, ServiceMethod, ServiceRecord

S = lifecycle.Status


def _page(referral):
    return reverse("xianjie:referral_detail", args=[referral.pk])


def _sign(client, referral, document):
    url = reverse("xianjie:referral_document_sign", args=[referral.pk])
    return client.post(url, {"sign-document": document.pk}, follow=True)


def _sent(flow_world, world):
    """The police head approves filing: the filing notice goes to the agency."""
    referral = flow_world.reach(S.FILING_PROPOSED)
    world.sign_at_once = False  # flow_world runs `world`'s steps
    flow_world.do(referral, "file_case")
    return referral, referral.documents.order_by("-pk").first()


def test_the_agency_signs_for_the_filing_notice_on_the_case_page(client, flow_world, world):
    referral, notice = _sent(flow_world, world)
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))
    html = client.get(_page(referral)).content.decode()
    assert f'data-testid="unreceived-{notice.pk}"' in html and "已送达未签收" in html
    assert f'data-testid="sign-{notice.pk}"' in html
    assert f'data-testid="paper-{notice.pk}"' not in html  # the addressee records no paper

    flow_world.advance(days=1)
    with flow_world.at():
        html = _sign(client, referral, notice).content.decode()
    assert "已签收" in html and f'data-testid="received-{notice.pk}"' in html
    clock = referral.clocks.get(rule="items_handover")
    assert clock.started_at == flow_world.t


def test_the_sender_sees_unreceived_and_records_a_paper_service(client, flow_world, world):
    referral, notice = _sent(flow_world, world)
    client.force_login(flow_world.user("fc-police", Role.POLICE_REVIEWER))
    html = client.get(_page(referral)).content.decode()
    assert f'data-testid="unreceived-{notice.pk}"' in html
    assert f'data-testid="sign-{notice.pk}"' not in html  # the sender cannot sign
    assert f'data-testid="paper-{notice.pk}"' in html

    flow_world.advance(days=2)
    url = reverse("xianjie:referral_document_paper_service", args=[referral.pk])
    scan = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    received = notice.issued_at.astimezone(flow_world.t.tzinfo).replace(second=0, microsecond=0)
    with flow_world.at():
        response = client.post(
            url,
            {
                "paper-document": notice.pk,
                "paper-received_at": received.strftime("%Y-%m-%dT%H:%M"),
                "paper-scan": scan,
            },
            follow=True,
        )
    assert "纸质送达已登记" in response.content.decode()
    record = ServiceRecord.objects.get(document=notice)
    assert record.method == ServiceMethod.PAPER
    assert referral.clocks.get(rule="items_handover").started_at == record.received_at


def test_a_stranger_cannot_sign_and_the_sender_is_refused(client, flow_world, world):
    referral, notice = _sent(flow_world, world)
    client.force_login(flow_world.user("yx-msa", Role.CASE_OFFICER))
    url = reverse("xianjie:referral_document_sign", args=[referral.pk])
    assert client.post(url, {"sign-document": notice.pk}).status_code == 404
    client.force_login(flow_world.user("fc-police", Role.POLICE_REVIEWER))
    with flow_world.at():
        html = _sign(client, referral, notice).content.decode()
    assert "只有受送达机关的工作人员可以签收文书" in html
    assert ServiceRecord.objects.get(document=notice).received_at is None


def test_the_police_sign_for_the_transfer_letter_only_with_the_receipt_step(client, flow_world):
    """Issue 9: the receipt records the checklist of Decree 310 art. 6, so the transfer letter
    is not signed for from the documents list, where no checklist is asked."""
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    letter = referral.documents.get(doc_type="transfer_letter")
    client.force_login(flow_world.user("fc-police", Role.POLICE_INTAKE))
    html = client.get(_page(referral)).content.decode()
    assert f'data-testid="unreceived-{letter.pk}"' in html
    assert f'data-testid="sign-{letter.pk}"' not in html
    with flow_world.at():
        html = _sign(client, referral, letter).content.decode()
    assert "该文书须通过相应环节签收" in html
    referral.refresh_from_db()
    assert referral.status == S.TRANSFERRED_AWAITING_RECEIPT
    assert ServiceRecord.objects.get(document=letter).received_at is None
    flow_world.do(referral, "sign_receipt")
    assert ServiceRecord.objects.get(document=letter).received_at is not None
