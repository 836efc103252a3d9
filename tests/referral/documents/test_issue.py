"""Issuing documents at the steps that carry them: numbered and audited in the step, rendered
and frozen by the render task after the step commits; a correction is a new version; a failed
rendering is retried, then recorded and can be tried again."""

import hashlib

import pytest
from django.db import IntegrityError, transaction

from referral import lifecycle
from referral.documents.context import AgencyData, agency_data, case_data_from_referral
from referral.documents.plain import render_plain_pdf
from referral.documents.render import document_html
from referral.documents.types import DOCUMENT_TYPES
from referral.models import AuditEvent, Document, RenderState, Role
from referral.services import documents as issuing
from referral.services.errors import (
    IllegalTransition,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from referral.services.transitions import run_transition
from referral.timeutil import frozen_now
from tests.referral.documents.issued import officer, stored_bytes, transferred

S = lifecycle.Status


RENDERED = []


def recording_renderer(doc_type, referral, **kwargs):
    """The test settings' plain renderer, noting what it was given."""
    RENDERED.append((doc_type, kwargs))
    return render_plain_pdf(doc_type, referral, **kwargs)


# --- Issue at the step -----------------------------------------------------------------------


def test_transfer_issues_its_three_documents_numbered_frozen_and_audited(world, after_commit):
    referral = transferred(world, after_commit, items=2)

    # The approval record was issued one step earlier, by approve_transfer.
    documents = list(referral.documents.filter(issued_at=referral.transferred_at).order_by("pk"))
    assert [d.doc_type for d in documents] == [
        "transfer_letter",
        "investigation_report_cover",
        "seized_item_list",
    ]
    issuer = officer(world)
    for document in documents:
        code = DOCUMENT_TYPES[document.doc_type].number_code
        assert document.number == f"fcmsa{code}〔2026〕1号"
        assert (document.year, document.serial, document.version) == (2026, 1, 1)
        assert document.issuing_agency == referral.agency
        assert document.issued_by == issuer
        assert document.issued_at == referral.transferred_at
        assert document.render_state == RenderState.DONE and document.render_progress == 100
        data = stored_bytes(document)
        assert data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == document.sha256 and len(data) == document.size
        assert document.pdf.name == f"documents/{document.sha256[:2]}/{document.sha256}.pdf"
        assert len(document.verification_code) == 10
    actions = list(referral.events.order_by("seq").values_list("action", flat=True))
    # Numbered in the step; each PDF's hash recorded when the render task froze it.
    assert actions[-7:] == ["transfer"] + ["issue_document"] * 3 + ["render_document"] * 3
    event = referral.events.filter(action="issue_document", seq__gt=0).order_by("seq")
    event = event.exclude(payload__doc_type="transfer_approval_record").first()
    assert event.actor == issuer
    assert event.payload == {
        "document": documents[0].pk,
        "doc_type": "transfer_letter",
        "number": "fcmsa移〔2026〕1号",
        "version": 1,
        "replaces": None,
        "verification_code": documents[0].verification_code,
    }
    rendered = referral.events.filter(action="render_document").order_by("seq").first()
    assert rendered.payload == {
        "document": documents[0].pk,
        "doc_type": "transfer_letter",
        "number": "fcmsa移〔2026〕1号",
        "verification_code": documents[0].verification_code,
        "sha256": documents[0].sha256,
        "size": documents[0].size,
    }


def test_render_gets_the_number_date_code_and_public_verify_url(world, settings, after_commit):
    settings.XIANJIE_PUBLIC_URL = "https://xianjie.example.cn/"
    settings.XIANJIE_DOCUMENT_RENDERER = f"{__name__}.recording_renderer"
    RENDERED.clear()
    referral = transferred(world, after_commit)

    letter = referral.documents.get(doc_type="transfer_letter")
    doc_type, kwargs = RENDERED[0]
    assert doc_type == "transfer_letter"
    assert kwargs == {
        "number": letter.number,
        "issued_at": letter.issued_at,
        "verification_code": letter.verification_code,
        "verify_url": f"https://xianjie.example.cn/verify/{letter.verification_code}/",
        "issuer": AgencyData(
            letter.issuing_agency.document_name,
            letter.issuing_agency.short_name,
            letter.issuing_agency.unit_code,
            letter.issuing_agency.document_number_pattern,
        ),
    }


def test_the_organ_handing_a_case_over_issues_the_transfer_notice(world, settings, after_commit):
    """MPS rules art. 184: the police organ that moves the case tells the agency in writing;
    the notice is numbered, rendered and sealed in its name, naming the organ it went to."""
    settings.XIANJIE_DOCUMENT_RENDERER = f"{__name__}.recording_renderer"
    RENDERED.clear()
    referral = world.reach(S.FILED)
    fc_police, my_police = world.agencies["fc-police"], world.agencies["my-police"]
    world.do(referral, "propose_transfer_to_other_police", police_agency_id=my_police.pk)
    with after_commit():
        world.do(referral, "transfer_to_other_police", police_agency_id=my_police.pk)
    referral.refresh_from_db()
    notice = referral.documents.get(doc_type="police_transfer_notice")
    assert referral.police_agency == my_police
    assert notice.issuing_agency == fc_police
    assert notice.number.startswith(fc_police.short_name)
    assert [kw["issuer"] for t, kw in RENDERED if t == "police_transfer_notice"] == [
        agency_data(fc_police)
    ]
    html = document_html(
        "police_transfer_notice",
        case_data_from_referral(referral, as_of=notice.issued_at),
        number=notice.number,
        issued_at=notice.issued_at,
        verification_code=notice.verification_code,
        verify_url="https://example.invalid/",
        issuer=agency_data(fc_police),
    )
    signature = html[html.index('class="signature"') :]
    assert fc_police.document_name in signature and my_police.document_name not in signature
    assert f"将该案移送{my_police.document_name}处理" in html


def test_police_and_procuratorate_steps_issue_under_their_own_agency(world):
    referral = world.reach(S.FILING_ORDERED, via=(S.NOT_FILED, "request_filing_supervision"))
    referral.refresh_from_db()
    by_type = {d.doc_type: d for d in referral.documents.all()}
    assert set(by_type) == {
        "transfer_letter",
        "investigation_report_cover",
        "seized_item_list",
        "transfer_approval_record",
        "non_filing_notice",
        "supervision_request",
        "explanation_requirement",
        "notice_to_file",
    }
    assert by_type["non_filing_notice"].issuing_agency == referral.police_agency
    assert by_type["non_filing_notice"].number == "fcpolice不立字〔2026〕1号"
    assert by_type["notice_to_file"].issuing_agency == referral.procuratorate
    assert by_type["notice_to_file"].number == "fcproc通立〔2026〕1号"
    assert by_type["supervision_request"].issuing_agency == referral.agency


def test_police_number_carries_the_unit_code_and_zi(world):
    # DOMAIN.md §9.5: police numbers carry their unit code and 字 (…公（食药）立字〔2026〕5号).
    police = world.agencies["fc-police"]
    police.unit_code, police.document_number_pattern = (
        "（食药）",
        "{short}{unit}{code}〔{year}〕{serial}号",
    )
    police.save()
    referral = world.reach(S.NOT_FILED)
    notice = referral.documents.get(doc_type="non_filing_notice")
    assert notice.number == f"{police.short_name}（食药）不立字〔2026〕1号"


def test_steps_without_documents_issue_none(world):
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    assert not referral.documents.exists()
    assert not AuditEvent.objects.filter(action="issue_document").exists()


def test_hand_over_issues_the_handover_list(world):
    referral = world.reach(S.ITEMS_HANDED_OVER)
    assert referral.documents.filter(doc_type="handover_list").count() == 1
    assert referral.documents.filter(doc_type="filing_notice").count() == 1


def test_issued_pdf_is_never_rendered_again(world, after_commit):
    """Freezing: later steps and later issues leave the stored bytes and hash untouched."""
    referral = transferred(world, after_commit)
    letter = referral.documents.get(doc_type="transfer_letter")
    frozen = stored_bytes(letter)
    for name in ("sign_receipt", "begin_review", "propose_filing", "file_case"):
        with after_commit():
            world.do(referral, name)
    assert referral.documents.get(doc_type="filing_notice").is_ready
    letter.refresh_from_db()
    assert stored_bytes(letter) == frozen
    assert hashlib.sha256(frozen).hexdigest() == letter.sha256


def test_document_issue_rejects_an_unknown_type(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    with pytest.raises(InvalidInput), world.at():
        issuing.document_issue(referral=referral, doc_type="memo", actor=officer(world), at=world.t)


# --- Corrections -----------------------------------------------------------------------------


def test_reissue_makes_a_new_version_with_the_same_number_and_keeps_both(world, after_commit):
    referral = transferred(world, after_commit)
    old = referral.documents.get(doc_type="transfer_letter")
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    world.advance(hours=3)

    with world.at(), after_commit():
        new = issuing.document_reissue(document_id=old.pk, actor=head, reason="当事人名称有误")

    old.refresh_from_db()
    new.refresh_from_db()  # rendered by the render task after the correction committed
    assert new.is_ready
    assert (new.number, new.version, new.replaces) == (old.number, 2, old)
    # The 发文字号 stays the first version's; the correction is a record fact beside it.
    assert new.display_number == old.display_number == "fcmsa移〔2026〕1号"
    assert (old.version_label, new.version_label) == ("", "第2版（更正）")
    assert old.replaced_by == new and old.superseded_at == new.issued_at == world.t
    assert (old.status, new.status) == ("superseded", "current")
    assert new.verification_code != old.verification_code and new.sha256 != old.sha256
    assert new.reason == "当事人名称有误" and new.issued_by == head
    assert list(referral.documents.filter(doc_type="transfer_letter").order_by("version")) == [
        old,
        new,
    ]
    assert list(Document.objects.current().filter(doc_type="transfer_letter")) == [new]
    assert hashlib.sha256(stored_bytes(old)).hexdigest() == old.sha256  # old copy kept
    event = referral.events.filter(action="reissue_document").get()
    assert (event.reason, event.actor) == ("当事人名称有误", head)
    assert event.payload["replaces"] == old.pk and event.payload["version"] == 2
    rendered = referral.events.order_by("-seq").first()
    assert (rendered.action, rendered.payload["sha256"]) == ("render_document", new.sha256)
    # No serial was spent: the agency's next transfer letter is number 2.
    other = transferred(world, after_commit)
    assert other.documents.get(doc_type="transfer_letter").number == "fcmsa移〔2026〕2号"


def test_reissue_needs_a_reason(world, after_commit):
    referral = transferred(world, after_commit)
    letter = referral.documents.get(doc_type="transfer_letter")
    with pytest.raises(InvalidInput):
        issuing.document_reissue(document_id=letter.pk, actor=officer(world), reason="  ")
    assert referral.documents.count() == 4  # the transfer's three and the approval record


def test_only_the_current_version_can_be_corrected(world, after_commit):
    referral = transferred(world, after_commit)
    letter = referral.documents.get(doc_type="transfer_letter")
    issuing.document_reissue(document_id=letter.pk, actor=officer(world), reason="更正")
    with pytest.raises(IllegalTransition):
        issuing.document_reissue(document_id=letter.pk, actor=officer(world), reason="再次更正")


def test_only_the_issuing_agency_corrects_its_document(world, after_commit):
    referral = transferred(world, after_commit)
    letter = referral.documents.get(doc_type="transfer_letter")
    police = world.user("fc-police", Role.POLICE_REVIEWER)  # sees the case, did not issue
    procurator = world.user("fc-proc", Role.PROCURATOR)
    for actor in (police, procurator):
        with pytest.raises(PermissionDenied):
            issuing.document_reissue(document_id=letter.pk, actor=actor, reason="更正")
    with pytest.raises(NotFound):
        issuing.document_reissue(
            document_id=letter.pk, actor=world.user("yx-msa", Role.CASE_OFFICER), reason="更正"
        )
    with pytest.raises(NotFound):
        issuing.document_reissue(document_id=999999, actor=officer(world), reason="更正")
    assert referral.documents.count() == 4  # the transfer's three and the approval record


@pytest.mark.engine
def test_one_current_version_per_number_is_a_database_rule(world, after_commit):
    referral = transferred(world, after_commit)
    letter = referral.documents.get(doc_type="transfer_letter")
    twin = Document(
        referral=referral,
        doc_type=letter.doc_type,
        issuing_agency=letter.issuing_agency,
        year=letter.year,
        serial=letter.serial,
        number=letter.number,
        version=2,
        issued_by=letter.issued_by,
        issued_at=letter.issued_at,
        verification_code="ZZZZZZZZZZ",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_run_transition_issues_inside_the_step_transaction(world, monkeypatch):
    """A step whose document cannot be issued does not happen at all."""
    referral = world.reach(S.TRANSFER_APPROVED)
    world.prepare(referral, "transfer")

    def broken(**kwargs):
        raise RuntimeError("counter table locked")

    monkeypatch.setattr(issuing, "document_number_allocate", broken)
    with pytest.raises(RuntimeError), frozen_now(world.t):
        run_transition(referral_id=referral.pk, actor=officer(world), name="transfer")
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_APPROVED
    # Only the approval record of the step before: the transfer's three never came.
    assert list(Document.objects.values_list("doc_type", flat=True)) == ["transfer_approval_record"]
    assert not referral.events.filter(action="transfer").exists()
