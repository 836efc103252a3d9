"""Issuing documents at the steps that carry them: numbered, rendered, frozen, audited; a
correction is a new version; long item lists render in a background job."""

import hashlib
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from referral import lifecycle
from referral.documents.types import DOCUMENT_TYPES
from referral.models import AuditEvent, Document, RenderState, Role, SeizedItem
from referral.services import documents as issuing
from referral.services.errors import (
    IllegalTransition,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from referral.services.transitions import run_transition
from referral.timeutil import frozen_now

S = lifecycle.Status


def _officer(world):
    return world.user("fc-msa", Role.CASE_OFFICER)


def _add_items(world, referral, count):
    for n in range(count):
        issuing.seized_item_add(
            referral_id=referral.pk,
            actor=_officer(world),
            name=f"涉案食品{n + 1}",
            quantity=Decimal("12.5"),
            unit="千克",
            specification="批号20260101",
            storage_location="局涉案物品仓库",
        )


def _transferred(world, items=0):
    referral = world.reach(S.TRANSFER_APPROVED)
    _add_items(world, referral, items)
    world.do(referral, "transfer")
    referral.refresh_from_db()
    return referral


def _run(callbacks):
    """Runs what the step left for after its commit (the background render among them)."""
    for callback in callbacks:
        callback()


def _stored_bytes(document):
    with document.pdf.open("rb") as f:
        return f.read()


# --- Issue at the step -----------------------------------------------------------------------


def test_transfer_issues_its_three_documents_numbered_frozen_and_audited(world):
    referral = _transferred(world, items=2)

    documents = list(referral.documents.order_by("pk"))
    assert [d.doc_type for d in documents] == [
        "transfer_letter",
        "investigation_report_cover",
        "seized_item_list",
    ]
    officer = _officer(world)
    for document in documents:
        code = DOCUMENT_TYPES[document.doc_type].number_code
        assert document.number == f"fcmsa{code}〔2026〕1号"
        assert (document.year, document.serial, document.version) == (2026, 1, 1)
        assert document.issuing_agency == referral.agency
        assert document.issued_by == officer
        assert document.issued_at == referral.transferred_at
        assert document.render_state == RenderState.DONE and document.render_progress == 100
        data = _stored_bytes(document)
        assert data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == document.sha256 and len(data) == document.size
        assert document.pdf.name == f"documents/{document.sha256[:2]}/{document.sha256}.pdf"
        assert len(document.verification_code) == 10
    actions = list(referral.events.order_by("seq").values_list("action", flat=True))
    assert actions[-4:] == ["transfer", "issue_document", "issue_document", "issue_document"]
    event = referral.events.filter(action="issue_document").order_by("seq").first()
    assert event.actor == officer
    assert event.payload == {
        "document": documents[0].pk,
        "doc_type": "transfer_letter",
        "number": "fcmsa移〔2026〕1号",
        "version": 1,
        "replaces": None,
        "verification_code": documents[0].verification_code,
        "sha256": documents[0].sha256,
        "size": documents[0].size,
        "render": "inline",
    }


def test_render_gets_the_number_date_code_and_public_verify_url(world, monkeypatch, settings):
    settings.XIANJIE_PUBLIC_URL = "https://xianjie.example.cn/"
    from referral.documents import render

    calls_args = []
    original = render.render_document

    def record(doc_type, referral, **kwargs):
        calls_args.append((doc_type, kwargs))
        return original(doc_type, referral, **kwargs)

    monkeypatch.setattr(render, "render_document", record)
    referral = _transferred(world)

    letter = referral.documents.get(doc_type="transfer_letter")
    doc_type, kwargs = calls_args[0]
    assert doc_type == "transfer_letter"
    assert kwargs == {
        "number": letter.number,
        "issued_at": letter.issued_at,
        "verification_code": letter.verification_code,
        "verify_url": f"https://xianjie.example.cn/verify/{letter.verification_code}/",
    }


def test_police_and_procuratorate_steps_issue_under_their_own_agency(world):
    referral = world.reach(S.FILING_ORDERED, via=(S.NOT_FILED, "request_filing_supervision"))
    referral.refresh_from_db()
    by_type = {d.doc_type: d for d in referral.documents.all()}
    assert set(by_type) == {
        "transfer_letter",
        "investigation_report_cover",
        "seized_item_list",
        "non_filing_notice",
        "supervision_request",
        "explanation_requirement",
        "notice_to_file",
    }
    assert by_type["non_filing_notice"].issuing_agency == referral.police_agency
    assert by_type["non_filing_notice"].number == "fcpolice不立〔2026〕1号"
    assert by_type["notice_to_file"].issuing_agency == referral.procuratorate
    assert by_type["notice_to_file"].number == "fcproc通立〔2026〕1号"
    assert by_type["supervision_request"].issuing_agency == referral.agency


def test_steps_without_documents_issue_none(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    assert not referral.documents.exists()
    assert not AuditEvent.objects.filter(action="issue_document").exists()


def test_hand_over_issues_the_handover_list(world):
    referral = world.reach(S.ITEMS_HANDED_OVER)
    assert referral.documents.filter(doc_type="handover_list").count() == 1
    assert referral.documents.filter(doc_type="filing_notice").count() == 1


def test_issued_pdf_is_never_rendered_again(world):
    """Freezing: later steps and later issues leave the stored bytes and hash untouched."""
    referral = _transferred(world)
    letter = referral.documents.get(doc_type="transfer_letter")
    frozen = _stored_bytes(letter)
    for name in ("sign_receipt", "begin_review", "file_case"):
        world.do(referral, name)
    letter.refresh_from_db()
    assert _stored_bytes(letter) == frozen
    assert hashlib.sha256(frozen).hexdigest() == letter.sha256


def test_document_issue_rejects_an_unknown_type(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    with pytest.raises(InvalidInput), world.at():
        issuing.document_issue(
            referral=referral, doc_type="memo", actor=_officer(world), at=world.t
        )


# --- Corrections -----------------------------------------------------------------------------


def test_reissue_makes_a_new_version_with_the_same_number_and_keeps_both(world):
    referral = _transferred(world)
    old = referral.documents.get(doc_type="transfer_letter")
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    world.advance(hours=3)

    with world.at():
        new = issuing.document_reissue(document_id=old.pk, actor=head, reason="当事人名称有误")

    old.refresh_from_db()
    assert (new.number, new.version, new.replaces) == (old.number, 2, old)
    assert new.display_number == "fcmsa移〔2026〕1号（第2版）"
    assert old.replaced_by == new and old.superseded_at == new.issued_at == world.t
    assert (old.status, new.status) == ("superseded", "current")
    assert new.verification_code != old.verification_code and new.sha256 != old.sha256
    assert new.reason == "当事人名称有误" and new.issued_by == head
    assert list(referral.documents.filter(doc_type="transfer_letter").order_by("version")) == [
        old,
        new,
    ]
    assert list(Document.objects.current().filter(doc_type="transfer_letter")) == [new]
    assert hashlib.sha256(_stored_bytes(old)).hexdigest() == old.sha256  # old copy kept
    event = referral.events.order_by("-seq").first()
    assert (event.action, event.reason, event.actor) == ("reissue_document", "当事人名称有误", head)
    assert event.payload["replaces"] == old.pk and event.payload["version"] == 2
    # No serial was spent: the agency's next transfer letter is number 2.
    other = _transferred(world)
    assert other.documents.get(doc_type="transfer_letter").number == "fcmsa移〔2026〕2号"


def test_reissue_needs_a_reason(world):
    referral = _transferred(world)
    letter = referral.documents.get(doc_type="transfer_letter")
    with pytest.raises(InvalidInput):
        issuing.document_reissue(document_id=letter.pk, actor=_officer(world), reason="  ")
    assert referral.documents.count() == 3


def test_only_the_current_version_can_be_corrected(world):
    referral = _transferred(world)
    letter = referral.documents.get(doc_type="transfer_letter")
    issuing.document_reissue(document_id=letter.pk, actor=_officer(world), reason="更正")
    with pytest.raises(IllegalTransition):
        issuing.document_reissue(document_id=letter.pk, actor=_officer(world), reason="再次更正")


def test_only_the_issuing_agency_corrects_its_document(world):
    referral = _transferred(world)
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
        issuing.document_reissue(document_id=999999, actor=_officer(world), reason="更正")
    assert referral.documents.count() == 3


def test_one_current_version_per_number_is_a_database_rule(world):
    referral = _transferred(world)
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


# --- Background rendering of long item lists ------------------------------------------------


def test_long_item_list_renders_after_commit_with_progress(
    world, django_capture_on_commit_callbacks
):
    referral = world.reach(S.TRANSFER_APPROVED)
    _add_items(world, referral, issuing.BACKGROUND_RENDER_ITEMS + 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world.do(referral, "transfer")

    item_list = referral.documents.get(doc_type="seized_item_list")
    assert (item_list.render_state, item_list.render_progress) == (RenderState.PENDING, 0)
    assert not item_list.pdf and item_list.sha256 == ""
    assert item_list.number == "fcmsa物〔2026〕1号"  # numbered at the step, not later
    issued = referral.events.get(action="issue_document", payload__doc_type="seized_item_list")
    assert issued.payload["render"] == "background" and issued.payload["sha256"] is None
    letter = referral.documents.get(doc_type="transfer_letter")
    assert letter.render_state == RenderState.DONE  # short documents render in the step

    _run(callbacks)  # the Celery task, in-process (CELERY_TASK_ALWAYS_EAGER)

    item_list.refresh_from_db()
    assert (item_list.render_state, item_list.render_progress) == (RenderState.DONE, 100)
    assert hashlib.sha256(_stored_bytes(item_list)).hexdigest() == item_list.sha256
    rendered = referral.events.order_by("-seq").first()
    assert rendered.action == "render_document"
    assert rendered.payload["sha256"] == item_list.sha256
    # Running the job twice changes nothing.
    assert issuing.document_render_pending(document_id=item_list.pk) == RenderState.DONE
    assert referral.events.filter(action="render_document").count() == 1


def test_short_item_list_renders_in_the_step(world, django_capture_on_commit_callbacks):
    referral = world.reach(S.TRANSFER_APPROVED)
    _add_items(world, referral, 3)
    with django_capture_on_commit_callbacks(execute=False):
        world.do(referral, "transfer")
    item_list = referral.documents.get(doc_type="seized_item_list")
    assert item_list.render_state == RenderState.DONE and item_list.sha256
    assert not referral.events.filter(action="render_document").exists()


def test_progress_is_visible_while_rendering(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(issuing, "BACKGROUND_RENDER_ITEMS", 0)
    referral = world.reach(S.TRANSFER_APPROVED)
    _add_items(world, referral, 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world.do(referral, "transfer")
    seen = []
    real = issuing._render

    def observing(document):
        seen.append(
            Document.objects.values_list("render_state", "render_progress").get(pk=document.pk)
        )
        return real(document)

    monkeypatch.setattr(issuing, "_render", observing)
    _run(callbacks)
    assert seen == [(RenderState.RENDERING, 10)]


def test_failed_background_render_is_recorded(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(issuing, "BACKGROUND_RENDER_ITEMS", 0)
    referral = world.reach(S.TRANSFER_APPROVED)
    _add_items(world, referral, 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world.do(referral, "transfer")

    def broken(document):
        raise RuntimeError("font missing")

    monkeypatch.setattr(issuing, "_render", broken)
    _run(callbacks)
    item_list = referral.documents.get(doc_type="seized_item_list")
    assert item_list.render_state == RenderState.FAILED and not item_list.pdf
    assert referral.events.order_by("-seq").first().action == "render_document_failed"
    # A failed document is corrected by issuing a new version, which renders again.
    monkeypatch.undo()
    monkeypatch.setattr(issuing, "BACKGROUND_RENDER_ITEMS", 1000)
    new = issuing.document_reissue(
        document_id=item_list.pk, actor=_officer(world), reason="重新生成"
    )
    assert new.render_state == RenderState.DONE and new.number == item_list.number


def test_a_pending_document_cannot_be_corrected(world, monkeypatch):
    monkeypatch.setattr(issuing, "BACKGROUND_RENDER_ITEMS", 0)
    referral = world.reach(S.TRANSFER_APPROVED)
    _add_items(world, referral, 1)
    world.do(referral, "transfer")  # on_commit never runs in a test transaction
    item_list = referral.documents.get(doc_type="seized_item_list")
    with pytest.raises(IllegalTransition):
        issuing.document_reissue(document_id=item_list.pk, actor=_officer(world), reason="更正")


# --- Seized items ----------------------------------------------------------------------------


def test_seized_items_are_numbered_in_order_and_audited(world):
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    _add_items(world, referral, 3)
    assert list(referral.seized_items.values_list("serial", "name")) == [
        (1, "涉案食品1"),
        (2, "涉案食品2"),
        (3, "涉案食品3"),
    ]
    event = referral.events.order_by("-seq").first()
    assert event.action == "add_seized_item"
    assert event.payload["name"] == "涉案食品3" and event.payload["quantity"] == "12.5"


def test_seized_items_are_the_transferring_agencys_to_record(world):
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    item = {"name": "白酒", "quantity": Decimal("3"), "unit": "瓶"}
    with pytest.raises(PermissionDenied):
        issuing.seized_item_add(
            referral_id=referral.pk, actor=world.user("fc-proc", Role.PROCURATOR), **item
        )
    with pytest.raises(NotFound):
        issuing.seized_item_add(
            referral_id=referral.pk, actor=world.user("yx-msa", Role.CASE_OFFICER), **item
        )
    with pytest.raises(InvalidInput):
        issuing.seized_item_add(
            referral_id=referral.pk, actor=_officer(world), **{**item, "name": ""}
        )
    assert not SeizedItem.objects.exists()


def test_seized_items_are_fixed_once_transferred(world):
    referral = _transferred(world)
    with pytest.raises(IllegalTransition):
        issuing.seized_item_add(
            referral_id=referral.pk, actor=_officer(world), name="白酒", quantity=1, unit="瓶"
        )


def test_run_transition_issues_inside_the_step_transaction(world, monkeypatch):
    """A step whose document cannot be issued does not happen at all."""
    referral = world.reach(S.TRANSFER_APPROVED)
    world.prepare(referral, "transfer")

    def broken(document):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(issuing, "_render", broken)
    with pytest.raises(RuntimeError), frozen_now(world.t):
        run_transition(referral_id=referral.pk, actor=_officer(world), name="transfer")
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_APPROVED
    assert not Document.objects.exists()
    assert not referral.events.filter(action__in=("transfer", "issue_document")).exists()
