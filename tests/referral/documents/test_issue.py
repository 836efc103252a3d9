"""Issuing documents at the steps that carry them: numbered and audited in the step, rendered
and frozen by the render task after the step commits; a correction is a new version; a failed
rendering is retried, then recorded and can be tried again."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from referral import lifecycle
from referral.documents.context import case_data_from_referral
from referral.documents.plain import render_plain_pdf
from referral.documents.types import DOCUMENT_TYPES
from referral.models import AuditEvent, Document, RenderState, Role
from referral.services import documents as issuing
from referral.services import rendering
from referral.services.errors import (
    IllegalTransition,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from referral.services.seized_items import seized_item_add
from referral.services.transitions import run_transition
from referral.tasks import RENDER_REQUEUE_AFTER, RENDER_RETRIES, requeue_document_renders
from referral.timeutil import frozen_now
from tests.referral.documents.pdftools import pdf_pages_text

S = lifecycle.Status


def _officer(world):
    return world.user("fc-msa", Role.CASE_OFFICER)


def _add_items(world, referral, count):
    for n in range(count):
        seized_item_add(
            referral_id=referral.pk,
            actor=_officer(world),
            name=f"涉案食品{n + 1}",
            quantity=Decimal("12.5"),
            unit="千克",
            specification="批号20260101",
            storage_location="局涉案物品仓库",
        )


def _transferred(world, after_commit, items=0):
    """A transferred referral whose documents the render task has rendered after the step."""
    referral = world.reach(S.TRANSFER_APPROVED)
    _add_items(world, referral, items)
    with after_commit():
        world.do(referral, "transfer")
    referral.refresh_from_db()
    return referral


def _run(callbacks):
    """Runs what the step left for after its commit (the render task among it)."""
    for callback in callbacks:
        callback()


RENDERED = []


def recording_renderer(doc_type, referral, **kwargs):
    """The test settings' plain renderer, noting what it was given."""
    RENDERED.append((doc_type, kwargs))
    return render_plain_pdf(doc_type, referral, **kwargs)


def _stored_bytes(document):
    with document.pdf.open("rb") as f:
        return f.read()


# --- Issue at the step -----------------------------------------------------------------------


def test_transfer_issues_its_three_documents_numbered_frozen_and_audited(world, after_commit):
    referral = _transferred(world, after_commit, items=2)

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
    # Numbered in the step; each PDF's hash recorded when the render task froze it.
    assert actions[-7:] == ["transfer"] + ["issue_document"] * 3 + ["render_document"] * 3
    event = referral.events.filter(action="issue_document").order_by("seq").first()
    assert event.actor == officer
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
        "number": "fcmsa移〔2026〕1号",
        "verification_code": documents[0].verification_code,
        "sha256": documents[0].sha256,
        "size": documents[0].size,
    }


def test_render_gets_the_number_date_code_and_public_verify_url(world, settings, after_commit):
    settings.XIANJIE_PUBLIC_URL = "https://xianjie.example.cn/"
    settings.XIANJIE_DOCUMENT_RENDERER = f"{__name__}.recording_renderer"
    RENDERED.clear()
    referral = _transferred(world, after_commit)

    letter = referral.documents.get(doc_type="transfer_letter")
    doc_type, kwargs = RENDERED[0]
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


def test_issued_pdf_is_never_rendered_again(world, after_commit):
    """Freezing: later steps and later issues leave the stored bytes and hash untouched."""
    referral = _transferred(world, after_commit)
    letter = referral.documents.get(doc_type="transfer_letter")
    frozen = _stored_bytes(letter)
    for name in ("sign_receipt", "begin_review", "file_case"):
        with after_commit():
            world.do(referral, name)
    assert referral.documents.get(doc_type="filing_notice").is_ready
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


def test_reissue_makes_a_new_version_with_the_same_number_and_keeps_both(world, after_commit):
    referral = _transferred(world, after_commit)
    old = referral.documents.get(doc_type="transfer_letter")
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    world.advance(hours=3)

    with world.at(), after_commit():
        new = issuing.document_reissue(document_id=old.pk, actor=head, reason="当事人名称有误")

    old.refresh_from_db()
    new.refresh_from_db()  # rendered by the render task after the correction committed
    assert new.is_ready
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
    event = referral.events.filter(action="reissue_document").get()
    assert (event.reason, event.actor) == ("当事人名称有误", head)
    assert event.payload["replaces"] == old.pk and event.payload["version"] == 2
    rendered = referral.events.order_by("-seq").first()
    assert (rendered.action, rendered.payload["sha256"]) == ("render_document", new.sha256)
    # No serial was spent: the agency's next transfer letter is number 2.
    other = _transferred(world, after_commit)
    assert other.documents.get(doc_type="transfer_letter").number == "fcmsa移〔2026〕2号"


def test_reissue_needs_a_reason(world, after_commit):
    referral = _transferred(world, after_commit)
    letter = referral.documents.get(doc_type="transfer_letter")
    with pytest.raises(InvalidInput):
        issuing.document_reissue(document_id=letter.pk, actor=_officer(world), reason="  ")
    assert referral.documents.count() == 3


def test_only_the_current_version_can_be_corrected(world, after_commit):
    referral = _transferred(world, after_commit)
    letter = referral.documents.get(doc_type="transfer_letter")
    issuing.document_reissue(document_id=letter.pk, actor=_officer(world), reason="更正")
    with pytest.raises(IllegalTransition):
        issuing.document_reissue(document_id=letter.pk, actor=_officer(world), reason="再次更正")


def test_only_the_issuing_agency_corrects_its_document(world, after_commit):
    referral = _transferred(world, after_commit)
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


def test_one_current_version_per_number_is_a_database_rule(world, after_commit):
    referral = _transferred(world, after_commit)
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


# --- Rendering after the step commits -------------------------------------------------------


def test_documents_wait_for_their_pdf_until_the_step_has_committed(
    world, django_capture_on_commit_callbacks
):
    referral = world.reach(S.TRANSFER_APPROVED)
    _add_items(world, referral, 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world.do(referral, "transfer")

    documents = list(referral.documents.order_by("pk"))
    assert len(documents) == 3
    for document in documents:
        assert (document.render_state, document.render_progress) == (RenderState.PENDING, 0)
        assert not document.pdf and document.sha256 == "" and document.size is None
        assert document.number and document.verification_code  # numbered at the step
    assert referral.events.filter(action="issue_document").count() == 3
    assert not referral.events.filter(action="render_document").exists()

    _run(callbacks)  # the render task, in-process (CELERY_TASK_ALWAYS_EAGER)

    for document in documents:
        document.refresh_from_db()
        assert (document.render_state, document.render_progress) == (RenderState.DONE, 100)
        assert hashlib.sha256(_stored_bytes(document)).hexdigest() == document.sha256
    rendered = referral.events.filter(action="render_document").order_by("seq")
    assert [e.payload["document"] for e in rendered] == [d.pk for d in documents]
    # Running the task twice changes nothing.
    assert rendering.document_render(document_id=documents[0].pk) == RenderState.DONE
    assert referral.events.filter(action="render_document").count() == 3


def test_the_plain_test_pdf_carries_the_number_and_verification_code(world, after_commit):
    referral = _transferred(world, after_commit)
    letter = referral.documents.get(doc_type="transfer_letter")

    (page,) = pdf_pages_text(_stored_bytes(letter))

    assert "涉嫌犯罪案件移送书" in page and letter.number in page
    assert letter.verification_code in page and f"/verify/{letter.verification_code}/" in page


def test_the_real_renderer_lays_out_the_statutory_document(world, after_commit, real_pdf_renderer):
    referral = _transferred(world, after_commit, items=1)
    item_list = referral.documents.get(doc_type="seized_item_list")

    text = "".join(pdf_pages_text(_stored_bytes(item_list)))

    assert "涉案物品清单" in text and "涉案食品1" in text and item_list.number in text
    assert item_list.verification_code in text


def test_a_document_rendered_after_later_steps_cites_the_case_as_issued(world):
    """Rendering after commit may come after the next step: the PDF still shows the case as
    it stood when the document was issued."""
    referral = world.reach(S.TRANSFER_APPROVED)
    world.do(referral, "transfer")  # its rendering has not run yet
    world.do(referral, "sign_receipt")
    letter = referral.documents.get(doc_type="transfer_letter")

    now_case = case_data_from_referral(referral)
    as_issued = case_data_from_referral(referral, as_of=letter.issued_at)

    assert now_case.step("sign_receipt") is not None and as_issued.step("sign_receipt") is None
    assert as_issued.step("transfer").at == letter.issued_at
    assert as_issued.document("transfer_letter").number == letter.number


def test_progress_is_visible_while_rendering(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    referral = world.reach(S.TRANSFER_APPROVED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world.do(referral, "transfer")
    seen = []
    real = rendering._render

    def observing(document):
        seen.append(
            Document.objects.values_list("render_state", "render_progress").get(pk=document.pk)
        )
        return real(document)

    monkeypatch.setattr(rendering, "_render", observing)
    _run(callbacks)
    assert seen == [(RenderState.RENDERING, 10)] * 3


def _failing_renderer(monkeypatch, failures):
    """Makes the first `failures` renderings fail; returns the list of attempts."""
    attempts = []
    real = rendering._render

    def flaky(document):
        attempts.append(document.pk)
        if len(attempts) <= failures:
            raise RuntimeError("font cache locked")
        return real(document)

    monkeypatch.setattr(rendering, "_render", flaky)
    return attempts


def test_a_rendering_that_fails_once_succeeds_when_retried(world, monkeypatch, after_commit):
    referral = world.reach(S.TRANSFER_APPROVED)
    attempts = _failing_renderer(monkeypatch, failures=1)

    with after_commit():
        world.do(referral, "transfer")

    assert len(attempts) == 4  # the letter twice, then the other two
    assert all(d.is_ready for d in referral.documents.all())
    assert not referral.events.filter(action="render_document_failed").exists()
    assert referral.events.filter(action="render_document").count() == 3


def test_a_rendering_that_keeps_failing_is_recorded_and_the_step_stands(
    world, monkeypatch, after_commit
):
    referral = world.reach(S.TRANSFER_APPROVED)
    attempts = _failing_renderer(monkeypatch, failures=10_000)

    with after_commit():
        world.do(referral, "transfer")

    referral.refresh_from_db()
    assert referral.status == S.TRANSFERRED_AWAITING_RECEIPT  # committed before rendering
    assert len(attempts) == 3 * (1 + RENDER_RETRIES)
    for document in referral.documents.all():
        assert document.render_state == RenderState.FAILED and document.is_failed
        assert not document.pdf and not document.sha256
    failed = referral.events.filter(action="render_document_failed").order_by("seq")
    assert failed.count() == 3
    assert failed[0].payload["error"] == "RuntimeError: font cache locked"
    assert failed[0].payload["sha256"] is None


def test_the_issuer_renders_a_failed_document_again(world, monkeypatch, after_commit):
    referral = world.reach(S.TRANSFER_APPROVED)
    _failing_renderer(monkeypatch, failures=10_000)
    with after_commit():
        world.do(referral, "transfer")
    letter = referral.documents.get(doc_type="transfer_letter")
    monkeypatch.undo()

    with after_commit():
        issuing.document_render_retry(document_id=letter.pk, actor=_officer(world))

    before = (letter.number, letter.version, letter.verification_code)
    letter.refresh_from_db()
    assert letter.is_ready and (letter.number, letter.version, letter.verification_code) == before
    assert hashlib.sha256(_stored_bytes(letter)).hexdigest() == letter.sha256
    actions = list(referral.events.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["render_document", "retry_render_document"]
    retried = referral.events.get(action="retry_render_document")
    assert retried.actor == _officer(world) and retried.payload["document"] == letter.pk
    with pytest.raises(IllegalTransition):  # only a failed rendering is tried again
        issuing.document_render_retry(document_id=letter.pk, actor=_officer(world))


def test_only_the_issuing_agency_renders_a_failed_document_again(world, monkeypatch, after_commit):
    referral = world.reach(S.TRANSFER_APPROVED)
    _failing_renderer(monkeypatch, failures=10_000)
    with after_commit():
        world.do(referral, "transfer")
    letter = referral.documents.get(doc_type="transfer_letter")

    with pytest.raises(PermissionDenied):
        issuing.document_render_retry(
            document_id=letter.pk, actor=world.user("fc-police", Role.POLICE_REVIEWER)
        )
    with pytest.raises(NotFound):
        issuing.document_render_retry(
            document_id=letter.pk, actor=world.user("yx-msa", Role.CASE_OFFICER)
        )
    letter.refresh_from_db()
    assert letter.is_failed


def test_a_failed_document_can_be_corrected_instead(world, monkeypatch, after_commit):
    referral = world.reach(S.TRANSFER_APPROVED)
    _failing_renderer(monkeypatch, failures=10_000)
    with after_commit():
        world.do(referral, "transfer")
    item_list = referral.documents.get(doc_type="seized_item_list")
    monkeypatch.undo()

    with after_commit():
        new = issuing.document_reissue(
            document_id=item_list.pk, actor=_officer(world), reason="重新生成"
        )

    new.refresh_from_db()
    assert new.is_ready and new.number == item_list.number and new.version == 2


def test_a_pending_document_cannot_be_corrected_or_retried(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    world.do(referral, "transfer")  # on_commit never runs in a test transaction
    item_list = referral.documents.get(doc_type="seized_item_list")
    assert item_list.is_rendering
    with pytest.raises(IllegalTransition):
        issuing.document_reissue(document_id=item_list.pk, actor=_officer(world), reason="更正")
    with pytest.raises(IllegalTransition):
        issuing.document_render_retry(document_id=item_list.pk, actor=_officer(world))


def test_a_document_whose_render_task_was_lost_is_queued_again(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    world.do(referral, "transfer")  # the render tasks it queued on commit are lost here
    issued_at = referral.documents.first().issued_at

    with frozen_now(issued_at + timedelta(minutes=5)):  # a task may only be late
        assert requeue_document_renders() == 0
    with frozen_now(issued_at + RENDER_REQUEUE_AFTER + timedelta(minutes=1)):
        assert requeue_document_renders() == 3  # run at once here (CELERY_TASK_ALWAYS_EAGER)

    assert all(d.is_ready for d in referral.documents.all())
    assert referral.events.filter(action="render_document").count() == 3


def test_run_transition_issues_inside_the_step_transaction(world, monkeypatch):
    """A step whose document cannot be issued does not happen at all."""
    referral = world.reach(S.TRANSFER_APPROVED)
    world.prepare(referral, "transfer")

    def broken(**kwargs):
        raise RuntimeError("counter table locked")

    monkeypatch.setattr(issuing, "document_number_allocate", broken)
    with pytest.raises(RuntimeError), frozen_now(world.t):
        run_transition(referral_id=referral.pk, actor=_officer(world), name="transfer")
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_APPROVED
    assert not Document.objects.exists()
    assert not referral.events.filter(action__in=("transfer", "issue_document")).exists()
