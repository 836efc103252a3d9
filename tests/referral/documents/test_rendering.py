"""Rendering after the issuing step has committed (services/rendering.py, the render task):
waiting documents, progress, the case as issued, retries, failure, rendering again, lost tasks."""

import hashlib
from datetime import timedelta

import pytest

from referral import lifecycle
from referral.documents.context import case_data_from_referral
from referral.models import Document, RenderState, Role
from referral.services import documents as issuing
from referral.services import rendering
from referral.services.errors import IllegalTransition, NotFound, PermissionDenied
from referral.tasks import RENDER_REQUEUE_AFTER, RENDER_RETRIES, requeue_document_renders
from referral.timeutil import frozen_now
from tests.referral.documents.issued import add_items, officer, run, stored_bytes, transferred
from tests.referral.documents.pdftools import pdf_pages_text

S = lifecycle.Status
# Issued one step before the transfer (approve_transfer); these tests follow the transfer's three.
APPROVAL = "transfer_approval_record"


def test_documents_wait_for_their_pdf_until_the_step_has_committed(
    world, django_capture_on_commit_callbacks
):
    referral = world.reach(S.TRANSFER_APPROVED)
    add_items(world, referral, 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world.do(referral, "transfer")

    documents = list(referral.documents.exclude(doc_type=APPROVAL).order_by("pk"))
    assert len(documents) == 3
    for document in documents:
        assert (document.render_state, document.render_progress) == (RenderState.PENDING, 0)
        assert not document.pdf and document.sha256 == "" and document.size is None
        assert document.number and document.verification_code  # numbered at the step
    issued = referral.events.filter(action="issue_document")
    assert issued.exclude(payload__doc_type=APPROVAL).count() == 3
    assert not referral.events.filter(action="render_document").exists()

    run(callbacks)  # the render task, in-process (CELERY_TASK_ALWAYS_EAGER)

    for document in documents:
        document.refresh_from_db()
        assert (document.render_state, document.render_progress) == (RenderState.DONE, 100)
        assert hashlib.sha256(stored_bytes(document)).hexdigest() == document.sha256
    rendered = referral.events.filter(action="render_document").order_by("seq")
    assert [e.payload["document"] for e in rendered] == [d.pk for d in documents]
    # Running the task twice changes nothing.
    assert rendering.document_render(document_id=documents[0].pk) == RenderState.DONE
    assert referral.events.filter(action="render_document").count() == 3


def test_the_plain_test_pdf_carries_the_number_and_verification_code(world, after_commit):
    referral = transferred(world, after_commit)
    letter = referral.documents.get(doc_type="transfer_letter")

    (page,) = pdf_pages_text(stored_bytes(letter))

    assert "涉嫌犯罪案件移送书" in page and letter.number in page
    assert letter.verification_code in page and f"/verify/{letter.verification_code}/" in page


def test_the_real_renderer_lays_out_the_statutory_document(world, after_commit, real_pdf_renderer):
    referral = transferred(world, after_commit, items=1)
    item_list = referral.documents.get(doc_type="seized_item_list")

    text = "".join(pdf_pages_text(stored_bytes(item_list)))

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
    run(callbacks)
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
    assert all(d.is_ready for d in referral.documents.exclude(doc_type=APPROVAL))
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
    for document in referral.documents.exclude(doc_type=APPROVAL):
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
        issuing.document_render_retry(document_id=letter.pk, actor=officer(world))

    before = (letter.number, letter.version, letter.verification_code)
    letter.refresh_from_db()
    assert letter.is_ready and (letter.number, letter.version, letter.verification_code) == before
    assert hashlib.sha256(stored_bytes(letter)).hexdigest() == letter.sha256
    actions = list(referral.events.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["render_document", "retry_render_document"]
    retried = referral.events.get(action="retry_render_document")
    assert retried.actor == officer(world) and retried.payload["document"] == letter.pk
    with pytest.raises(IllegalTransition):  # only a failed rendering is tried again
        issuing.document_render_retry(document_id=letter.pk, actor=officer(world))


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
            document_id=item_list.pk, actor=officer(world), reason="重新生成"
        )

    new.refresh_from_db()
    assert new.is_ready and new.number == item_list.number and new.version == 2


def test_a_pending_document_cannot_be_corrected_or_retried(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    world.do(referral, "transfer")  # on_commit never runs in a test transaction
    item_list = referral.documents.get(doc_type="seized_item_list")
    assert item_list.is_rendering
    with pytest.raises(IllegalTransition):
        issuing.document_reissue(document_id=item_list.pk, actor=officer(world), reason="更正")
    with pytest.raises(IllegalTransition):
        issuing.document_render_retry(document_id=item_list.pk, actor=officer(world))


def test_a_document_whose_render_task_was_lost_is_queued_again(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    world.do(referral, "transfer")  # the render tasks it queued on commit are lost here
    referral.documents.filter(doc_type=APPROVAL).delete()  # only the transfer's lost tasks
    issued_at = referral.documents.first().issued_at

    with frozen_now(issued_at + timedelta(minutes=5)):  # a task may only be late
        assert requeue_document_renders() == 0
    with frozen_now(issued_at + RENDER_REQUEUE_AFTER + timedelta(minutes=1)):
        assert requeue_document_renders() == 3  # run at once here (CELERY_TASK_ALWAYS_EAGER)

    assert all(d.is_ready for d in referral.documents.all())
    assert referral.events.filter(action="render_document").count() == 3
